using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Crediting;
using Yibao.Storage.Ledger;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.YearEnd;

/// <summary>
/// The year-end settlement (年终结转) of one region's insurance year, over every personal account
/// of the region in id order, a chunk per transaction: each account's current-year balance is
/// rolled into its historical segment (with the year's interest where the pack gives a rate), one
/// entry per account with key <c>year-end/{region}/{year}/{idNumber}</c>, dated the year's last day.
/// What moves is the current-year segment as it stood at the end of the year
/// (<see cref="YearEndPlan.CurrentAtYearEnd"/>): what was credited after it stays in 当年.
/// The balances are read in the chunk's transaction with their rows locked (PostgreSQL
/// <c>FOR UPDATE</c>; SQLite holds the write lock), and the credits after the year's end with them,
/// so the amount moved is exactly what was there at the end.
/// Idempotent and resumable like the monthly run: a settled account is not touched again, the
/// checkpoint commits with its chunk, and a finished year is left alone.
/// </summary>
public sealed class YearEndRunner(YibaoDatabase db, PolicyBook book, TimeProvider clock, BatchRunOptions? options = null)
{
    public const string NothingToCarry = "nothing-to-carry";
    public const string AlreadySettled = "already-settled";

    private readonly BatchRunOptions _options = options ?? new BatchRunOptions();

    /// <summary>The plan of a year, after the checks that must pass before anything is written: the region has a pack, and the year is over.</summary>
    public YearEndPlan Plan(RegionCode region, int year)
    {
        if (!book.Has(region)) throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));
        var plan = new YearEndPlan(book, region, year);
        var today = Dates.TodayInChina(clock);
        // The settlement takes the year's whole current-year balance, so the year must be over first.
        if (today <= plan.Year.End)
            throw new YibaoException(ErrorCatalog.InsuranceYearNotEnded(plan.Label.ToString(CultureInfo.InvariantCulture), Dates.Format(plan.Year.End)));
        return plan;
    }

    public Task<BatchRunRecord?> GetAsync(RegionCode region, int year, CancellationToken ct = default) =>
        BatchRuns.GetAsync(db, region, BatchRuns.YearEnd, year.ToString(CultureInfo.InvariantCulture), ct);

    public async Task<BatchRunResult> RunAsync(RegionCode region, int year, IProgress<BatchRunProgress>? progress = null, CancellationToken ct = default)
    {
        var plan = Plan(region, year);
        var run = await EnsureRunAsync(plan, ct).ConfigureAwait(false);
        if (run.Finished) return new BatchRunResult(run, AlreadyFinished: true, 0, 0, TimeSpan.Zero);
        long? interestAccount = plan.InterestRate.Value == 0m
            ? null
            : await db.InTransactionAsync(async s =>
            {
                await RegionRows.RequireAsync(s, plan.Region, ct).ConfigureAwait(false);
                return await LedgerStore.OpenAccountAsync(s, plan.InterestExpense, AccountCode.SystemOpeningDate, ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        // Only a region that pre-credited this year has anything to settle: asked once, not per chunk.
        var settles = await PreCreditSettlements.AnyUnsettledAsync(db, plan.Region, plan.Year, ct).ConfigureAwait(false);
        var result = await BatchRunLoop.RunAsync(db, run, (r, n, c) => ChunkAsync(plan, interestAccount, settles, r, n, c), progress, ct).ConfigureAwait(false);
        if (_options.CheckpointWhenDone) await SqliteCache.CheckpointAsync(db, ct).ConfigureAwait(false);
        return result;
    }

    private async Task<BatchRunRecord> EnsureRunAsync(YearEndPlan plan, CancellationToken ct)
    {
        var period = plan.Label.ToString(CultureInfo.InvariantCulture);
        if (await BatchRuns.GetAsync(db, plan.Region, BatchRuns.YearEnd, period, ct).ConfigureAwait(false) is { Status: BatchRuns.Finished or BatchRuns.Running } existing)
            return existing;
        long total;
        await using (var c = await db.ConnectAsync(ct).ConfigureAwait(false))
        await using (var count = c.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM ledger_account WHERE region_code = @r AND kind = 'personal'";
            count.With("r", plan.Region.Value);
            total = Convert.ToInt64(await count.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        return await BatchRuns.EnsureAsync(db, plan.Region, BatchRuns.YearEnd, period, plan.PolicyVersion, total, clock.GetUtcNow(), ct).ConfigureAwait(false);
    }

    /// <summary>A personal account of the chunk: <paramref name="Current"/> is its 当年 at the year's end, <paramref name="Stays"/> what came after.</summary>
    private sealed record Account(long Id, string Holder, bool Open, DMoney Current, DMoney Historical, DMoney Stays);

    private async Task<ChunkStep?> ChunkAsync(YearEndPlan plan, long? interestAccount, bool settlePreCredits, BatchRunRecord run, int chunkNumber, CancellationToken ct)
    {
        var from = run.Checkpoint;
        await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
        await using var cache = await SqliteCache.EnlargeAsync(s.Connection, _options.SqliteCacheKib, _options.SqliteCheckpointPages, ct).ConfigureAwait(false);
        var skipped = await BatchRuns.ClaimAsync(s, run.Id, from, ct).ConfigureAwait(false);
        if (skipped is null) return null;

        var accounts = await ReadAccountsAsync(s, plan.Region, plan.Year.End, from, _options.ChunkSize, ct).ConfigureAwait(false);
        if (settlePreCredits && accounts.Count > 0) await SettlePreCreditsAsync(s, plan, accounts, from, ct).ConfigureAwait(false);
        var entries = new List<BulkEntry>(accounts.Count);
        var amounts = new List<(long Moved, long Interest)>(accounts.Count);
        long skippedNow = 0;
        foreach (var a in accounts)
        {
            var request = a.Open ? plan.Entry(a.Holder, a.Current, a.Historical, a.Stays) : null;
            if (request is null)
            {
                var reason = a.Open ? NothingToCarry : CreditingRunSkips.AccountClosed;
                skipped[reason] = skipped.GetValueOrDefault(reason) + 1;
                skippedNow++;
                continue;
            }
            var shard = BulkJournal.ShardOf(request.IdempotencyKey);
            var lines = request.Postings.Select(p => p.Account.Kind == AccountKind.Personal
                    ? new BulkLine(a.Id, p.Segment.Code(), 0, p.Amount.Fen, 1)
                    : new BulkLine(interestAccount!.Value, p.Segment.Code(), shard, p.Amount.Fen, BulkJournal.LockGroupOf(p.Account)))
                .ToArray();
            entries.Add(new BulkEntry(request.IdempotencyKey, EntryHash.Of(request), request.Memo, lines));
            amounts.Add((a.Current.Fen, plan.Interest(a.Current, a.Historical).Fen));
        }

        var header = new BulkHeader(plan.Region, YearEndPlan.ReasonCode, plan.BusinessDate, YearEndPlan.Actor, plan.PolicyVersion, clock.GetUtcNow());
        var inserted = await BulkJournal.PostAsync(s, header, entries, ct).ConfigureAwait(false);
        long done = 0, moved = 0, interest = 0;
        for (var i = 0; i < inserted.Length; i++)
        {
            if (inserted[i])
            {
                done++;
                moved += amounts[i].Moved;
                interest += amounts[i].Interest;
            }
            else
            {
                skipped[AlreadySettled] = skipped.GetValueOrDefault(AlreadySettled) + 1;
                skippedNow++;
            }
        }

        var finished = accounts.Count < _options.ChunkSize;
        var checkpoint = accounts.Count > 0 ? accounts[^1].Id : from;
        if (_options.BeforeCommit is { } hook) await hook(chunkNumber, ct).ConfigureAwait(false);
        await BatchRuns.AdvanceAsync(s, run.Id, checkpoint, done, skippedNow, moved, interest, skipped, finished, clock.GetUtcNow(), ct).ConfigureAwait(false);
        await s.CommitAsync(ct).ConfigureAwait(false);
        return new ChunkStep(BatchRunLoop.After(run, checkpoint, done, skippedNow, moved, interest, skipped, finished), accounts.Count, done, finished);
    }

    /// <summary>
    /// 4月30日清算 (宁波, WE-06c): before the chunk's carry-over, the unpaid months of each unsettled
    /// pre-credit of the year are clawed back (one entry per account), the accounts' balances
    /// in <paramref name="accounts"/> are lowered by what was taken, and each pre-credit is marked settled.
    /// </summary>
    private async Task SettlePreCreditsAsync(DbSession s, YearEndPlan plan, List<Account> accounts, long from, CancellationToken ct)
    {
        var toSettle = await PreCreditSettlements.ReadAsync(s, plan.Region, plan.Year, from, accounts[^1].Id, ct).ConfigureAwait(false);
        if (toSettle.Count == 0) return;
        var at = new Dictionary<long, int>(accounts.Count);
        for (var i = 0; i < accounts.Count; i++) at[accounts[i].Id] = i;
        var opened = AccountCode.SystemOpeningDate;
        var fund = await LedgerStore.OpenAccountAsync(s, AccountCode.Of(plan.Region, AccountKind.PooledFund), opened, ct).ConfigureAwait(false);
        long? ltc = toSettle.Any(t => t.Span.MonthlyDeduction.IsPositive)
            ? await LedgerStore.OpenAccountAsync(s, AccountCode.Of(plan.Region, AccountKind.LongTermCareFund), opened, ct).ConfigureAwait(false)
            : null;

        var entries = new List<BulkEntry>();
        var settled = new List<(PreCreditToSettle Settle, DMoney Back, DMoney Short)>(toSettle.Count);
        foreach (var t in toSettle)
        {
            var a = accounts[at[t.AccountId]];
            if (!a.Open)
            {
                // A closed account (paid out) has nothing to give back; the whole claw-back is a shortfall.
                settled.Add((t, DMoney.Zero, t.Span.MonthlyNet.MultiplyRoundHalfAwayFromZero((decimal)t.Unpaid.Count)));
                continue;
            }
            var (request, fromCurrent, fromHistorical, shortfall) = PreCreditSettlement.Entry(plan.Region, plan.Year, plan.ClawBackPolicyVersion, a.Holder, t.Span, t.Unpaid.Count, a.Current, a.Historical);
            settled.Add((t, fromCurrent + fromHistorical, shortfall));
            if (request is null) continue;
            var shard = BulkJournal.ShardOf(request.IdempotencyKey);
            var lines = request.Postings.Select(p => p.Account.Kind switch
            {
                AccountKind.Personal => new BulkLine(a.Id, p.Segment.Code(), 0, p.Amount.Fen, 1),
                AccountKind.PooledFund => new BulkLine(fund, p.Segment.Code(), shard, p.Amount.Fen, BulkJournal.LockGroupOf(p.Account)),
                _ => new BulkLine(ltc!.Value, p.Segment.Code(), shard, p.Amount.Fen, BulkJournal.LockGroupOf(p.Account)),
            }).ToArray();
            entries.Add(new BulkEntry(request.IdempotencyKey, EntryHash.Of(request), request.Memo, lines));
            accounts[at[t.AccountId]] = a with { Current = a.Current - fromCurrent, Historical = a.Historical - fromHistorical };
        }

        var header = new BulkHeader(plan.Region, PreCreditSettlement.ReasonCode, plan.BusinessDate, YearEndPlan.Actor, plan.ClawBackPolicyVersion, clock.GetUtcNow());
        var inserted = await BulkJournal.PostAsync(s, header, entries, ct).ConfigureAwait(false);
        // An unsettled pre-credit has no claw-back yet: both are written in one transaction.
        if (inserted.Any(i => !i)) throw new BulkNotAppliedException("a claw-back entry exists for a pre-credit that is not settled");
        foreach (var (t, back, shortfall) in settled)
            await PreCreditSettlements.MarkSettledAsync(s, t.InsuredId, plan.Year, t.Unpaid, back, shortfall, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The next chunk of the region's personal accounts with both segments' balances, their rows
    /// locked until the chunk commits, and each 当年 as it stood at <paramref name="yearEnd"/>: the
    /// balance less what was credited to it dated later, read after the lock, so no posting to these
    /// accounts can come between the two reads.
    /// </summary>
    private static async Task<List<Account>> ReadAccountsAsync(DbSession s, RegionCode region, DateOnly yearEnd, long after, int limit, CancellationToken ct)
    {
        if (s.Engine == Engine.Postgres)
        {
            // A chunk-sized join is costed high enough to be JIT-compiled each time, which costs more than it saves.
            await using var jit = s.Command("SET LOCAL jit = off");
            await jit.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var accounts = new List<Account>(limit);
        await using (var cmd = s.Command(
                         "SELECT a.id, a.holder, a.status, cy.balance, h.balance FROM ledger_account a " +
                         "JOIN account_balance cy ON cy.account_id = a.id AND cy.segment = 'current-year' AND cy.shard = 0 " +
                         "JOIN account_balance h ON h.account_id = a.id AND h.segment = 'historical' AND h.shard = 0 " +
                         "WHERE a.region_code = @r AND a.kind = 'personal' AND a.id > @after ORDER BY a.id LIMIT @limit" +
                         (s.Engine == Engine.Postgres ? " FOR UPDATE OF cy, h" : ""))
                     .With("r", region.Value).With("after", after).With("limit", limit))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                accounts.Add(new Account(
                    Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
                    r.GetString(1),
                    r.GetString(2) == "open",
                    DMoney.FromFen(Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture)),
                    DMoney.FromFen(Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture)),
                    DMoney.Zero));
            }
        }
        if (accounts.Count == 0) return accounts;

        // One index seek per account (posting by account and business date): after the year's end
        // there are a few postings at most, usually none when the run comes on time.
        var later = new Dictionary<long, long>();
        await using (var credits = s.Command(
                         "SELECT p.account_id, SUM(p.amount) FROM ledger_account a JOIN posting p ON p.account_id = a.id AND p.business_date > @end " +
                         "WHERE a.region_code = @r AND a.kind = 'personal' AND a.id > @after AND a.id <= @last " +
                         "AND p.segment = 'current-year' AND p.amount > 0 GROUP BY p.account_id")
                     .With("end", yearEnd).With("r", region.Value).With("after", after).With("last", accounts[^1].Id))
        await using (var cr = await credits.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await cr.ReadAsync(ct).ConfigureAwait(false))
                later[Convert.ToInt64(cr.GetValue(0), CultureInfo.InvariantCulture)] = Convert.ToInt64(cr.GetValue(1), CultureInfo.InvariantCulture);
        }
        if (later.Count == 0) return accounts;
        for (var i = 0; i < accounts.Count; i++)
        {
            if (!later.TryGetValue(accounts[i].Id, out var credited)) continue;
            var a = accounts[i];
            var atEnd = YearEndPlan.CurrentAtYearEnd(a.Current, DMoney.FromFen(credited));
            accounts[i] = a with { Current = atEnd, Stays = a.Current - atEnd };
        }
        return accounts;
    }
}
