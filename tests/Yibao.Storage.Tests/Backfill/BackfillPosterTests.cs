using Yibao.Domain.Errors;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Ledger;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using Yibao.Storage.Backfill;
using Yibao.Storage.Crediting;
using Yibao.Storage.Ledger;
using static Yibao.Storage.Tests.Backfill.BackfillFixtures;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Backfill;

/// <summary>补缴入账 on each engine; every test ends with the ledger checker (TestDatabase).</summary>
public abstract class BackfillPosterTests(Engine engine)
{
    private async Task<TestDatabase> NewDb()
    {
        var t = await TestDatabase.CreateAsync(engine);
        await SeedAsync(t.Db);
        return t;
    }

    private static Money Yuan(string s) => Money.Parse(s);

    private static async Task<(long Entries, long Payments, long Contributions, long Benefits)> CountsAsync(YibaoDatabase db) =>
        (await ScalarAsync(db, "SELECT COUNT(*) FROM journal_entry"), await ScalarAsync(db, "SELECT COUNT(*) FROM backfill_payment"),
         await ScalarAsync(db, "SELECT COUNT(*) FROM contribution"), await ScalarAsync(db, "SELECT COUNT(*) FROM benefit_status"));

    [Fact]
    public async Task Employer_caused_WE10_lands_employer_parts_in_the_fund_individual_parts_in_the_account_and_the_fee_on_the_employer()
    {
        await using var t = await NewDb();
        var posting = await Poster(t.Db).PostAsync(We10());

        Assert.False(posting.Replayed);
        Assert.Equal(Yuan("1600.00"), posting.Principal);
        Assert.Equal(Yuan("28.00"), posting.LateFee);
        Assert.Equal(Yuan("1628.00"), posting.Total);
        Assert.Equal(LateFeePayer.Employer, posting.LateFeePayer);

        Assert.Equal(Yuan("320.00"), await BalanceAsync(t.Db, Domain.Ledger.AccountCode.Personal(Region, Zhang)));
        Assert.Equal(Yuan("1280.00"), await BalanceAsync(t.Db, Account(AccountKind.PooledFund)));
        Assert.Equal(Yuan("28.00"), await BalanceAsync(t.Db, Account(AccountKind.LateFeeIncome)));
        Assert.Equal(Yuan("-1628.00"), await BalanceAsync(t.Db, Account(AccountKind.BankClearing)));
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, Account(AccountKind.EmployerReceivable)));

        var ledger = new LedgerStore(t.Db, TimeProvider.System);
        var principal = await ledger.GetEntryByKeyAsync(BackfillEntries.PrincipalKey(posting.Key));
        Assert.NotNull(principal);
        Assert.Equal(BackfillNames.PrincipalReason, principal.ReasonCode);
        Assert.Equal(new DateOnly(2025, 5, 20), principal.BusinessDate);
        Assert.Contains(principal.Postings, p => p.Account.Kind == AccountKind.EmployerReceivable && p.Amount == Yuan("-1600.00"));
        Assert.Contains(principal.Postings, p => p.Account.Kind == AccountKind.PooledFund && p.Amount == Yuan("1600.00"));
        // Each paid month is credited under the monthly run's own key, so a later run credits nothing twice.
        Assert.Equal([$"credit/990100/2025-03/{Zhang}", $"credit/990100/2025-04/{Zhang}"], posting.CreditKeys);
        Assert.Equal(Yuan("320.00"), posting.AccountCredit);
        foreach (var key in posting.CreditKeys)
        {
            var credit = await ledger.GetEntryByKeyAsync(key);
            Assert.NotNull(credit);
            Assert.Contains(credit.Postings, p => p.Account.Kind == AccountKind.Personal && p.Segment == Segment.CurrentYear && p.Amount == Yuan("160.00"));
            Assert.Contains(credit.Postings, p => p.Account.Kind == AccountKind.PooledFund && p.Amount == Yuan("-160.00"));
        }
        var fee = await ledger.GetEntryByKeyAsync(BackfillEntries.LateFeeKey(posting.Key));
        Assert.NotNull(fee);
        Assert.Contains(fee.Postings, p => p.Account.Kind == AccountKind.EmployerReceivable && p.Amount == Yuan("-28.00"));
        Assert.StartsWith("990100@", principal.PolicyVersion, StringComparison.Ordinal);

        // The months are paid, with the employer that owed them; benefits cover them retroactively (WE-15).
        Assert.Equal(2, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM contribution WHERE paid_date IS NOT NULL AND employer_id IS NOT NULL AND source = 'backfill'"));
        Assert.Equal(128000, await ScalarAsync(t.Db, "SELECT SUM(employer_part) FROM contribution"));
        var status = await Poster(t.Db).GetBenefitStatusAsync(Region, Zhang);
        var retro = Assert.Single(status);
        Assert.Equal(BenefitStatusKind.Retroactive, retro.Kind);
        Assert.Equal((new DateOnly(2025, 3, 1), (DateOnly?)new DateOnly(2025, 4, 30)), (retro.From, retro.To));
    }

    [Theory]
    [InlineData("0.10", "2800.00", "128.80")]
    [InlineData("0.12", "3360.00", "154.56")]
    public async Task Individual_WE08_09_principal_goes_to_the_fund_and_the_fee_to_late_fee_income(string rate, string principal, string lateFee)
    {
        await using var t = await NewDb();
        var posting = await Poster(t.Db).PostAsync(We09(rate));

        Assert.Equal((Yuan(principal), Yuan(lateFee), LateFeePayer.Individual), (posting.Principal, posting.LateFee, posting.LateFeePayer));
        Assert.Equal(Yuan(principal), await BalanceAsync(t.Db, Account(AccountKind.PooledFund)));
        Assert.Equal(Yuan(lateFee), await BalanceAsync(t.Db, Account(AccountKind.LateFeeIncome)));
        Assert.Equal(-(Yuan(principal) + Yuan(lateFee)), await BalanceAsync(t.Db, Account(AccountKind.BankClearing)));
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, Account(AccountKind.InsuredReceivable)));
        // A flexible worker's contribution credits no personal account (K3), as in the monthly run.
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, Domain.Ledger.AccountCode.Personal(Region, Li)));
        Assert.Empty(posting.CreditKeys);
        var fee = await new LedgerStore(t.Db, TimeProvider.System).GetEntryByKeyAsync(BackfillEntries.LateFeeKey(posting.Key));
        Assert.Contains(fee!.Postings, p => p.Account.Kind == AccountKind.InsuredReceivable && p.Amount == -Yuan(lateFee));
        Assert.Equal(4, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM contribution WHERE paid_date IS NOT NULL AND employer_id IS NULL"));
        // No paid month before the gap: there is no gap to measure, so no benefit status (K9).
        Assert.Empty(await Poster(t.Db).GetBenefitStatusAsync(Region, Li));
    }

    [Fact]
    public async Task Posting_the_same_payment_twice_moves_money_once()
    {
        await using var t = await NewDb();
        var poster = Poster(t.Db);
        var first = await poster.PostAsync(We10());
        var counts = await CountsAsync(t.Db);
        var again = await poster.PostAsync(We10());

        Assert.True(again.Replayed);
        Assert.Equal(first.Key, again.Key);
        Assert.Equal((first.Principal, first.LateFee, first.AccountCredit), (again.Principal, again.LateFee, again.AccountCredit));
        Assert.Equal(first.EntryKeys, again.EntryKeys);
        Assert.Equal(first.CreditKeys, again.CreditKeys);
        Assert.Equal(counts, await CountsAsync(t.Db));
        Assert.Equal((5L, 1L, 2L, 1L), counts);
        Assert.Equal(Yuan("320.00"), await BalanceAsync(t.Db, Domain.Ledger.AccountCode.Personal(Region, Zhang)));
    }

    [Fact]
    public async Task Concurrent_retries_of_one_payment_move_money_once()
    {
        await using var t = await NewDb();
        await using var other = t.OpenAnotherHandle();
        var results = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(i => Task.Run(() => Poster(i % 2 == 0 ? t.Db : other).PostAsync(We10()))));

        Assert.Single(results, r => !r.Replayed);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM backfill_payment"));
        Assert.Equal(Yuan("1280.00"), await BalanceAsync(t.Db, Account(AccountKind.PooledFund)));
    }

    [Fact]
    public async Task Two_different_payments_of_one_month_at_once_let_exactly_one_in()
    {
        await using var t = await NewDb();
        await using var other = t.OpenAnotherHandle();
        var overlapping = Request(Zhang, ArrearsCause.Employer, "2025-05-21", "8000.00", null, "2025-04");
        var attempts = await Task.WhenAll(
            Task.Run(() => Outcome(Poster(t.Db).PostAsync(We10()))),
            Task.Run(() => Outcome(Poster(other).PostAsync(overlapping))));

        Assert.Single(attempts, a => a is null);
        Assert.Single(attempts, a => a == "backfill-month-already-paid");
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM backfill_payment"));
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM contribution WHERE month = '2025-04'"));

        static async Task<string?> Outcome(Task<BackfillPosting> posting)
        {
            try { await posting; return null; }
            catch (YibaoException e) { return e.Error.Code.Value; }
        }
    }

    [Fact]
    public async Task The_same_months_and_day_with_another_rate_is_a_reused_key_and_writes_nothing()
    {
        await using var t = await NewDb();
        var poster = Poster(t.Db);
        await poster.PostAsync(We09("0.10"));
        var counts = await CountsAsync(t.Db);

        var error = await Assert.ThrowsAsync<YibaoException>(() => poster.PostAsync(We09("0.12")));

        Assert.Equal("idempotency-key-reused", error.Error.Code?.Value);
        Assert.Equal(counts, await CountsAsync(t.Db));
    }

    [Fact]
    public async Task A_month_already_paid_refuses_the_whole_payment_and_writes_nothing()
    {
        await using var t = await NewDb();
        var poster = Poster(t.Db);
        await poster.PostAsync(We10());
        var counts = await CountsAsync(t.Db);
        var fund = await BalanceAsync(t.Db, Account(AccountKind.PooledFund));

        var error = await Assert.ThrowsAsync<YibaoException>(() =>
            poster.PostAsync(Request(Zhang, ArrearsCause.Employer, "2025-05-25", "8000.00", null, "2025-02", "2025-04")));

        Assert.Equal("backfill-month-already-paid", error.Error.Code?.Value);
        Assert.Equal("2025-04", error.Error.Details["month"]);
        Assert.Equal(counts, await CountsAsync(t.Db));
        Assert.Equal(fund, await BalanceAsync(t.Db, Account(AccountKind.PooledFund)));
    }

    [Theory]
    [InlineData("unknown", "unknown-insured")]
    [InlineData("retired", "invalid-field")]
    [InlineData("no-employer", "backfill-employer-missing")]
    [InlineData("future-month", "invalid-field")]
    [InlineData("employer-flexible", "invalid-field")]
    [InlineData("no-months", "missing-field")]
    [InlineData("paid-in-the-future", "invalid-field")]
    public async Task Bad_input_is_refused_with_a_code_and_writes_nothing(string what, string code)
    {
        await using var t = await NewDb();
        var request = what switch
        {
            "unknown" => Request("990100199001010030", ArrearsCause.Individual, "2025-06-16", "7000.00", "0.10", "2025-01"),
            "retired" => Request(Wang, ArrearsCause.Individual, "2025-06-16", "7000.00", "0.10", "2025-01"),
            "no-employer" => Request(Zhao, ArrearsCause.Employer, "2025-05-20", null, null, "2025-03"),
            "future-month" => Request(Li, ArrearsCause.Individual, "2025-06-16", "7000.00", "0.10", "2025-07"),
            "employer-flexible" => Request(Li, ArrearsCause.Employer, "2025-06-16", "7000.00", null, "2025-01"),
            "paid-in-the-future" => Request(Li, ArrearsCause.Individual, "2999-01-01", "7000.00", "0.10", "2025-01"),
            _ => Request(Li, ArrearsCause.Individual, "2025-06-16", "7000.00", "0.10"),
        };

        var error = await Assert.ThrowsAsync<YibaoException>(() => Poster(t.Db).PostAsync(request));

        Assert.Equal(code, error.Error.Code?.Value);
        Assert.Equal((0L, 0L, 0L, 0L), await CountsAsync(t.Db));
    }

    [Fact]
    public async Task The_monthly_run_and_the_back_pay_credit_a_month_once_whichever_comes_first()
    {
        await using var t = await NewDb();
        var runner = new CreditingRunner(t.Db, PolicyPackLoader.Embedded, TimeProvider.System);
        var zhang = Domain.Ledger.AccountCode.Personal(Region, Zhang);

        // March is run before the employer pays: unpaid, so not credited.
        var march = await runner.RunAsync(Region, new YearMonth(2025, 3));
        Assert.True(march.Run.SkippedByReason.ContainsKey(CreditingRunSkips.ContributionUnpaid));
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, zhang));

        // The back-pay credits March and April under the run's keys...
        await Poster(t.Db).PostAsync(We10());
        Assert.Equal(Yuan("320.00"), await BalanceAsync(t.Db, zhang));

        // ...so April's run, after it, finds Zhang's month done and credits nothing twice.
        var april = await runner.RunAsync(Region, new YearMonth(2025, 4));
        Assert.Equal(1, april.Run.SkippedByReason.GetValueOrDefault(CreditingRunSkips.AlreadyCredited));
        Assert.Equal(Yuan("320.00"), await BalanceAsync(t.Db, zhang));
        Assert.Equal(2, await ScalarAsync(t.Db, $"SELECT COUNT(*) FROM journal_entry WHERE idempotency_key LIKE 'credit/990100/%/{Zhang}'"));
    }

    [Fact]
    public async Task Employer_caused_back_pay_takes_the_declared_wage_on_record_as_the_base()
    {
        await using var t = await NewDb();
        var posting = await Poster(t.Db).PostAsync(Request(Zhang, ArrearsCause.Employer, "2025-05-20", null, null, "2025-03", "2025-04"));
        Assert.Equal(Yuan("1600.00"), posting.Principal);
    }

    [Fact]
    public async Task Owed_months_on_record_are_filled_in_as_paid()
    {
        await using var t = await NewDb();
        await ContributionsAsync(t.Db, Li, paid: false, "2025-01", "2025-02", "2025-03", "2025-04");

        await Poster(t.Db).PostAsync(We09());

        // The owed rows take the payment (the records' own source stays); no new row is added.
        Assert.Equal(4, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM contribution WHERE paid_date IS NOT NULL AND source = 'test' AND individual_part = 70000"));
        Assert.Equal(4, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM contribution"));
    }

    [Fact]
    public async Task Owed_months_on_record_with_other_figures_are_a_conflict_and_nothing_is_written()
    {
        await using var t = await NewDb();
        await ContributionsAsync(t.Db, Li, paid: false, "2025-01", "2025-02", "2025-03", "2025-04");
        var counts = await CountsAsync(t.Db);

        var error = await Assert.ThrowsAsync<YibaoException>(() => Poster(t.Db).PostAsync(We09("0.12")));

        Assert.Equal("contribution-conflict", error.Error.Code?.Value);
        Assert.Equal(counts, await CountsAsync(t.Db));
    }

    [Fact]
    public async Task A_backfilled_gap_of_three_months_is_covered_retroactively_and_benefits_start_in_the_payment_month()
    {
        // WE-13's shape: paid through 2025-02, 2025-03…05 back-paid on 2025-06-12 (K9).
        await using var t = await NewDb();
        await ContributionsAsync(t.Db, Li, paid: true, "2025-01", "2025-02");

        var posting = await Poster(t.Db).PostAsync(Request(Li, ArrearsCause.Individual, "2025-06-12", "7000.00", "0.10", "2025-03", "2025-04", "2025-05"));

        var status = await Poster(t.Db).GetBenefitStatusAsync(Region, Li);
        Assert.Equal(posting.BenefitStatus.Select(s => (s.Kind, s.From, s.To)), status.Select(s => (s.Kind, s.From, s.To)));
        Assert.Equal(
            [(BenefitStatusKind.Retroactive, new DateOnly(2025, 3, 1), (DateOnly?)new DateOnly(2025, 5, 31)),
             (BenefitStatusKind.BenefitsFrom, new DateOnly(2025, 6, 1), null)],
            status.Select(s => (s.Kind, s.From, s.To)));
        Assert.All(status, s => Assert.Equal(posting.Key, s.BackfillKey));
    }

    [Fact]
    public async Task A_backfilled_gap_of_four_months_waits_the_regions_six_months()
    {
        await using var t = await NewDb();
        await ContributionsAsync(t.Db, Li, paid: true, "2025-02");

        await Poster(t.Db).PostAsync(Request(Li, ArrearsCause.Individual, "2025-07-10", "7000.00", "0.10", "2025-03", "2025-04", "2025-05", "2025-06"));

        var status = await Poster(t.Db).GetBenefitStatusAsync(Region, Li);
        Assert.Equal(
            [(BenefitStatusKind.Waiting, new DateOnly(2025, 7, 1), (DateOnly?)new DateOnly(2025, 12, 31)),
             (BenefitStatusKind.BenefitsFrom, new DateOnly(2026, 1, 1), null)],
            status.Select(s => (s.Kind, s.From, s.To)));
    }

    [Fact]
    public async Task The_quote_reads_the_facts_on_record_and_writes_nothing()
    {
        await using var t = await NewDb();
        var quote = await Poster(t.Db).QuoteAsync(We10());

        Assert.Equal(Yuan("1628.00"), quote.Answer.Total);
        Assert.NotEmpty(quote.Answer.Reasons);
        Assert.Equal((0L, 0L, 0L, 0L), await CountsAsync(t.Db));
    }
}

public sealed class SqliteBackfillPosterTests() : BackfillPosterTests(Engine.Sqlite);
public sealed class PostgresBackfillPosterTests() : BackfillPosterTests(Engine.Postgres);
