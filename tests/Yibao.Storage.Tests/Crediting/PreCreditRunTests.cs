using Yibao.Domain.Errors;
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

/// <summary>
/// 一次性预划入 through the monthly run and the year-end (宁波 330200, seed 003, WE-06), on each
/// engine: the year's pre-credit on its first day, a mid-year member from the month after their
/// first contribution, the claw-back of unpaid months on 30 April, and the next year waiting for it.
/// Insurance year 2025 (2025-05-01 … 2026-04-30), base 8,000.00 → 160.00 a month.
/// </summary>
public abstract class PreCreditRunTests(Engine engine)
{
    private static readonly TimeProvider June2026 = new FixedClock(new DateTimeOffset(2026, 6, 15, 2, 0, 0, TimeSpan.Zero));
    private const string R = "330200";
    private static readonly RegionCode Ningbo = RegionCode.Parse(R);
    private const long Base = 800_000;

    private Task<TestDatabase> NewDb() => TestDatabase.CreateAsync(engine);

    private static CreditingRunner Credit(YibaoDatabase db, int chunk = 10_000) => new(db, PolicyPackLoader.Embedded, June2026, new BatchRunOptions { ChunkSize = chunk });
    private static YearEndRunner YearEnd(YibaoDatabase db) => new(db, PolicyPackLoader.Embedded, June2026);

    private static async Task<IReadOnlyDictionary<Segment, Money>> SegmentsAsync(YibaoDatabase db, string idNumber) =>
        (await new LedgerStore(db, TimeProvider.System).GetBalanceAsync(AccountCode.Personal(Ningbo, idNumber))).Segments;

    /// <summary>
    /// The real packs, with a back-pay due date for 宁波 (its pack has none: the reference gives no
    /// 宁波 back-pay rule), so the pre-credit's interplay with back-pay can be tested.
    /// </summary>
    private static readonly Lazy<PolicyBook> WithBackPay = new(() => PolicyPackLoader.Load(
        PolicyPackLoader.EmbeddedFiles().Select(f => f.Name.StartsWith("330200", StringComparison.Ordinal)
            ? (f.Name, f.Text.TrimEnd() + """

              - id: backfill-test
                from: 2020-01-01
                note: test only
                rules:
                  backfill.due-date:
                    value: last-day-of-month
                    provenance: example
                    source: "test: the demo region's due date"
                  contribution.employer-rate:
                    value: 0.08
                    provenance: example
                    source: "test: the demo region's rate"
                  contribution.individual-rate:
                    value: 0.02
                    provenance: example
                    source: "test: the demo region's rate"
            """)
            : f), Domain.Calendars.HolidayCalendars.Shipped));

    private static IEnumerable<string> Months(string from, string to)
    {
        for (var m = YearMonth.Parse(from); m <= YearMonth.Parse(to); m = m.AddMonths(1)) yield return m.ToString();
    }

    private sealed record People(string Continuing, string Joiner, string Spender, long ContinuingId, long JoinerId);

    private static async Task<People> PeopleAsync(YibaoDatabase db)
    {
        await RegionAsync(db, R, "宁波市");
        var since = new DateOnly(2020, 1, 1);
        // (a) continuing: paid 2025-04 (the base before the year) … 2026-01, nothing after (WE-06c).
        var a = NewId(R, new DateOnly(1980, 3, 2));
        var ia = await PersonWithAccountAsync(db, R, a, "employed", since, Base);
        foreach (var m in Months("2025-04", "2026-01")) await ContributionAsync(db, R, ia, m, Base, true);
        // (b) joins on 2025-08-01 and pays every month from 2025-08 (WE-06b).
        var b = NewId(R, new DateOnly(1995, 6, 6));
        var ib = await PersonWithAccountAsync(db, R, b, "employed", new DateOnly(2025, 8, 1), Base);
        foreach (var m in Months("2025-08", "2026-04")) await ContributionAsync(db, R, ib, m, Base, true);
        // continuing, pays only 2025-04 and 2025-05, and spends most of the pre-credit.
        var c = NewId(R, new DateOnly(1985, 1, 1));
        var ic = await PersonWithAccountAsync(db, R, c, "employed", since, Base);
        foreach (var m in Months("2025-04", "2025-05")) await ContributionAsync(db, R, ic, m, Base, true);
        return new People(a, b, c, ia, ib);
    }

    private static async Task SpendAsync(YibaoDatabase db, string idNumber, string amount)
    {
        var store = new LedgerStore(db, TimeProvider.System);
        await store.OpenAccountAsync(AccountCode.Of(Ningbo, AccountKind.InstitutionSettlement), new DateOnly(1999, 1, 1));
        await store.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = $"spend/{idNumber}", Region = Ningbo, ReasonCode = "settlement", BusinessDate = new DateOnly(2025, 7, 1),
            Actor = "test", PolicyVersion = "330200@test",
            Postings = [new PostingLine(AccountCode.Personal(Ningbo, idNumber), Segment.CurrentYear, -Money.Parse(amount)),
                        new PostingLine(AccountCode.Of(Ningbo, AccountKind.InstitutionSettlement), Segment.Main, Money.Parse(amount))],
        });
    }

    [Fact]
    public async Task The_first_month_of_the_year_pre_credits_twelve_months_to_continuing_members()
    {
        await using var t = await NewDb();
        var p = await PeopleAsync(t.Db);

        var result = await Credit(t.Db).RunAsync(Ningbo, new YearMonth(2025, 5));

        Assert.Equal(Money.Parse("1920.00"), (await SegmentsAsync(t.Db, p.Continuing))[Segment.CurrentYear]);
        Assert.Equal(Money.Parse("1920.00"), (await SegmentsAsync(t.Db, p.Spender))[Segment.CurrentYear]);
        Assert.Equal(Money.Zero, (await SegmentsAsync(t.Db, p.Joiner))[Segment.CurrentYear]);
        Assert.Equal(2, result.Run.AccountsDone);
        Assert.Equal(Money.Parse("3840.00").Fen, result.Run.SumCredited);
        Assert.Equal(1, result.Run.SkippedByReason["not-enrolled"]);
        var entry = await new LedgerStore(t.Db, TimeProvider.System).GetEntryByKeyAsync($"pre-credit/330200/2025-05/{p.Continuing}");
        Assert.NotNull(entry);
        Assert.Equal("yearly-pre-credit", entry.ReasonCode);
        Assert.Equal(new DateOnly(2025, 5, 1), entry.BusinessDate);
        Assert.Contains("crediting-yearly-pre-credit", entry.PolicyVersion, StringComparison.Ordinal);
        Assert.Contains("12 个月 × 160.00", entry.Memo, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'monthly-credit'"));
    }

    [Fact]
    public async Task A_member_who_joins_during_the_year_is_pre_credited_from_the_month_after_the_first_contribution()
    {
        await using var t = await NewDb();
        var p = await PeopleAsync(t.Db);
        var runner = Credit(t.Db);
        foreach (var m in Months("2025-05", "2025-08")) await runner.RunAsync(Ningbo, YearMonth.Parse(m));
        Assert.Equal(Money.Zero, (await SegmentsAsync(t.Db, p.Joiner))[Segment.CurrentYear]);

        var september = await runner.RunAsync(Ningbo, new YearMonth(2025, 9));

        Assert.Equal(Money.Parse("1280.00"), (await SegmentsAsync(t.Db, p.Joiner))[Segment.CurrentYear]);
        Assert.Equal(1, september.Run.AccountsDone);
        Assert.Equal(2, september.Run.SkippedByReason["already-pre-credited"]);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM pre_credit WHERE insured_id = @i AND from_month = '2025-09' AND months = 8", ("i", p.JoinerId)));
        var august = await runner.GetAsync(Ningbo, new YearMonth(2025, 8));
        Assert.Equal(1, august!.SkippedByReason["awaiting-first-contribution"]);
        // The continuing members' balances did not move after May.
        Assert.Equal(Money.Parse("1920.00"), (await SegmentsAsync(t.Db, p.Continuing))[Segment.CurrentYear]);
    }

    [Fact]
    public async Task Year_end_claws_back_the_unpaid_months_and_the_next_year_waits_for_it()
    {
        await using var t = await NewDb();
        var p = await PeopleAsync(t.Db);
        var runner = Credit(t.Db);
        foreach (var m in Months("2025-05", "2026-04")) await runner.RunAsync(Ningbo, YearMonth.Parse(m));
        await SpendAsync(t.Db, p.Spender, "1800.00");
        var entries = await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry");

        // The new year's pre-credit would land on an unsettled current-year segment (WE-06d).
        var early = (await Assert.ThrowsAsync<YibaoException>(() => runner.RunAsync(Ningbo, new YearMonth(2026, 5)))).Error;
        Assert.Equal("previous-year-not-settled", early.Code?.Value);
        Assert.Equal(entries, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry"));
        Assert.Null(await runner.GetAsync(Ningbo, new YearMonth(2026, 5)));

        var settled = await YearEnd(t.Db).RunAsync(Ningbo, 2025);

        // (c) 2026-02 … 04 unpaid: 3 × 160.00 = 480.00 back; the rest rolls into 历年 (d).
        var a = await SegmentsAsync(t.Db, p.Continuing);
        Assert.Equal(Money.Zero, a[Segment.CurrentYear]);
        Assert.Equal(Money.Parse("1440.00"), a[Segment.Historical]);
        var claw = await new LedgerStore(t.Db, TimeProvider.System).GetEntryByKeyAsync($"pre-credit-claw-back/330200/2025-05/{p.Continuing}");
        Assert.NotNull(claw);
        Assert.Equal(new DateOnly(2026, 4, 30), claw.BusinessDate);
        Assert.Equal(Money.Parse("-480.00"), claw.Postings.Single(l => l.Account.Kind == AccountKind.Personal).Amount);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM pre_credit WHERE insured_id = @i AND clawed_months = '2026-02,2026-03,2026-04' AND clawed_back = 48000 AND shortfall = 0", ("i", p.ContinuingId)));
        // The joiner paid every pre-credited month: nothing back.
        Assert.Equal(Money.Parse("1280.00"), (await SegmentsAsync(t.Db, p.Joiner))[Segment.Historical]);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM pre_credit WHERE insured_id = @i AND clawed_back = 0 AND settled_on IS NOT NULL", ("i", p.JoinerId)));
        // The spender owes 11 × 160.00 = 1,760.00 but holds 120.00: the account ends at zero, never below.
        var c = await SegmentsAsync(t.Db, p.Spender);
        Assert.Equal(Money.Zero, c[Segment.CurrentYear] + c[Segment.Historical]);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM pre_credit WHERE clawed_back = 12000 AND shortfall = 164000"));
        Assert.Equal((3L, 2L, Money.Parse("600.00"), Money.Parse("1640.00")),
            await PreCredits.SettlementAsync(t.Db, Ningbo, new Domain.Features.Crediting.InsuranceYear(new YearMonth(2025, 5))));
        Assert.Equal(2, settled.Run.AccountsDone);
        Assert.Equal(1, settled.Run.SkippedByReason["nothing-to-carry"]);

        // A second settlement changes nothing; the new year now pre-credits those who paid April.
        var balances = await BalancesAsync(t.Db);
        Assert.True((await YearEnd(t.Db).RunAsync(Ningbo, 2025)).AlreadyFinished);
        Assert.Equal(balances, await BalancesAsync(t.Db));
        var next = await runner.RunAsync(Ningbo, new YearMonth(2026, 5));
        Assert.Equal(Money.Parse("1920.00"), (await SegmentsAsync(t.Db, p.Joiner))[Segment.CurrentYear]);
        Assert.Equal(Money.Zero, (await SegmentsAsync(t.Db, p.Continuing))[Segment.CurrentYear]);
        Assert.Equal(2, next.Run.SkippedByReason["awaiting-first-contribution"]);
    }

    [Fact]
    public async Task Year_end_settles_and_carries_the_year_as_it_stood_at_its_end_whatever_was_pre_credited_after_it()
    {
        await using var t = await NewDb();
        await RegionAsync(t.Db, R, "宁波市");
        var since = new DateOnly(2020, 1, 1);
        // Both paid 2026-05, so the 2026-06 run pre-credits 2026-06 … 2027-04 (11 × 160.00 = 1,760.00, dated 2026-06-01)
        // before the 2025 year's settlement: (a) paid every month of 2025, (b) not 2026-02 … 04.
        var a = NewId(R, new DateOnly(1981, 3, 3));
        var b = NewId(R, new DateOnly(1983, 4, 4));
        var ia = await PersonWithAccountAsync(t.Db, R, a, "employed", since, Base);
        var ib = await PersonWithAccountAsync(t.Db, R, b, "employed", since, Base);
        foreach (var m in Months("2025-04", "2026-05")) await ContributionAsync(t.Db, R, ia, m, Base, true);
        foreach (var m in Months("2025-04", "2026-05").Where(m => m is not ("2026-02" or "2026-03" or "2026-04")))
            await ContributionAsync(t.Db, R, ib, m, Base, true);
        var runner = Credit(t.Db);
        await runner.RunAsync(Ningbo, new YearMonth(2025, 5));
        var june = await runner.RunAsync(Ningbo, new YearMonth(2026, 6));
        Assert.Equal(2, june.Run.AccountsDone);
        Assert.Equal(Money.Parse("3680.00"), (await SegmentsAsync(t.Db, a))[Segment.CurrentYear]);

        await YearEnd(t.Db).RunAsync(Ningbo, 2025);

        // (a) the whole 2025 pre-credit moves; the 2026 one stays for the 2026 year-end.
        var sa = await SegmentsAsync(t.Db, a);
        Assert.Equal(Money.Parse("1920.00"), sa[Segment.Historical]);
        Assert.Equal(Money.Parse("1760.00"), sa[Segment.CurrentYear]);
        // (b) 3 × 160.00 clawed back from the 2025 money, the rest of it moves, 2026's stays.
        var sb = await SegmentsAsync(t.Db, b);
        Assert.Equal(Money.Parse("1440.00"), sb[Segment.Historical]);
        Assert.Equal(Money.Parse("1760.00"), sb[Segment.CurrentYear]);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM pre_credit WHERE insured_id = @i AND year_start = '2025-05' AND clawed_back = 48000 AND shortfall = 0", ("i", ib)));
        var carry = await new LedgerStore(t.Db, TimeProvider.System).GetEntryByKeyAsync($"year-end/330200/2025/{b}");
        Assert.NotNull(carry);
        Assert.Equal(new DateOnly(2026, 4, 30), carry.BusinessDate);
        Assert.Contains("1760.00 留在当年账户", carry.Memo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Back_pay_credits_a_clawed_back_month_again_and_nothing_for_a_month_the_pre_credit_covers()
    {
        await using var t = await NewDb();
        var records = new Yibao.Storage.Records.RecordsStore(t.Db, TimeProvider.System);
        await records.EnsureRegionAsync(Ningbo, "宁波市", new DateOnly(2020, 1, 1));
        var employer = Domain.Identity.CreditCode.Create('9', '1', Ningbo, "NB000001");
        await records.RegisterEmployerAsync(new Domain.Features.Records.Employer(employer, Ningbo, "宁波补缴测试有限公司"));
        var id = Domain.Identity.IdNumber.Create(Ningbo, new DateOnly(1982, 4, 4), 17);
        await records.EnrolAsync(Domain.Features.Records.InsuredEnrolment.Validated(new Domain.Features.Records.InsuredEnrolment(
            Ningbo, id, "周先生", Domain.Features.Records.InsuredScheme.Employee, Domain.Features.Records.InsuredState.Employed, employer,
            Money.Parse("8000.00"), new DateOnly(2020, 1, 1), null, "CHN")));
        // Paid 2025-04 … 2026-01 but not 2025-11; nothing from 2026-02.
        var rows = Months("2025-04", "2026-01").Where(m => m != "2025-11").Select((m, i) =>
        {
            var month = YearMonth.Parse(m);
            return new Domain.Features.Records.ContributionRow(i + 1, id, null, new Domain.Features.Records.ContributionMonth(
                month, employer, Money.Parse("8000.00"), Money.Parse("640.00"), Money.Parse("160.00"), month.LastDay, month.LastDay));
        }).ToList();
        await records.RecordContributionsAsync(Ningbo, rows, "test");
        var poster = new Yibao.Storage.Backfill.BackfillPoster(t.Db, new LedgerStore(t.Db, TimeProvider.System), WithBackPay.Value, June2026);
        Yibao.Storage.Backfill.BackfillPaymentRequest BackPay(string paidOn, params string[] months) =>
            new(Ningbo, id.Value, Domain.Features.Backfill.ArrearsCause.Employer, months.Select(YearMonth.Parse).ToList(), Dates.Parse(paidOn), Money.Parse("8000.00"), null, "test");

        await Credit(t.Db).RunAsync(Ningbo, new YearMonth(2025, 5));
        var covered = await poster.PostAsync(BackPay("2026-01-10", "2025-11"));
        Assert.Equal(Money.Zero, covered.AccountCredit);
        Assert.Equal(Money.Parse("1920.00"), (await SegmentsAsync(t.Db, id.Value))[Segment.CurrentYear]);

        await YearEnd(t.Db).RunAsync(Ningbo, 2025);
        // 2025-11 was paid by then: only 2026-02 … 04 came back.
        Assert.Equal(Money.Parse("1440.00"), (await SegmentsAsync(t.Db, id.Value))[Segment.Historical]);
        var restored = await poster.PostAsync(BackPay("2026-06-10", "2026-02"));

        Assert.Equal(Money.Parse("160.00"), restored.AccountCredit);
        Assert.Equal([$"credit/330200/2026-02/{id.Value}"], restored.CreditKeys);
        Assert.Equal(Money.Parse("160.00"), (await SegmentsAsync(t.Db, id.Value))[Segment.CurrentYear]);
    }

    [Fact]
    public async Task Re_running_or_resuming_a_pre_credit_month_credits_nothing_twice()
    {
        await using var t = await NewDb();
        var p = await PeopleAsync(t.Db);
        var crashing = new CreditingRunner(t.Db, PolicyPackLoader.Embedded, June2026, new BatchRunOptions
        {
            ChunkSize = 1,
            BeforeCommit = (n, _) => n == 2 ? throw new InvalidOperationException("killed") : Task.CompletedTask,
        });
        await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.RunAsync(Ningbo, new YearMonth(2025, 5)));

        var resumed = await Credit(t.Db, chunk: 1).RunAsync(Ningbo, new YearMonth(2025, 5));
        var again = await Credit(t.Db).RunAsync(Ningbo, new YearMonth(2025, 5));

        Assert.True(again.AlreadyFinished);
        Assert.Equal(2, resumed.Run.AccountsDone);
        Assert.Equal(Money.Parse("1920.00"), (await SegmentsAsync(t.Db, p.Continuing))[Segment.CurrentYear]);
        Assert.Equal(Money.Parse("1920.00"), (await SegmentsAsync(t.Db, p.Spender))[Segment.CurrentYear]);
        Assert.Equal(2, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM pre_credit"));
        Assert.Equal(2, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'yearly-pre-credit'"));
    }
}

public sealed class SqlitePreCreditRunTests() : PreCreditRunTests(Engine.Sqlite);
public sealed class PostgresPreCreditRunTests() : PreCreditRunTests(Engine.Postgres);
