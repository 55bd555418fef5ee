using Yibao.Domain.Errors;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Gaps;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.Records;

public sealed class GapDetectionTests
{
    private static readonly CreditCode A = CreditCode.Create('9', '1', RegionCode.Demo, "MA000001");
    private static readonly CreditCode B = CreditCode.Create('9', '1', RegionCode.Demo, "MA000002");

    private static DateOnly D(string s) => Dates.Parse(s);
    private static YearMonth M(string s) => YearMonth.Parse(s);

    private static ContributionMonth Paid(string month, CreditCode? by = null) =>
        new(M(month), by ?? A, DMoney.Parse("8000"), DMoney.Parse("640"), DMoney.Parse("160"), M(month).LastDay, M(month).LastDay);

    private static ContributionMonth Unpaid(string month, CreditCode? by = null) => Paid(month, by) with { PaidDate = null };

    private static (string, ArrearsCause, GapReason)[] Gaps(GapReport report) =>
        report.Months.Select(g => (g.Month.ToString(), g.Cause, g.Reason)).ToArray();

    [Fact]
    public void An_employed_month_without_a_paid_contribution_is_the_employers_gap()
    {
        var history = StatusHistory.Enrol(D("2025-01-01"), InsuredState.Employed, A);

        var report = GapDetection.Find(InsuredScheme.Employee, history, [Paid("2025-01"), Unpaid("2025-02")], null, M("2025-03"));

        Assert.Equal([("2025-02", ArrearsCause.Employer, GapReason.Unpaid), ("2025-03", ArrearsCause.Employer, GapReason.Missing)], Gaps(report));
        Assert.All(report.Months, g => Assert.Equal(A, g.Employer));
        Assert.Equal(Unpaid("2025-02"), report.Months[0].Contribution);
        Assert.Equal(2, report.EmployerMonths);
    }

    [Fact]
    public void A_flexible_workers_unpaid_month_is_their_own_gap()
    {
        var history = StatusHistory.Enrol(D("2025-01-01"), InsuredState.FlexibleEmployed, null);

        var report = GapDetection.Find(InsuredScheme.Employee, history, [Paid("2025-01", by: null) with { Employer = null }], null, M("2025-02"));

        var gap = Assert.Single(report.Months);
        Assert.Equal((M("2025-02"), ArrearsCause.Individual, (CreditCode?)null, GapReason.Missing), (gap.Month, gap.Cause, gap.Employer, gap.Reason));
        Assert.Equal(1, report.IndividualMonths);
    }

    [Fact]
    public void Hired_on_the_first_the_month_is_owed_hired_mid_month_it_is_not()
    {
        var onFirst = StatusHistory.Enrol(D("2025-03-01"), InsuredState.Employed, A);
        var midMonth = StatusHistory.Enrol(D("2025-03-15"), InsuredState.Employed, A);

        Assert.Equal(M("2025-03"), GapDetection.FirstCountedMonth(D("2025-03-01")));
        Assert.Equal(M("2025-04"), GapDetection.FirstCountedMonth(D("2025-03-15")));
        Assert.Equal(["2025-03", "2025-04"], GapDetection.Find(InsuredScheme.Employee, onFirst, [], null, M("2025-04")).Months.Select(g => g.Month.ToString()));
        Assert.Equal(["2025-04"], GapDetection.Find(InsuredScheme.Employee, midMonth, [], null, M("2025-04")).Months.Select(g => g.Month.ToString()));
        // Asking from before the enrolment starts the count at enrolment.
        Assert.Equal(["2025-04"], GapDetection.Find(InsuredScheme.Employee, midMonth, [], M("2024-01"), M("2025-04")).Months.Select(g => g.Month.ToString()));
    }

    [Fact]
    public void A_change_of_employer_mid_month_leaves_that_month_with_the_old_employer()
    {
        var history = StatusHistory.Enrol(D("2025-01-01"), InsuredState.Employed, A)
            .Append(StatusEventKind.Leave, D("2025-02-10")).Append(StatusEventKind.Hire, D("2025-02-10"), B);

        var report = GapDetection.Find(InsuredScheme.Employee, history, [], null, M("2025-03"));

        Assert.Equal([A, A, B], report.Months.Select(g => g.Employer!.Value).ToArray());
    }

    [Fact]
    public void Retired_suspended_and_deceased_months_are_owed_by_nobody()
    {
        var history = StatusHistory.Enrol(D("2025-01-01"), InsuredState.Employed, A)
            .Append(StatusEventKind.Leave, D("2025-02-01"))
            .Append(StatusEventKind.Rejoin, D("2025-04-01"))
            .Append(StatusEventKind.Retire, D("2025-06-01"))
            .Append(StatusEventKind.Die, D("2025-08-20"));

        var report = GapDetection.Find(InsuredScheme.Employee, history, [], null, M("2025-10"));

        Assert.Equal([("2025-01", ArrearsCause.Employer, GapReason.Missing), ("2025-04", ArrearsCause.Individual, GapReason.Missing),
                      ("2025-05", ArrearsCause.Individual, GapReason.Missing)], Gaps(report));
    }

    [Fact]
    public void Resident_scheme_has_no_monthly_gaps()
    {
        var history = StatusHistory.Enrol(D("2025-01-01"), InsuredState.FlexibleEmployed, null);

        Assert.Empty(GapDetection.Find(InsuredScheme.Resident, history, [], null, M("2025-12")).Months);
    }

    [Fact]
    public void A_range_that_ends_before_it_starts_is_refused()
    {
        var history = StatusHistory.Enrol(D("2025-01-01"), InsuredState.Employed, A);

        Assert.Equal("invalid-date-range", Assert.Throws<YibaoException>(() => GapDetection.Find(InsuredScheme.Employee, history, [], M("2025-05"), M("2025-04"))).Error.Code?.Value);
        Assert.Empty(GapDetection.Find(InsuredScheme.Employee, history, [], null, M("2024-12")).Months);
    }
}
