using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.WaitingPeriod;

/// <summary>
/// An employee resuming contributions after a gap on changing job or region (transfer context, K9):
/// the last month paid before the gap, the month contributions resumed, whether the gap was
/// backfilled, and the payment day (which must fall in the resumed month, K9).
/// </summary>
public sealed record EmployeeGapFacts(YearMonth LastPaidMonth, YearMonth ResumedMonth, bool GapBackfilled, DateOnly? PaidOn = null);

/// <summary>
/// When benefits start: <see cref="WaitingMonths"/>, <see cref="BenefitsFrom"/>, and the gap covered
/// retroactively (<see cref="RetroactiveFrom"/> … <see cref="RetroactiveTo"/>, null when nothing is).
/// A refusal has <see cref="Allowed"/> false and a <see cref="RefusalCode"/>.
/// </summary>
public sealed record EmployeeWaitingAnswer(
    bool Allowed,
    ResultCode? RefusalCode,
    int GapMonths,
    int WaitingMonths,
    DateOnly? BenefitsFrom,
    DateOnly? RetroactiveFrom,
    DateOnly? RetroactiveTo,
    IReadOnlyList<Reason> Reasons);

/// <summary>A resident-insurance payment for a coverage year (2025 rule, K10).</summary>
public sealed record ResidentFacts(
    int CoverageYear,
    DateOnly PaidOn,
    bool InEnrolmentPeriod,
    int BreakYears,
    int RepairYears,
    bool Newborn = false,
    DateOnly? BirthDate = null);

/// <summary>
/// The resident waiting period: benefits from <see cref="BenefitsFrom"/> to <see cref="BenefitsTo"/>
/// (the end of the coverage year; <see cref="CoveredThisYear"/> false when the waiting outlasts it),
/// the repair credited and its cost, and how many repair years would still shorten the waiting.
/// </summary>
public sealed record ResidentWaitingAnswer(
    bool Allowed,
    ResultCode? RefusalCode,
    int WaitingMonths,
    DateOnly? BenefitsFrom,
    DateOnly BenefitsTo,
    bool CoveredThisYear,
    int RepairYearsCredited,
    int MaxUsefulRepairYears,
    DMoney RepairCost,
    IReadOnlyList<Reason> Reasons);

/// <summary>待遇等待期 (policy-reference A5, A6, K9, K10; WE-13…WE-21).</summary>
public static class WaitingPeriodDecision
{
    private const string L4 = "医保办发〔2021〕43号 (policy-reference A5, K9)";
    private const string L5 = "国办发〔2024〕38号 (policy-reference A6, K10)";

    /// <summary>
    /// Employee, transfer context (医保办发〔2021〕43号): a gap of at most 3 months (3 included), once
    /// backfilled, has no waiting and is covered retroactively; a longer gap waits the region's
    /// months (at most 6) from the resumed month, with nothing retroactive.
    /// </summary>
    public static EmployeeWaitingAnswer DecideEmployee(EmployeeGapFacts facts, WaitingPeriodPolicy policy, Explanation why)
    {
        if (facts.ResumedMonth <= facts.LastPaidMonth)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(facts.LastPaidMonth.ToString(), facts.ResumedMonth.ToString()).With("field", "resumedMonth"));
        if (facts.PaidOn is { } paid && YearMonth.Of(paid) != facts.ResumedMonth)
            throw new YibaoException(ErrorCatalog.InvalidField("paidOn", $"{Dates.Format(paid)} is outside the resumed month {facts.ResumedMonth}; the reference fixes benefits only for a first payment in the resumed month (K9)"));

        var gap = facts.LastPaidMonth.MonthsUntil(facts.ResumedMonth) - 1;
        var resumedOn = facts.ResumedMonth.FirstDay;
        if (gap == 0)
        {
            if (why.Enabled)
                why.Because("K9", Provenance.Official, L4, "缴费未中断,无等待期,缴费当月起享受待遇", "No gap: no waiting period; benefits from the month of payment",
                    ("lastPaidMonth", facts.LastPaidMonth), ("resumedMonth", facts.ResumedMonth));
            return new EmployeeWaitingAnswer(true, null, 0, 0, resumedOn, null, null, why.Reasons);
        }

        var maxGap = policy.Need(policy.TransferNoWaitingMaxGap, WaitingPeriodKeys.TransferNoWaitingMaxGap);
        var firstGap = facts.LastPaidMonth.AddMonths(1);
        var lastGap = facts.ResumedMonth.AddMonths(-1);
        if (gap <= maxGap.Value)
        {
            if (!facts.GapBackfilled)
            {
                if (why.Enabled)
                    why.Because(maxGap.Rule,
                        $"中断 {gap} 个月({firstGap}–{lastGap}),不超过 {maxGap.Value} 个月(含),但尚未补缴:须按转入地规定补缴后,方可缴费当月享受待遇并追溯中断期间待遇",
                        $"A gap of {gap} months ({firstGap}–{lastGap}) is within {maxGap.Value} (included) but was not backfilled: backfill it first to get benefits from the payment month and retroactive cover",
                        ("gapMonths", gap), ("limit", maxGap.Value), ("gapBackfilled", false));
                return new EmployeeWaitingAnswer(false, Codes.GapBackfillRequired, gap, 0, null, null, null, why.Reasons);
            }
            var retroFrom = firstGap.FirstDay;
            var retroTo = lastGap.LastDay;
            if (why.Enabled)
                why.Because(maxGap.Rule,
                    $"中断 {gap} 个月({firstGap}–{lastGap}),不超过 {maxGap.Value} 个月(含)且已补缴:无等待期,{Dates.Format(resumedOn)} 起享受待遇,中断期间 {Dates.Format(retroFrom)} 至 {Dates.Format(retroTo)} 的待遇可追溯",
                    $"A gap of {gap} months ({firstGap}–{lastGap}), within {maxGap.Value} (included), backfilled: no waiting; benefits from {Dates.Format(resumedOn)}; {Dates.Format(retroFrom)} to {Dates.Format(retroTo)} covered retroactively",
                    ("gapMonths", gap), ("limit", maxGap.Value), ("benefitsFrom", resumedOn), ("retroactiveFrom", retroFrom), ("retroactiveTo", retroTo));
            return new EmployeeWaitingAnswer(true, null, gap, 0, resumedOn, retroFrom, retroTo, why.Reasons);
        }

        var waiting = policy.Need(policy.TransferWaitingMonths, WaitingPeriodKeys.TransferWaitingMonths);
        var from = facts.ResumedMonth.AddMonths(waiting.Value).FirstDay;
        if (why.Enabled)
        {
            why.Because(maxGap.Rule,
                $"中断 {gap} 个月({firstGap}–{lastGap}),超过 {maxGap.Value} 个月:设待遇等待期,中断期间不追溯",
                $"A gap of {gap} months ({firstGap}–{lastGap}) exceeds {maxGap.Value}: a waiting period applies and nothing is retroactive",
                ("gapMonths", gap), ("limit", maxGap.Value), ("gapBackfilled", facts.GapBackfilled));
            why.Because(waiting.Rule,
                $"等待期 {waiting.Value} 个月(国家上限 {WaitingPeriodKeys.NationalMaxTransferWaitingMonths} 个月):自 {facts.ResumedMonth} 起算,{Dates.Format(from)} 起享受待遇",
                $"Waiting period {waiting.Value} months (national maximum {WaitingPeriodKeys.NationalMaxTransferWaitingMonths}): counted from {facts.ResumedMonth}, benefits from {Dates.Format(from)}",
                ("waitingMonths", waiting.Value), ("benefitsFrom", from));
        }
        return new EmployeeWaitingAnswer(true, null, gap, waiting.Value, from, null, null, why.Reasons);
    }

    /// <summary>
    /// Resident insurance from 2025 (国办发〔2024〕38号, K10): continuous enrolment paid in the
    /// enrolment period has no waiting; otherwise 3 fixed months plus the variable months of the
    /// break years, less the repaired years, never below 6 after 4 or more break years; benefits
    /// from the payment day plus the waiting months (same day, or the month's last day). A newborn
    /// enrolled within the region's window after birth is covered from birth.
    /// </summary>
    public static ResidentWaitingAnswer DecideResident(ResidentFacts facts, WaitingPeriodPolicy policy, Explanation why)
    {
        Validate(facts);
        var yearStart = new DateOnly(facts.CoverageYear, 1, 1);
        var yearEnd = new DateOnly(facts.CoverageYear, 12, 31);

        if (facts.Newborn)
        {
            var window = policy.Need(policy.NewbornEnrolmentMonths, WaitingPeriodKeys.NewbornEnrolmentMonths);
            var birth = facts.BirthDate!.Value;
            // 民法典 art. 201–203: a period of N months from the birth ends on the corresponding day (the month's last day if none).
            var windowEnd = birth.AddMonths(window.Value);
            if (facts.PaidOn <= windowEnd)
            {
                if (why.Enabled)
                    why.Because(window.Rule,
                        $"新生儿出生于 {Dates.Format(birth)},{Dates.Format(facts.PaidOn)} 参保,在出生后 {window.Value} 个月内(至 {Dates.Format(windowEnd)}):无等待期,自出生之日起享受待遇",
                        $"Newborn born {Dates.Format(birth)}, enrolled {Dates.Format(facts.PaidOn)}, within {window.Value} months of birth (until {Dates.Format(windowEnd)}): no waiting; covered from birth",
                        ("birthDate", birth), ("paidOn", facts.PaidOn), ("windowEnd", windowEnd));
                return new ResidentWaitingAnswer(true, null, 0, birth, yearEnd, true, 0, 0, DMoney.Zero, why.Reasons);
            }
            if (why.Enabled)
                why.Because(window.Rule,
                    $"新生儿于出生后 {window.Value} 个月后(晚于 {Dates.Format(windowEnd)})才参保,按一般规定设等待期",
                    $"The newborn was enrolled after {window.Value} months from birth (after {Dates.Format(windowEnd)}): the general waiting rule applies",
                    ("birthDate", birth), ("paidOn", facts.PaidOn), ("windowEnd", windowEnd));
        }

        if (facts.InEnrolmentPeriod && facts.BreakYears == 0)
        {
            if (why.Enabled)
                why.Because("K10", Provenance.Official, L5,
                    $"集中参保期内缴费且连续参保:无等待期,{Dates.Format(yearStart)} 至 {Dates.Format(yearEnd)} 享受待遇",
                    $"Paid in the enrolment period with continuous enrolment: no waiting; benefits {Dates.Format(yearStart)} to {Dates.Format(yearEnd)}",
                    ("coverageYear", facts.CoverageYear), ("paidOn", facts.PaidOn));
            return new ResidentWaitingAnswer(true, null, 0, yearStart, yearEnd, true, 0, 0, DMoney.Zero, why.Reasons);
        }

        var fixedMonths = policy.Need(policy.ResidentFixedMonths, WaitingPeriodKeys.ResidentFixedMonths);
        var perBreakYear = policy.Need(policy.ResidentMonthsPerBreakYear, WaitingPeriodKeys.ResidentMonthsPerBreakYear);
        var counting = policy.Need(policy.ResidentBreakCounting, WaitingPeriodKeys.ResidentBreakCountingRule);
        var repairPerYear = policy.Need(policy.ResidentRepairMonthsPerYear, WaitingPeriodKeys.ResidentRepairMonthsPerYear);
        var floor = policy.Need(policy.ResidentRepairFloor, WaitingPeriodKeys.ResidentRepairFloor);

        var countedYears = counting.Value == ResidentBreakCounting.EveryBreakYear ? facts.BreakYears : Math.Max(0, facts.BreakYears - 1);
        var variable = countedYears * perBreakYear.Value;
        var unrepaired = fixedMonths.Value + variable;
        var floorApplies = facts.BreakYears >= floor.Value.FromBreakYears;
        var minimum = floorApplies ? Math.Min(unrepaired, Math.Max(fixedMonths.Value, floor.Value.MinMonths)) : fixedMonths.Value;
        var maxUseful = repairPerYear.Value == 0 ? 0 : (unrepaired - minimum) / repairPerYear.Value;
        if (why.Enabled)
        {
            why.Because(fixedMonths.Rule,
                facts.InEnrolmentPeriod ? $"曾断保,固定等待期 {fixedMonths.Value} 个月" : $"未在集中参保期内缴费,固定等待期 {fixedMonths.Value} 个月",
                facts.InEnrolmentPeriod ? $"A break in enrolment: fixed waiting of {fixedMonths.Value} months" : $"Paid outside the enrolment period: fixed waiting of {fixedMonths.Value} months",
                ("fixedMonths", fixedMonths.Value), ("inEnrolmentPeriod", facts.InEnrolmentPeriod));
            why.Because(counting.Rule,
                counting.Value == ResidentBreakCounting.EveryBreakYear
                    ? $"“每多断保1年”按每个断保年度计(解释A):断保 {facts.BreakYears} 年,计 {countedYears} 年"
                    : $"“每多断保1年”自第二个断保年度起计(解释B):断保 {facts.BreakYears} 年,计 {countedYears} 年",
                counting.Value == ResidentBreakCounting.EveryBreakYear
                    ? $"Every full break year counts (interpretation A): {facts.BreakYears} break years, {countedYears} counted"
                    : $"The first break year adds nothing (interpretation B): {facts.BreakYears} break years, {countedYears} counted",
                ("breakYears", facts.BreakYears), ("countedYears", countedYears));
            why.Because(perBreakYear.Rule,
                $"变动等待期 = {countedYears} × {perBreakYear.Value} = {variable} 个月;未修复时共 {unrepaired} 个月",
                $"Variable waiting = {countedYears} × {perBreakYear.Value} = {variable} months; {unrepaired} months in all before repair",
                ("variableMonths", variable), ("unrepairedMonths", unrepaired));
            if (floorApplies)
                why.Because(floor.Rule,
                    $"连续断保 {facts.BreakYears} 年(≥{floor.Value.FromBreakYears} 年):修复后等待期不少于 {minimum} 个月,最多可修复 {maxUseful} 年",
                    $"{facts.BreakYears} break years (≥ {floor.Value.FromBreakYears}): repair may not bring the waiting below {minimum} months; at most {maxUseful} repair years are useful",
                    ("breakYears", facts.BreakYears), ("minimumMonths", minimum), ("maxUsefulRepairYears", maxUseful));
        }

        var credited = facts.RepairYears;
        if (facts.RepairYears > maxUseful)
        {
            var beyond = policy.Need(policy.ResidentRepairBeyondUseful, WaitingPeriodKeys.ResidentRepairBeyondUseful);
            var code = repairPerYear.Value == 0 || (long)facts.RepairYears * repairPerYear.Value > variable
                ? Codes.RepairExceedsBreakYears
                : Codes.RepairBelowFloor;
            if (beyond.Value == RepairBeyondUseful.Refuse)
            {
                if (why.Enabled)
                    why.Because(beyond.Rule,
                        $"申请修复 {facts.RepairYears} 年,超过可减少等待期的 {maxUseful} 年,不予办理",
                        $"{facts.RepairYears} repair years asked, more than the {maxUseful} that still shorten the waiting: refused",
                        ("repairYears", facts.RepairYears), ("maxUsefulRepairYears", maxUseful));
                return new ResidentWaitingAnswer(false, code, unrepaired, null, yearEnd, false, 0, maxUseful, DMoney.Zero, why.Reasons);
            }
            credited = maxUseful;
            if (why.Enabled)
                why.Because(beyond.Rule,
                    $"申请修复 {facts.RepairYears} 年,只计可减少等待期的 {maxUseful} 年",
                    $"{facts.RepairYears} repair years asked: only the {maxUseful} that still shorten the waiting are credited and charged",
                    ("repairYears", facts.RepairYears), ("repairYearsCredited", maxUseful));
        }

        var waiting = unrepaired - credited * repairPerYear.Value;
        var cost = DMoney.Zero;
        if (credited > 0)
        {
            var premiums = policy.Need(policy.ResidentPremiums, WaitingPeriodKeys.ResidentPremiums);
            var yearKey = facts.CoverageYear.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!premiums.Value.TryGetValue(yearKey, out var premium))
                throw new YibaoException(ErrorCatalog.PolicyRuleMissing(policy.Region.Value, $"{WaitingPeriodKeys.ResidentPremiums.Name}[{yearKey}]", Dates.Format(policy.Date)));
            cost = premium.MultiplyRoundHalfAwayFromZero((decimal)credited);
            if (why.Enabled)
                why.Because(premiums.Rule,
                    $"修复 {credited} 年,每年按 {facts.CoverageYear} 年度个人缴费标准 {premium.ToPlainString()} 元:{cost.ToPlainString()} 元;等待期减少 {credited * repairPerYear.Value} 个月",
                    $"{credited} repair years at the {facts.CoverageYear} individual premium {premium.ToPlainString()}: {cost.ToPlainString()}; the waiting shortens by {credited * repairPerYear.Value} months",
                    ("repairYears", credited), ("premium", premium), ("repairCost", cost));
        }

        // Paid before the coverage year (a break with a payment in the enrolment period): the waiting runs from 1 January (CONV).
        var start = facts.PaidOn > yearStart ? facts.PaidOn : yearStart;
        var from = start.AddMonths(waiting);
        var covered = from <= yearEnd;
        if (why.Enabled)
            why.Because("K10", Provenance.Convention, "policy-reference K10 (benefitsFrom = paidOn + N months, same day or the month's last day)",
                covered
                    ? $"等待期 {waiting} 个月:自 {Dates.Format(start)} 起算,{Dates.Format(from)} 起享受待遇至 {Dates.Format(yearEnd)}"
                    : $"等待期 {waiting} 个月:自 {Dates.Format(start)} 起算至 {Dates.Format(from)},已超出 {facts.CoverageYear} 年度,本年度不享受待遇",
                covered
                    ? $"Waiting {waiting} months from {Dates.Format(start)}: benefits from {Dates.Format(from)} to {Dates.Format(yearEnd)}"
                    : $"Waiting {waiting} months from {Dates.Format(start)} ends {Dates.Format(from)}, after coverage year {facts.CoverageYear}: no benefits this year",
                ("waitingMonths", waiting), ("from", start), ("benefitsFrom", from));
        return new ResidentWaitingAnswer(true, null, waiting, from, yearEnd, covered, credited, maxUseful, cost, why.Reasons);
    }

    private static void Validate(ResidentFacts facts)
    {
        if (facts.BreakYears < 0) throw new YibaoException(ErrorCatalog.InvalidField("breakYears", "cannot be negative"));
        if (facts.RepairYears < 0) throw new YibaoException(ErrorCatalog.InvalidField("repairYears", "cannot be negative"));
        if (facts.CoverageYear < facts.PaidOn.Year || facts.CoverageYear > facts.PaidOn.Year + 1)
            throw new YibaoException(ErrorCatalog.InvalidField("coverageYear", $"{facts.CoverageYear} is neither the year of payment nor the next"));
        if (facts.Newborn && facts.BirthDate is null) throw new YibaoException(ErrorCatalog.MissingField("birthDate"));
        if (facts.BirthDate is { } birth && birth > facts.PaidOn)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(birth), Dates.Format(facts.PaidOn)).With("field", "birthDate"));
    }
}
