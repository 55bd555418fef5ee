using Yibao.Domain.Features.Records;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using static Yibao.Storage.Tests.Records.RecordsFixtures;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Records;

/// <summary>The all-or-nothing import of contribution rows, on each engine.</summary>
public abstract class ContributionImportTests(Engine engine)
{
    private Task<TestDatabase> NewDb() => TestDatabase.CreateAsync(engine);

    private static ContributionLine Line(long line, int person, string month, string? name = null, int? employer = 1,
        string basis = "8000.00", string employerPart = "640.00", string individualPart = "160.00", string? due = null, string? paid = null) =>
        new(line, Person(person).Value, name, employer is { } e ? EmployerCode(e).Value : null, month, basis, employerPart, individualPart,
            due ?? month + "-28", paid);

    private static async Task<(ImportSummary Summary, List<BadRow> Bad)> ImportAsync(YibaoDatabase db, params ContributionLine[] lines)
    {
        var bad = new List<BadRow>();
        var summary = await new ContributionImporter(db, Clock).ImportAsync(Region, Lines(lines), "import:test.csv", bad.Add);
        return (summary, bad);
    }

    [Fact]
    public async Task A_good_file_is_taken_whole_and_enrols_the_people_it_names()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));

        var (summary, bad) = await ImportAsync(t.Db,
            Line(2, 1, "2025-01"),
            Line(3, 1, "2025-02", paid: "2025-02-25"),
            Line(4, 2, "2025-01", name: "新人甲", employer: 2),
            Line(5, 3, "2025-01", name: "灵活乙", employer: null, employerPart: "0.00", individualPart: "600.00"));

        Assert.Empty(bad);
        Assert.True(summary.Committed);
        Assert.Equal((4L, 4L, 2L), (summary.Rows, summary.Recorded, summary.PeopleEnrolled));
        var newcomer = (await store.GetInsuredAsync(Region, Person(2)))!;
        Assert.Equal(InsuredState.Employed, newcomer.Status);
        Assert.Equal(EmployerCode(2), newcomer.Employer);
        Assert.Equal(new DateOnly(2025, 1, 1), newcomer.EnrolledOn);
        Assert.Equal(InsuredState.FlexibleEmployed, (await store.GetInsuredAsync(Region, Person(3)))!.Status);
        Assert.Equal(Money.Zero, (await new LedgerStore(t.Db, Clock).GetBalanceAsync(newcomer.Account)).Total);
        Assert.Equal(4, await CountAsync(t.Db, "contribution"));
    }

    [Fact]
    public async Task Sending_the_same_file_again_changes_nothing_and_a_payment_file_pays_the_months()
    {
        await using var t = await NewDb();
        await ReadyAsync(t.Db);
        ContributionLine[] dues = [Line(2, 1, "2025-01", name: "甲"), Line(3, 1, "2025-02", name: "甲")];
        await ImportAsync(t.Db, dues);

        var (again, _) = await ImportAsync(t.Db, dues);
        var (payments, bad) = await ImportAsync(t.Db, Line(2, 1, "2025-01", name: "甲", paid: "2025-03-01"), Line(3, 1, "2025-02", name: "甲", paid: "2025-03-01"));

        Assert.Equal((2L, 0L, 0L), (again.Unchanged, again.Recorded, again.PeopleEnrolled));
        Assert.Empty(bad);
        Assert.Equal(2, payments.PaymentsRecorded);
        Assert.All(await Store(t.Db).GetContributionsAsync(Region, Person(1)), m => Assert.Equal(new DateOnly(2025, 3, 1), m.PaidDate));
    }

    [Fact]
    public async Task A_file_with_bad_rows_writes_nothing_and_reports_every_bad_row_with_its_line()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));
        var before = await CountsAsync(t.Db);

        var (summary, bad) = await ImportAsync(t.Db,
            Line(2, 1, "2025-01"),                                      // good
            Line(3, 4, "2025-01", name: "新人"),                         // good: enrols a person, rolled back with the rest
            Line(4, 1, "2025-13"),                                      // malformed month
            Line(5, 1, "2025-02", basis: "8000.001"),                   // three decimals
            Line(6, 1, "2025-03", individualPart: "-1.00"),             // negative
            Line(7, 1, "2025-04", employer: 9),                         // unknown employer
            Line(8, 2, "2025-01"),                                      // unknown person, no name
            Line(9, 1, "2025-05", name: "别人"),                         // name differs from the record
            Line(10, 1, "2025-01", basis: "9000.00"),                   // conflicts with line 2 of the same file
            Line(11, 1, "2025-06", due: "2025-05-31"),                  // due before the month begins
            new ContributionLine(12, null, null, null, null, null, null, null, null, null)
            {
                FormatError = Yibao.Domain.Errors.ErrorCatalog.InvalidCsvRow("3 fields, expected 9", "3 个字段,应为 9 个"),
            });

        Assert.False(summary.Committed);
        Assert.Equal(9, summary.BadRows);
        Assert.Equal(
            [(4L, "invalid-month"), (5L, "invalid-amount"), (6L, "amount-negative"), (7L, "unknown-employer"), (8L, "unknown-insured"),
             (9L, "insured-name-mismatch"), (10L, "contribution-conflict"), (11L, "invalid-date-range"), (12L, "invalid-csv-row")],
            bad.Select(b => (b.Line, b.Error.Code.Value)).ToArray());
        Assert.All(bad, b => Assert.False(string.IsNullOrEmpty(b.Error.MessageZh) || string.IsNullOrEmpty(b.Error.MessageEn)));
        Assert.Equal(before, await CountsAsync(t.Db));
    }

    [Fact]
    public async Task Bad_rows_across_several_batches_are_reported_in_file_order()
    {
        await using var t = await NewDb();
        await ReadyAsync(t.Db);
        var lines = Enumerable.Range(0, ContributionWriter.BatchSize * 2 + 10).Select(i =>
            i % 97 == 0 ? Line(i + 2, i, "2025-01", name: "甲", basis: "bad")
            : i % 89 == 0 ? Line(i + 2, i, "2025-01")                    // unknown, no name
            : Line(i + 2, i, "2025-01", name: "甲")).ToArray();

        var (summary, bad) = await ImportAsync(t.Db, lines);

        var expected = Enumerable.Range(0, lines.Length).Where(i => i % 97 == 0 || i % 89 == 0).Select(i => (long)i + 2).ToArray();
        Assert.Equal(expected, bad.Select(b => b.Line).ToArray());
        Assert.False(summary.Committed);
        Assert.Equal(0, await CountAsync(t.Db, "insured"));
        Assert.Equal(0, await CountAsync(t.Db, "ledger_account"));
    }
}

public sealed class SqliteContributionImportTests() : ContributionImportTests(Engine.Sqlite);
public sealed class PostgresContributionImportTests() : ContributionImportTests(Engine.Postgres);
