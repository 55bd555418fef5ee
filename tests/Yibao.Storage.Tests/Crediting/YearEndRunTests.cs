using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Crediting;
using Yibao.Storage.Ledger;
using Yibao.Storage.YearEnd;
using static Yibao.Storage.Tests.Crediting.CreditingPeople;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Crediting;

/// <summary>年终结转: the year-end settlement, on each engine (subclasses at the end).</summary>
public abstract class YearEndRunTests(Engine engine)
{
    private static readonly TimeProvider January2026 = new FixedClock(new DateTimeOffset(2026, 1, 5, 2, 0, 0, TimeSpan.Zero));
    private static readonly RegionCode Demo = RegionCode.Parse("990100");

    private Task<TestDatabase> NewDb() => TestDatabase.CreateAsync(engine);

    private static YearEndRunner Runner(YibaoDatabase db, TimeProvider? clock = null, int chunk = 10_000) =>
        new(db, PolicyPackLoader.Embedded, clock ?? January2026, new BatchRunOptions { ChunkSize = chunk });

    private static async Task<IReadOnlyDictionary<Segment, Money>> SegmentsAsync(YibaoDatabase db, string idNumber) =>
        (await new LedgerStore(db, TimeProvider.System).GetBalanceAsync(AccountCode.Personal(Demo, idNumber))).Segments;

    /// <summary>Three people credited for May and June 2025; one of them also has an older historical balance; one account holds nothing.</summary>
    private static async Task<(string A, string B, string Empty)> CreditedPeopleAsync(YibaoDatabase db)
    {
        const string r = "990100";
        await RegionAsync(db, r);
        var a = NewId(r, new DateOnly(1980, 2, 2));
        var b = NewId(r, new DateOnly(1955, 3, 3));
        var empty = NewId(r, new DateOnly(1990, 4, 4));
        var ia = await PersonWithAccountAsync(db, r, a, "employed", new DateOnly(2010, 1, 1), 600_000);
        await PersonWithAccountAsync(db, r, b, "retired", new DateOnly(2010, 1, 1));
        await PersonWithAccountAsync(db, r, empty, "employed", new DateOnly(2010, 1, 1), 600_000);
        foreach (var m in new[] { "2025-05", "2025-06" }) await ContributionAsync(db, r, ia, m, 600_000, true);
        var crediting = new CreditingRunner(db, PolicyPackLoader.Embedded, January2026);
        await crediting.RunAsync(Demo, new YearMonth(2025, 5));
        await crediting.RunAsync(Demo, new YearMonth(2025, 6));
        var store = new LedgerStore(db, TimeProvider.System);
        await store.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = "opening/" + a, Region = Demo, ReasonCode = "opening-balance", BusinessDate = new DateOnly(2024, 12, 31),
            Actor = "test", PolicyVersion = "990100@test",
            Postings = [new PostingLine(AccountCode.Personal(Demo, a), Segment.Historical, Money.Parse("500.00")),
                        new PostingLine(AccountCode.Of(Demo, AccountKind.PooledFund), Segment.Main, Money.Parse("-500.00"))],
        });
        return (a, b, empty);
    }

    [Fact]
    public async Task Year_end_rolls_the_current_year_into_the_historical_segment()
    {
        await using var t = await NewDb();
        var (a, b, empty) = await CreditedPeopleAsync(t.Db);

        var result = await Runner(t.Db).RunAsync(Demo, 2025);

        var run = result.Run;
        Assert.Equal("finished", run.Status);
        Assert.Equal(2, run.AccountsDone);
        Assert.Equal(1, run.SkippedByReason[YearEndRunner.NothingToCarry]);
        Assert.Equal(Money.Parse("364.00").Fen, run.SumCredited); // 2 × 120.00 + 2 × 62.00
        Assert.Equal(0, run.SumDeducted);                            // every pack's interest rate is 0
        var sa = await SegmentsAsync(t.Db, a);
        Assert.Equal(Money.Zero, sa[Segment.CurrentYear]);
        Assert.Equal(Money.Parse("740.00"), sa[Segment.Historical]);
        var sb = await SegmentsAsync(t.Db, b);
        Assert.Equal(Money.Zero, sb[Segment.CurrentYear]);
        Assert.Equal(Money.Parse("124.00"), sb[Segment.Historical]);
        Assert.Equal(Money.Zero, (await SegmentsAsync(t.Db, empty))[Segment.Historical]);

        var entry = await new LedgerStore(t.Db, TimeProvider.System).GetEntryByKeyAsync($"year-end/990100/2025/{a}");
        Assert.NotNull(entry);
        Assert.Equal(YearEndPlan.ReasonCode, entry.ReasonCode);
        Assert.Equal(new DateOnly(2025, 12, 31), entry.BusinessDate);
        Assert.Contains("crediting-year-end-interest", entry.PolicyVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Year_end_moves_the_current_year_as_it_stood_at_the_end_and_leaves_later_credits_in_it()
    {
        await using var t = await NewDb();
        const string r = "990100";
        await RegionAsync(t.Db, r);
        var june2026 = new FixedClock(new DateTimeOffset(2026, 6, 15, 2, 0, 0, TimeSpan.Zero));
        var since = new DateOnly(2010, 1, 1);
        // Two retirees (62.00 a month) and an employee; 2026-05 is credited before the 2025 year-end runs.
        var retiree = NewId(r, new DateOnly(1944, 8, 6), male: false);
        var spender = NewId(r, new DateOnly(1948, 2, 2));
        var employee = NewId(r, new DateOnly(1980, 5, 5));
        await PersonWithAccountAsync(t.Db, r, retiree, "retired", since);
        await PersonWithAccountAsync(t.Db, r, spender, "retired", since);
        var ie = await PersonWithAccountAsync(t.Db, r, employee, "employed", since, 600_000);
        await ContributionAsync(t.Db, r, ie, "2025-10", 600_000, true);
        var crediting = new CreditingRunner(t.Db, PolicyPackLoader.Embedded, june2026);
        await crediting.RunAsync(Demo, new YearMonth(2025, 10));
        await crediting.RunAsync(Demo, new YearMonth(2026, 5));
        // A spend in June 2026 takes 50.00 of 当年: first in, first out, so 50.00 of the 2025 money is gone.
        var store = new LedgerStore(t.Db, TimeProvider.System);
        await store.OpenAccountAsync(AccountCode.Of(Demo, AccountKind.InstitutionSettlement), new DateOnly(1999, 1, 1));
        await store.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = "spend/" + spender, Region = Demo, ReasonCode = "settlement", BusinessDate = new DateOnly(2026, 6, 1),
            Actor = "test", PolicyVersion = "990100@test",
            Postings = [new PostingLine(AccountCode.Personal(Demo, spender), Segment.CurrentYear, Money.Parse("-50.00")),
                        new PostingLine(AccountCode.Of(Demo, AccountKind.InstitutionSettlement), Segment.Main, Money.Parse("50.00"))],
        });

        var result = await Runner(t.Db, june2026).RunAsync(Demo, 2025);

        // The repro of issue 10: 62.00 of 2025-10 moves, 62.00 of 2026-05 stays in 当年.
        var a = await SegmentsAsync(t.Db, retiree);
        Assert.Equal(Money.Parse("62.00"), a[Segment.Historical]);
        Assert.Equal(Money.Parse("62.00"), a[Segment.CurrentYear]);
        var b = await SegmentsAsync(t.Db, spender);
        Assert.Equal(Money.Parse("12.00"), b[Segment.Historical]);
        Assert.Equal(Money.Parse("62.00"), b[Segment.CurrentYear]);
        var c = await SegmentsAsync(t.Db, employee);
        Assert.Equal(Money.Parse("120.00"), c[Segment.Historical]);
        Assert.Equal(Money.Zero, c[Segment.CurrentYear]);
        Assert.Equal(Money.Parse("194.00").Fen, result.Run.SumCredited);
        var entry = await store.GetEntryByKeyAsync($"year-end/990100/2025/{retiree}");
        Assert.NotNull(entry);
        Assert.Equal(Money.Parse("-62.00"), entry.Postings.Single(p => p.Segment == Segment.CurrentYear).Amount);
        Assert.Contains("当年账户 62.00 转入历年账户", entry.Memo, StringComparison.Ordinal);
        Assert.Contains("62.00 留在当年账户", entry.Memo, StringComparison.Ordinal);

        // The 2026 year-end, later, moves what 2026 left: nothing is carried twice or lost.
        await new CreditingRunner(t.Db, PolicyPackLoader.Embedded, new FixedClock(new DateTimeOffset(2027, 1, 5, 2, 0, 0, TimeSpan.Zero))).RunAsync(Demo, new YearMonth(2026, 6));
        await Runner(t.Db, new FixedClock(new DateTimeOffset(2027, 1, 5, 2, 0, 0, TimeSpan.Zero))).RunAsync(Demo, 2026);
        Assert.Equal(Money.Parse("186.00"), (await SegmentsAsync(t.Db, retiree))[Segment.Historical]);
        Assert.Equal(Money.Zero, (await SegmentsAsync(t.Db, retiree))[Segment.CurrentYear]);
        Assert.Equal(Money.Parse("136.00"), (await SegmentsAsync(t.Db, spender))[Segment.Historical]);
    }

    [Fact]
    public void The_current_year_at_the_end_is_what_remains_after_later_credits_never_below_zero()
    {
        Assert.Equal(Money.Parse("62.00"), YearEndPlan.CurrentAtYearEnd(Money.Parse("124.00"), Money.Parse("62.00")));
        Assert.Equal(Money.Parse("12.00"), YearEndPlan.CurrentAtYearEnd(Money.Parse("74.00"), Money.Parse("62.00")));
        Assert.Equal(Money.Zero, YearEndPlan.CurrentAtYearEnd(Money.Parse("40.00"), Money.Parse("62.00")));
        Assert.Equal(Money.Parse("40.00"), YearEndPlan.CurrentAtYearEnd(Money.Parse("40.00"), Money.Zero));
    }

    [Fact]
    public async Task Year_end_is_idempotent_and_resumable()
    {
        await using var t = await NewDb();
        var (a, _, _) = await CreditedPeopleAsync(t.Db);
        // Killed after the first chunk of one account.
        using (var cts = new CancellationTokenSource())
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Runner(t.Db, chunk: 1).RunAsync(Demo, 2025, new SyncProgress<BatchRunProgress>(_ => cts.Cancel()), cts.Token));
        }
        var resumed = await Runner(t.Db, chunk: 1).RunAsync(Demo, 2025);
        var before = await BalancesAsync(t.Db);

        var again = await Runner(t.Db).RunAsync(Demo, 2025);

        Assert.Equal(2, resumed.Run.AccountsDone);
        Assert.True(again.AlreadyFinished);
        Assert.Equal(before, await BalancesAsync(t.Db));
        Assert.Equal(Money.Parse("740.00"), (await SegmentsAsync(t.Db, a))[Segment.Historical]);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'year-end-carry-over' AND idempotency_key = @k", ("k", $"year-end/990100/2025/{a}")));
    }

    [Fact]
    public async Task Year_end_before_the_year_is_over_is_refused_and_nothing_is_written()
    {
        await using var t = await NewDb();
        await CreditedPeopleAsync(t.Db);
        var entries = await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry");

        var calendar = (await Assert.ThrowsAsync<YibaoException>(() =>
            Runner(t.Db, new FixedClock(new DateTimeOffset(2025, 12, 31, 2, 0, 0, TimeSpan.Zero))).RunAsync(Demo, 2025))).Error;
        // 宁波's insurance year 2025 runs to 2026-04-30 (医保年度 5月1日–次年4月30日).
        var ningbo = (await Assert.ThrowsAsync<YibaoException>(() => Runner(t.Db).RunAsync(RegionCode.Parse("330200"), 2025))).Error;

        Assert.Equal("insurance-year-not-ended", calendar.Code?.Value);
        Assert.Equal("insurance-year-not-ended", ningbo.Code?.Value);
        Assert.Equal("2026-04-30", ningbo.Details["end"]);
        Assert.Equal(entries, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry"));
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM batch_run WHERE kind = 'year-end'"));
    }
}

public sealed class SqliteYearEndRunTests() : YearEndRunTests(Engine.Sqlite);
public sealed class PostgresYearEndRunTests() : YearEndRunTests(Engine.Postgres);

/// <summary>The bulk path's content hash is the ledger's own.</summary>
public class EntryHashTests
{
    [Fact]
    public void Bulk_hash_equals_the_ledger_content_hash()
    {
        var region = RegionCode.Parse("320500");
        var plan = new CreditingRunPlan(PolicyPackLoader.Embedded.For(region, new DateOnly(2025, 5, 1)), new YearMonth(2025, 5));
        var outcome = new CreditingRunOutcome(null, Money.Parse("100.00"), Money.Parse("2.00"), Money.Parse("98.00"), "2025-05 在职职工划入 — 扣减长期护理保险 2.00 😀");
        var requests = new[]
        {
            plan.Entry("320500198001010011", outcome),
            plan.Entry("320500198001010011", outcome with { Memo = null }),
            plan.Entry("320500198001010011", outcome with { Deduction = Money.Zero, Net = Money.Parse("100.00") }),
        };
        foreach (var request in requests)
        {
            Assert.Equal(request.ContentHash(), EntryHash.Of(request));
            Assert.Equal(request.ContentHash(42), EntryHash.Of(request, 42));
        }
    }
}
