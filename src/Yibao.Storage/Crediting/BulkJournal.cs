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
/// <param name="LockGroup">Where the account's code sorts against the region's personal accounts (0 before, 1 a personal account, 2 after), so balance rows are locked in the ledger's global order by groups; 1 also says the account has one balance row per segment (shard 0). See <see cref="BulkJournal.LockGroupOf"/>.</param>
public readonly record struct BulkLine(long AccountId, string Segment, short Shard, long Amount, byte LockGroup);

/// <summary>One entry of a bulk write: its idempotency key, content hash (the same as <see cref="JournalEntryRequest.ContentHash"/>), memo and postings.</summary>
public sealed record BulkEntry(string Key, string ContentHash, string? Memo, BulkLine[] Lines);

/// <summary>What every entry of one bulk write shares.</summary>
public sealed record BulkHeader(RegionCode Region, string ReasonCode, DateOnly BusinessDate, string Actor, string PolicyVersion, DateTimeOffset RecordedAt);

/// <summary>Thrown when a balance row did not take its change (a closed account, a missing row, an overdraft); the caller's transaction must roll back.</summary>
public sealed class BulkNotAppliedException(string message) : LedgerRaceException(message);

/// <summary>
/// Writes many journal entries of one kind (a chunk of a batch run) inside the caller's
/// transaction, set-based: the entries, their postings and the balance changes. An entry whose
/// key already exists is skipped (<c>ON CONFLICT DO NOTHING</c>), and only the entries actually
/// inserted get postings and move balances, so re-running a chunk changes nothing. Balance
/// changes are summed per row (the pooled fund's 16 shards take one update each) and applied by a
/// conditional update that must hit every row, like <see cref="LedgerStore"/>'s: the invariants
/// <see cref="LedgerVerifier"/> checks hold after every chunk.
/// <para>
/// PostgreSQL: the entries by binary COPY into a temporary table (dropped at commit, so a pooled
/// connection keeps no state) and INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING; the postings
/// of the returned entries by binary COPY straight into <c>posting</c> (COPY inserts many rows per
/// call, INSERT … SELECT one at a time); the summed changes by COPY and UPDATE … FROM. SQLite (no
/// COPY; in-process, a prepared statement reused in one transaction is its fastest path): the
/// entries and their postings row by row through prepared statements, with entry ids taken from
/// the end of the table under the transaction's write lock; the personal balances by one
/// UPDATE … FROM the postings just written, summed per row; the shared rows one by one.
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
        // which takes longer than running them. SET LOCAL ends with the transaction, and the
        // staging tables are dropped at commit: a pooled connection keeps no state.
        await ExecAsync(s,
            "SET LOCAL jit = off; " +
            "CREATE TEMP TABLE IF NOT EXISTS yb_bulk_entry (ord INT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL, memo TEXT) ON COMMIT DROP; " +
            "CREATE TEMP TABLE IF NOT EXISTS yb_bulk_delta (account_id BIGINT NOT NULL, segment TEXT NOT NULL, shard SMALLINT NOT NULL, delta BIGINT NOT NULL, n BIGINT NOT NULL, grp SMALLINT NOT NULL) ON COMMIT DROP; " +
            "TRUNCATE yb_bulk_entry, yb_bulk_delta", ct).ConfigureAwait(false);

        // 1. The entries, staged by binary COPY, then inserted unless their key exists: only
        //    the entries this call inserted come back, with their ids.
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
        var index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++) index[entries[i].Key] = i;
        var ids = new long[entries.Count];
        var inserted = new bool[entries.Count];
        var count = 0;
        await using (var insert = s.Command(
                         "INSERT INTO journal_entry (idempotency_key, content_hash, region_code, reason_code, business_date, actor, policy_version, memo, reverses_entry_id, recorded_at) " +
                         "SELECT key, hash, @r, @reason, @d, @actor, @pv, memo, NULL, @at FROM yb_bulk_entry ORDER BY ord " +
                         "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, idempotency_key")
                     .With("r", h.Region.Value).With("reason", h.ReasonCode).With("d", h.BusinessDate).With("actor", h.Actor)
                     .With("pv", h.PolicyVersion).With("at", h.RecordedAt.ToUniversalTime()))
        await using (var r = await insert.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var i = index[r.GetString(1)];
                ids[i] = r.GetInt64(0);
                inserted[i] = true;
                count++;
            }
        }
        if (count == 0) return inserted;

        // 2. The postings of the inserted entries go straight into the table by binary COPY (no
        //    conflict is possible: their entries are new), in entry order; their balance
        //    changes are summed per balance row on the way.
        var deltas = new Dictionary<(long Account, string Segment, short Shard), (long Delta, long Count, byte Group)>();
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY posting (entry_id, account_id, segment, region_code, business_date, amount) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            for (var i = 0; i < entries.Count; i++)
            {
                if (!inserted[i]) continue;
                foreach (var l in entries[i].Lines)
                {
                    await copy.StartRowAsync(ct).ConfigureAwait(false);
                    await copy.WriteAsync(ids[i], NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(l.AccountId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(l.Segment, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(h.Region.Value, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(h.BusinessDate, NpgsqlDbType.Date, ct).ConfigureAwait(false);
                    await copy.WriteAsync(l.Amount, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    var k = (l.AccountId, l.Segment, l.Shard);
                    deltas[k] = deltas.TryGetValue(k, out var d) ? (d.Delta + l.Amount, d.Count + 1, l.LockGroup) : (l.Amount, 1, l.LockGroup);
                }
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }

        // 3. The summed changes, staged by COPY, applied by one conditional UPDATE … FROM per
        //    lock group, in the ledger's global order (region accounts sorting before the personal
        //    ones, the personal ones, then the rest). Every row must take its change.
        await using (var copy = await connection.BeginBinaryImportAsync(
                         "COPY yb_bulk_delta (account_id, segment, shard, delta, n, grp) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            foreach (var ((account, segment, shard), (delta, n, group)) in deltas)
            {
                await copy.StartRowAsync(ct).ConfigureAwait(false);
                await copy.WriteAsync(account, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(segment, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                await copy.WriteAsync(shard, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
                await copy.WriteAsync(delta, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync(n, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await copy.WriteAsync((short)group, NpgsqlDbType.Smallint, ct).ConfigureAwait(false);
            }
            await copy.CompleteAsync(ct).ConfigureAwait(false);
        }
        foreach (var group in deltas.Values.Select(d => d.Group).Distinct().Order())
        {
            var rows = deltas.Values.Count(d => d.Group == group);
            await using var update = s.Command(
                    "UPDATE account_balance b SET balance = b.balance + d.delta, posting_count = b.posting_count + d.n FROM yb_bulk_delta d " +
                    "WHERE d.grp = @g AND b.account_id = d.account_id AND b.segment = d.segment AND b.shard = d.shard " +
                    "AND b.is_open = 1 AND (b.non_negative = 0 OR b.balance + d.delta >= 0)")
                .With("g", (short)group);
            var updated = await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            if (updated != rows)
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
        var firstId = nextId;
        try
        {
            // Personal accounts (one balance row per segment) are moved by one set-based UPDATE
            // from the postings just written; the others (shared rows by shard) from sums kept here.
            var shared = new Dictionary<(long Account, string Segment, short Shard), (long Delta, long Count)>();
            var personal = new HashSet<(long Account, string Segment)>();
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
                    if (l.LockGroup == 1)
                    {
                        personal.Add((l.AccountId, l.Segment));
                        continue;
                    }
                    var k = (l.AccountId, l.Segment, l.Shard);
                    shared[k] = shared.TryGetValue(k, out var d) ? (d.Delta + l.Amount, d.Count + 1) : (l.Amount, 1);
                }
                await insert.Command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                nextId++;
            }
            if (nextId == firstId) return inserted;

            // SQLite has one writer at a time, so lock order cannot deadlock; the conditions still
            // guard every row, and every row must take its change.
            if (personal.Count > 0)
            {
                await using var update = s.Command(
                        "UPDATE account_balance SET balance = balance + p.delta, posting_count = posting_count + p.n " +
                        "FROM (SELECT account_id, segment, SUM(amount) AS delta, COUNT(*) AS n FROM posting WHERE entry_id BETWEEN @first AND @last GROUP BY account_id, segment) AS p " +
                        "WHERE account_balance.account_id = p.account_id AND account_balance.segment = p.segment AND account_balance.shard = 0 " +
                        "AND account_balance.non_negative = 1 AND account_balance.is_open = 1 AND account_balance.balance + p.delta >= 0")
                    .With("first", firstId).With("last", nextId - 1);
                var updated = await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                if (updated != personal.Count)
                    throw new BulkNotAppliedException($"{personal.Count - updated} of {personal.Count} personal balance rows did not take their change (closed account, missing row or overdraft)");
            }
            await using var shard = s.Command(
                "UPDATE account_balance SET balance = balance + @d, posting_count = posting_count + @n " +
                "WHERE account_id = @a AND segment = @s AND shard = @sh AND is_open = 1 AND (non_negative = 0 OR balance + @d >= 0)");
            var (uDelta, uCount, uAccount, uSegment, uShard) = (Param(shard, "d"), Param(shard, "n"), Param(shard, "a"), Param(shard, "s"), Param(shard, "sh"));
            foreach (var ((account, segment, sh), (delta, n)) in shared)
            {
                uDelta.Value = delta;
                uCount.Value = n;
                uAccount.Value = account;
                uSegment.Value = segment;
                uShard.Value = sh;
                if (await shard.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                    throw new BulkNotAppliedException($"balance row ({account}, {segment}, {sh}) did not take its change of {delta} fen (closed account, missing row or overdraft)");
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
