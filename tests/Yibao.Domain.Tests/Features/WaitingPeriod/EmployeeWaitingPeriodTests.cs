using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.WaitingPeriod;
using Yibao.Domain.Tests.Features.Crediting;
using Yibao.Domain.Time;

namespace Yibao.Domain.Tests.Features.WaitingPeriod;

/// <summary>Employee waiting period after a gap, transfer context (医保办发〔2021〕43号, K9; WE-13, WE-14, WE-16).</summary>
public class EmployeeWaitingPeriodTests
{
    private static WaitingPeriodPolicy Demo(DateOnly on) => WaitingPeriodPolicy.From(TestPacks.Real("990100", on));

    private static EmployeeWaitingAnswer Decide(string lastPaid, string resumed, bool backfilled, WaitingPeriodPolicy? policy = null, bool explain = true)
    {
        var facts = new EmployeeGapFacts(YearMonth.Parse(lastPaid), YearMonth.Parse(resumed), backfilled);
        return WaitingPeriodDecision.DecideEmployee(facts, policy ?? Demo(YearMonth.Parse(resumed).FirstDay), explain ? Explanation.Build() : Explanation.None);
    }

    [Fact]
    public void Gap_of_exactly_three_months_backfilled_has_no_waiting_and_is_covered_retroactively()
    {
        var answer = Decide("2025-02", "2025-06", backfilled: true);
        Assert.True(answer.Allowed);
        Assert.Equal(3, answer.GapMonths);
        Assert.Equal(0, answer.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 6, 1), answer.BenefitsFrom);
        Assert.Equal(new DateOnly(2025, 3, 1), answer.RetroactiveFrom);
        Assert.Equal(new DateOnly(2025, 5, 31), answer.RetroactiveTo);
    }

    [Fact]
    public void Gap_of_four_months_waits_six_months_with_nothing_retroactive()
    {
        var answer = Decide("2025-02", "2025-07", backfilled: false);
        Assert.Equal(4, answer.GapMonths);
        Assert.Equal(6, answer.WaitingMonths);
        Assert.Equal(new DateOnly(2026, 1, 1), answer.BenefitsFrom);
        Assert.Null(answer.RetroactiveFrom);
        Assert.Null(answer.RetroactiveTo);
        Assert.Contains(answer.Reasons, r => r.RuleId == "waiting-period.transfer-waiting-months" && r.Values["waitingMonths"] == "6");
    }

    [Fact]
    public void Gap_of_four_months_waits_even_when_backfilled() =>
        Assert.Equal(6, Decide("2025-02", "2025-07", backfilled: true).WaitingMonths);

    [Fact]
    public void Short_gap_not_backfilled_is_refused_until_it_is()
    {
        var answer = Decide("2025-02", "2025-06", backfilled: false);
        Assert.False(answer.Allowed);
        Assert.Equal(Codes.GapBackfillRequired, answer.RefusalCode);
        Assert.Null(answer.BenefitsFrom);
    }

    [Fact]
    public void No_gap_means_no_waiting()
    {
        var answer = Decide("2025-05", "2025-06", backfilled: false);
        Assert.Equal((0, 0), (answer.GapMonths, answer.WaitingMonths));
        Assert.Equal(new DateOnly(2025, 6, 1), answer.BenefitsFrom);
    }

    [Fact]
    public void Gap_across_a_year_end_counts_calendar_months()
    {
        var answer = Decide("2024-11", "2025-03", backfilled: true); // 2024-12, 2025-01, 2025-02
        Assert.Equal(3, answer.GapMonths);
        Assert.Equal(new DateOnly(2024, 12, 1), answer.RetroactiveFrom);
        Assert.Equal(new DateOnly(2025, 2, 28), answer.RetroactiveTo);
    }

    private static string CityWaiting(string months) => TestPacks.Version("demo", "2022-01-01", TestPacks.Rules(("waiting-period.transfer-waiting-months", months)));

    private static readonly string National = TestPacks.Version("l4", "2022-01-01", TestPacks.Rules(("waiting-period.transfer-no-waiting-max-gap", "3")));

    [Fact]
    public void Waiting_value_seven_is_refused_at_load_with_file_and_line()
    {
        var error = TestPacks.Refused(National, CityWaiting("7"));
        Assert.Equal("990100.yaml", error.File);
        Assert.Equal(9, error.Line);
        Assert.Contains("exceeds the national maximum of 6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Waiting_value_zero_is_accepted_and_benefits_start_in_the_resumed_month()
    {
        var book = TestPacks.Load(National, CityWaiting("0"));
        var policy = WaitingPeriodPolicy.From(book.For(TestPacks.Demo, new DateOnly(2025, 7, 1)));
        var answer = Decide("2025-02", "2025-07", backfilled: false, policy);
        Assert.Equal(0, answer.WaitingMonths);
        Assert.Equal(new DateOnly(2025, 7, 1), answer.BenefitsFrom);
    }

    [Fact]
    public void A_region_may_not_shorten_the_national_three_month_guarantee()
    {
        var error = TestPacks.Refused("", TestPacks.Version("demo", "2022-01-01", TestPacks.Rules(("waiting-period.transfer-no-waiting-max-gap", "2"))));
        Assert.Contains("national guarantee", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resumed_month_not_after_the_last_paid_month_is_an_error()
    {
        var error = Assert.Throws<YibaoException>(() => Decide("2025-06", "2025-06", backfilled: true));
        Assert.Equal("invalid-date-range", error.Error.Code?.Value);
    }

    [Fact]
    public void Payment_outside_the_resumed_month_is_an_error()
    {
        var facts = new EmployeeGapFacts(new YearMonth(2025, 2), new YearMonth(2025, 6), true, new DateOnly(2025, 7, 2));
        var error = Assert.Throws<YibaoException>(() => WaitingPeriodDecision.DecideEmployee(facts, Demo(new DateOnly(2025, 7, 2)), Explanation.None));
        Assert.Equal("paidOn", error.Error.Details["field"]);
    }

    [Fact]
    public void Without_explanation_the_answer_is_the_same_and_carries_no_reasons()
    {
        var quiet = Decide("2025-02", "2025-07", backfilled: false, explain: false);
        Assert.Empty(quiet.Reasons);
        Assert.Equal(new DateOnly(2026, 1, 1), quiet.BenefitsFrom);
    }
}
