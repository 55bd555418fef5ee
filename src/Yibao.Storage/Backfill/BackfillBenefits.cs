using Yibao.Domain.Errors;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.WaitingPeriod;
using Yibao.Domain.Time;

namespace Yibao.Storage.Backfill;

/// <summary>
/// The contribution history around the back-paid months, read before the payment is recorded:
/// the last month paid before the first back-paid one, and the first month paid after the last
/// back-paid one (both null when there is none), plus every month already paid in between.
/// </summary>
public sealed record GapHistory(YearMonth? LastPaidBefore, YearMonth? FirstPaidAfter, IReadOnlySet<YearMonth> PaidBetween);

/// <summary>
/// What a back-pay establishes about benefits (待遇状态), from the waiting-period decisions where
/// the facts allow, and nothing where they do not (the reference fixes no outcome there):
/// <list type="bullet">
/// <item>Employer-caused arrears (WE-15): once the employer pays, the owed months are covered
///   retroactively where the region says so (<c>waiting-period.employer-arrears-retroactive</c>),
///   else they stay uncovered.</item>
/// <item>An employee's own gap (K9, 医保办发〔2021〕43号): the gap is the run of unpaid months around the
///   back-paid ones, from the month after the last paid month to the month before contributions
///   resumed (the next paid month, else the month of payment). Backfilled and at most 3 months:
///   covered retroactively and benefits from the resumed month; longer: the region's waiting
///   period. Without a paid month before the gap there is no gap to measure, so nothing is recorded.</item>
/// </list>
/// </summary>
public static class BackfillBenefits
{
    /// <summary>Rows to record; pure, so it can be tested without a database.</summary>
    public static IReadOnlyList<BenefitStatusRow> Decide(
        ArrearsCause cause, IReadOnlyList<YearMonth> months, DateOnly paidOn, GapHistory history,
        WaitingPeriodPolicy policy, string policyVersion, string key)
    {
        var sorted = months.Distinct().Order().ToList();
        return cause == ArrearsCause.Employer
            ? EmployerArrears(sorted, paidOn, policy, policyVersion, key)
            : OwnGap(sorted, paidOn, history, policy, policyVersion, key);
    }

    private static List<BenefitStatusRow> EmployerArrears(List<YearMonth> months, DateOnly paidOn, WaitingPeriodPolicy policy, string version, string key)
    {
        if (policy.EmployerArrearsRetroactive is null) return [];
        var why = Explanation.Build();
        var answer = EmployerArrearsDecision.Decide(new EmployerArrearsFacts(months[0].FirstDay, paidOn, paidOn), policy, why);
        var reason = why.Reasons[^1];
        var (kind, code) = answer.Status == ArrearsCoverStatus.Eligible
            ? (BenefitStatusKind.Retroactive, "employer-arrears-retroactive")
            : (BenefitStatusKind.NotCovered, (answer.Code ?? Codes.ArrearsPeriodNotCovered).Value);
        return Runs(months)
            .Select(run => new BenefitStatusRow(kind, run.First.FirstDay, run.Last.LastDay, code, reason.TextZh, reason.TextEn, reason.RuleId, version, key, paidOn))
            .ToList();
    }

    private static List<BenefitStatusRow> OwnGap(List<YearMonth> months, DateOnly paidOn, GapHistory history, WaitingPeriodPolicy policy, string version, string key)
    {
        if (history.LastPaidBefore is not { } lastPaid || policy.TransferNoWaitingMaxGap is null) return [];
        var paidMonth = YearMonth.Of(paidOn);
        var resumed = history.FirstPaidAfter is { } after && after < paidMonth ? after : paidMonth;
        var gapBackfilled = true;
        for (var m = lastPaid.AddMonths(1); m < resumed; m = m.AddMonths(1))
        {
            if (!months.Contains(m) && !history.PaidBetween.Contains(m)) gapBackfilled = false;
        }
        // K9 ties benefits to a first payment in the resumed month; a gap closed later is judged without the day.
        var facts = new EmployeeGapFacts(lastPaid, resumed, gapBackfilled, resumed == paidMonth ? paidOn : null);
        var why = Explanation.Build();
        var answer = WaitingPeriodDecision.DecideEmployee(facts, policy, why);
        if (!answer.Allowed || answer.BenefitsFrom is not { } from) return [];
        var reason = why.Reasons[^1];
        var rows = new List<BenefitStatusRow>();
        if (answer.RetroactiveFrom is { } retroFrom && answer.RetroactiveTo is { } retroTo)
            rows.Add(new BenefitStatusRow(BenefitStatusKind.Retroactive, retroFrom, retroTo, "gap-backfilled-no-waiting", reason.TextZh, reason.TextEn, reason.RuleId, version, key, paidOn));
        if (answer.WaitingMonths > 0)
            rows.Add(new BenefitStatusRow(BenefitStatusKind.Waiting, resumed.FirstDay, from.AddDays(-1), "gap-waiting-period", reason.TextZh, reason.TextEn, reason.RuleId, version, key, paidOn));
        rows.Add(new BenefitStatusRow(BenefitStatusKind.BenefitsFrom, from, null,
            answer.WaitingMonths > 0 ? "gap-waiting-period" : "gap-backfilled-no-waiting", reason.TextZh, reason.TextEn, reason.RuleId, version, key, paidOn));
        return rows;
    }

    /// <summary>Ascending months grouped into runs of consecutive months.</summary>
    internal static IEnumerable<(YearMonth First, YearMonth Last)> Runs(IReadOnlyList<YearMonth> sorted)
    {
        var first = sorted[0];
        var last = first;
        foreach (var m in sorted.Skip(1))
        {
            if (m == last.AddMonths(1)) { last = m; continue; }
            yield return (first, last);
            first = last = m;
        }
        yield return (first, last);
    }
}
