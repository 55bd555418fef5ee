using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.Records;

/// <summary>One dated change of status, as kept (never overwritten) in the history.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="EffectiveOn">The day it takes effect (生效日期).</param>
/// <param name="Status">The status from that day on.</param>
/// <param name="Employer">The employer from that day on; set for an employed status only.</param>
public sealed record StatusEvent(StatusEventKind Kind, DateOnly EffectiveOn, InsuredState Status, CreditCode? Employer);

/// <summary>A person's status on a day, the employer when employed, and the day of the event that set it.</summary>
public sealed record StatusOnDate(InsuredState State, CreditCode? Employer, DateOnly Since);

/// <summary>The outcome of appending an event: the event, and whether it was already recorded (a retry).</summary>
public sealed record StatusChange(StatusEvent Event, bool Replayed);

/// <summary>
/// 参保状态历史: the dated status changes of one person, in the order they took effect.
/// The history starts with <see cref="StatusEventKind.Enrol"/> and only grows at its end
/// (an event may not be dated before the last one), so the status on any day is read off it
/// without ever rewriting the past. A correction is a new event, as in the ledger.
/// Events of the same day apply in the order they were recorded (a leave and a hire on one day
/// is a change of job).
/// </summary>
public sealed class StatusHistory
{
    private readonly List<StatusEvent> _events;

    private StatusHistory(List<StatusEvent> events) => _events = events;

    public IReadOnlyList<StatusEvent> Events => _events;
    public DateOnly EnrolledOn => _events[0].EffectiveOn;
    public StatusEvent Last => _events[^1];
    public InsuredState Current => Last.Status;
    public CreditCode? CurrentEmployer => Last.Status == InsuredState.Employed ? Last.Employer : null;

    /// <summary>The day of the retirement, if the person retired.</summary>
    public DateOnly? RetiredOn => _events.LastOrDefault(e => e.Kind == StatusEventKind.Retire)?.EffectiveOn
                                 ?? (_events[0].Status == InsuredState.Retired ? _events[0].EffectiveOn : null);

    /// <summary>The day of death, if recorded.</summary>
    public DateOnly? DiedOn => _events.LastOrDefault(e => e.Kind == StatusEventKind.Die)?.EffectiveOn;

    /// <summary>
    /// Starts a history with the enrolment (参保): employed with an employer, flexible or
    /// retired without one.
    /// </summary>
    public static StatusHistory Enrol(DateOnly enrolledOn, InsuredState state, CreditCode? employer)
    {
        switch (state)
        {
            case InsuredState.Employed when employer is null:
                throw new YibaoException(ErrorCatalog.MissingField("employerCreditCode").With("status", state.Code()));
            case InsuredState.Retired or InsuredState.FlexibleEmployed when employer is not null:
                throw new YibaoException(ErrorCatalog.InvalidField("employerCreditCode", "only an employed person has an employer").With("status", state.Code()));
            case InsuredState.Suspended or InsuredState.Deceased:
                throw new YibaoException(ErrorCatalog.InvalidField("status", "a person is enrolled as employed, retired or flexible").With("value", state.Code()));
        }
        return new StatusHistory([new StatusEvent(StatusEventKind.Enrol, enrolledOn, state, employer)]);
    }

    /// <summary>
    /// A history read back from storage, in the order it was recorded. It was validated when each
    /// event was appended, so it is taken as it is; an empty list is refused (there is always an enrolment).
    /// </summary>
    public static StatusHistory FromRecorded(IEnumerable<StatusEvent> events)
    {
        var list = events.ToList();
        if (list.Count == 0) throw new ArgumentException("A status history starts with the enrolment.", nameof(events));
        return new StatusHistory(list);
    }

    /// <summary>
    /// The status on <paramref name="date"/>: the last event that took effect on or before it,
    /// or null before the enrolment.
    /// </summary>
    public StatusOnDate? StatusOn(DateOnly date)
    {
        if (date < EnrolledOn) return null;
        var index = _events.FindLastIndex(e => e.EffectiveOn <= date);
        var current = _events[index];
        return new StatusOnDate(current.Status, current.Status == InsuredState.Employed ? current.Employer : null, current.EffectiveOn);
    }

    /// <summary>
    /// The rule for a contribution month: a month counts in the status the person had on its
    /// 1st day. Hired on the 1st, the month is an employed month; hired on the 2nd or later, it
    /// is not (the new employer owes from the next month).
    /// </summary>
    public StatusOnDate? StatusIn(YearMonth month) => StatusOn(month.FirstDay);

    /// <summary>
    /// Decides whether <paramref name="kind"/> on <paramref name="date"/> may follow the history,
    /// and the status it leads to; throws with a named reason when it may not. The same event
    /// (kind, day and employer) already recorded is a replay, so a retried request is harmless.
    /// Does not change this history; <see cref="With"/> gives the history after it.
    /// </summary>
    public StatusChange Decide(StatusEventKind kind, DateOnly date, CreditCode? employer)
    {
        var same = _events.FirstOrDefault(e => e.Kind == kind && e.EffectiveOn == date);
        if (same is not null && kind != StatusEventKind.Enrol)
        {
            if (same.Employer == employer) return new StatusChange(same, Replayed: true);
            throw NotAllowed(kind, $"a '{kind.Code()}' is already recorded on {Dates.Format(date)}", $"{Dates.Format(date)} 已登记过{kind.Zh()}");
        }

        if (Current == InsuredState.Deceased)
            throw new YibaoException(ErrorCatalog.StatusEventAfterDeath(kind, Dates.Format(Last.EffectiveOn)));
        if (date < Last.EffectiveOn)
            throw new YibaoException(ErrorCatalog.StatusEventOutOfOrder(kind, Dates.Format(date), Dates.Format(Last.EffectiveOn)));
        if (employer is not null && kind is not (StatusEventKind.Hire or StatusEventKind.Rejoin))
            throw new YibaoException(ErrorCatalog.InvalidField("employerCreditCode", "only hire and rejoin name an employer").With("event", kind.Code()));

        var next = kind switch
        {
            StatusEventKind.Enrol => throw NotAllowed(kind, "the person is already enrolled; enrolment is the first event only", "已参保,参保只能是第一条记录"),
            StatusEventKind.Hire => Hire(employer),
            StatusEventKind.Leave => Current is InsuredState.Employed or InsuredState.FlexibleEmployed
                ? new StatusEvent(kind, date, InsuredState.Suspended, null)
                : throw NotAllowed(kind, "only an employed person or a flexible worker can leave", "只有在职或灵活就业人员才能离职/停保"),
            StatusEventKind.Retire => Current == InsuredState.Retired
                ? throw NotAllowed(kind, "a person retires only once", "退休只能登记一次")
                : new StatusEvent(kind, date, InsuredState.Retired, null),
            StatusEventKind.Die => new StatusEvent(kind, date, InsuredState.Deceased, null),
            StatusEventKind.Rejoin => Current == InsuredState.Suspended
                ? new StatusEvent(kind, date, employer is null ? InsuredState.FlexibleEmployed : InsuredState.Employed, employer)
                : throw NotAllowed(kind, "rejoin follows a leave only", "恢复参保只能在离职/停保之后"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return new StatusChange(next, Replayed: false);

        StatusEvent Hire(CreditCode? by)
        {
            if (by is null) throw new YibaoException(ErrorCatalog.MissingField("employerCreditCode").With("event", kind.Code()));
            if (Current == InsuredState.Retired)
                throw NotAllowed(kind, "a retired person does not return to in-service insurance", "退休人员不再转为在职参保");
            if (Current == InsuredState.Employed && CurrentEmployer == by)
                throw NotAllowed(kind, "the person is already employed by this employer", "已在该单位在职");
            return new StatusEvent(kind, date, InsuredState.Employed, by);
        }
    }

    /// <summary>The history with <paramref name="change"/> appended (unchanged for a replay).</summary>
    public StatusHistory With(StatusChange change) =>
        change.Replayed ? this : new StatusHistory([.. _events, change.Event]);

    /// <summary>Decides and appends in one step.</summary>
    public StatusHistory Append(StatusEventKind kind, DateOnly date, CreditCode? employer = null) =>
        With(Decide(kind, date, employer));

    private YibaoException NotAllowed(StatusEventKind kind, string why, string whyZh) =>
        new(ErrorCatalog.StatusEventNotAllowed(kind, Current, why, whyZh));
}
