using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.Crediting;

/// <summary>宁波-style yearly pre-credit and year-end claw-back (seed 003, A1.3, WE-06), on the real 330200 pack.</summary>
public class YearlyPreCreditTests
{
    private static readonly DMoney Monthly = DMoney.Parse("160.00");
    private static readonly YearMonth May2024 = new(2024, 5);

    private static CreditingPolicy Ningbo(DateOnly on) => CreditingPolicy.From(TestPacks.Real("330200", on));

    [Fact]
    public void Insurance_year_runs_from_first_of_May_to_thirtieth_of_April()
    {
        var year = Ningbo(new DateOnly(2024, 5, 1)).InsuranceYearOf(new YearMonth(2025, 2));
        Assert.Equal(new DateOnly(2024, 5, 1), year.Start);
        Assert.Equal(new DateOnly(2025, 4, 30), year.End);
    }

    [Fact]
    public void Continuing_member_is_pre_credited_twelve_months_on_the_first_day_of_the_year()
    {
        var answer = YearlyPreCreditDecision.PreCredit(new PreCreditFacts(May2024, Monthly), Ningbo(new DateOnly(2024, 5, 1)), Explanation.Build());
        Assert.True(answer.Allowed);
        Assert.Equal(12, answer.Months);
        Assert.Equal(DMoney.Parse("1920.00"), answer.Amount);
        Assert.Equal(new DateOnly(2024, 5, 1), answer.CreditedOn);
        Assert.Contains(answer.Reasons, r => r.RuleId == "crediting.yearly-pre-credit");
    }

    [Fact]
    public void New_member_is_pre_credited_from_the_month_after_the_first_contribution_to_the_year_end()
    {
        var answer = YearlyPreCreditDecision.PreCredit(new PreCreditFacts(May2024, Monthly, new YearMonth(2024, 8)), Ningbo(new DateOnly(2024, 8, 1)), Explanation.Build());
        Assert.Equal(8, answer.Months);
        Assert.Equal(new YearMonth(2024, 9), answer.FromMonth);
        Assert.Equal(new YearMonth(2025, 4), answer.ToMonth);
        Assert.Equal(DMoney.Parse("1280.00"), answer.Amount);
    }

    [Fact]
    public void New_member_joining_in_the_last_month_gets_no_pre_credit()
    {
        var answer = YearlyPreCreditDecision.PreCredit(new PreCreditFacts(May2024, Monthly, new YearMonth(2025, 4)), Ningbo(new DateOnly(2025, 4, 1)), Explanation.None);
        Assert.Equal(0, answer.Months);
        Assert.Equal(DMoney.Zero, answer.Amount);
    }

    [Fact]
    public void Unpaid_months_are_clawed_back_at_the_year_end()
    {
        var paid = Enumerable.Range(0, 9).Select(i => May2024.AddMonths(i)).ToHashSet(); // 2024-05 … 2025-01
        var answer = YearlyPreCreditDecision.ClawBack(new ClawBackFacts(May2024, Monthly, May2024, paid), Ningbo(new DateOnly(2025, 4, 30)), Explanation.Build());
        Assert.Equal([new YearMonth(2025, 2), new YearMonth(2025, 3), new YearMonth(2025, 4)], answer.UnpaidMonths);
        Assert.Equal(DMoney.Parse("480.00"), answer.ClawBack);
        Assert.Equal(new DateOnly(2025, 4, 30), answer.SettledOn);
    }

    [Fact]
    public void A_region_that_credits_monthly_refuses_the_pre_credit()
    {
        var policy = CreditingPolicy.From(TestPacks.Real("990100", new DateOnly(2025, 1, 1)));
        var answer = YearlyPreCreditDecision.PreCredit(new PreCreditFacts(new YearMonth(2025, 1), Monthly), policy, Explanation.Build());
        Assert.False(answer.Allowed);
        Assert.Equal(Codes.NoYearlyPreCredit, answer.RefusalCode);
        Assert.Equal(new DateOnly(2025, 1, 1), answer.Year.Start); // the calendar year by default
    }

    [Fact]
    public void First_contribution_after_the_year_is_an_error()
    {
        var error = Assert.Throws<YibaoException>(() =>
            YearlyPreCreditDecision.PreCredit(new PreCreditFacts(May2024, Monthly, new YearMonth(2025, 6)), Ningbo(new DateOnly(2024, 5, 1)), Explanation.None));
        Assert.Equal("invalid-field", error.Error.Code?.Value);
    }
}
