using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Tests.Features.Records;

public sealed class StatusHistoryTests
{
    private static readonly CreditCode A = CreditCode.Create('9', '1', RegionCode.Demo, "MA000001");
    private static readonly CreditCode B = CreditCode.Create('9', '1', RegionCode.Demo, "MA000002");

    private static DateOnly D(string s) => Dates.Parse(s);

    private static StatusHistory EmployedAtA(string on = "2024-01-01") => StatusHistory.Enrol(D(on), InsuredState.Employed, A);

    private static string Refusal(Action act) => Assert.Throws<YibaoException>(act).Error.Code.Value;

    [Fact]
    public void Status_on_a_date_is_the_last_event_on_or_before_it()
    {
        var history = EmployedAtA()
            .Append(StatusEventKind.Leave, D("2024-05-10"))
            .Append(StatusEventKind.Rejoin, D("2024-08-01"))
            .Append(StatusEventKind.Hire, D("2024-10-01"), B)
            .Append(StatusEventKind.Retire, D("2025-03-01"));

        Assert.Null(history.StatusOn(D("2023-12-31")));
        Assert.Equal(new StatusOnDate(InsuredState.Employed, A, D("2024-01-01")), history.StatusOn(D("2024-05-09")));
        Assert.Equal(InsuredState.Suspended, history.StatusOn(D("2024-05-10"))!.State);
        Assert.Equal(new StatusOnDate(InsuredState.FlexibleEmployed, null, D("2024-08-01")), history.StatusOn(D("2024-09-30")));
        Assert.Equal(B, history.StatusOn(D("2024-10-01"))!.Employer);
        Assert.Equal(InsuredState.Retired, history.StatusOn(D("2030-01-01"))!.State);
        Assert.Equal(InsuredState.Retired, history.Current);
        Assert.Equal(D("2025-03-01"), history.RetiredOn);
    }

    [Fact]
    public void A_month_counts_in_the_status_of_its_first_day()
    {
        var hiredOnFirst = StatusHistory.Enrol(D("2024-01-01"), InsuredState.FlexibleEmployed, null).Append(StatusEventKind.Leave, D("2024-02-10"))
            .Append(StatusEventKind.Hire, D("2024-03-01"), A);
        var hiredMidMonth = StatusHistory.Enrol(D("2024-01-01"), InsuredState.FlexibleEmployed, null).Append(StatusEventKind.Leave, D("2024-02-10"))
            .Append(StatusEventKind.Hire, D("2024-03-15"), A);

        Assert.Equal(InsuredState.Employed, hiredOnFirst.StatusIn(new YearMonth(2024, 3))!.State);
        Assert.Equal(InsuredState.Suspended, hiredMidMonth.StatusIn(new YearMonth(2024, 3))!.State);
        Assert.Equal(InsuredState.Employed, hiredMidMonth.StatusIn(new YearMonth(2024, 4))!.State);
        // Left on the 10th: February still counts as flexible.
        Assert.Equal(InsuredState.FlexibleEmployed, hiredMidMonth.StatusIn(new YearMonth(2024, 2))!.State);
    }

    [Fact]
    public void Events_of_the_same_day_apply_in_recorded_order()
    {
        var history = EmployedAtA().Append(StatusEventKind.Leave, D("2024-06-01")).Append(StatusEventKind.Hire, D("2024-06-01"), B);

        Assert.Equal(new StatusOnDate(InsuredState.Employed, B, D("2024-06-01")), history.StatusOn(D("2024-06-01")));
    }

    [Fact]
    public void Nothing_follows_death()
    {
        var history = EmployedAtA().Append(StatusEventKind.Die, D("2024-04-01"));

        Assert.Equal("status-event-after-death", Refusal(() => history.Decide(StatusEventKind.Hire, D("2024-05-01"), B)));
        Assert.Equal("status-event-after-death", Refusal(() => history.Decide(StatusEventKind.Die, D("2024-05-01"), null)));
        Assert.Equal(D("2024-04-01"), history.DiedOn);
    }

    [Fact]
    public void Retirement_happens_once()
    {
        var history = EmployedAtA().Append(StatusEventKind.Retire, D("2024-04-01"));

        var error = Assert.Throws<YibaoException>(() => history.Decide(StatusEventKind.Retire, D("2024-05-01"), null)).Error;
        Assert.Equal("status-event-not-allowed", error.Code?.Value);
        Assert.Equal("retired", error.Details["status"]);
        Assert.Contains("once", error.MessageEn, StringComparison.Ordinal);
        Assert.Contains("退休只能登记一次", error.MessageZh, StringComparison.Ordinal);
        Assert.Equal("status-event-not-allowed", Refusal(() => history.Decide(StatusEventKind.Hire, D("2024-05-01"), B)));
    }

    [Fact]
    public void Rejoin_follows_a_leave_only()
    {
        Assert.Equal("status-event-not-allowed", Refusal(() => EmployedAtA().Decide(StatusEventKind.Rejoin, D("2024-05-01"), null)));

        var rejoined = EmployedAtA().Append(StatusEventKind.Leave, D("2024-04-01")).Append(StatusEventKind.Rejoin, D("2024-05-01"), B);
        Assert.Equal(new StatusOnDate(InsuredState.Employed, B, D("2024-05-01")), rejoined.StatusOn(D("2024-05-01")));
    }

    [Fact]
    public void History_is_appended_in_date_order()
    {
        var history = EmployedAtA().Append(StatusEventKind.Leave, D("2024-06-01"));

        var error = Assert.Throws<YibaoException>(() => history.Decide(StatusEventKind.Hire, D("2024-05-31"), B)).Error;
        Assert.Equal("status-event-out-of-order", error.Code?.Value);
        Assert.Equal("2024-06-01", error.Details["lastDate"]);
        Assert.Equal("status-event-out-of-order", Refusal(() => EmployedAtA().Decide(StatusEventKind.Leave, D("2023-12-31"), null)));
    }

    [Fact]
    public void Leaving_needs_a_job_or_flexible_participation()
    {
        var suspended = EmployedAtA().Append(StatusEventKind.Leave, D("2024-06-01"));

        Assert.Equal("status-event-not-allowed", Refusal(() => suspended.Decide(StatusEventKind.Leave, D("2024-07-01"), null)));
        Assert.Equal(InsuredState.Suspended, StatusHistory.Enrol(D("2024-01-01"), InsuredState.FlexibleEmployed, null)
            .Append(StatusEventKind.Leave, D("2024-03-01")).Current);
    }

    [Fact]
    public void Hire_names_an_employer_and_only_hire_and_rejoin_do()
    {
        Assert.Equal("missing-field", Refusal(() => EmployedAtA().Decide(StatusEventKind.Hire, D("2024-05-01"), null)));
        Assert.Equal("invalid-field", Refusal(() => EmployedAtA().Decide(StatusEventKind.Leave, D("2024-05-01"), B)));
        Assert.Equal("status-event-not-allowed", Refusal(() => EmployedAtA().Decide(StatusEventKind.Hire, D("2024-05-01"), A)));
        Assert.Equal(B, EmployedAtA().Append(StatusEventKind.Hire, D("2024-05-01"), B).CurrentEmployer);
    }

    [Fact]
    public void Enrolment_is_the_first_event_only_and_states_its_employer_rule()
    {
        Assert.Equal("status-event-not-allowed", Refusal(() => EmployedAtA().Decide(StatusEventKind.Enrol, D("2024-05-01"), null)));
        Assert.Equal("missing-field", Refusal(() => StatusHistory.Enrol(D("2024-01-01"), InsuredState.Employed, null)));
        Assert.Equal("invalid-field", Refusal(() => StatusHistory.Enrol(D("2024-01-01"), InsuredState.Retired, A)));
        Assert.Equal("invalid-field", Refusal(() => StatusHistory.Enrol(D("2024-01-01"), InsuredState.Suspended, null)));
    }

    [Fact]
    public void The_same_event_again_is_a_replay_and_another_of_the_same_kind_that_day_is_refused()
    {
        var history = EmployedAtA().Append(StatusEventKind.Leave, D("2024-06-01")).Append(StatusEventKind.Hire, D("2024-07-01"), B);

        var replay = history.Decide(StatusEventKind.Hire, D("2024-07-01"), B);
        Assert.True(replay.Replayed);
        Assert.Same(history, history.With(replay));
        Assert.Equal("status-event-not-allowed", Refusal(() => history.Decide(StatusEventKind.Hire, D("2024-07-01"), A)));
    }
}
