using System.Data.Common;
using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using DMoney = Yibao.Domain.Money.Money;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Crediting;

/// <summary>What one call of a batch run did, and where the run stands.</summary>
/// <param name="Run">The run's row after the call.</param>
/// <param name="AlreadyFinished">The run had finished before this call; nothing was written.</param>
/// <param name="DoneNow">Entries this call wrote.</param>
/// <param name="ProcessedNow">Accounts this call went through.</param>
/// <param name="Elapsed">How long this call took.</param>
public sealed record BatchRunResult(BatchRunRecord Run, bool AlreadyFinished, long DoneNow, long ProcessedNow, TimeSpan Elapsed);

/// <summary>Tuning and test hooks of a batch run.</summary>
public sealed record BatchRunOptions
{
    /// <summary>People (or accounts) per transaction: large enough for set-based writes to pay off, small enough to bound memory and lock time.</summary>
    public int ChunkSize { get; init; } = 20_000;

    /// <summary>
    /// SQLite: the page cache of the run's connections while they work (KiB). The default 2 MiB
    /// makes every chunk re-read the index pages it touched in the last one; 32 MiB keeps the hot
    /// part of the journal's key index and the balance rows. Set back to the default after each use.
    /// </summary>
    public int SqliteCacheKib { get; init; } = 32_768;

    /// <summary>
    /// SQLite: WAL pages after which a commit of the run checkpoints (SQLite's default is 1,000).
    /// 50,000 pages is about 200 MiB of WAL: each index page is copied to the database file once
    /// per few chunks instead of once per chunk. The run checkpoints when it ends.
    /// </summary>
    public int SqliteCheckpointPages { get; init; } = 50_000;

    /// <summary>
    /// SQLite: copy the WAL into the database file when the run ends. A caller that runs many small
    /// runs back to back (the demo seeder: a region of 300 people, month after month) turns it off and
    /// leaves it to SQLite's automatic checkpoint, which each of those runs would otherwise pay for
    /// several times over.
    /// </summary>
    public bool CheckpointWhenDone { get; init; } = true;

    /// <summary>Test hook: runs inside each chunk's transaction just before its commit (throwing there simulates a crash mid-chunk).</summary>
    internal Func<int, CancellationToken, Task>? BeforeCommit { get; init; }
}

/// <summary>
/// The monthly crediting run (月度划入) of one region and month, over every insured person of the
/// region in id order, a chunk per transaction: read the chunk's facts (status on the 1st, the
/// month's contribution, the personal account), decide each person with
/// <see cref="CreditingRunPlan"/>, and write the month's entries in bulk
/// (<see cref="BulkJournal"/>) with the run's checkpoint and counts in the same transaction.
/// The next chunk is read and decided on another connection while one is written
/// (<see cref="BatchRunLoop.RunPipelinedAsync{T}"/>), so memory is bounded by two chunks.
/// Idempotent at every level: an entry per account and month
/// (key <c>credit/{region}/{YYYY-MM}/{idNumber}</c>), a checkpoint that commits with its chunk, and
/// a finished run that a second call leaves alone. Two processes running the same month queue
/// on the run's row and share the chunks.
/// </summary>
public sealed class CreditingRunner(YibaoDatabase db, PolicyBook book, TimeProvider clock, BatchRunOptions? options = null)
{
    private readonly BatchRunOptions _options = options ?? new BatchRunOptions();

    /// <summary>The plan of a month, after the checks that must pass before anything is written.</summary>
    public CreditingRunPlan Plan(RegionCode region, YearMonth month)
    {
        var today = Dates.TodayInChina(clock);
        if (month > YearMonth.Of(today))
            throw new YibaoException(ErrorCatalog.CreditingMonthInFuture(month.ToString(), Dates.Format(today)));
        if (!book.Has(region)) throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));
        return new CreditingRunPlan(book.For(region, month.FirstDay), month);
    }

    /// <summary>
    /// A new year's pre-credit goes onto a current-year segment the last year's settlement has
    /// emptied (WE-06d): the run of a pre-credit year's first month waits for that settlement.
    /// </summary>
    private async Task CheckPreviousYearSettledAsync(CreditingRunPlan plan, CancellationToken ct)
    {
        if (!plan.PreCredits || plan.Month != plan.Year.FirstMonth) return;
        var previous = new InsuranceYear(plan.Year.FirstMonth.AddMonths(-12));
        if (await PreCreditSettlements.AnyUnsettledAsync(db, plan.Region, previous, ct).ConfigureAwait(false))
            throw new YibaoException(ErrorCatalog.PreviousYearNotSettled(plan.Region.Value, previous.FirstMonth.ToString()));
    }

    /// <summary>The run's row (created when new, set running again when it had failed), without running it: what an API call answers before the work starts.</summary>
    public async Task<BatchRunRecord> StartAsync(RegionCode region, YearMonth month, CancellationToken ct = default)
    {
        var plan = Plan(region, month);
        return await EnsureRunAsync(plan, ct).ConfigureAwait(false);
    }

    public Task<BatchRunRecord?> GetAsync(RegionCode region, YearMonth month, CancellationToken ct = default) =>
        BatchRuns.GetAsync(db, region, BatchRuns.MonthlyCredit, month.ToString(), ct);

    /// <summary>Runs (or resumes) the month to its end; a finished month is left as it is and said so.</summary>
    public async Task<BatchRunResult> RunAsync(RegionCode region, YearMonth month, IProgress<BatchRunProgress>? progress = null, CancellationToken ct = default)
    {
        var plan = Plan(region, month);
        var run = await EnsureRunAsync(plan, ct).ConfigureAwait(false);
        if (run.Finished) return new BatchRunResult(run, AlreadyFinished: true, 0, 0, TimeSpan.Zero);
        var accounts = await RegionAccountsAsync(plan, ct).ConfigureAwait(false);
        var result = await BatchRunLoop.RunPipelinedAsync(db, run, _options.ChunkSize,
            (from, c) => PrepareAsync(plan, accounts, from, c),
            (r, chunk, n, c) => WriteAsync(plan, r, chunk, n, c), progress, ct).ConfigureAwait(false);
        // The WAL the run left goes into the database file now, within the run's time, not at the next online commit.
        var checkpoint = System.Diagnostics.Stopwatch.StartNew();
        if (_options.CheckpointWhenDone) await SqliteCache.CheckpointAsync(db, ct).ConfigureAwait(false);
        return result with { Elapsed = result.Elapsed + checkpoint.Elapsed };
    }

    private async Task<BatchRunRecord> EnsureRunAsync(CreditingRunPlan plan, CancellationToken ct)
    {
        if (await GetAsync(plan.Region, plan.Month, ct).ConfigureAwait(false) is { Status: BatchRuns.Finished or BatchRuns.Running } existing)
            return existing;
        // A run that starts (or starts again after a failure) checks what must be true first.
        await CheckPreviousYearSettledAsync(plan, ct).ConfigureAwait(false);
        long total;
        await using (var c = await db.ConnectAsync(ct).ConfigureAwait(false))
        await using (var count = c.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM insured WHERE region_code = @r";
            count.With("r", plan.Region.Value);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        return await BatchRuns.EnsureAsync(db, plan.Region, BatchRuns.MonthlyCredit, plan.Month.ToString(), plan.PolicyVersion, total, clock.GetUtcNow(), ct).ConfigureAwait(false);
    }

    private sealed record RegionAccountIds(long PooledFund, long? LongTermCareFund);

    /// <summary>The region's own accounts the entries post to, opened when missing (idempotent by code).</summary>
    private async Task<RegionAccountIds> RegionAccountsAsync(CreditingRunPlan plan, CancellationToken ct) =>
        await db.InTransactionAsync(async s =>
        {
            // Accounts are opened only for a region served here (a run row can predate that check).
            await RegionRows.RequireAsync(s, plan.Region, ct).ConfigureAwait(false);
            var opened = AccountCode.SystemOpeningDate;
            var fund = await LedgerStore.OpenAccountAsync(s, plan.PooledFund, opened, ct).ConfigureAwait(false);
            long? ltc = plan.HasDeductions ? await LedgerStore.OpenAccountAsync(s, plan.LongTermCareFund, opened, ct).ConfigureAwait(false) : null;
            return new RegionAccountIds(fund, ltc);
        }, ct).ConfigureAwait(false);

    /// <summary>A chunk read and decided: its people's outcomes and the entries of those credited (a missing personal account is opened at write time).</summary>
    private sealed record PreparedChunk(long From, int Count, long LastId, List<(string Reason, long Count)> Skips, List<PreparedEntry> Entries) : IPreparedChunk;

    private sealed record PreparedEntry(CreditingRunPerson Person, CreditingRunOutcome Outcome, BulkEntry Entry);

    /// <summary>Reads the chunk after <paramref name="from"/> in one snapshot, and decides every person of it.</summary>
    private async Task<PreparedChunk> PrepareAsync(CreditingRunPlan plan, RegionAccountIds accounts, long from, CancellationToken ct)
    {
        var people = await ReadPeopleAsync(plan, from, _options.ChunkSize, ct).ConfigureAwait(false);
        var skips = new Dictionary<string, long>(StringComparer.Ordinal);
        var entries = new List<PreparedEntry>(people.Count);
        foreach (var (person, preCredit) in people)
        {
            var outcome = preCredit is null ? plan.Decide(person) : plan.DecidePreCredit(person, preCredit);
            if (outcome.Credited) entries.Add(new PreparedEntry(person, outcome, Entry(plan, accounts, person.IdNumber, person.AccountId ?? 0, outcome)));
            else skips[outcome.SkipReason!] = skips.GetValueOrDefault(outcome.SkipReason!) + 1;
        }
        return new PreparedChunk(from, people.Count, people.Count > 0 ? people[^1].Person.InsuredId : from,
            skips.Select(kv => (kv.Key, kv.Value)).ToList(), entries);
    }

    /// <summary>Writes a prepared chunk in one transaction, after claiming the checkpoint it starts from; null when another process claimed it first.</summary>
    private async Task<ChunkStep?> WriteAsync(CreditingRunPlan plan, BatchRunRecord run, PreparedChunk chunk, int chunkNumber, CancellationToken ct)
    {
        await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
        await using var cache = await SqliteCache.EnlargeAsync(s.Connection, _options.SqliteCacheKib, _options.SqliteCheckpointPages, ct).ConfigureAwait(false);
        var skipped = await BatchRuns.ClaimAsync(s, run.Id, chunk.From, ct).ConfigureAwait(false);
        if (skipped is null) return null;
        long skippedNow = 0;
        foreach (var (reason, count) in chunk.Skips)
        {
            skipped[reason] = skipped.GetValueOrDefault(reason) + count;
            skippedNow += count;
        }

        var entries = new List<BulkEntry>(chunk.Entries.Count);
        var accountIds = new long[chunk.Entries.Count];
        for (var i = 0; i < chunk.Entries.Count; i++)
        {
            var e = chunk.Entries[i];
            if (e.Person.AccountId is { } known)
            {
                accountIds[i] = known;
                entries.Add(e.Entry);
                continue;
            }
            // 开户: an insured person without a personal account gets one with their first credit.
            var accountId = await LedgerStore.OpenAccountAsync(s, AccountCode.Personal(plan.Region, e.Person.IdNumber), e.Person.EnrolledOn, ct).ConfigureAwait(false);
            accountIds[i] = accountId;
            var lines = e.Entry.Lines.Select(l => l.LockGroup == 1 ? l with { AccountId = accountId } : l).ToArray();
            entries.Add(e.Entry with { Lines = lines });
        }

        var header = new BulkHeader(plan.Region, plan.RunReasonCode, plan.RunBusinessDate, CreditingRunPlan.Actor, plan.PolicyVersion, clock.GetUtcNow());
        var inserted = await BulkJournal.PostAsync(s, header, entries, ct).ConfigureAwait(false);
        if (plan.PreCredits) await PreCredits.RecordAsync(s, plan, chunk.Entries.Select((e, i) => (e.Person.InsuredId, e.Person.IdNumber, accountIds[i], e.Outcome, inserted[i])), ct).ConfigureAwait(false);
        long done = 0, credited = 0, deducted = 0;
        for (var i = 0; i < inserted.Length; i++)
        {
            if (inserted[i])
            {
                done++;
                credited += chunk.Entries[i].Outcome.Net.Fen;
                deducted += chunk.Entries[i].Outcome.Deduction.Fen;
            }
            else
            {
                skipped[CreditingRunSkips.AlreadyCredited] = skipped.GetValueOrDefault(CreditingRunSkips.AlreadyCredited) + 1;
                skippedNow++;
            }
        }

        var finished = chunk.Count < _options.ChunkSize;
        if (_options.BeforeCommit is { } hook) await hook(chunkNumber, ct).ConfigureAwait(false);
        await BatchRuns.AdvanceAsync(s, run.Id, chunk.LastId, done, skippedNow, credited, deducted, skipped, finished, clock.GetUtcNow(), ct).ConfigureAwait(false);
        await s.CommitAsync(ct).ConfigureAwait(false);
        return new ChunkStep(BatchRunLoop.After(run, chunk.LastId, done, skippedNow, credited, deducted, skipped, finished), chunk.Count, done, finished);
    }

    private static BulkEntry Entry(CreditingRunPlan plan, RegionAccountIds accounts, string idNumber, long personalAccountId, CreditingRunOutcome outcome)
    {
        var request = plan.Entry(idNumber, outcome);
        var shard = BulkJournal.ShardOf(request.IdempotencyKey);
        var lines = new BulkLine[request.Postings.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            var p = request.Postings[i];
            lines[i] = p.Account.Kind switch
            {
                AccountKind.Personal => new BulkLine(personalAccountId, p.Segment.Code(), 0, p.Amount.Fen, 1),
                AccountKind.PooledFund => new BulkLine(accounts.PooledFund, p.Segment.Code(), shard, p.Amount.Fen, BulkJournal.LockGroupOf(p.Account)),
                AccountKind.LongTermCareFund => new BulkLine(accounts.LongTermCareFund!.Value, p.Segment.Code(), shard, p.Amount.Fen, BulkJournal.LockGroupOf(p.Account)),
                _ => throw new InvalidOperationException($"a monthly credit does not post to {p.Account}"),
            };
        }
        return new BulkEntry(request.IdempotencyKey, EntryHash.Of(request), request.Memo, lines);
    }

    /// <summary>
    /// The next chunk of the region's insured people after <paramref name="after"/>, in id order,
    /// with the status in force on the 1st of the month (the latest history event on or before
    /// it), whether any history exists, the month's contribution and the personal account. Three
    /// range reads over the chunk's id range in one snapshot (each an ordered index scan), merged
    /// here, instead of a look-up per person.
    /// </summary>
    private async Task<List<(CreditingRunPerson Person, PreCreditRunFacts? PreCredit)>> ReadPeopleAsync(CreditingRunPlan plan, long after, int limit, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cache = await SqliteCache.EnlargeAsync(c, _options.SqliteCacheKib, _options.SqliteCheckpointPages, ct).ConfigureAwait(false);
        await using var tx = c is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        DbCommand Command(string sql)
        {
            var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            return cmd;
        }
        if (db.Engine == Engine.Postgres)
        {
            await using var jit = Command("SET LOCAL jit = off");
            await jit.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var rows = new List<(long Id, string IdNumber, DateOnly Birth, string Scheme, string Status, DateOnly Enrolled, DateOnly? Died, long? Wage, long? Account, bool Closed)>(limit);
        await using (var cmd = Command(
                         "SELECT i.id, i.id_number, i.birth_date, i.scheme, i.status, i.enrolled_on, i.death_date, i.declared_wage, a.id, a.status " +
                         // SQLite would rather take the (region, ID number) index and sort the whole
                         // region for every chunk; NOT INDEXED keeps it on the id range.
                         $"FROM insured i{(db.Engine == Engine.Sqlite ? " NOT INDEXED" : "")} LEFT JOIN ledger_account a ON a.code = @prefix || i.id_number " +
                         "WHERE i.region_code = @r AND i.id > @after ORDER BY i.id LIMIT @limit")
                     .With("prefix", $"{plan.Region.Value}:personal:").With("r", plan.Region.Value).With("after", after).With("limit", limit))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add((Long(r, 0), r.GetString(1), r.GetFieldValue<DateOnly>(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateOnly>(5),
                    r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6), r.IsDBNull(7) ? null : Long(r, 7),
                    r.IsDBNull(8) ? null : Long(r, 8), !r.IsDBNull(9) && r.GetString(9) == "closed"));
            }
        }
        if (rows.Count == 0) return [];
        var last = rows[^1].Id;

        // Status history of the range, in date order: the last event on or before the 1st is the status then.
        var first = plan.Month.FirstDay;
        var statusOn = new Dictionary<long, string?>();
        await using (var cmd = Command(
                         "SELECT insured_id, status, effective_on FROM insured_status WHERE insured_id > @after AND insured_id <= @last ORDER BY insured_id, effective_on, id")
                     .With("after", after).With("last", last))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = Long(r, 0);
                if (r.GetFieldValue<DateOnly>(2) <= first) statusOn[id] = r.GetString(1);
                else statusOn.TryAdd(id, null);
            }
        }

        var contributions = new Dictionary<long, (long Base, bool Paid)>();
        // PostgreSQL walks the (insured, month) index over the range; SQLite seeks each person's month in it.
        await using (var cmd = Command(db.Engine == Engine.Postgres
                         ? "SELECT insured_id, base, paid_date FROM contribution WHERE insured_id > @after AND insured_id <= @last AND month = @month"
                         : "SELECT c.insured_id, c.base, c.paid_date FROM insured i NOT INDEXED JOIN contribution c ON c.insured_id = i.id AND c.month = @month " +
                           "WHERE i.id > @after AND i.id <= @last")
                     .With("after", after).With("last", last).With("month", plan.Month.ToString()))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) contributions[Long(r, 0)] = (Long(r, 1), !r.IsDBNull(2));
        }
        var preCredits = plan.PreCredits ? await PreCredits.ReadFactsAsync(Command, plan, after, last, ct).ConfigureAwait(false) : null;
        await tx.CommitAsync(ct).ConfigureAwait(false);

        var people = new List<(CreditingRunPerson, PreCreditRunFacts?)>(rows.Count);
        foreach (var p in rows)
        {
            var hasHistory = statusOn.TryGetValue(p.Id, out var status);
            var paid = contributions.TryGetValue(p.Id, out var contribution);
            people.Add((new CreditingRunPerson(
                p.Id, p.IdNumber, p.Birth, p.Scheme, p.Status, status, hasHistory, p.Enrolled, p.Died,
                p.Wage is { } w ? DMoney.FromFen(w) : null,
                paid ? DMoney.FromFen(contribution.Base) : null,
                paid && contribution.Paid,
                p.Account, p.Closed),
                preCredits is null ? null : preCredits.GetValueOrDefault(p.Id) ?? PreCredits.NoFacts));
        }
        return people;
    }

}
