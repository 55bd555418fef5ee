using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.Records;

public sealed class RecordValidationTests
{
    private static readonly DateOnly Today = new(2025, 11, 15);
    private static readonly string Person = IdNumber.Create(RegionCode.Demo, new DateOnly(1985, 3, 4), 123).Value;
    private static readonly string Employer = CreditCode.Create('9', '1', RegionCode.Demo, "MA000001").Value;

    private static Refusal Refusal(Action act) => Assert.Throws<YibaoException>(act).Error;

    private static ContributionMonth Month(string month = "2025-05", string basis = "8000.00", string employerPart = "640.00", string individualPart = "160.00",
        string due = "2025-05-31", string? paid = null, string? employer = null) =>
        ContributionMonth.Create(month, employer ?? Employer, basis, employerPart, individualPart, due, paid, Today);

    [Fact]
    public void A_contribution_month_parses_its_amounts_to_the_fen()
    {
        var m = Month(paid: "2025-06-10");

        Assert.Equal(DMoney.FromFen(800_00), m.Total);
        Assert.True(m.IsPaid);
        Assert.Equal(new YearMonth(2025, 5), m.Month);
    }

    [Theory]
    [InlineData("2025-5", "8000.00", "640.00", "2025-05-31", null, "invalid-month")]
    [InlineData("2025-05", "8000.001", "640.00", "2025-05-31", null, "invalid-amount")]
    [InlineData("2025-05", "-1.00", "0.00", "2025-05-31", null, "amount-negative")]
    [InlineData("2025-05", "8000.00", "9000.00", "2025-05-31", null, "invalid-field")]
    [InlineData("2025-05", "8000.00", "640.00", "2025-04-30", null, "invalid-date-range")]
    [InlineData("2025-05", "8000.00", "640.00", "2025/05/31", null, "invalid-date")]
    [InlineData("2025-05", "8000.00", "640.00", "2025-05-31", "2025-11-16", "invalid-field")]
    [InlineData("2025-05", "", "640.00", "2025-05-31", null, "missing-field")]
    public void A_malformed_contribution_is_refused_with_its_code(string month, string basis, string employerPart, string due, string? paid, string code)
    {
        Assert.Equal(code, Refusal(() => Month(month, basis, employerPart, due: due, paid: paid)).Code?.Value);
    }

    [Fact]
    public void A_negative_part_names_its_field()
    {
        var error = Refusal(() => Month(individualPart: "-0.01"));

        Assert.Equal("amount-negative", error.Code?.Value);
        Assert.Equal("individualPart", error.Details["field"]);
        Assert.Equal("个人缴费不能为负数", error.MessageZh);
    }

    [Fact]
    public void Recording_a_month_again_is_a_replay_a_payment_or_a_conflict()
    {
        var id = IdNumber.Parse(Person);
        var unpaid = Month();

        Assert.Equal(ContributionOutcome.Unchanged, ContributionReconciliation.Reconcile(id, unpaid, Month()));
        Assert.Equal(ContributionOutcome.PaymentRecorded, ContributionReconciliation.Reconcile(id, unpaid, Month(paid: "2025-06-01")));
        Assert.Equal(ContributionOutcome.Unchanged, ContributionReconciliation.Reconcile(id, Month(paid: "2025-06-01"), Month()));
        Assert.Equal(ContributionOutcome.Unchanged, ContributionReconciliation.Reconcile(id, Month(paid: "2025-06-01"), Month(paid: "2025-06-01")));

        var other = Refusal(() => ContributionReconciliation.Reconcile(id, Month(paid: "2025-06-01"), Month(paid: "2025-06-02")));
        Assert.Equal(("contribution-conflict", "paidDate", "2025-06-01", "2025-06-02"), (other.Code.Value, other.Details["field"], other.Details["stored"], other.Details["given"]));
        Assert.Equal("individualPart", Refusal(() => ContributionReconciliation.Reconcile(id, unpaid, Month(individualPart: "160.01"))).Details["field"]);
        Assert.Equal("employerCreditCode", Refusal(() => ContributionReconciliation.Reconcile(id, unpaid,
            Month(employer: CreditCode.Create('9', '1', RegionCode.Demo, "MA000002").Value))).Details["field"]);
    }

    [Fact]
    public void An_enrolment_validates_every_field_and_the_order_of_its_dates()
    {
        InsuredEnrolment Enrol(string? status = "employed", string? employer = null, string enrolled = "2024-01-01", string? retired = null,
            string? id = null, string? wage = "8000.00", string? nationality = null) =>
            InsuredEnrolment.Create(RegionCode.Demo, id ?? Person, "张三", null, status, employer, wage, enrolled, retired, nationality);

        var ok = Enrol(employer: Employer);
        Assert.Equal((InsuredScheme.Employee, InsuredState.Employed, "CHN"), (ok.Scheme, ok.Status, ok.Nationality));
        Assert.Equal($"990100:personal:{Person}", ok.Account.Value);
        Assert.Equal(new DateOnly(2024, 1, 1), Enrol(status: "retired", enrolled: "2024-01-01").RetirementDate);
        Assert.Equal("KOR", Enrol(status: "flexible", nationality: "kor").Nationality);

        Assert.Equal("invalid-id-number", Refusal(() => Enrol(id: Person[..17] + (Person[17] == '0' ? "1" : "0"))).Code?.Value);
        Assert.Equal("missing-field", Refusal(() => Enrol()).Code?.Value);                                        // employed without employer
        Assert.Equal("invalid-credit-code", Refusal(() => Enrol(employer: Employer[..17] + (Employer[17] == 'A' ? "B" : "A"))).Code?.Value);
        Assert.Equal("invalid-field", Refusal(() => Enrol(status: "suspended")).Code?.Value);
        Assert.Equal("invalid-date-range", Refusal(() => Enrol(status: "flexible", enrolled: "1980-01-01")).Code?.Value);  // before birth
        Assert.Equal("invalid-date-range", Refusal(() => Enrol(status: "retired", retired: "2024-02-01")).Code?.Value);   // retired after enrolling as retired
        Assert.Equal("invalid-field", Refusal(() => Enrol(status: "flexible", retired: "2030-01-01")).Code?.Value);       // a plan is not a fact
        Assert.Equal("amount-negative", Refusal(() => Enrol(status: "flexible", wage: "-5")).Code?.Value);
        Assert.Equal("invalid-field", Refusal(() => Enrol(status: "flexible", nationality: "CN")).Code?.Value);
        Assert.Equal("missing-field", Refusal(() => InsuredEnrolment.Create(RegionCode.Demo, Person, " ", null, null, Employer, null, "2024-01-01", null, null)).Code?.Value);
    }

    [Fact]
    public void A_repeated_enrolment_names_the_first_field_that_differs()
    {
        var enrolment = InsuredEnrolment.Create(RegionCode.Demo, Person, "张三", null, "employed", Employer, "8000.00", "2024-01-01", null, null);
        var record = new InsuredRecord(enrolment.Region, enrolment.IdNumber, enrolment.Name, enrolment.Scheme, enrolment.Status, enrolment.Employer,
            enrolment.DeclaredWage, enrolment.EnrolledOn, null, null, enrolment.Nationality, enrolment.History());

        Assert.Null(record.DifferenceFrom(enrolment));
        Assert.Equal("name", record.DifferenceFrom(enrolment with { Name = "李四" }));
        Assert.Equal("declaredWage", record.DifferenceFrom(enrolment with { DeclaredWage = DMoney.Parse("9000") }));
        Assert.Equal("enrolledOn", record.DifferenceFrom(enrolment with { EnrolledOn = new DateOnly(2024, 2, 1) }));
    }

    [Fact]
    public void An_import_line_keeps_its_format_error_and_its_line()
    {
        var line = new ContributionLine(7, Person, null, Employer, "2025-05", "8000.00", "640.00", "160.00", "2025-05-31", null)
        {
            FormatError = ErrorCatalog.InvalidCsvRow("2 fields, expected 9", "2 个字段,应为 9 个"),
        };

        Assert.False(line.TryParse(Today, out _, out var error));
        Assert.Equal("invalid-csv-row", error!.Code?.Value);
        Assert.True((line with { FormatError = null }).TryParse(Today, out var row, out _));
        Assert.Equal(7, row!.Line);
    }
}
