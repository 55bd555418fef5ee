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
    //
    // One path writes every entry (PostCoreAsync): the entry with its postings, then one
    // conditional UPDATE per balance row, in ONE global order — account code (ordinal), segment,
    // shard — on both engines (BulkJournal's set-based runs take the rows in the same order by
    // lock group). Two writers therefore never wait on each other's rows in opposite orders, so
    // they never deadlock. On PostgreSQL the statements of an entry the caller knows to be new go
    // in one round trip (one NpgsqlBatch); SQLite runs them one by one in-process.

    /// <summary>
    /// Posts an entry in its own transaction. A retry of an entry already posted answers it
    /// (<c>Replayed</c>); the same key with other content is <c>idempotency-key-reused</c>, naming
    /// what differs. Transient failures run again (<see cref="Transient"/>).
    /// </summary>
    public async Task<PostResult> PostAsync(JournalEntryRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Transient.RunAsync(async () =>
        {
            try
            {
                return await db.InTransactionAsync(s => PostCoreAsync(s, request, reverses: null, knownNew: true, ct), ct).ConfigureAwait(false);
            }
            catch (KeyTakenException)
            {
                // Rolled back; the key was there (or a concurrent writer committed it first).
                await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
                return await ReplayAsync(c, null, request, null, ct).ConfigureAwait(false)
                       ?? throw new LedgerRaceException($"key {request.IdempotencyKey} taken but not visible");
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Posts an entry inside the caller's transaction (so a handler writes the money and its own
    /// rows atomically). An entry whose key is already there is answered as it stands
    /// (<c>Replayed</c>, nothing written) or refused as <c>idempotency-key-reused</c>. A refusal
    /// (an overdraft, a closed account) is thrown and leaves the transaction to be rolled back.
    /// </summary>
    public Task<PostResult> PostAsync(DbSession s, JournalEntryRequest request, CancellationToken ct = default) =>
        PostCoreAsync(s, request, reverses: null, knownNew: false, ct);

    /// <summary>
    /// The hot path: posts an entry the caller knows to be new (it holds its own idempotency
    /// record for the request, written in the same transaction), in one round trip on PostgreSQL.
    /// If the key turns out to be taken, a concurrent writer won a race: <see cref="LedgerRaceException"/>,
    /// and the caller's transaction runs again (<see cref="Transient"/>) to find its own record.
    /// </summary>
    public async Task<JournalEntry> PostNewAsync(DbSession s, JournalEntryRequest request, CancellationToken ct = default)
    {
        try
        {
            return (await PostCoreAsync(s, request, reverses: null, knownNew: true, ct).ConfigureAwait(false)).Entry;
        }
        catch (KeyTakenException e)
        {
            throw new LedgerRaceException(e.Message);
        }
    }

    /// <summary>
    /// The hot path of a feature that writes its own row with the money (a spend, a settlement):
    /// the statements of a new entry — the same ones <see cref="PostNewAsync"/> sends, in the same
    /// lock order — added to the caller's PostgreSQL batch, so the feature's row and the entry go
    /// in one round trip. After the batch ran, <see cref="BatchedEntry.ReadAsync"/> reads the
    /// entry's result set and <see cref="BatchedEntry.CheckAsync"/> (once the reader is closed)
    /// says whether every balance row took its change.
    /// </summary>
    public BatchedEntry AddNewEntry(DbSession s, DbBatch batch, JournalEntryRequest request)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(request);
        if (s.Engine != Engine.Postgres) throw new InvalidOperationException("a batched entry is PostgreSQL's one-round-trip path; SQLite posts in-process");
        if (request.Validate() is { } invalid) throw new YibaoException(invalid);
        foreach (var p in request.Postings)
        {
            if (Math.Abs(p.Amount.Fen) > MaxPostingFen)
                throw new YibaoException(ErrorCatalog.AmountOutOfRange(p.Amount.ToPlainString()));
        }
        var recordedAt = clock.GetUtcNow();
        var entry = EntryCommand(batch, s.Engine, request, null, recordedAt);
        batch.BatchCommands.Add(entry);
        var updates = new List<DbBatchCommand>();
        foreach (var d in DeltasInLockOrder(request))
        {
            var update = UpdateCommand(batch, d);
            batch.BatchCommands.Add(update);
            updates.Add(update);
        }
        return new BatchedEntry(request, updates, recordedAt);
    }

    /// <summary>A new entry's statements in a caller's batch (<see cref="AddNewEntry"/>).</summary>
    public sealed class BatchedEntry
    {
        private readonly JournalEntryRequest _request;
        private readonly IReadOnlyList<DbBatchCommand> _updates;
        private readonly DateTimeOffset _recordedAt;
        private long? _id;
        private int _postings;

        internal BatchedEntry(JournalEntryRequest request, IReadOnlyList<DbBatchCommand> updates, DateTimeOffset recordedAt)
        {
            _request = request;
            _updates = updates;
            _recordedAt = recordedAt;
        }

        /// <summary>Reads the entry's result set (the reader positioned on it): the postings written under the new entry.</summary>
        public async Task ReadAsync(DbDataReader reader, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(reader);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                _id = reader.GetInt64(0);
                _postings++;
            }
        }

        /// <summary>
        /// After the reader is closed: the entry as stored, or — when the key was taken, an account
        /// unknown or closed, or a balance row refused its change — the reason, read in the same
        /// transaction and thrown, the session doomed (it can only roll back).
        /// </summary>
        public async Task<JournalEntry> CheckAsync(DbSession s, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(s);
            if (_id is null)
            {
                s.Doom($"entry {_request.IdempotencyKey} taken");
                throw new LedgerRaceException($"idempotency key {_request.IdempotencyKey} is already in the journal");
            }
            if (_postings != _request.Postings.Count || _updates.Any(u => u.RecordsAffected != 1))
                throw await UnappliedAsync(s, _request, ct).ConfigureAwait(false);
            return Stored(_id.Value, _request, null, _recordedAt);
        }
    }

    /// <summary>
    /// Reverses an entry (冲正): a new entry with every posting negated, linked to the original.
    /// An entry is reversed at most once, and a reversal is never itself reversed.
    /// </summary>
    public async Task<PostResult> ReverseAsync(long entryId, string idempotencyKey, DateOnly businessDate, string actor, string? memo = null, CancellationToken ct = default) =>
        await db.RunAsync(s => ReverseAsync(s, entryId, idempotencyKey, businessDate, actor, memo, ct), ct).ConfigureAwait(false);

    /// <summary>Reverses an entry inside the caller's transaction (a settlement's cancellation writes its own rows with it).</summary>
    public async Task<PostResult> ReverseAsync(DbSession s, long entryId, string idempotencyKey, DateOnly businessDate, string actor, string? memo = null, CancellationToken ct = default)
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
        if (await ReplayAsync(s.Connection, s.Transaction, request, original.Id, ct).ConfigureAwait(false) is { } replay) return replay;
        if (original.ReversesEntryId is not null)
            throw new YibaoException(ErrorCatalog.CannotReverseReversal(entryId.ToString(CultureInfo.InvariantCulture)));
        await using (var already = s.Command("SELECT COUNT(*) FROM journal_entry WHERE reverses_entry_id = @id").With("id", entryId))
        {
            if (Convert.ToInt64(await already.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
                throw new YibaoException(ErrorCatalog.AlreadyReversed(entryId.ToString(CultureInfo.InvariantCulture)));
        }
        // The unique reverses_entry_id lets one of two racing reversals in; the other runs again and is refused above.
        return await PostCoreAsync(s, request, original.Id, knownNew: false, ct).ConfigureAwait(false);
    }

    /// <summary>The key was already in the journal when this transaction tried to insert it.</summary>
    private sealed class KeyTakenException(string key) : Exception($"idempotency key {key} is already in the journal");

    /// <summary>
    /// The one posting path. Writes the entry and its postings (joined to open accounts by code),
    /// then moves each balance row by a conditional UPDATE, in the global lock order. Anything that
    /// did not apply is diagnosed in the same transaction and thrown: the key taken
    /// (<see cref="KeyTakenException"/>, or a replay when <paramref name="knownNew"/> is false and
    /// nothing was written yet), an unknown or closed account, an overdraft, or a race.
    /// </summary>
    private async Task<PostResult> PostCoreAsync(DbSession s, JournalEntryRequest request, long? reverses, bool knownNew, CancellationToken ct)
    {
        if (request.Validate() is { } invalid) throw new YibaoException(invalid);
        foreach (var p in request.Postings)
        {
            if (Math.Abs(p.Amount.Fen) > MaxPostingFen)
                throw new YibaoException(ErrorCatalog.AmountOutOfRange(p.Amount.ToPlainString()));
        }
        var recordedAt = clock.GetUtcNow();
        var deltas = DeltasInLockOrder(request);

        if (s.Engine == Engine.Postgres)
        {
            var batch = s.Connection.CreateBatch();
            await using var _ = batch;
            batch.Transaction = s.Transaction;
            batch.BatchCommands.Add(EntryCommand(batch, s.Engine, request, reverses, recordedAt));
            if (knownNew) foreach (var d in deltas) batch.BatchCommands.Add(UpdateCommand(batch, d));
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
            if (entryId is null)
            {
                if (knownNew) throw new KeyTakenException(request.IdempotencyKey);
                // Nothing was written: the entry under this key answers.
                return await ReplayAsync(s.Connection, s.Transaction, request, reverses, ct).ConfigureAwait(false)
                       ?? throw new LedgerRaceException($"key {request.IdempotencyKey} taken but not visible");
            }
            if (inserted != request.Postings.Count) throw await UnappliedAsync(s, request, ct).ConfigureAwait(false);
            if (knownNew)
            {
                if (batch.BatchCommands.Skip(1).Any(c => c.RecordsAffected != 1)) throw await UnappliedAsync(s, request, ct).ConfigureAwait(false);
            }
            else
            {
                var updates = s.Connection.CreateBatch();
                await using var __ = updates;
                updates.Transaction = s.Transaction;
                foreach (var d in deltas) updates.BatchCommands.Add(UpdateCommand(updates, d));
                await updates.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                if (updates.BatchCommands.Any(c => c.RecordsAffected != 1)) throw await UnappliedAsync(s, request, ct).ConfigureAwait(false);
            }
            return new PostResult(Stored(entryId.Value, request, reverses, recordedAt), Replayed: false);
        }

        // SQLite: the same statements, one at a time, stopping at the first that does not apply.
        long? id = null;
        var rows = 0;
        await using (var entry = s.Command(""))
        {
            FillEntry(entry, s.Engine, request, reverses, recordedAt);
            await using var r = await entry.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) id = r.GetInt64(0);
        }
        if (id is null)
        {
            if (knownNew) throw new KeyTakenException(request.IdempotencyKey);
            return await ReplayAsync(s.Connection, s.Transaction, request, reverses, ct).ConfigureAwait(false)
                   ?? throw new LedgerRaceException($"key {request.IdempotencyKey} taken but not visible");
        }
        await using (var postings = s.Command(""))
        {
            FillPostings(postings, request, id.Value);
            rows = await postings.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        if (rows != request.Postings.Count) throw await UnappliedAsync(s, request, ct).ConfigureAwait(false);
        foreach (var d in deltas)
        {
            await using var update = s.Command("");
            FillUpdate(update, d);
            if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1) throw await UnappliedAsync(s, request, ct).ConfigureAwait(false);
        }
        return new PostResult(Stored(id.Value, request, reverses, recordedAt), Replayed: false);
    }

    private static JournalEntry Stored(long id, JournalEntryRequest r, long? reverses, DateTimeOffset at) =>
        new(id, r.IdempotencyKey, r.Region, r.ReasonCode, r.BusinessDate, r.Actor, r.PolicyVersion, r.Memo, reverses, at, r.Postings);

    /// <summary>One balance row's change: the account by code, its segment, its shard, the summed amount and the number of postings.</summary>
    private readonly record struct Delta(string Code, Segment Segment, int Shard, long Amount, long Count);

    /// <summary>
    /// The balance rows an entry moves, summed per row, in the ledger's global lock order (account
    /// code, segment, shard). An account with an overdraft rule has one row per segment (shard 0);
    /// the others take the change on the shard chosen by the entry's key, so parallel entries rarely meet.
    /// </summary>
    private static List<Delta> DeltasInLockOrder(JournalEntryRequest request)
    {
        var shard = ShardOf(request.IdempotencyKey);
        return request.Postings
            .GroupBy(p => (Code: p.Account.Value, p.Segment, Shard: p.Account.Kind.MayNotGoNegative() ? 0 : shard))
            .Select(g => new Delta(g.Key.Code, g.Key.Segment, g.Key.Shard, g.Sum(x => x.Amount.Fen), g.Count()))
            .OrderBy(x => x.Code, StringComparer.Ordinal).ThenBy(x => x.Segment).ThenBy(x => x.Shard)
            .ToList();
    }

    private const string UpdateSql =
        "UPDATE account_balance SET balance = balance + @d, posting_count = posting_count + @n " +
        "WHERE account_id = (SELECT id FROM ledger_account WHERE code = @c) AND segment = @s AND shard = @sh " +
        "AND is_open = 1 AND (non_negative = 0 OR balance + @d >= 0)";

    private static DbBatchCommand UpdateCommand(DbBatch batch, Delta d)
    {
        var update = batch.CreateBatchCommand();
        update.CommandText = UpdateSql;
        Add(update, "d", d.Amount);
        Add(update, "n", d.Count);
        Add(update, "c", d.Code);
        Add(update, "s", d.Segment.Code());
        Add(update, "sh", d.Shard);
        return update;
    }

    private static void FillUpdate(DbCommand update, Delta d)
    {
        update.CommandText = UpdateSql;
        update.With("d", d.Amount).With("n", d.Count).With("c", d.Code).With("s", d.Segment.Code()).With("sh", d.Shard);
    }

    /// <summary>PostgreSQL: the entry and its postings in one statement; the postings join open accounts by code, so an unknown or closed one yields fewer rows.</summary>
    private static DbBatchCommand EntryCommand(DbBatch batch, Engine engine, JournalEntryRequest request, long? reverses, DateTimeOffset recordedAt)
    {
        var entry = batch.CreateBatchCommand();
        var values = new System.Text.StringBuilder();
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
            "VALUES (@k, @h, @r, @reason, @d, @actor, @pv, @memo, @rev, @at) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id) " +
            "INSERT INTO posting (entry_id, account_id, segment, region_code, business_date, amount) " +
            $"SELECT e.id, a.id, v.segment, @r, @d, v.amount FROM e CROSS JOIN (VALUES {values}) AS v(code, segment, amount, ord) " +
            "JOIN ledger_account a ON a.code = v.code AND a.status = 'open' ORDER BY v.ord RETURNING entry_id";
        Add(entry, "k", request.IdempotencyKey);
        Add(entry, "h", request.ContentHash(reverses));
        Add(entry, "r", request.Region.Value);
        Add(entry, "reason", request.ReasonCode);
        Add(entry, "d", request.BusinessDate);
        Add(entry, "actor", request.Actor);
        Add(entry, "pv", request.PolicyVersion);
        Add(entry, "memo", request.Memo);
        Add(entry, "rev", reverses);
        Add(entry, "at", StorageValues.Timestamp(engine, recordedAt));
        return entry;
    }

    /// <summary>SQLite: the entry alone (its id back), then <see cref="FillPostings"/>.</summary>
    private static void FillEntry(DbCommand entry, Engine engine, JournalEntryRequest request, long? reverses, DateTimeOffset recordedAt)
    {
        entry.CommandText =
            "INSERT INTO journal_entry (idempotency_key, content_hash, region_code, reason_code, business_date, actor, policy_version, memo, reverses_entry_id, recorded_at) " +
            "VALUES (@k, @h, @r, @reason, @d, @actor, @pv, @memo, @rev, @at) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id";
        entry.With("k", request.IdempotencyKey).With("h", request.ContentHash(reverses)).With("r", request.Region.Value)
            .With("reason", request.ReasonCode).With("d", request.BusinessDate).With("actor", request.Actor)
            .With("pv", request.PolicyVersion).With("memo", request.Memo).With("rev", reverses)
            .With("at", StorageValues.Timestamp(engine, recordedAt));
    }

    private static void FillPostings(DbCommand postings, JournalEntryRequest request, long entryId)
    {
        var values = new System.Text.StringBuilder();
        for (var i = 0; i < request.Postings.Count; i++)
        {
            var p = request.Postings[i];
            if (i > 0) values.Append(", ");
            values.Append(CultureInfo.InvariantCulture, $"(@c{i}, @s{i}, @m{i}, {i})");
            postings.With($"c{i}", p.Account.Value).With($"s{i}", p.Segment.Code()).With($"m{i}", p.Amount.Fen);
        }
        postings.CommandText =
            "INSERT INTO posting (entry_id, account_id, segment, region_code, business_date, amount) " +
            $"SELECT @e, a.id, v.column2, @r, @d, v.column3 FROM (VALUES {values}) AS v JOIN ledger_account a ON a.code = v.column1 AND a.status = 'open' ORDER BY v.column4";
        postings.With("e", entryId).With("r", request.Region.Value).With("d", request.BusinessDate);
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

    private static void Add(DbBatchCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    /// <summary>
    /// Why part of an entry did not apply, read in the same transaction (which the caller then
    /// rolls back): an unknown or closed account, or an overdraft, as a refusal; otherwise a
    /// concurrent writer moved the facts, and the transaction runs again.
    /// </summary>
    private static async Task<Exception> UnappliedAsync(DbSession s, JournalEntryRequest request, CancellationToken ct)
    {
        // The entry (and perhaps some balance rows) are written: this unit of work can only roll back.
        s.Doom($"entry {request.IdempotencyKey} did not apply");
        foreach (var code in request.Postings.Select(p => p.Account).Distinct())
        {
            await using var find = s.Command("SELECT id, status FROM ledger_account WHERE code = @c").With("c", code.Value);
            await using var r = await find.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) return new YibaoException(ErrorCatalog.UnknownAccount(code.Value));
            if (r.GetString(1) != "open") return new YibaoException(ErrorCatalog.AccountClosed(code.Value));
        }
        foreach (var d in request.Postings.GroupBy(p => (p.Account, p.Segment)))
        {
            await using var cmd = s.Command(
                    "SELECT b.balance, b.is_open, b.non_negative FROM account_balance b JOIN ledger_account a ON a.id = b.account_id " +
                    "WHERE a.code = @c AND b.segment = @s AND b.shard = 0")
                .With("c", d.Key.Account.Value).With("s", d.Key.Segment.Code());
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) return new YibaoException(ErrorCatalog.InvalidSegment(d.Key.Account.Value, d.Key.Segment.Code()));
            if (Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture) != 1) return new YibaoException(ErrorCatalog.AccountClosed(d.Key.Account.Value));
            var delta = d.Sum(p => p.Amount.Fen);
            var balance = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
            if (Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture) == 1 && balance + delta < 0)
                return new YibaoException(ErrorCatalog.InsufficientBalance(d.Key.Account.Value, d.Key.Segment.Code(),
                    DomainMoney.FromFen(balance).ToPlainString(), DomainMoney.FromFen(-delta).ToPlainString()));
        }
        return new LedgerRaceException($"entry {request.IdempotencyKey} did not apply and nothing explains it: the facts moved");
    }

    /// <summary>
    /// The stored entry under the request's key, if any: the same content answers as a replay;
    /// other content is <c>idempotency-key-reused</c>, naming what differs.
    /// </summary>
    private static async Task<PostResult?> ReplayAsync(DbConnection c, DbTransaction? tx, JournalEntryRequest request, long? reverses, CancellationToken ct)
    {
        var stored = await ReadEntryAsync(c, tx, "e.idempotency_key = @k", "k", request.IdempotencyKey, ct).ConfigureAwait(false);
        if (stored is null) return null;
        var differs = Differences(stored, request, reverses);
        if (differs.Count > 0) throw new YibaoException(ErrorCatalog.IdempotencyKeyReused(request.IdempotencyKey, differs));
        return new PostResult(stored, Replayed: true);
    }

    /// <summary>What makes a stored entry another one than the request (TigerBeetle's <c>exists_with_different_*</c>): the fields that differ.</summary>
    private static List<string> Differences(JournalEntry stored, JournalEntryRequest request, long? reverses)
    {
        var differs = new List<string>();
        if (stored.Region != request.Region) differs.Add("region");
        if (stored.ReasonCode != request.ReasonCode) differs.Add("reasonCode");
        if (stored.BusinessDate != request.BusinessDate) differs.Add("businessDate");
        if (stored.PolicyVersion != request.PolicyVersion) differs.Add("policyVersion");
        if ((stored.Memo ?? "") != (request.Memo ?? "")) differs.Add("memo");
        if (stored.ReversesEntryId != reverses) differs.Add("reverses");
        static string Line(PostingLine p) => $"{p.Account.Value}/{p.Segment.Code()}/{p.Amount.Fen.ToString(CultureInfo.InvariantCulture)}";
        var a = stored.Postings.Select(Line).Order(StringComparer.Ordinal);
        var b = request.Postings.Select(Line).Order(StringComparer.Ordinal);
        if (!a.SequenceEqual(b)) differs.Add(stored.Postings.Sum(p => Math.Abs(p.Amount.Fen)) != request.Postings.Sum(p => Math.Abs(p.Amount.Fen)) ? "amount" : "postings");
        return differs;
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
                s.ForUpdate("b"))
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
        if (page < 1) throw new YibaoException(ErrorCatalog.InvalidPaging("页码从 1 开始", "page starts at 1"));
        if (pageSize is < 1 or > 500) throw new YibaoException(ErrorCatalog.InvalidPaging("每页条数在 1 到 500 之间", "pageSize is between 1 and 500"));

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

}
