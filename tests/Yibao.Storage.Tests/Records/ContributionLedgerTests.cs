using Yibao.Domain.Features.Records;
using Yibao.Domain.Ledger;
using Yibao.Domain.Time;
using Yibao.Storage.Backfill;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using static Yibao.Storage.Tests.Records.RecordsFixtures;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Records;

/// <summary>A recorded contribution is money: billed when due, received into the pooled fund when paid; on each engine.</summary>
public abstract class ContributionLedgerTests(Engine engine)
{
    private Task<TestDatabase> NewDb() => TestDatabase.CreateAsync(engine);

    private static ContributionLine Line(long line, int person, string month, string? name = null, int? employer = 1,
        string employerPart = "640.00", string individualPart = "160.00", string? paid = null) =>
        new(line, Person(person).Value, name, employer is { } e ? EmployerCode(e).Value : null, month, "8000.00", employerPart, individualPart,
            month + "-28", paid);

    private static async Task<ImportSummary> ImportAsync(YibaoDatabase db, params ContributionLine[] lines) =>
        await new ContributionImporter(db, Clock).ImportAsync(Region, Lines(lines), "import:test.csv");

    private static async Task<Money> BalanceAsync(YibaoDatabase db, AccountKind kind)
    {
        try
        {
            return (await new LedgerStore(db, Clock).GetBalanceAsync(AccountCode.Of(Region, kind))).Total;
        }
        catch (Domain.Errors.YibaoException e) when (e.Error.Is(Domain.Errors.Codes.UnknownAccount))
        {
            return Money.Zero;
        }
    }

    private static async Task<(Money Fund, Money Employer, Money Insured, Money Billed, Money Bank)> BooksAsync(YibaoDatabase db) =>
        (await BalanceAsync(db, AccountKind.PooledFund), await BalanceAsync(db, AccountKind.EmployerReceivable), await BalanceAsync(db, AccountKind.InsuredReceivable),
         await BalanceAsync(db, AccountKind.ContributionsBilled), await BalanceAsync(db, AccountKind.BankClearing));

    [Fact]
    public async Task An_import_bills_each_month_when_due_and_receives_each_payment_into_the_pooled_fund()
    {
        await using var t = await NewDb();
        await ReadyAsync(t.Db);

        var summary = await ImportAsync(t.Db,
            Line(2, 1, "2025-01", name: "甲", paid: "2025-01-25"),
            Line(3, 1, "2025-02", name: "甲"),                                                       // due, not paid
            Line(4, 2, "2025-01", name: "灵活乙", employer: null, employerPart: "0.00", individualPart: "600.00", paid: "2025-02-03"),
            Line(5, 3, "2025-01", name: "零丙", employerPart: "0.00", individualPart: "0.00"));      // owes nothing: no entry

        Assert.True(summary.Committed);
        var books = await BooksAsync(t.Db);
        Assert.Equal(Money.Parse("1400.00"), books.Fund);             // 800.00 + 600.00 received
        Assert.Equal(Money.Parse("-800.00"), books.Employer);         // 2025-02 owed by employer 1
        Assert.Equal(Money.Zero, books.Insured);                      // the flexible worker paid
        Assert.Equal(Money.Parse("800.00"), books.Billed);
        Assert.Equal(Money.Parse("-1400.00"), books.Bank);            // arrived through bank clearing
        var ledger = new LedgerStore(t.Db, Clock);
        var due = await ledger.GetEntryByKeyAsync($"contribution-due/990100/{Person(1).Value}/2025-02");
        Assert.NotNull(due);
        Assert.Equal(ContributionEntries.DueReason, due.ReasonCode);
        Assert.Equal(new DateOnly(2025, 2, 28), due.BusinessDate);
        Assert.Contains(EmployerCode(1).Value, due.Memo, StringComparison.Ordinal);
        var paid = await ledger.GetEntryByKeyAsync($"contribution-paid/990100/{Person(2).Value}/2025-01");
        Assert.NotNull(paid);
        Assert.Equal(new DateOnly(2025, 2, 3), paid.BusinessDate);
        Assert.Equal(Money.Parse("600.00"), paid.Postings.Single(p => p.Account.Kind == AccountKind.PooledFund).Amount);
        Assert.Equal(Money.Parse("600.00"), paid.Postings.Single(p => p.Account.Kind == AccountKind.InsuredReceivable).Amount);
        Assert.Null(await ledger.GetEntryByKeyAsync($"contribution-due/990100/{Person(3).Value}/2025-01"));
        Assert.Equal(5, await CountAsync(t.Db, "journal_entry"));     // three dues, two payments

        var report = await FundQueries.GetAsync(t.Db, Region);
        Assert.Equal(Money.Parse("1400.00"), report.Balance);
        Assert.Equal(Money.Parse("800.00"), report.EmployerReceivable);
        Assert.Equal(1, report.UnpaidMonths);
        Assert.Equal(["2025-01", "2025-02"], report.Months.Select(m => m.Month.ToString()));
        Assert.Equal(Money.Parse("800.00"), report.Months[0].Contributions);
        Assert.Equal(Money.Parse("600.00"), report.Months[1].Contributions);
    }

    [Fact]
    public async Task Sending_a_month_again_writes_nothing_and_adding_its_paid_date_posts_the_payment_once()
    {
        await using var t = await NewDb();
        await ReadyAsync(t.Db);
        ContributionLine[] file = [Line(2, 1, "2025-01", name: "甲", paid: "2025-01-25"), Line(3, 1, "2025-02", name: "甲")];
        await ImportAsync(t.Db, file);
        var entries = await CountAsync(t.Db, "journal_entry");
        var books = await BooksAsync(t.Db);

        var again = await ImportAsync(t.Db, file);
        Assert.Equal(2, again.Unchanged);
        Assert.Equal(entries, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(books, await BooksAsync(t.Db));

        var payment = await ImportAsync(t.Db, Line(2, 1, "2025-02", name: "甲", paid: "2025-03-05"));
        Assert.Equal(1, payment.PaymentsRecorded);
        Assert.Equal(entries + 1, await CountAsync(t.Db, "journal_entry"));
        var paid = await BooksAsync(t.Db);
        Assert.Equal((Money.Parse("1600.00"), Money.Zero, Money.Zero, Money.Zero, Money.Parse("-1600.00")), paid);

        // The payment again, and the earlier unpaid version of the month: nothing.
        await ImportAsync(t.Db, Line(2, 1, "2025-02", name: "甲", paid: "2025-03-05"));
        await ImportAsync(t.Db, Line(2, 1, "2025-02", name: "甲"));
        await Store(t.Db).RecordContributionsAsync(Region, [Row(1, "2025-02", paid: "2025-03-05")]);
        Assert.Equal(entries + 1, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(paid, await BooksAsync(t.Db));
    }

    [Fact]
    public async Task The_API_path_posts_the_same_entries_under_the_same_keys()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));

        await store.RecordContributionsAsync(Region, [Row(1, "2025-01", paid: "2025-01-20"), Row(1, "2025-02")]);
        var afterApi = await CountAsync(t.Db, "journal_entry");
        await ImportAsync(t.Db, Line(2, 1, "2025-01", paid: "2025-01-20"), Line(3, 1, "2025-02"));

        Assert.Equal(3, afterApi);
        Assert.Equal(afterApi, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(Money.Parse("800.00"), await BalanceAsync(t.Db, AccountKind.PooledFund));
        Assert.NotNull(await new LedgerStore(t.Db, Clock).GetEntryByKeyAsync($"contribution-paid/990100/{Person(1).Value}/2025-01"));
    }

    [Fact]
    public async Task A_refused_file_posts_nothing()
    {
        await using var t = await NewDb();
        await ReadyAsync(t.Db);

        var summary = await ImportAsync(t.Db, Line(2, 1, "2025-01", name: "甲", paid: "2025-01-25"), Line(3, 9, "2025-01")); // person 9 unknown, no name

        Assert.False(summary.Committed);
        Assert.Equal(0, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(0, await CountAsync(t.Db, "contribution"));
    }

    [Fact]
    public async Task A_big_file_posts_in_several_bulk_writes_and_the_books_agree_with_the_records()
    {
        await using var t = await NewDb();
        await ReadyAsync(t.Db);
        // More entries than one bulk flush holds, paid on many different days.
        const int people = 4_500;
        var lines = Enumerable.Range(1, people).Select(n => Line(n + 1, n, "2025-03", name: $"参保人{n}", employer: 1 + n % 2,
            paid: n % 10 == 0 ? null : $"2025-03-{1 + n % 28:D2}"));

        var summary = await ImportAsync(t.Db, [.. lines]);

        Assert.True(summary.Committed);
        var unpaid = people / 10;
        Assert.Equal(people + people - unpaid, await CountAsync(t.Db, "journal_entry"));
        var books = await BooksAsync(t.Db);
        Assert.Equal(Money.Parse("800.00").MultiplyRoundHalfAwayFromZero((decimal)(people - unpaid)), books.Fund);
        Assert.Equal(-Money.Parse("800.00").MultiplyRoundHalfAwayFromZero((decimal)unpaid), books.Employer);
    }

    [Fact]
    public async Task Back_pay_of_a_billed_month_takes_its_billing_back_and_the_fund_receives_the_principal_once()
    {
        await using var t = await NewDb();
        await Backfill.BackfillFixtures.SeedAsync(t.Db);
        // 李女士's 2025-01 … 04 billed (owed), then back-paid (WE-09: base 7,000.00 at 10%).
        await Backfill.BackfillFixtures.ContributionsAsync(t.Db, Backfill.BackfillFixtures.Li, paid: false, "2025-01", "2025-02", "2025-03", "2025-04");
        Assert.Equal(Money.Parse("2800.00"), await BalanceAsync(t.Db, AccountKind.ContributionsBilled));

        var posted = await Backfill.BackfillFixtures.Poster(t.Db).PostAsync(Backfill.BackfillFixtures.We09());

        Assert.Equal(Money.Parse("2800.00"), posted.Principal);
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, AccountKind.ContributionsBilled));
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, AccountKind.InsuredReceivable));
        var report = await FundQueries.GetAsync(t.Db, Region);
        Assert.Equal(Money.Parse("2800.00"), report.Months.Sum(m => m.BackPay.Fen) is var fen ? Money.FromFen(fen) : Money.Zero);
        Assert.Equal(0, report.UnpaidMonths);
        Assert.NotNull(await new LedgerStore(t.Db, Clock).GetEntryByKeyAsync(
            $"contribution-backfilled/990100/{Backfill.BackfillFixtures.Li}/2025-03"));
    }

    [Fact]
    public async Task A_month_recorded_before_contributions_reached_the_ledger_is_posted_when_its_payment_comes()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));
        // As migration 0008 leaves the rows of an older database: on record, unpaid, no entries.
        await t.Db.InTransactionAsync(async s =>
        {
            await using var cmd = s.Command(
                    "INSERT INTO contribution (region_code, insured_id, employer_id, month, base, employer_part, individual_part, due_date, paid_date, source, in_ledger) " +
                    "SELECT '990100', i.id, e.id, '2025-01', 800000, 64000, 16000, @due, NULL, 'before-0008', 0 FROM insured i, employer e WHERE e.credit_code = @e")
                .With("due", new DateOnly(2025, 1, 31)).With("e", EmployerCode(1).Value);
            return await cmd.ExecuteNonQueryAsync();
        });
        Assert.True((await LedgerVerifier.VerifyAsync(t.Db)).Ok);     // left out: it never was money in this ledger

        var results = await store.RecordContributionsAsync(Region, [Row(1, "2025-01", paid: "2025-03-01")]);

        Assert.Equal(ContributionOutcome.PaymentRecorded, Assert.Single(results).Outcome);
        Assert.Equal(Money.Parse("800.00"), await BalanceAsync(t.Db, AccountKind.PooledFund));
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, AccountKind.EmployerReceivable));
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, AccountKind.ContributionsBilled));
        Assert.Equal(2, await CountAsync(t.Db, "journal_entry"));      // its due entry and its payment
    }

    [Fact]
    public async Task Verify_finds_a_paid_month_whose_money_is_not_in_the_fund()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));
        await store.RecordContributionsAsync(Region, [Row(1, "2025-01", paid: "2025-01-20"), Row(1, "2025-02")]);
        Assert.True((await LedgerVerifier.VerifyAsync(t.Db)).Ok);
        t.VerifyOnDispose = false;

        await t.Db.InTransactionAsync(async s =>
        {
            await using var cmd = s.Command(
                    "INSERT INTO contribution (region_code, insured_id, employer_id, month, base, employer_part, individual_part, due_date, paid_date, source) " +
                    "SELECT '990100', id, NULL, '2025-03', 800000, 64000, 16000, @d, @d, 'sql' FROM insured")
                .With("d", new DateOnly(2025, 3, 31));
            return await cmd.ExecuteNonQueryAsync();
        });
        var report = await LedgerVerifier.VerifyAsync(t.Db);

        Assert.False(report.Ok);
        var violation = Assert.Single(report.Violations);
        Assert.Equal("fund-income-equals-paid-contributions", violation.Invariant);
        Assert.Contains("990100", violation.Detail, StringComparison.Ordinal);
    }
}

public sealed class SqliteContributionLedgerTests() : ContributionLedgerTests(Engine.Sqlite);
public sealed class PostgresContributionLedgerTests() : ContributionLedgerTests(Engine.Postgres);
