using Yibao.Domain.Calendars;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Withdrawal;

/// <summary>
/// The facts of a withdrawal application as the records hold them on the application day, read
/// inside the transaction that writes: the person's status and its history (death, leave), the
/// personal account's balance, and whether the heir has an open personal account in the region.
/// </summary>
public sealed record WithdrawalFacts(
    InsuredState? StatusOnDay,
    DateOnly? DiedOn,
    DateOnly? LeftOn,
    DMoney Balance,
    bool HeirInsuredInRegion);

/// <summary>
/// 提取/支取 as an application (the lifecycle is <see cref="ApplicationLifecycle"/>'s): the pure
/// decision on the facts of the day, with the deadlines it sets. Storage loads the facts, calls
/// this, and writes what it says; nothing here reads anything.
/// </summary>
public static class WithdrawalApplication
{
    /// <summary>The region's time limit from acceptance to payout when its pack sets none [CONV: the reference gives none].</summary>
    public const int DefaultWorkingDays = 20;

    public static ApplicationDecision Decide(
        RegionCode region, DateOnly on, WithdrawalClaim claim, IReadOnlyCollection<WithdrawalMaterial> materials, bool byAgent,
        WithdrawalFacts facts, ResolvedPolicy policy, WorkingDayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(calendar);
        var request = new WithdrawalRequest(region, claim.Reason, facts.StatusOnDay == InsuredState.Retired, facts.Balance, materials,
            claim.WrittenApplication, byAgent, facts.HeirInsuredInRegion, claim.TargetRegion,
            new WithdrawalOnRecord(on, facts.DiedOn, facts.LeftOn));
        var why = Explanation.Build();
        var answer = WithdrawalDecision.Decide(request, WithdrawalPolicy.From(policy), why);
        var deadlines = Deadlines(on, policy, calendar, why);
        return ApplicationDecision.Of(answer with { Reasons = why.Reasons }, policy.VersionOf("withdrawal.", "transfer.within-province-mode", "applications."), on, deadlines);
    }

    /// <summary>
    /// The acceptance day (the first working day on or after the application day) and the
    /// region's time limit from it, on the region's calendar; a deadline that counted a day of a
    /// year with no published notice says so (K17) in <paramref name="why"/>.
    /// </summary>
    public static ApplicationDeadlines Deadlines(DateOnly appliedOn, ResolvedPolicy policy, WorkingDayCalendar calendar, Explanation why)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(why);
        var accepted = calendar.NextWorkingDayOnOrAfterDetailed(appliedOn);
        var days = policy.Has(ApplicationKeys.WithdrawalWorkingDays) ? policy.Get(ApplicationKeys.WithdrawalWorkingDays) : DefaultWorkingDays;
        var due = calendar.AddWorkingDaysDetailed(accepted.Date, days);
        accepted.Explain(why, "受理日", "The acceptance day");
        due.Explain(why, "支取办理期限", "The withdrawal deadline");
        return new ApplicationDeadlines(accepted.Date, due.Date, null, accepted.Provisional || due.Provisional);
    }
}
