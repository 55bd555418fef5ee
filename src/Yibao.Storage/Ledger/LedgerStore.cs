using System.Data.Common;
using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using DomainMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Ledger;

/// <summary>
/// The double-entry journal (记账) on either engine. Every movement of money goes through
/// <see cref="PostAsync(JournalEntryRequest, CancellationToken)"/>: a balanced entry with an
/// idempotency key, written with its postings and balance changes in one transaction.
/// Overdraft is refused by a conditional UPDATE (and, underneath, a CHECK constraint), so
/// concurrent writers in several processes stay correct without any in-process lock.
/// </summary>
public sealed class LedgerStore(YibaoDatabase db, TimeProvider clock)
{
    /// <summary>No single posting may exceed 10 trillion yuan; keeps every sum far inside 64 bits on both engines.</summary>
    public const long MaxPostingFen = 1_000_000_000_000_000;

    /// <summary>Balance rows of an account without an overdraft rule (see the 0001 migration).</summary>
    public const int Shards = 16;

    public YibaoDatabase Database => db;

    // ---------------------------------------------------------------- accounts

    /// <summary>Opens an account with a zero balance in each of its segments. Opening one that exists returns it unchanged.</summary>
    public async Task<AccountBalance> OpenAccountAsync(AccountCode code, DateOnly openedOn, CancellationToken ct = default)
    {
        await db.InTransactionAsync(async s => { await OpenAccountAsync(s, code, openedOn, ct).ConfigureAwait(false); return 0; }, ct).ConfigureAwait(false);
        return await GetBalanceAsync(code, ct).ConfigureAwait(false);
    }

    /// <summary>Opens an account inside the caller's transaction; returns its id. Idempotent by code.</summary>
    public static async Task<long> OpenAccountAsync(DbSession s, AccountCode code, DateOnly openedOn, CancellationToken ct = default)
    {
        await using (var insert = s.Command(
                         "INSERT INTO ledger_account (code, region_code, kind, holder, status, opened_on) " +
                         "VALUES (@code, @region, @kind, @holder, 'open', @opened) ON CONFLICT (code) DO NOTHING RETURNING id")
                     .With("code", code.Value).With("region", code.Region.Value).With("kind", code.Kind.Code())
                     .With("holder", code.Holder).With("opened", openedOn))
        {
            var id = await insert.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (id is not null and not DBNull)
            {
                var accountId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
                var shards = code.Kind.MayNotGoNegative() ? 1 : Shards;
                foreach (var segment in code.Kind.Segments())
                {
                    for (var shard = 0; shard < shards; shard++)
                    {
                        await using var bal = s.Command(
                                "INSERT INTO account_balance (account_id, segment, shard, region_code, non_negative, is_open, balance, posting_count) " +
                                "VALUES (@a, @s, @sh, @r, @nn, 1, 0, 0)")
                            .With("a", accountId).With("s", segment.Code()).With("sh", shard).With("r", code.Region.Value)
                            .With("nn", code.Kind.MayNotGoNegative() ? 1 : 0);
                        await bal.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }
                }
                return accountId;
            }
        }
        await using var find = s.Command("SELECT id FROM ledger_account WHERE code = @code").With("code", code.Value);
        return Convert.ToInt64(await find.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Closes an account whose every segment is zero (注销). Later postings to it are refused
    /// with <c>account-closed</c>; the flag sits on the balance rows, so the refusal is part of
    /// the same conditional update that guards overdraft.
    /// </summary>
    public static async Task CloseAccountAsync(DbSession s, AccountCode code, DateOnly closedOn, CancellationToken ct = default)
    {
        var id = await FindAccountIdAsync(s, code, ct).ConfigureAwait(false);
        await using (var nonZero = s.Command(
                         "SELECT COUNT(*) FROM (SELECT segment FROM account_balance WHERE account_id = @a GROUP BY segment HAVING SUM(balance) <> 0) x").With("a", id))
        {
            if (Convert.ToInt64(await nonZero.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
                throw new YibaoException(ErrorCatalog.InvalidField("account", "only an account with a zero balance can be closed").With("account", code.Value));
        }
        await using (var bal = s.Command("UPDATE account_balance SET is_open = 0 WHERE account_id = @a").With("a", id))
            await bal.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await using var acc = s.Command("UPDATE ledger_account SET status = 'closed', closed_on = @d WHERE id = @a AND status = 'open'")
            .With("a", id).With("d", closedOn);
        await acc.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<long> FindAccountIdAsync(DbSession s, AccountCode code, CancellationToken ct)
    {
        await using var find = s.Command("SELECT id FROM ledger_account WHERE code = @code").With("code", code.Value);
        var id = await find.ExecuteScalarAsync(ct).ConfigureAwait(false);
        if (id is null or DBNull) throw new YibaoException(ErrorCatalog.UnknownAccount(code.Value));
        return Convert.ToInt64(id, CultureInfo.InvariantCulture);
    }

    // ---------------------------------------------------------------- posting

    /// <summary>Posts an entry in its own transaction.</summary>
    public async Task<PostResult> PostAsync(JournalEntryRequest request, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await db.InTransactionAsync(s => s.Engine == Engine.Postgres
                    ? PostPostgresAsync(s, request, ct)
                    : PostCoreAsync(s, request, reverses: null, ct), ct).ConfigureAwait(false);
            }
            catch (PostNotApplied)
            {
                if (attempt >= 5) throw new YibaoException(ErrorCatalog.LedgerBusy());
                // Rolled back; find out why with fresh reads. A replay or a refusal ends here;
                // a condition that no longer holds (a concurrent writer moved on) tries again.
                await using var read = await db.BeginAsync(ct).ConfigureAwait(false);
                if (await DiagnoseAsync(read, request, ct).ConfigureAwait(false) is { } replay) return replay;
            }
            catch (DbException e) when (IsUniqueViolation(e) && attempt < 5)
            {
                // A concurrent writer committed the same key between our check and our insert;
                // on the next attempt the check sees it and answers as a replay (or a conflict).
            }
        }
    }

    /// <summary>
    /// Posts an entry inside the caller's transaction (so a handler can write the money and its
    /// own rows atomically). A refusal rolls back only this entry (a savepoint), never the caller's work.
    /// </summary>
    public async Task<PostResult> PostAsync(DbSession s, JournalEntryRequest request, CancellationToken ct = default)
    {
        const string savepoint = "yibao_post";
        await s.Transaction.SaveAsync(savepoint, ct).ConfigureAwait(false);
        try
        {
            var result = await PostCoreAsync(s, request, reverses: null, ct).ConfigureAwait(false);
            await s.Transaction.ReleaseAsync(savepoint, ct).ConfigureAwait(false);
            return result;
        }
        catch
        {
            await s.Transaction.RollbackAsync(savepoint, ct).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Reverses an entry (冲正): a new entry with every posting negated, linked to the original.
    /// An entry is reversed at most once, and a reversal is never itself reversed.
    /// </summary>
    public async Task<PostResult> ReverseAsync(long entryId, string idempotencyKey, DateOnly businessDate, string actor, string? memo = null, CancellationToken ct = default)
    {
        try
        {
            return await db.InTransactionAsync(async s =>
            {
                var original = await GetEntryAsync(s, entryId, ct).ConfigureAwait(false)
                               ?? throw new YibaoException(ErrorCatalog.UnknownEntry(entryId.ToString(CultureInfo.InvariantCulture)));
                var request = new JournalEntryRequest
                {
                    IdempotencyKey = idempotencyKey,
                    Region = original.Region,
                    ReasonCode = "reversal",
                    BusinessDate = businessDate,
                    Actor = actor,
                    PolicyVersion = original.PolicyVersion,
                    Memo = memo ?? $"reverses entry {original.Id} ({original.ReasonCode})",
                    Postings = original.Postings.Select(p => p with { Amount = -p.Amount }).ToList(),
                };
                var replay = await FindByKeyAsync(s, request, original.Id, ct).ConfigureAwait(false);
                if (replay is not null) return replay;
                if (original.ReversesEntryId is not null)
                    throw new YibaoException(ErrorCatalog.CannotReverseReversal(entryId.ToString(CultureInfo.InvariantCulture)));
                await using (var already = s.Command("SELECT COUNT(*) FROM journal_entry WHERE reverses_entry_id = @id").With("id", entryId))
                {
                    if (Convert.ToInt64(await already.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
                        throw new YibaoException(ErrorCatalog.AlreadyReversed(entryId.ToString(CultureInfo.InvariantCulture)));
                }
                return await PostCoreAsync(s, request, original.Id, ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (DbException e) when (IsUniqueViolation(e))
        {
            // Two reversals of one entry raced; the unique reverses_entry_id let exactly one in.
            var replay = await GetEntryByKeyAsync(idempotencyKey, ct).ConfigureAwait(false);
            if (replay is not null && replay.ReversesEntryId == entryId) return new PostResult(replay, Replayed: true);
            throw new YibaoException(ErrorCatalog.AlreadyReversed(entryId.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Thrown inside a transaction when the optimistic PostgreSQL path did not apply; the caller rolls back and diagnoses.</summary>
    private sealed class PostNotApplied : Exception;

    /// <summary>
    /// PostgreSQL: the whole entry in one round trip (one batch) before the commit: the entry and
    /// its postings in one statement, then the conditional balance updates. If any part did not
    /// apply (key already used, unknown or closed account, not enough balance), the caller rolls
    /// back and <see cref="DiagnoseAsync"/> names the reason.
    /// </summary>
    private async Task<PostResult> PostPostgresAsync(DbSession s, JournalEntryRequest request, CancellationToken ct)
    {
        if (request.Validate() is { } invalid) throw new YibaoException(invalid);
        foreach (var p in request.Postings)
        {
            if (Math.Abs(p.Amount.Fen) > MaxPostingFen)
                throw new YibaoException(ErrorCatalog.AmountOutOfRange(p.Amount.ToPlainString()));
        }
        var recordedAt = clock.GetUtcNow();
        var shard = ShardOf(request.IdempotencyKey);
        var batch = s.Connection.CreateBatch();
        await using var _ = batch;
        batch.Transaction = s.Transaction;

        var values = new System.Text.StringBuilder();
        var entry = batch.CreateBatchCommand();
        for (var i = 0; i < request.Postings.Count; i++)
        {
            var p = request.Postings[i];
            if (i > 0) values.Append(", ");
            values.Append(CultureInfo.InvariantCulture, $"(@c{i}, @s{i}, @m{i}::bigint, {i})");
            Add(entry, $"c{i}", p.Account.Value);
            Add(entry, $"s{i}", p.Segment.Code());
            Add(entry, $"m{i}", p.Amount.Fen);
        }
        entry.CommandText =
            "WITH e AS (INSERT INTO journal_entry (idempotency_key, content_hash, region_code, reason_code, business_date, actor, policy_version, memo, reverses_entry_id, recorded_at) " +
            "VALUES (@k, @h, @r, @reason, @d, @actor, @pv, @memo, NULL, @at) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id) " +
            "INSERT INTO posting (entry_id, account_id, segment, region_code, business_date, amount) " +
            $"SELECT e.id, a.id, v.segment, @r, @d, v.amount FROM e CROSS JOIN (VALUES {values}) AS v(code, segment, amount, ord) " +
            "JOIN ledger_account a ON a.code = v.code AND a.status = 'open' ORDER BY v.ord RETURNING entry_id";
        Add(entry, "k", request.IdempotencyKey);
        Add(entry, "h", request.ContentHash());
        Add(entry, "r", request.Region.Value);
        Add(entry, "reason", request.ReasonCode);
        Add(entry, "d", request.BusinessDate);
        Add(entry, "actor", request.Actor);
        Add(entry, "pv", request.PolicyVersion);
        Add(entry, "memo", request.Memo);
        Add(entry, "at", recordedAt);
        batch.BatchCommands.Add(entry);

        // Same fixed order for every writer (account code, segment, shard): no deadlocks.
        var deltas = request.Postings
            .GroupBy(p => (Code: p.Account.Value, p.Segment, Shard: p.Account.Kind.MayNotGoNegative() ? 0 : shard))
            .Select(g => (g.Key.Code, g.Key.Segment, g.Key.Shard, Delta: g.Sum(x => x.Amount.Fen), Count: g.Count()))
            .OrderBy(x => x.Code, StringComparer.Ordinal).ThenBy(x => x.Segment).ThenBy(x => x.Shard)
            .ToList();
        foreach (var d in deltas)
        {
            var update = batch.CreateBatchCommand();
            update.CommandText =
                "UPDATE account_balance b SET balance = b.balance + @d, posting_count = b.posting_count + @n FROM ledger_account a " +
                "WHERE a.code = @c AND b.account_id = a.id AND b.segment = @s AND b.shard = @sh AND b.is_open = 1 AND (b.non_negative = 0 OR b.balance + @d >= 0)";
            Add(update, "d", d.Delta);
            Add(update, "n", (long)d.Count);
            Add(update, "c", d.Code);
            Add(update, "s", d.Segment.Code());
            Add(update, "sh", d.Shard);
            batch.BatchCommands.Add(update);
        }

        long? entryId = null;
        var inserted = 0;
        await using (var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                entryId = reader.GetInt64(0);
                inserted++;
            }
            while (await reader.NextResultAsync(ct).ConfigureAwait(false)) { }
        }
        if (inserted != request.Postings.Count || batch.BatchCommands.Skip(1).Any(c => c.RecordsAffected != 1))
            throw new PostNotApplied();

        var stored = new JournalEntry(entryId!.Value, request.IdempotencyKey, request.Region, request.ReasonCode, request.BusinessDate,
            request.Actor, request.PolicyVersion, request.Memo, null, recordedAt, request.Postings);
        return new PostResult(stored, Replayed: false);
    }

    private static void Add(DbBatchCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    /// <summary>
    /// Why an entry did not apply, read after its rollback: a replay (returned), a reused key,
    /// an unknown or closed account, or an overdraft (thrown). Null when nothing is wrong any
    /// more, because a concurrent writer changed the facts: the caller tries again.
    /// </summary>
    private static async Task<PostResult?> DiagnoseAsync(DbSession s, JournalEntryRequest request, CancellationToken ct)
    {
        if (await FindByKeyAsync(s, request, null, ct).ConfigureAwait(false) is { } replay) return replay;
        var accounts = await ResolveAccountsAsync(s, request.Postings.Select(p => p.Account).Distinct().ToList(), ct).ConfigureAwait(false);
        foreach (var d in request.Postings.GroupBy(p => (p.Account, p.Segment)).Where(g => g.Key.Account.Kind.MayNotGoNegative()))
        {
            var delta = d.Sum(p => p.Amount.Fen);
            if (delta >= 0) continue;
            await using var cmd = s.Command("SELECT balance FROM account_balance WHERE account_id = @a AND segment = @s AND shard = 0")
                .With("a", accounts[d.Key.Account.Value].Id).With("s", d.Key.Segment.Code());
            var balance = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (balance + delta < 0)
                throw new YibaoException(ErrorCatalog.InsufficientBalance(d.Key.Account.Value, d.Key.Segment.Code(),
                    DomainMoney.FromFen(balance).ToPlainString(), DomainMoney.FromFen(-delta).ToPlainString()));
        }
        return null;
    }

    private async Task<PostResult> PostCoreAsync(DbSession s, JournalEntryRequest request, long? reverses, CancellationToken ct)
    {
        if (request.Validate() is { } invalid) throw new YibaoException(invalid);
        foreach (var p in request.Postings)
        {
            if (Math.Abs(p.Amount.Fen) > MaxPostingFen)
                throw new YibaoException(ErrorCatalog.AmountOutOfRange(p.Amount.ToPlainString()));
        }

        var replay = await FindByKeyAsync(s, request, reverses, ct).ConfigureAwait(false);
        if (replay is not null) return replay;

        var accounts = await ResolveAccountsAsync(s, request.Postings.Select(p => p.Account).Distinct().ToList(), ct).ConfigureAwait(false);
        var recordedAt = clock.GetUtcNow();
        var hash = request.ContentHash(reverses);

        long entryId;
        await using (var insert = s.Command(
                         "INSERT INTO journal_entry (idempotency_key, content_hash, region_code, reason_code, business_date, actor, policy_version, memo, reverses_entry_id, recorded_at) " +
                         "VALUES (@k, @h, @r, @reason, @d, @actor, @pv, @memo, @rev, @at) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")
                     .With("k", request.IdempotencyKey).With("h", hash).With("r", request.Region.Value)
                     .With("reason", request.ReasonCode).With("d", request.BusinessDate).With("actor", request.Actor)
                     .With("pv", request.PolicyVersion).With("memo", request.Memo).With("rev", reverses)
                     .With("at", s.Engine == Engine.Postgres ? recordedAt : recordedAt.ToString("O", CultureInfo.InvariantCulture)))
        {
            var id = await insert.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (id is null or DBNull)
            {
                // Another transaction committed this key after our look-up (PostgreSQL waited for it).
                return await FindByKeyAsync(s, request, reverses, ct).ConfigureAwait(false)
                       ?? throw new InvalidOperationException("idempotency key conflict without a visible entry");
            }
            entryId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }

        // Balance changes in a fixed order (account id, segment, shard) so concurrent entries never
        // deadlock. An account without an overdraft rule takes the change on one of its shards,
        // chosen by the entry's key, so parallel entries rarely meet on the same row.
        var shard = ShardOf(request.IdempotencyKey);
        var deltas = request.Postings
            .GroupBy(p => (Id: accounts[p.Account.Value].Id, p.Segment, Code: p.Account.Value, Shard: p.Account.Kind.MayNotGoNegative() ? 0 : shard))
            .Select(g => (g.Key.Id, g.Key.Segment, g.Key.Code, g.Key.Shard, Delta: g.Sum(x => x.Amount.Fen), Count: g.Count()))
            .OrderBy(x => x.Id).ThenBy(x => x.Segment).ThenBy(x => x.Shard)
            .ToList();
        foreach (var d in deltas)
        {
            await using var update = s.Command(
                    "UPDATE account_balance SET balance = balance + @d, posting_count = posting_count + @n " +
                    "WHERE account_id = @a AND segment = @s AND shard = @sh AND is_open = 1 AND (non_negative = 0 OR balance + @d >= 0)")
                .With("d", d.Delta).With("n", (long)d.Count).With("a", d.Id).With("s", d.Segment.Code()).With("sh", d.Shard);
            if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1) continue;
            throw new YibaoException(await ExplainRefusalAsync(s, d.Id, d.Code, d.Segment, d.Delta, ct).ConfigureAwait(false));
        }

        await using (var insertPostings = s.Command(""))
        {
            var sql = new System.Text.StringBuilder("INSERT INTO posting (entry_id, account_id, segment, region_code, business_date, amount) VALUES ");
            for (var i = 0; i < request.Postings.Count; i++)
            {
                var p = request.Postings[i];
                if (i > 0) sql.Append(", ");
                sql.Append(CultureInfo.InvariantCulture, $"(@e, @a{i}, @s{i}, @r, @d, @m{i})");
                insertPostings.With($"a{i}", accounts[p.Account.Value].Id).With($"s{i}", p.Segment.Code()).With($"m{i}", p.Amount.Fen);
            }
            insertPostings.CommandText = sql.ToString();
            insertPostings.With("e", entryId).With("r", request.Region.Value).With("d", request.BusinessDate);
            await insertPostings.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var entry = new JournalEntry(entryId, request.IdempotencyKey, request.Region, request.ReasonCode, request.BusinessDate,
            request.Actor, request.PolicyVersion, request.Memo, reverses, recordedAt, request.Postings);
        return new PostResult(entry, Replayed: false);
    }

    /// <summary>A stable shard for a key (FNV-1a), the same in every process.</summary>
    internal static int ShardOf(string key)
    {
        var hash = 2166136261u;
        foreach (var ch in key)
        {
            hash ^= ch;
            hash *= 16777619u;
        }
        return (int)(hash % Shards);
    }

    private static async Task<YibaoError> ExplainRefusalAsync(DbSession s, long accountId, string code, Segment segment, long delta, CancellationToken ct)
    {
        await using var cmd = s.Command("SELECT balance, is_open FROM account_balance WHERE account_id = @a AND segment = @s AND shard = 0")
            .With("a", accountId).With("s", segment.Code());
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return ErrorCatalog.InvalidSegment(code, segment.Code());
        var balance = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
        var open = Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture) == 1;
        if (!open) return ErrorCatalog.AccountClosed(code);
        return ErrorCatalog.InsufficientBalance(code, segment.Code(), DomainMoney.FromFen(balance).ToPlainString(), DomainMoney.FromFen(-delta).ToPlainString());
    }

    private sealed record ResolvedAccount(long Id, AccountKind Kind, bool Open);

    private static async Task<Dictionary<string, ResolvedAccount>> ResolveAccountsAsync(DbSession s, IReadOnlyList<AccountCode> codes, CancellationToken ct)
    {
        await using var cmd = s.Command("");
        var names = new List<string>();
        for (var i = 0; i < codes.Count; i++)
        {
            names.Add($"@c{i}");
            cmd.With($"c{i}", codes[i].Value);
        }
        cmd.CommandText = $"SELECT id, code, kind, status FROM ledger_account WHERE code IN ({string.Join(", ", names)})";
        var found = new Dictionary<string, ResolvedAccount>(StringComparer.Ordinal);
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                LedgerNames.TryParseKind(r.GetString(2), out var kind);
                found[r.GetString(1)] = new ResolvedAccount(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), kind, r.GetString(3) == "open");
            }
        }
        foreach (var code in codes)
        {
            if (!found.TryGetValue(code.Value, out var account)) throw new YibaoException(ErrorCatalog.UnknownAccount(code.Value));
            if (!account.Open) throw new YibaoException(ErrorCatalog.AccountClosed(code.Value));
        }
        return found;
    }

    /// <summary>The stored entry with this key, if any: the same content is a replay, different content is an error.</summary>
    private static async Task<PostResult?> FindByKeyAsync(DbSession s, JournalEntryRequest request, long? reverses, CancellationToken ct)
    {
        long id;
        string hash;
        await using (var cmd = s.Command("SELECT id, content_hash FROM journal_entry WHERE idempotency_key = @k").With("k", request.IdempotencyKey))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
            id = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
            hash = r.GetString(1);
        }
        if (!string.Equals(hash, request.ContentHash(reverses), StringComparison.Ordinal))
            throw new YibaoException(ErrorCatalog.IdempotencyKeyReused(request.IdempotencyKey));
        var entry = await GetEntryAsync(s, id, ct).ConfigureAwait(false);
        return new PostResult(entry!, Replayed: true);
    }

    // ---------------------------------------------------------------- reads

    public async Task<JournalEntry?> GetEntryAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await ReadEntryAsync(c, null, "e.id = @id", "id", id, ct).ConfigureAwait(false);
    }

    public async Task<JournalEntry?> GetEntryByKeyAsync(string key, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await ReadEntryAsync(c, null, "e.idempotency_key = @k", "k", key, ct).ConfigureAwait(false);
    }

    private static Task<JournalEntry?> GetEntryAsync(DbSession s, long id, CancellationToken ct) =>
        ReadEntryAsync(s.Connection, s.Transaction, "e.id = @id", "id", id, ct);

    private static async Task<JournalEntry?> ReadEntryAsync(DbConnection c, DbTransaction? tx, string where, string pname, object pvalue, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            "SELECT e.id, e.idempotency_key, e.region_code, e.reason_code, e.business_date, e.actor, e.policy_version, e.memo, e.reverses_entry_id, e.recorded_at, " +
            "a.code, p.segment, p.amount FROM journal_entry e JOIN posting p ON p.entry_id = e.id JOIN ledger_account a ON a.id = p.account_id " +
            $"WHERE {where} ORDER BY p.id";
        cmd.With(pname, pvalue);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        JournalEntry? entry = null;
        var postings = new List<PostingLine>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            entry ??= new JournalEntry(
                Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), r.GetString(1), RegionCode.Parse(r.GetString(2)), r.GetString(3),
                r.GetFieldValue<DateOnly>(4), r.GetString(5), r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
                r.IsDBNull(8) ? null : Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture),
                r.GetFieldValue<DateTimeOffset>(9), postings);
            LedgerNames.TryParseSegment(r.GetString(11), out var segment);
            postings.Add(new PostingLine(AccountCode.Parse(r.GetString(10)), segment, DomainMoney.FromFen(Convert.ToInt64(r.GetValue(12), CultureInfo.InvariantCulture))));
        }
        return entry;
    }

    /// <summary>The balance of an account, per segment (当年 / 历年 for personal accounts).</summary>
    public async Task<AccountBalance> GetBalanceAsync(AccountCode code, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT a.status, b.segment, SUM(b.balance) FROM ledger_account a JOIN account_balance b ON b.account_id = a.id " +
                          "WHERE a.code = @c GROUP BY a.status, b.segment";
        cmd.With("c", code.Value);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var segments = new Dictionary<Segment, DomainMoney>();
        var status = AccountStatus.Open;
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            status = r.GetString(0) == "open" ? AccountStatus.Open : AccountStatus.Closed;
            LedgerNames.TryParseSegment(r.GetString(1), out var segment);
            segments[segment] = DomainMoney.FromFen(Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture));
        }
        if (segments.Count == 0) throw new YibaoException(ErrorCatalog.UnknownAccount(code.Value));
        return new AccountBalance(code, code.Kind, code.Region, code.Holder, status, segments);
    }

    /// <summary>
    /// The balance of an account inside the caller's transaction, its balance rows locked until it
    /// ends (PostgreSQL <c>FOR UPDATE</c>; a SQLite writer already holds the database's write lock),
    /// so an amount decided from it (a payout of the whole balance, a spend up to it) is exactly
    /// what is there when the entry posts. Null when the account does not exist.
    /// </summary>
    public static async Task<AccountBalance?> GetBalanceForUpdateAsync(DbSession s, AccountCode code, CancellationToken ct = default)
    {
        await using var cmd = s.Command(
                "SELECT a.status, b.segment, b.balance FROM ledger_account a JOIN account_balance b ON b.account_id = a.id WHERE a.code = @c ORDER BY b.segment, b.shard" +
                (s.Engine == Engine.Postgres ? " FOR UPDATE OF b" : ""))
            .With("c", code.Value);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var segments = new Dictionary<Segment, DomainMoney>();
        var status = AccountStatus.Open;
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            status = r.GetString(0) == "open" ? AccountStatus.Open : AccountStatus.Closed;
            LedgerNames.TryParseSegment(r.GetString(1), out var segment);
            segments[segment] = segments.GetValueOrDefault(segment) + DomainMoney.FromFen(Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture));
        }
        return segments.Count == 0 ? null : new AccountBalance(code, code.Kind, code.Region, code.Holder, status, segments);
    }

    /// <summary>
    /// The statement (对账单) of an account between two business dates, both inclusive, in
    /// business-date order, a page at a time, each line with the balance after it.
    /// </summary>
    public async Task<Statement> GetStatementAsync(AccountCode code, DateOnly from, DateOnly to, int page = 1, int pageSize = 50, CancellationToken ct = default)
    {
        if (from > to) throw new YibaoException(ErrorCatalog.InvalidDateRange(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (page < 1) throw new YibaoException(ErrorCatalog.InvalidPaging("page starts at 1"));
        if (pageSize is < 1 or > 500) throw new YibaoException(ErrorCatalog.InvalidPaging("pageSize is between 1 and 500"));

        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        long accountId;
        await using (var find = c.CreateCommand())
        {
            find.CommandText = "SELECT id FROM ledger_account WHERE code = @c";
            find.With("c", code.Value);
            var id = await find.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (id is null or DBNull) throw new YibaoException(ErrorCatalog.UnknownAccount(code.Value));
            accountId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }

        long opening, inRange, count;
        await using (var sums = c.CreateCommand())
        {
            sums.CommandText =
                "SELECT COALESCE(SUM(CASE WHEN business_date < @f THEN amount ELSE 0 END), 0), " +
                "COALESCE(SUM(CASE WHEN business_date >= @f AND business_date <= @t THEN amount ELSE 0 END), 0), " +
                "COUNT(CASE WHEN business_date >= @f AND business_date <= @t THEN 1 END) " +
                "FROM posting WHERE account_id = @a AND business_date <= @t";
            sums.With("a", accountId).With("f", from).With("t", to);
            await using var r = await sums.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await r.ReadAsync(ct).ConfigureAwait(false);
            opening = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
            inRange = Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture);
            count = Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture);
        }

        var lines = new List<StatementLine>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText =
                "SELECT p.id, p.entry_id, p.business_date, e.reason_code, e.memo, p.segment, p.amount, e.reverses_entry_id, " +
                "SUM(p.amount) OVER (ORDER BY p.business_date, p.id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running " +
                "FROM posting p JOIN journal_entry e ON e.id = p.entry_id " +
                "WHERE p.account_id = @a AND p.business_date >= @f AND p.business_date <= @t " +
                "ORDER BY p.business_date, p.id LIMIT @limit OFFSET @offset";
            cmd.With("a", accountId).With("f", from).With("t", to).With("limit", pageSize).With("offset", (long)(page - 1) * pageSize);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                LedgerNames.TryParseSegment(r.GetString(5), out var segment);
                lines.Add(new StatementLine(
                    Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture),
                    Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
                    r.GetFieldValue<DateOnly>(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), segment,
                    DomainMoney.FromFen(Convert.ToInt64(r.GetValue(6), CultureInfo.InvariantCulture)),
                    DomainMoney.FromFen(opening + Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture)),
                    r.IsDBNull(7) ? null : Convert.ToInt64(r.GetValue(7), CultureInfo.InvariantCulture)));
            }
        }
        return new Statement(code, from, to, DomainMoney.FromFen(opening), DomainMoney.FromFen(opening + inRange), page, pageSize, count, lines);
    }

    internal static bool IsUniqueViolation(DbException e) => e switch
    {
        Npgsql.PostgresException pg => pg.SqlState == "23505",
        Microsoft.Data.Sqlite.SqliteException sq => sq.SqliteErrorCode == 19 && sq.Message.Contains("UNIQUE", StringComparison.Ordinal),
        _ => false,
    };
}
