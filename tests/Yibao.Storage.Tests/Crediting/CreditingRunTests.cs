using Yibao.Domain.Errors;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Crediting;
using Yibao.Storage.Ledger;
using static Yibao.Storage.Tests.Crediting.CreditingPeople;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Crediting;

/// <summary>Keeps the report on the calling thread (Progress&lt;T&gt; would post it elsewhere, too late to stop a run).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>The monthly crediting run (月度划入), written once and run on each engine (subclasses at the end).</summary>
public abstract class CreditingRunTests(Engine engine)
{
    /// <summary>"Today" for the runs: 2025-11-15 in China.</summary>
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2025, 11, 15, 2, 0, 0, TimeSpan.Zero));
    private static readonly RegionCode Demo = RegionCode.Parse("990100");
    private static readonly YearMonth May = new(2025, 5);

    private Task<TestDatabase> NewDb() => TestDatabase.CreateAsync(engine);

    private static CreditingRunner Runner(YibaoDatabase db, int chunk = 10_000, Func<int, CancellationToken, Task>? beforeCommit = null) =>
        new(db, PolicyPackLoader.Embedded, Clock, new BatchRunOptions { ChunkSize = chunk, BeforeCommit = beforeCommit });

    private static async Task<Money> BalanceAsync(YibaoDatabase db, string region, string idNumber, Segment segment = Segment.CurrentYear) =>
        (await new LedgerStore(db, TimeProvider.System).GetBalanceAsync(AccountCode.Personal(RegionCode.Parse(region), idNumber))).Segments[segment];

    private static async Task<Money> FundAsync(YibaoDatabase db, string region, AccountKind kind = AccountKind.PooledFund) =>
        (await new LedgerStore(db, TimeProvider.System).GetBalanceAsync(AccountCode.Of(RegionCode.Parse(region), kind))).Total;

    /// <summary>What the pooled fund paid out to personal accounts and deductions: its balance less the contributions it received.</summary>
    private static async Task<Money> FundPaidAsync(YibaoDatabase db, string region) =>
        await FundAsync(db, region) - Money.FromFen(await ScalarAsync(db,
            "SELECT COALESCE(SUM(p.amount), 0) FROM posting p JOIN journal_entry e ON e.id = p.entry_id JOIN ledger_account a ON a.id = p.account_id " +
            "WHERE a.code = @c AND e.reason_code = 'contribution-paid'", ("c", $"{region}:pooled-fund")));

    /// <summary>The 990100 people of every status and rule, and what May 2025 gives each (null: skipped, with the reason).</summary>
    private static async Task<List<(string Id, string? Credit, string? Skip)>> DemoPopulationAsync(YibaoDatabase db)
    {
        const string r = "990100";
        await RegionAsync(db, r);
        var since = new DateOnly(2020, 1, 1);
        var people = new List<(string, string?, string?)>();
        // The same ID numbers on every call, so two databases of the population compare account by account.
        var sequence = 0;
        string NewId(string region, DateOnly birth, bool male = true) => CreditingPeople.NewId(region, birth, male, ++sequence);

        async Task Employed(string id, long baseFen, bool? paid, string? credit, string? skip, DateOnly? enrolled = null, bool account = true)
        {
            var insured = account
                ? await PersonWithAccountAsync(db, r, id, "employed", enrolled ?? since, baseFen)
                : await PersonAsync(db, r, id, "employed", enrolled ?? since, baseFen);
            if (paid is { } p) await ContributionAsync(db, r, insured, "2025-05", baseFen, p);
            await ContributionAsync(db, r, insured, "2025-04", baseFen, true);
            people.Add((id, credit, skip));
        }

        await Employed(NewId(r, new DateOnly(1985, 3, 1)), 600_000, true, "120.00", null);          // WE-01: 2% of 6,000.00
        await Employed(NewId(r, new DateOnly(1990, 7, 9)), 300_000, true, "84.00", null);           // below the floor: 2% of 4,200.00
        await Employed(NewId(r, new DateOnly(1975, 1, 31)), 3_000_000, true, "420.00", null);       // above the ceiling: 2% of 21,000.00
        await Employed(NewId(r, new DateOnly(1988, 2, 2)), 700_000, false, null, "contribution-unpaid");
        await Employed(NewId(r, new DateOnly(1989, 2, 2)), 700_000, null, null, "contribution-unpaid");
        await Employed(NewId(r, new DateOnly(1991, 6, 6)), 500_000, true, null, "not-enrolled", enrolled: new DateOnly(2025, 5, 15));
        await Employed(NewId(r, new DateOnly(1992, 8, 8)), 800_000, true, "160.00", null, account: false); // no account yet: opened by the run

        var retired = NewId(r, new DateOnly(1955, 4, 4));
        await PersonWithAccountAsync(db, r, retired, "retired", since);
        people.Add((retired, "62.00", null));                                                           // WE-03: the fixed 62.00

        var retiredInMay = NewId(r, new DateOnly(1965, 5, 1), male: false);
        await PersonWithAccountAsync(db, r, retiredInMay, "retired", since, 900_000, history:
            [new TestEvent("enrol", "employed", since), new TestEvent("retire", "retired", new DateOnly(2025, 5, 1))]);
        people.Add((retiredInMay, "62.00", null));                                                      // retired on the 1st: a retiree's month, no contribution needed

        var flexible = NewId(r, new DateOnly(1987, 9, 9));
        var flexibleId = await PersonWithAccountAsync(db, r, flexible, "flexible", since, 700_000);
        await ContributionAsync(db, r, flexibleId, "2025-05", 700_000, true);
        people.Add((flexible, null, "flexible-not-credited"));

        var dead = NewId(r, new DateOnly(1950, 10, 10));
        await PersonWithAccountAsync(db, r, dead, "deceased", since, deathDate: new DateOnly(2025, 3, 10));
        people.Add((dead, null, "deceased"));

        var resident = NewId(r, new DateOnly(2001, 11, 11));
        await PersonAsync(db, r, resident, "employed", since, scheme: "resident");
        people.Add((resident, null, "resident-scheme"));

        var suspended = NewId(r, new DateOnly(1983, 12, 12));
        var suspendedId = await PersonWithAccountAsync(db, r, suspended, "suspended", since, 600_000, history:
            [new TestEvent("enrol", "employed", since), new TestEvent("leave", "suspended", new DateOnly(2025, 4, 1))]);
        await ContributionAsync(db, r, suspendedId, "2025-05", 600_000, true);
        people.Add((suspended, null, "suspended"));

        var closed = NewId(r, new DateOnly(1986, 1, 20));
        var closedId = await PersonWithAccountAsync(db, r, closed, "employed", since, 600_000);
        await ContributionAsync(db, r, closedId, "2025-05", 600_000, true);
        await db.InTransactionAsync(async s =>
        {
            await LedgerStore.CloseAccountAsync(s, AccountCode.Personal(Demo, closed), new DateOnly(2025, 2, 1));
            return 0;
        });
        people.Add((closed, null, "account-closed"));
        return people;
    }

    [Fact]
    public async Task Run_credits_exactly_the_expected_sum_for_every_status_and_rule()
    {
        await using var t = await NewDb();
        var people = await DemoPopulationAsync(t.Db);

        var result = await Runner(t.Db).RunAsync(Demo, May);

        var run = result.Run;
        Assert.False(result.AlreadyFinished);
        Assert.Equal("finished", run.Status);
        Assert.Equal(people.Count, run.AccountsTotal);
        Assert.Equal(6, run.AccountsDone);
        Assert.Equal(people.Count - 6, run.AccountsSkipped);
        Assert.Equal(Money.Parse("908.00").Fen, run.SumCredited);
        Assert.Equal(0, run.SumDeducted);
        Assert.Equal(2, run.SkippedByReason["contribution-unpaid"]);
        foreach (var reason in new[] { "not-enrolled", "flexible-not-credited", "deceased", "resident-scheme", "suspended", "account-closed" })
            Assert.Equal(1, run.SkippedByReason[reason]);

        foreach (var (id, credit, _) in people.Where(p => p.Skip != "resident-scheme"))
            Assert.Equal(Money.Parse(credit ?? "0.00"), await BalanceAsync(t.Db, "990100", id));
        Assert.Equal(Money.Parse("-908.00"), await FundPaidAsync(t.Db, "990100"));

        var entry = await new LedgerStore(t.Db, TimeProvider.System).GetEntryByKeyAsync($"credit/990100/2025-05/{people[0].Id}");
        Assert.NotNull(entry);
        Assert.Equal("monthly-credit", entry.ReasonCode);
        Assert.Equal(new DateOnly(2025, 5, 31), entry.BusinessDate);
        Assert.Equal(run.PolicyVersion, entry.PolicyVersion);
        Assert.Contains("990100@", entry.PolicyVersion, StringComparison.Ordinal);
        Assert.Contains("crediting-reform-2023", entry.PolicyVersion, StringComparison.Ordinal);
        Assert.Contains("缴费基数 6000.00", entry.Memo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suzhou_long_term_care_deduction_is_a_second_posting_to_its_fund()
    {
        await using var t = await NewDb();
        const string r = "320500";
        await RegionAsync(t.Db, r, "苏州市");
        var employed = NewId(r, new DateOnly(1980, 1, 1));
        var e = await PersonWithAccountAsync(t.Db, r, employed, "employed", new DateOnly(2015, 1, 1), 500_000);
        await ContributionAsync(t.Db, r, e, "2025-05", 500_000, true);
        var retired = NewId(r, new DateOnly(1950, 1, 1));
        await PersonWithAccountAsync(t.Db, r, retired, "retired", new DateOnly(2015, 1, 1));

        var run = (await Runner(t.Db).RunAsync(RegionCode.Parse(r), May)).Run;

        // WE-07: 2% of 5,000.00 = 100.00 − 2.00 长期护理保险; the retiree's 100.00 − 2.00.
        Assert.Equal(Money.Parse("98.00"), await BalanceAsync(t.Db, r, employed));
        Assert.Equal(Money.Parse("98.00"), await BalanceAsync(t.Db, r, retired));
        Assert.Equal(Money.Parse("4.00"), await FundAsync(t.Db, r, AccountKind.LongTermCareFund));
        Assert.Equal(Money.Parse("-200.00"), await FundPaidAsync(t.Db, r));
        Assert.Equal(Money.Parse("196.00").Fen, run.SumCredited);
        Assert.Equal(Money.Parse("4.00").Fen, run.SumDeducted);
        var entry = await new LedgerStore(t.Db, TimeProvider.System).GetEntryByKeyAsync($"credit/320500/2025-05/{employed}");
        Assert.Equal(3, entry!.Postings.Count);
    }

    [Fact]
    public async Task Fuzhou_2021_credits_by_the_legacy_age_brackets()
    {
        await using var t = await NewDb();
        const string r = "350100";
        await RegionAsync(t.Db, r, "福州市");
        var young = NewId(r, new DateOnly(1981, 3, 1));   // 40 on 2021-03-01 (K4: the 1st of the month): ≤40 bracket, 2.8%
        var y = await PersonWithAccountAsync(t.Db, r, young, "employed", new DateOnly(2010, 1, 1), 500_000);
        await ContributionAsync(t.Db, r, y, "2021-03", 500_000, true);
        var older = NewId(r, new DateOnly(1980, 3, 1));   // 41: 3.5%
        var o = await PersonWithAccountAsync(t.Db, r, older, "employed", new DateOnly(2010, 1, 1), 600_000);
        await ContributionAsync(t.Db, r, o, "2021-03", 600_000, true);
        var retired = NewId(r, new DateOnly(1950, 1, 1));
        await PersonWithAccountAsync(t.Db, r, retired, "retired", new DateOnly(2010, 1, 1));

        var run = (await Runner(t.Db).RunAsync(RegionCode.Parse(r), new YearMonth(2021, 3))).Run;

        Assert.Equal(Money.Parse("140.00"), await BalanceAsync(t.Db, r, young));
        Assert.Equal(Money.Parse("210.00"), await BalanceAsync(t.Db, r, older));
        // 福州's pack has no pre-reform retiree rule: counted under the decision's own code, never guessed.
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, r, retired));
        Assert.Equal(1, run.SkippedByReason["policy-rule-missing"]);
        Assert.Contains("crediting-legacy-seed-003", run.PolicyVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_run_changes_nothing_and_says_so()
    {
        await using var t = await NewDb();
        await DemoPopulationAsync(t.Db);
        var first = await Runner(t.Db).RunAsync(Demo, May);
        var before = await BalancesAsync(t.Db);
        var entries = await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry");

        var second = await Runner(t.Db).RunAsync(Demo, May);

        Assert.True(second.AlreadyFinished);
        Assert.Equal(0, second.DoneNow);
        Assert.Equal(first.Run.SumCredited, second.Run.SumCredited);
        Assert.Equal(before, await BalancesAsync(t.Db));
        Assert.Equal(entries, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry"));
    }

    [Fact]
    public async Task A_killed_run_resumes_and_ends_with_the_balances_of_one_clean_run()
    {
        await using var clean = await NewDb();
        await DemoPopulationAsync(clean.Db);
        await using var t = await NewDb();
        await DemoPopulationAsync(t.Db);
        var cleanRun = (await Runner(clean.Db, chunk: 3).RunAsync(Demo, May)).Run;

        // Killed between chunks: the first chunk is committed with its checkpoint.
        using (var cts = new CancellationTokenSource())
        {
            var progress = new SyncProgress<BatchRunProgress>(_ => cts.Cancel());
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(t.Db, chunk: 3).RunAsync(Demo, May, progress, cts.Token));
        }
        var afterKill = (await Runner(t.Db).GetAsync(Demo, May))!;
        Assert.Equal("running", afterKill.Status);
        Assert.Equal(3, afterKill.Processed);

        // Crashed in the middle of a chunk, after its entries were written: the chunk rolls back whole.
        await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(t.Db, chunk: 3, beforeCommit: (n, _) =>
            n == 1 ? throw new InvalidOperationException("power cut") : Task.CompletedTask).RunAsync(Demo, May));
        var afterCrash = (await Runner(t.Db).GetAsync(Demo, May))!;
        Assert.Equal("failed", afterCrash.Status);
        Assert.Equal(6, afterCrash.Processed);
        Assert.Equal("power cut", afterCrash.Error);

        var resumed = await Runner(t.Db, chunk: 3).RunAsync(Demo, May);

        Assert.Equal("finished", resumed.Run.Status);
        Assert.Equal(await BalancesAsync(clean.Db), await BalancesAsync(t.Db));
        Assert.Equal(cleanRun.SumCredited, resumed.Run.SumCredited);
        Assert.Equal(cleanRun.AccountsDone, resumed.Run.AccountsDone);
        Assert.Equal(cleanRun.AccountsSkipped, resumed.Run.AccountsSkipped);
        Assert.Equal(cleanRun.SkippedByReason, resumed.Run.SkippedByReason);
        Assert.Equal(cleanRun.AccountsDone, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'monthly-credit'"));
    }

    [Fact]
    public async Task Two_processes_running_the_same_month_credit_each_account_once()
    {
        await using var t = await NewDb();
        var people = await DemoPopulationAsync(t.Db);
        await using var other = t.OpenAnotherHandle();

        var results = await Task.WhenAll(
            Task.Run(() => Runner(t.Db, chunk: 2).RunAsync(Demo, May)),
            Task.Run(() => Runner(other, chunk: 2).RunAsync(Demo, May)));

        Assert.Equal(6, results.Sum(r => r.DoneNow));
        var run = (await Runner(t.Db).GetAsync(Demo, May))!;
        Assert.Equal("finished", run.Status);
        Assert.Equal(6, run.AccountsDone);
        Assert.Equal(people.Count - 6, run.AccountsSkipped);
        Assert.Equal(Money.Parse("-908.00"), await FundPaidAsync(t.Db, "990100"));
    }

    [Fact]
    public async Task A_month_credited_before_the_run_is_not_credited_again()
    {
        await using var t = await NewDb();
        var people = await DemoPopulationAsync(t.Db);
        var first = people[0].Id;
        // The month was credited already (say, by an earlier tool or by back-pay) under the same key.
        var store = new LedgerStore(t.Db, TimeProvider.System);
        await store.OpenAccountAsync(AccountCode.Of(Demo, AccountKind.PooledFund), new DateOnly(2025, 1, 1));
        await store.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = $"credit/990100/2025-05/{first}", Region = Demo, ReasonCode = "monthly-credit", BusinessDate = new DateOnly(2025, 5, 31),
            Actor = "test", PolicyVersion = "990100@test",
            Postings = [new PostingLine(AccountCode.Personal(Demo, first), Segment.CurrentYear, Money.Parse("120.00")),
                        new PostingLine(AccountCode.Of(Demo, AccountKind.PooledFund), Segment.Main, Money.Parse("-120.00"))],
        });

        var run = (await Runner(t.Db).RunAsync(Demo, May)).Run;

        Assert.Equal(Money.Parse("120.00"), await BalanceAsync(t.Db, "990100", first));
        Assert.Equal(1, run.SkippedByReason["already-credited"]);
        Assert.Equal(5, run.AccountsDone);
        Assert.Equal(Money.Parse("788.00").Fen, run.SumCredited);
        Assert.Equal(Money.Parse("-908.00"), await FundPaidAsync(t.Db, "990100"));
    }

    [Fact]
    public async Task A_month_that_has_not_started_is_refused_and_nothing_is_written()
    {
        await using var t = await NewDb();
        await DemoPopulationAsync(t.Db);
        var entries = await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry");

        var error = (await Assert.ThrowsAsync<YibaoException>(() => Runner(t.Db).RunAsync(Demo, new YearMonth(2025, 12)))).Error;

        Assert.Equal("crediting-month-in-future", error.Code?.Value);
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM batch_run"));
        Assert.Equal(entries, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry"));
    }

    [Fact]
    public async Task A_region_without_a_pack_is_refused_and_nothing_is_written()
    {
        await using var t = await NewDb();

        var error = (await Assert.ThrowsAsync<YibaoException>(() => Runner(t.Db).RunAsync(RegionCode.Parse("110100"), May))).Error;

        Assert.Equal("unknown-region", error.Code?.Value);
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM batch_run"));
    }

    [Fact]
    public async Task A_region_with_a_pack_but_not_served_here_is_refused_before_anything_is_written()
    {
        await using var t = await NewDb();
        await DemoPopulationAsync(t.Db);
        var before = await BalancesAsync(t.Db);
        var accounts = await ScalarAsync(t.Db, "SELECT COUNT(*) FROM ledger_account");
        var national = RegionCode.Parse("000000"); // the national pack exists; no region row does

        var start = (await Assert.ThrowsAsync<YibaoException>(() => Runner(t.Db).StartAsync(national, May))).Error;
        var run = (await Assert.ThrowsAsync<YibaoException>(() => Runner(t.Db).RunAsync(national, May))).Error;
        var yearEnd = (await Assert.ThrowsAsync<YibaoException>(() =>
            new Yibao.Storage.YearEnd.YearEndRunner(t.Db, PolicyPackLoader.Embedded, Clock).RunAsync(national, 2024))).Error;

        Assert.Equal(["unknown-region", "unknown-region", "unknown-region"], new[] { start.Code.Value, run.Code.Value, yearEnd.Code.Value });
        Assert.Equal("000000", run.Details["region"]);
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM batch_run"));
        Assert.Equal(accounts, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM ledger_account"));
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM ledger_account WHERE region_code = '000000'"));
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM account_balance WHERE region_code = '000000'"));
        Assert.Equal(before, await BalancesAsync(t.Db));
    }

    [Fact]
    public async Task Progress_is_reported_after_every_chunk()
    {
        await using var t = await NewDb();
        var people = await DemoPopulationAsync(t.Db);
        var reports = new List<BatchRunProgress>();

        await Runner(t.Db, chunk: 4).RunAsync(Demo, May, new SyncProgress<BatchRunProgress>(reports.Add));

        Assert.Equal((people.Count + 3) / 4 + (people.Count % 4 == 0 ? 1 : 0), reports.Count);
        Assert.Equal(people.Count, reports[^1].Processed);
        Assert.Equal(people.Count, reports[^1].Total);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Processed < p.Second.Processed || p.Second.Processed == people.Count));
    }
}

public sealed class SqliteCreditingRunTests() : CreditingRunTests(Engine.Sqlite);
public sealed class PostgresCreditingRunTests() : CreditingRunTests(Engine.Postgres);

/// <summary>A clock that stands still.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
