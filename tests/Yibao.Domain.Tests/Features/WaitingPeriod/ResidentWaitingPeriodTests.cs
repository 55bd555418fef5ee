using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.WaitingPeriod;
using Yibao.Domain.Tests.Features.Crediting;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.WaitingPeriod;

/// <summary>Resident-insurance waiting period, 2025 rule (国办发〔2024〕38号, K10; WE-17…WE-21).</summary>
public class ResidentWaitingPeriodTests
{
    private static readonly DateOnly March10 = new(2025, 3, 10);

    private static WaitingPeriodPolicy Demo(DateOnly on) => WaitingPeriodPolicy.From(TestPacks.Real("990100", on));

    private static ResidentWaitingAnswer Decide(ResidentFacts facts, WaitingPeriodPolicy? policy = null) =>
        WaitingPeriodDecision.DecideResident(facts, policy ?? Demo(facts.PaidOn), Explanation.Build());

    private static ResidentFacts Late(int breakYears, int repairYears = 0, DateOnly? paidOn = null) =>
        new(2025, paidOn ?? March10, false, breakYears, repairYears);

    /// <summary>990100 with one resident rule replaced by a later city version.</summary>
    private static WaitingPeriodPolicy DemoWith(string key, string value)
    {
        var national = TestPacks.Version("l5", "2025-01-01", TestPacks.Rules(
            ("waiting-period.resident-fixed-months", "3"),
            ("waiting-period.resident-months-per-break-year", "1"),
            ("waiting-period.resident-break-counting", "every-break-year"),
            ("waiting-period.resident-repair-months-per-year", "1"),
            ("waiting-period.resident-repair-floor", "{ fromBreakYears: 4, minMonths: 6 }"),
            ("waiting-period.resident-repair-beyond-useful", "refuse")));
        var city = TestPacks.Version("demo", "2025-01-01", TestPacks.Rules(("waiting-period.resident-premiums", "{ \"2025\": \"400.00\" }")))
            + TestPacks.Version("variant", "2025-02-01", TestPacks.Rules((key, value)));
        return WaitingPeriodPolicy.From(TestPacks.Load(national, city).For(TestPacks.Demo, March10));
    }

    [Fact]
    public void Continuous_enrolment_paid_in_the_enrolment_period_has_no_waiting()
    {
        var answer = Decide(new ResidentFacts(2025, new DateOnly(2024, 12, 10), true, 0, 0));
        Assert.Equal(0, answer.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 1, 1), answer.BenefitsFrom);
        Assert.Equal(new DateOnly(2025, 12, 31), answer.BenefitsTo);
    }

    [Fact]
    public void Late_payer_without_a_break_waits_the_fixed_three_months()
    {
        var answer = Decide(Late(0));
        Assert.Equal(3, answer.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 6, 10), answer.BenefitsFrom);
    }

    [Fact]
    public void Benefits_start_on_the_month_end_when_the_same_day_does_not_exist()
    {
        var answer = Decide(Late(1, paidOn: new DateOnly(2025, 5, 31)));
        Assert.Equal(4, answer.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 9, 30), answer.BenefitsFrom);
    }

    [Fact]
    public void Two_break_years_add_two_months_and_two_repair_years_remove_them()
    {
        var unrepaired = Decide(Late(2));
        Assert.Equal(5, unrepaired.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 8, 10), unrepaired.BenefitsFrom);
        Assert.Equal(DMoney.Zero, unrepaired.RepairCost);

        var repaired = Decide(Late(2, 2));
        Assert.Equal(3, repaired.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 6, 10), repaired.BenefitsFrom);
        Assert.Equal(DMoney.Parse("800.00"), repaired.RepairCost);
    }

    [Fact]
    public void Interpretation_B_does_not_count_the_first_break_year()
    {
        var policy = DemoWith("waiting-period.resident-break-counting", "first-break-year-free");
        var unrepaired = Decide(Late(2), policy);
        Assert.Equal(4, unrepaired.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 7, 10), unrepaired.BenefitsFrom);
        Assert.Equal(1, unrepaired.MaxUsefulRepairYears);

        var repaired = Decide(Late(2, 1), policy);
        Assert.Equal(3, repaired.WaitingMonths);
        Assert.Equal(DMoney.Parse("400.00"), repaired.RepairCost);

        var tooMuch = Decide(Late(2, 2), policy);
        Assert.False(tooMuch.Allowed);
        Assert.Equal(Codes.RepairExceedsBreakYears, tooMuch.RefusalCode);
    }

    [Fact]
    public void Five_break_years_wait_eight_months_and_repair_stops_at_six()
    {
        var unrepaired = Decide(Late(5));
        Assert.Equal(8, unrepaired.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 11, 10), unrepaired.BenefitsFrom);
        Assert.Equal(2, unrepaired.MaxUsefulRepairYears);

        var repaired = Decide(Late(5, 2));
        Assert.Equal(6, repaired.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 9, 10), repaired.BenefitsFrom);
        Assert.Equal(DMoney.Parse("800.00"), repaired.RepairCost);
    }

    [Fact]
    public void Repair_below_the_floor_of_six_is_refused()
    {
        var answer = Decide(Late(5, 3));
        Assert.False(answer.Allowed);
        Assert.Equal(Codes.RepairBelowFloor, answer.RefusalCode);
        Assert.Null(answer.BenefitsFrom);
        Assert.Equal(2, answer.MaxUsefulRepairYears);
    }

    [Fact]
    public void Floor_starts_at_four_break_years()
    {
        Assert.Equal(6, Decide(Late(4, 1)).WaitingMonths); // 3 + 4 − 1 = 6, the floor
        Assert.Equal(Codes.RepairBelowFloor, Decide(Late(4, 2)).RefusalCode);
        Assert.Equal(3, Decide(Late(3, 3)).WaitingMonths); // below 4 break years: no floor beyond the fixed 3
    }

    [Fact]
    public void Capping_instead_of_refusing_credits_and_charges_only_useful_years()
    {
        var answer = Decide(Late(5, 3), DemoWith("waiting-period.resident-repair-beyond-useful", "cap"));
        Assert.True(answer.Allowed);
        Assert.Equal(2, answer.RepairYearsCredited);
        Assert.Equal(6, answer.WaitingMonths);
        Assert.Equal(DMoney.Parse("800.00"), answer.RepairCost);
    }

    [Fact]
    public void Newborn_enrolled_within_three_months_is_covered_from_birth()
    {
        var answer = Decide(new ResidentFacts(2025, new DateOnly(2025, 5, 20), false, 0, 0, true, new DateOnly(2025, 4, 2)));
        Assert.Equal(0, answer.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 4, 2), answer.BenefitsFrom);
    }

    [Fact]
    public void Newborn_enrolled_after_the_window_waits_like_a_late_payer()
    {
        var answer = Decide(new ResidentFacts(2025, new DateOnly(2025, 7, 3), false, 0, 0, true, new DateOnly(2025, 4, 2)));
        Assert.Equal(3, answer.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 10, 3), answer.BenefitsFrom);
    }

    [Fact]
    public void A_waiting_period_past_the_year_end_leaves_no_benefits_that_year()
    {
        var answer = Decide(Late(5, paidOn: new DateOnly(2025, 6, 1)));
        Assert.Equal(new DateOnly(2026, 2, 1), answer.BenefitsFrom);
        Assert.False(answer.CoveredThisYear);
    }

    [Fact]
    public void Repair_for_a_year_without_a_premium_is_a_clear_error()
    {
        var facts = new ResidentFacts(2027, new DateOnly(2027, 3, 10), false, 2, 1);
        var error = Assert.Throws<YibaoException>(() => Decide(facts, Demo(new DateOnly(2025, 3, 10))));
        Assert.Equal("policy-rule-missing", error.Error.Code?.Value);
        Assert.Equal("waiting-period.resident-premiums[2027]", error.Error.Details["key"]);
    }

    [Theory]
    [InlineData(2024, 0, 0, "coverageYear")]
    [InlineData(2025, -1, 0, "breakYears")]
    [InlineData(2025, 1, -1, "repairYears")]
    public void Inconsistent_input_is_a_clear_error(int coverageYear, int breakYears, int repairYears, string field)
    {
        var error = Assert.Throws<YibaoException>(() => Decide(new ResidentFacts(coverageYear, March10, false, breakYears, repairYears)));
        Assert.Equal(field, error.Error.Details["field"]);
    }

    [Theory]
    [InlineData("waiting-period.resident-fixed-months", "7", "0–6")]
    [InlineData("waiting-period.resident-premiums", "{ \"25\": \"400.00\" }", "coverage year")]
    [InlineData("waiting-period.resident-repair-floor", "{ fromBreakYears: 0, minMonths: 6 }", "fromBreakYears")]
    [InlineData("waiting-period.resident-break-counting", "interpretation-c", "every-break-year, first-break-year-free")]
    public void A_bad_value_is_refused_with_file_and_line(string key, string value, string why)
    {
        var error = TestPacks.Refused("", TestPacks.Version("bad", "2025-01-01", TestPacks.Rules((key, value))));
        Assert.Equal("990100.yaml", error.File);
        Assert.Equal(9, error.Line);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
