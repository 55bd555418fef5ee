using Yibao.Domain.Errors;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.WaitingPeriod;
using Yibao.Domain.Tests.Features.Crediting;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.WaitingPeriod;

/// <summary>Employer-caused arrears in the same region (WE-15): deferred until paid, then retroactive where the region says so.</summary>
public class EmployerArrearsTests
{
    private static readonly DateOnly Bill = new(2025, 4, 10);
    private static readonly DateOnly EmployerPaid = new(2025, 5, 20);

    private static EmployerArrearsAnswer Decide(DateOnly asOf, DateOnly? paid, WaitingPeriodPolicy? policy = null) =>
        EmployerArrearsDecision.Decide(new EmployerArrearsFacts(Bill, paid, asOf), policy ?? WaitingPeriodPolicy.From(TestPacks.Real("990100", asOf)), Explanation.Build());

    [Fact]
    public void Before_the_employer_pays_fund_settlement_is_deferred()
    {
        var answer = Decide(new DateOnly(2025, 5, 19), EmployerPaid);
        Assert.Equal(ArrearsCoverStatus.Deferred, answer.Status);
        Assert.Equal(Codes.EmployerArrearsUnpaid, answer.Code);
        Assert.Equal(ArrearsCoverStatus.Deferred, Decide(new DateOnly(2025, 5, 19), null).Status);
    }

    [Fact]
    public void After_the_employer_pays_the_bill_is_eligible_and_the_employee_pays_no_late_fee()
    {
        var answer = Decide(EmployerPaid, EmployerPaid);
        Assert.Equal(ArrearsCoverStatus.Eligible, answer.Status);
        Assert.Equal(DMoney.Zero, answer.EmployeeLateFee);
        Assert.Contains(answer.Reasons, r => r.RuleId == "waiting-period.employer-arrears-retroactive");
    }

    [Fact]
    public void A_region_without_retroactive_cover_leaves_the_arrears_period_uncovered()
    {
        var book = TestPacks.Load("", TestPacks.Version("demo", "2022-01-01", TestPacks.Rules(("waiting-period.employer-arrears-retroactive", "false"))));
        var policy = WaitingPeriodPolicy.From(book.For(TestPacks.Demo, EmployerPaid));
        var answer = Decide(EmployerPaid, EmployerPaid, policy);
        Assert.Equal(ArrearsCoverStatus.NotEligible, answer.Status);
        Assert.Equal(Codes.ArrearsPeriodNotCovered, answer.Code);
    }
}
