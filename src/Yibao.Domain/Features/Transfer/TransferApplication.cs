using Yibao.Domain.Calendars;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Transfer;

/// <summary>
/// The facts of a transfer application as the records hold them on the application day: the
/// person's status, the personal account's balance, and whether the target is a pooling region
/// Yibao knows (its pack exists) and can deliver to (in this database or one configured for it).
/// </summary>
public sealed record TransferFacts(InsuredState? StatusOnDay, DMoney Balance, bool TargetKnown, bool TargetReachable);

/// <summary>
/// 转移接续 as an application (the lifecycle is <see cref="ApplicationLifecycle"/>'s): the pure
/// decision on the facts of the day, with the deadlines it sets on both agencies' calendars.
/// </summary>
public static class TransferApplication
{
    private const string L4 = "医保办发〔2021〕43号; DESIGN: a transfer is a message exchange between two regions Yibao serves";

    public static ApplicationDecision Decide(
        RegionCode source, DateOnly on, TransferClaim claim, TransferFacts facts, PolicyBook book, HolidayCalendars calendars)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(calendars);
        var target = claim.TargetRegion;
        var resolved = book.For(source, on);
        var sourceCalendar = calendars.For(resolved.CalendarRegion);
        var accepted = sourceCalendar.NextWorkingDayOnOrAfter(on);
        var why = Explanation.Build();
        if (!facts.TargetKnown) return Unknown(target, facts, known: false, resolved, on, accepted, why);
        var targetPolicy = book.For(target, on);
        var answer = TransferDecision.Decide(new TransferRequest(source, target, facts.StatusOnDay == InsuredState.Retired, on, null, facts.Balance),
            TransferPolicy.From(resolved), TransferPolicy.From(targetPolicy),
            sourceCalendar, calendars.For(TransferCase.CalendarOf(targetPolicy, target)), why);
        // Only a balance that moves needs the target's inbox; within 广东 nothing is sent.
        if (answer.Mode == TransferMode.MoveBalance && !facts.TargetReachable) return Unknown(target, facts, known: true, resolved, on, accepted, why);
        var deadlines = new ApplicationDeadlines(answer.AcceptedOn ?? accepted, answer.TransferOutDeadline ?? accepted, answer.TransferInDeadline, answer.Provisional);
        return ApplicationDecision.Of(answer, resolved.VersionOf("transfer."), on, deadlines);
    }

    /// <summary>
    /// The deadlines alone, as <see cref="TransferDecision"/> counts them (K6): the acceptance day
    /// and the transfer-out deadline on the source's calendar, the transfer-in deadline counted
    /// from it on the target's. Used to count them again when a notice replaces a provisional year.
    /// </summary>
    public static ApplicationDeadlines Deadlines(RegionCode source, RegionCode target, DateOnly appliedOn, PolicyBook book, HolidayCalendars calendars)
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(calendars);
        var sourcePolicy = book.For(source, appliedOn);
        var targetPolicy = book.For(book.Has(target) ? target : TransferCase.NearestConfigured(book, target), appliedOn);
        var sourceCalendar = calendars.For(sourcePolicy.CalendarRegion);
        var accepted = sourceCalendar.NextWorkingDayOnOrAfterDetailed(appliedOn);
        var transferOut = sourceCalendar.AddWorkingDaysDetailed(accepted.Date, TransferPolicy.From(sourcePolicy).OutWorkingDays);
        var transferIn = calendars.For(TransferCase.CalendarOf(targetPolicy, target)).AddWorkingDaysDetailed(transferOut.Date, TransferPolicy.From(targetPolicy).InWorkingDays);
        return new ApplicationDeadlines(accepted.Date, transferOut.Date, transferIn.Date, accepted.Provisional || transferOut.Provisional || transferIn.Provisional);
    }

    private static ApplicationDecision Unknown(RegionCode target, TransferFacts facts, bool known, ResolvedPolicy resolved, DateOnly on, DateOnly accepted, Explanation why)
    {
        why.Because("transfer.target", Provenance.Convention, L4,
            known ? $"转入地 {target} 不在本系统可送达的统筹地区之内(既不在本库,也未配置其数据库),转移报文无法送达"
                  : $"转入地 {target} 不是本系统已知的统筹地区(没有它的政策包)",
            known ? $"The target {target} is not a region Yibao can deliver to (neither in this database nor configured with one of its own)"
                  : $"The target {target} is not a pooling region Yibao knows (it has no policy pack)",
            ("targetRegion", target.Value), ("known", known), ("reachable", facts.TargetReachable));
        var refused = new TransferAnswer(false, Codes.TransferTargetUnknown, null, null, null, null, facts.Balance, DMoney.Zero, DMoney.Zero, why.Reasons);
        return ApplicationDecision.Of(refused, resolved.VersionOf("transfer."), on, new ApplicationDeadlines(accepted, accepted, null));
    }
}
