using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Storage.Ledger;

namespace Yibao.Storage.Crediting;

/// <summary>One posting of a bulk entry, on a resolved balance row (account id, segment, shard).</summary>
/// <param name="AccountId">The ledger account.</param>
/// <param name="Segment">Its segment's code (<c>current-year</c>, <c>main</c>, …).</param>
/// <param name="Shard">0 for a personal account; the entry key's shard for an account without an overdraft rule.</param>
/// <param name="Amount">Signed fen.</param>
/// <param name="LockGroup">Where the account's code sorts against the region's personal accounts (0 before, 1 personal, 2 after), so balance rows are locked in the ledger's global order by groups.</param>
public readonly record struct BulkLine(long AccountId, string Segment, short Shard, long Amount, byte LockGroup);

/// <summary>One entry of a bulk write: its idempotency key, content hash (the same as <see cref="JournalEntryRequest.ContentHash"/>), memo and postings.</summary>
public sealed record BulkEntry(string Key, string ContentHash, string? Memo, BulkLine[] Lines);

/// <summary>What every entry of one bulk write shares.</summary>
public sealed record BulkHeader(RegionCode Region, string ReasonCode, DateOnly BusinessDate, string Actor, string PolicyVersion, DateTimeOffset RecordedAt);

/// <summary>Thrown when a balance row did not take its change (a closed account, a missing row, an overdraft); the caller's transaction must roll back.</summary>
public sealed class BulkNotAppliedException(string message) : Exception(message);

/// <summary>
/// Writes many journal entries of one kind (a chunk of a batch run) inside the caller's
/// transaction, set-based: the entries, their postings and the balance changes. An entry whose
/// key already exists is skipped (<c>ON CONFLICT DO NOTHING</c>), and only the entries actually
/// inserted get postings and move balances, so re-running a chunk changes nothing. Balance
/// changes are summed per row (the pooled fund's 16 shards take one update each) and applied by a
/// conditional update that must hit every row, like <see cref="LedgerStore"/>'s: the invariants
/// <see cref="LedgerVerifier"/> checks hold after every chunk.
/// <para>
/// PostgreSQL: binary COPY into temporary tables (dropped at commit, so a pooled connection keeps
/// no state), then INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING, INSERT … SELECT of the
/// postings of the returned entries and UPDATE … FROM of the summed changes. SQLite: the same
/// steps row by row through prepared statements reused in the one transaction (in-process, a
/// prepared statement is SQLite's fastest path; there is no COPY).
/// </para>
/// </summary>
public static class BulkJournal
{
    /// <summary>Where an account's code sorts against the region's personal accounts (the ledger locks balance rows in code order).</summary>
    public static byte LockGroupOf(AccountCode code)
    {
        if (code.Kind == AccountKind.Personal) return 1;
        return string.CompareOrdinal(code.Value, $"{code.Region.Value}:personal:") < 0 ? (byte)0 : (byte)2;
    }

    /// <summary>The shard an entry with this key uses on accounts without an overdraft rule (the same as a single posting's).</summary>
    public static short ShardOf(string key) => (short)LedgerStore.ShardOf(key);

    /// <summary>Posts the entries; returns, for each, whether this call inserted it (false: its key was already there).</summary>
    public static Task<bool[]> PostAsync(DbSession s, BulkHeader header, IReadOnlyList<BulkEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return Task.FromResult(Array.Empty<bool>());
        foreach (var e in entries)
        {
            var sum = 0L;
            foreach (var l in e.Lines)
            {
                if (l.Amount == 0 || Math.Abs(l.Amount) > LedgerStore.MaxPostingFen) throw new ArgumentException($"entry {e.Key}: a posting of {l.Amount} fen");
                sum += l.Amount;
            }
            if (sum != 0 || e.Lines.Length < 2) throw new ArgumentException($"entry {e.Key} does not balance or has fewer than two postings");
        }
        return s.Engine == Engine.Postgres ? PostPostgresAsync(s, header, entries, ct) : PostSqliteAsync(s, header, entries, ct);
    }

    // ------------------------------------------------------------------ PostgreSQL

    private static async Task<bool[]> PostPostgresAsync(DbSession s, BulkHeader h, IReadOnlyList<BulkEntry> entries, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)s.Connection;
        // jit off: these statements are costed high enough to be JIT-compiled on every chunk,
        // which takes longer than running them. SET LOCAL ends with the transaction.
        await ExecAsync(s,
            "SET LOCAL jit = off; " +
            "CREATE TEMP TABLE IF NOT EXISTS yb_bulk_entry (ord INT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, memo TEXT) ON COMMIT DROP; " +
            "CREATE TEMP TABLE IF NOT EXISTS yb_bulk_line (ord INT NOT NULL, line SMALLINT NOT NULL, account_id BIGINT NOT NULL, segment TEXT NOT NULL, shard SMALLINT NOT NULL, amount BIGINT NOT NULL, grp SMALLINT NOT NULL) ON COMMIT DROP; " +
            "CREATE TEMP TABLE IF NOT EXISTS yb_bulk_new (ord INT NOT NULL, entry_id BIGINT NOT NULL) ON COMMIT DROP; " +
            "TRUNCATE yb_bulk_entry, yb_bulk_line, yb_bulk_new", ct).ConfigureAwait(false);

        await using (var copy = await connection.BeginBinaryImportAsync("COPY yb_bulk_entry (ord, key, hash, memo) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                await copy.StartRowAsync(ct).ConfigureAwait(false);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
                await copy.WriteAsync(e.Key, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(e.ContentHash, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                if (e.Memo is null) await copy.WriteNullAsync(ct).ConfigureAwait(false);
                else await copy.WriteAsync(e.Memo, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }
        await using (var copy = await connection.BeginBinaryImportAsync("COPY yb_bulk_line (ord, line, account_id, segment, shard, amount, grp) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var lines = entries[i].Lines;
                for (short n = 0; n < lines.Length; n++)
                {
                    var l = lines[n];
                    await copy.StartRowAsync(ct).ConfigureAwait(false);
                    await copy.WriteAsync(i, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
                    await copy.WriteAsync(n, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(l.AccountId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(l.Segment, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(l.Shard, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(l.Amount, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await copy.WriteAsync((short)l.LockGroup, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
                }
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }

        var inserted = new bool[entries.Count];
        var count = 0;
        await using (var insert = s.Command(
                         "WITH ins AS (INSERT INTO journal_entry (idempotency_key, content_hash, region_code, reason_code, business_date, actor, policy_version, memo, reverses_entry_id, recorded_at) " +
                         "SELECT key, hash, @r, @reason, @d, @actor, @pv, memo, NULL, @at FROM yb_bulk_entry ORDER BY ord " +
                         "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key) " +
                         "INSERT INTO yb_bulk_new (ord, entry_id) SELECT e.ord, ins.id FROM ins JOIN yb_bulk_entry e ON e.key = ins.idempotency_key RETURNING ord")
                     .With("r", h.Region.Value).With("reason", h.ReasonCode).With("d", h.BusinessDate).With("actor", h.Actor)
                     .With("pv", h.PolicyVersion).With("at", h.RecordedAt.ToUniversalTime()))
        await using (var r = await insert.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                inserted[r.GetInt32(0)] = true;
                count++;
            }
        }
        if (count == 0) return inserted;

        await using (var postings = s.Command(
                         "INSERT INTO posting (entry_id, account_id, segment, region_code, business_date, amount) " +
                         "SELECT n.entry_id, l.account_id, l.segment, @r, @d, l.amount FROM yb_bulk_new n JOIN yb_bulk_line l ON l.ord = n.ord ORDER BY n.entry_id, l.line")
                     .With("r", h.Region.Value).With("d", h.BusinessDate))
            await postings.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        // One update per lock group, in the ledger's global order (region accounts sorting before
        // the personal ones, the personal ones, then the rest), each summed per balance row.
        foreach (var group in entries.SelectMany(e => e.Lines).Select(l => l.LockGroup).Distinct().Order())
        {
            await using var update = s.Command(
                    "WITH d AS (SELECT l.account_id, l.segment, l.shard, SUM(l.amount) AS delta, COUNT(*) AS n FROM yb_bulk_new x JOIN yb_bulk_line l ON l.ord = x.ord " +
                    "WHERE l.grp = @g GROUP BY l.account_id, l.segment, l.shard), " +
                    "u AS (UPDATE account_balance b SET balance = b.balance + d.delta, posting_count = b.posting_count + d.n FROM d " +
                    "WHERE b.account_id = d.account_id AND b.segment = d.segment AND b.shard = d.shard AND b.is_open = 1 AND (b.non_negative = 0 OR b.balance + d.delta >= 0) RETURNING 1) " +
                    "SELECT (SELECT COUNT(*) FROM d), (SELECT COUNT(*) FROM u)")
                .With("g", (short)group);
            await using var r = await update.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.ReadAsync(ct).ConfigureAwait(false);
            var (rows, updated) = (r.GetInt64(0), r.GetInt64(1));
            if (rows != updated)
                throw new BulkNotAppliedException($"{rows - updated} of {rows} balance rows did not take their change (closed account, missing row or overdraft)");
        }
        return inserted;
    }

    private static async Task ExecAsync(DbSession s, string sql, CancellationToken ct)
    {
        await using var cmd = s.Command(sql);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ SQLite

    private static async Task<bool[]> PostSqliteAsync(DbSession s, BulkHeader h, IReadOnlyList<BulkEntry> entries, CancellationToken ct)
    {
        var inserted = new bool[entries.Count];
        var recordedAt = h.RecordedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        // The transaction holds SQLite's write lock (BEGIN IMMEDIATE): no one else inserts until
        // the commit, so the entry ids can be taken from the end of the table here, and the insert
        // answers with the number of rows it wrote instead of a RETURNING result set.
        long nextId;
        await using (var max = s.Command("SELECT COALESCE(MAX(id), 0) FROM journal_entry"))
            nextId = Convert.ToInt64(await max.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) + 1;
        await using var entry = s.Command(
            "INSERT INTO journal_entry (id, idempotency_key, content_hash, region_code, reason_code, business_date, actor, policy_version, memo, reverses_entry_id, recorded_at) " +
            "VALUES (@id, @k, @h, @r, @reason, @d, @actor, @pv, @memo, NULL, @at) ON CONFLICT (idempotency_key) DO NOTHING");
        var (pId, pKey, pHash, pMemo) = (Param(entry, "id"), Param(entry, "k"), Param(entry, "h"), Param(entry, "memo"));
        entry.With("r", h.Region.Value).With("reason", h.ReasonCode).With("d", h.BusinessDate).With("actor", h.Actor).With("pv", h.PolicyVersion).With("at", recordedAt);

        // One statement per entry for all its postings (an entry has two or three).
        var postings = new Dictionary<int, (DbCommand Command, DbParameter Entry, DbParameter[] Account, DbParameter[] Segment, DbParameter[] Amount)>();
        try
        {
            var deltas = new Dictionary<(long Account, string Segment, short Shard), (long Delta, long Count)>();
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                pId.Value = nextId;
                pKey.Value = e.Key;
                pHash.Value = e.ContentHash;
                pMemo.Value = (object?)e.Memo ?? DBNull.Value;
                if (await entry.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0) continue;
                inserted[i] = true;
                if (!postings.TryGetValue(e.Lines.Length, out var insert))
                {
                    var values = string.Join(", ", Enumerable.Range(0, e.Lines.Length).Select(n => string.Create(CultureInfo.InvariantCulture, $"(@e, @a{n}, @s{n}, @r, @d, @m{n})")));
                    var cmd = s.Command($"INSERT INTO posting (entry_id, account_id, segment, region_code, business_date, amount) VALUES {values}");
                    var pe = Param(cmd, "e");
                    var accounts = Enumerable.Range(0, e.Lines.Length).Select(n => Param(cmd, $"a{n}")).ToArray();
                    var segments = Enumerable.Range(0, e.Lines.Length).Select(n => Param(cmd, $"s{n}")).ToArray();
                    var amounts = Enumerable.Range(0, e.Lines.Length).Select(n => Param(cmd, $"m{n}")).ToArray();
                    cmd.With("r", h.Region.Value).With("d", h.BusinessDate);
                    postings[e.Lines.Length] = insert = (cmd, pe, accounts, segments, amounts);
                }
                insert.Entry.Value = nextId;
                for (var n = 0; n < e.Lines.Length; n++)
                {
                    var l = e.Lines[n];
                    insert.Account[n].Value = l.AccountId;
                    insert.Segment[n].Value = l.Segment;
                    insert.Amount[n].Value = l.Amount;
                    var k = (l.AccountId, l.Segment, l.Shard);
                    deltas[k] = deltas.TryGetValue(k, out var d) ? (d.Delta + l.Amount, d.Count + 1) : (l.Amount, 1);
                }
                await insert.Command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                nextId++;
            }
            if (deltas.Count == 0) return inserted;

            // SQLite has one writer at a time, so lock order cannot deadlock; the condition still guards every row.
            await using var update = s.Command(
                "UPDATE account_balance SET balance = balance + @d, posting_count = posting_count + @n " +
                "WHERE account_id = @a AND segment = @s AND shard = @sh AND is_open = 1 AND (non_negative = 0 OR balance + @d >= 0)");
            var (uDelta, uCount, uAccount, uSegment, uShard) = (Param(update, "d"), Param(update, "n"), Param(update, "a"), Param(update, "s"), Param(update, "sh"));
            foreach (var ((account, segment, shard), (delta, n)) in deltas)
            {
                uDelta.Value = delta;
                uCount.Value = n;
                uAccount.Value = account;
                uSegment.Value = segment;
                uShard.Value = shard;
                if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                    throw new BulkNotAppliedException($"balance row ({account}, {segment}, {shard}) did not take its change of {delta} fen (closed account, missing row or overdraft)");
            }
            return inserted;
        }
        finally
        {
            foreach (var p in postings.Values) await p.Command.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static DbParameter Param(DbCommand cmd, string name)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        cmd.Parameters.Add(p);
        return p;
    }
}
