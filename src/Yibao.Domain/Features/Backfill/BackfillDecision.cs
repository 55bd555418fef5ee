using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Features.Backfill;

/// <summary>Who caused the arrears: the person (or a flexible worker) or the employer.</summary>
public enum ArrearsCause
{
    Individual,
    Employer,
}

/// <summary>Who owes the late fee.</summary>
public enum LateFeePayer
{
    Employer,
    Individual,
}

/// <summary>
/// A back-pay question: the owed contribution months, paid on <see cref="PaidOn"/>.
/// <see cref="Base"/> defaults to the average wage and, for individual arrears, <see cref="Rate"/>
/// to the flexible-worker rate (K8); employer-caused arrears use the pack's employer and individual rates.
/// </summary>
public sealed record BackfillFacts(ArrearsCause Cause, InsuredStatus Status, IReadOnlyList<YearMonth> Months, DateOnly PaidOn, DMoney? Base = null, DRate? Rate = null);

/// <summary>One owed month: its principal (employer part + individual part), due date, days late and late fee.</summary>
public sealed record BackfillMonthLine(
    YearMonth Month,
    DMoney Base,
    DMoney EmployerPart,
    DMoney IndividualPart,
    DMoney Principal,
    DateOnly DueDate,
    int DaysLate,
    DMoney LateFee,
    bool LateFeeCapped);

/// <summary>
/// The quote: <c>total = principal + lateFee</c>, each a sum of the rounded month items (K1).
/// <see cref="EmployerPart"/>, <see cref="IndividualPart"/> and <see cref="AccountCredit"/> are set
/// for employer-caused arrears only.
/// </summary>
public sealed record BackfillAnswer(
    DMoney Principal,
    DMoney LateFee,
    DMoney Total,
    DMoney? EmployerPart,
    DMoney? IndividualPart,
    DMoney? AccountCredit,
    LateFeePayer LateFeePayer,
    IReadOnlyList<BackfillMonthLine> Months,
    IReadOnlyList<Reason> Reasons);

/// <summary>补缴 quote with 滞纳金 (policy-reference A6, K1, K8; WE-08…WE-11).</summary>
public static class BackfillDecision
{
    public static BackfillAnswer Decide(BackfillFacts facts, BackfillPolicy policy, Explanation why)
    {
        Validate(facts);
        var employer = facts.Cause == ArrearsCause.Employer;
        var contributionBase = Base(facts, policy, why);

        // Rates: employer-caused arrears owe both parts (art. 86); an individual owes the chosen total rate.
        Ruled<DRate>? employerRate = null, individualRate = null;
        DRate individualTotalRate = default;
        if (employer)
        {
            employerRate = policy.Need(policy.Contribution.EmployerRate, ContributionKeys.EmployerRate);
            individualRate = policy.Need(policy.Contribution.IndividualRate, ContributionKeys.IndividualRate);
            if (why.Enabled)
            {
                why.Because(employerRate.Rule,
                    $"单位欠缴:单位部分按 {CreditingDecision.Percent(employerRate.Value)} 计",
                    $"Employer-caused arrears: the employer part is {CreditingDecision.Percent(employerRate.Value)} of the base",
                    ("employerRate", employerRate.Value));
                why.Because(individualRate.Rule,
                    $"应代扣代缴的个人部分按 {CreditingDecision.Percent(individualRate.Value)} 计",
                    $"The withheld individual part is {CreditingDecision.Percent(individualRate.Value)} of the base",
                    ("individualRate", individualRate.Value));
            }
        }
        else if (facts.Rate is { } given)
        {
            individualTotalRate = given;
            if (why.Enabled)
                why.Because("K8", Provenance.Convention, "policy-reference K8",
                    $"个人补缴按所选费率 {CreditingDecision.Percent(given)} 计", $"Individual back-pay at the chosen rate {CreditingDecision.Percent(given)}",
                    ("rate", given));
        }
        else
        {
            var flexible = policy.Need(policy.Contribution.FlexibleRate, ContributionKeys.FlexibleRate);
            individualTotalRate = flexible.Value;
            if (why.Enabled)
                why.Because(flexible.Rule,
                    $"未指定费率,按灵活就业人员费率 {CreditingDecision.Percent(flexible.Value)} 计", $"No rate given: the flexible-worker rate {CreditingDecision.Percent(flexible.Value)} applies",
                    ("rate", flexible.Value));
        }

        var dailyRate = employer ? policy.EmployerLateFeeDailyRate : policy.IndividualLateFeeDailyRate;
        var payer = employer ? LateFeePayer.Employer : LateFeePayer.Individual;
        if (why.Enabled)
        {
            why.Because(policy.DueDate.Rule,
                policy.DueDate.Value == DueDateRule.LastDayOfMonth ? "每个缴费月的截止日为该月最后一天" : "每个缴费月的截止日为次月15日",
                policy.DueDate.Value == DueDateRule.LastDayOfMonth ? "A contribution month is due on its last calendar day" : "A contribution month is due on the 15th of the following month",
                ("dueDate", policy.DueDate.Value == DueDateRule.LastDayOfMonth ? "last-day-of-month" : "fifteenth-of-next-month"));
            why.Because(dailyRate.Rule,
                employer
                    ? $"单位欠缴的滞纳金按日 {dailyRate.Value} 计,由单位承担,职工不承担(人社部令第20号)"
                    : dailyRate.Value.Value == 0m ? "本地区对个人补缴不收滞纳金" : $"个人补缴的滞纳金按日 {dailyRate.Value} 计,由本人承担",
                employer
                    ? $"Late fee on employer-caused arrears: {dailyRate.Value} a day, borne by the employer; the employee pays none (MOHRSS Order No. 20)"
                    : dailyRate.Value.Value == 0m ? "The region charges individuals no late fee" : $"Late fee on an individual's arrears: {dailyRate.Value} a day, paid by the individual",
                ("dailyRate", dailyRate.Value), ("lateFeePayer", payer == LateFeePayer.Employer ? "employer" : "individual"));
            why.Because(policy.LateFeeCapAtPrincipal.Rule,
                policy.LateFeeCapAtPrincipal.Value ? "滞纳金不超过该月本金(行政强制法第45条)" : "滞纳金不以本金为上限(按日单利计算,不复利)",
                policy.LateFeeCapAtPrincipal.Value ? "A month's late fee is capped at its principal (行政强制法 art. 45)" : "The late fee is not capped at the principal (simple daily interest, never compounded)",
                ("capAtPrincipal", policy.LateFeeCapAtPrincipal.Value));
        }

        var lines = new List<BackfillMonthLine>(facts.Months.Count);
        DMoney principal = DMoney.Zero, lateFee = DMoney.Zero, employerTotal = DMoney.Zero, individualTotal = DMoney.Zero;
        foreach (var month in facts.Months.Order())
        {
            DMoney employerPart, individualPart;
            if (employer)
            {
                employerPart = contributionBase.MultiplyRoundHalfAwayFromZero(employerRate!.Value);
                individualPart = contributionBase.MultiplyRoundHalfAwayFromZero(individualRate!.Value);
            }
            else
            {
                employerPart = DMoney.Zero;
                individualPart = contributionBase.MultiplyRoundHalfAwayFromZero(individualTotalRate);
            }
            var monthPrincipal = employerPart + individualPart;
            var due = DueDate(month, policy.DueDate.Value);
            var days = Math.Max(0, facts.PaidOn.DayNumber - due.DayNumber);
            var fee = monthPrincipal.MultiplyRoundHalfAwayFromZero(dailyRate.Value.Value * days);
            var capped = policy.LateFeeCapAtPrincipal.Value && fee > monthPrincipal;
            if (capped) fee = monthPrincipal;
            lines.Add(new BackfillMonthLine(month, contributionBase, employerPart, individualPart, monthPrincipal, due, days, fee, capped));
            principal += monthPrincipal;
            lateFee += fee;
            employerTotal += employerPart;
            individualTotal += individualPart;
            if (why.Enabled)
                why.Because("K8", Provenance.Convention, "policy-reference K1, K8",
                    $"{month}:本金 {monthPrincipal.ToPlainString()} 元;截止 {Dates.Format(due)},{Dates.Format(facts.PaidOn)} 缴纳,逾期 {days} 天;滞纳金 {monthPrincipal.ToPlainString()} × {dailyRate.Value} × {days} = {fee.ToPlainString()} 元{(capped ? "(以本金为限)" : "")}",
                    $"{month}: principal {monthPrincipal.ToPlainString()}; due {Dates.Format(due)}, paid {Dates.Format(facts.PaidOn)}, {days} days late; late fee {monthPrincipal.ToPlainString()} × {dailyRate.Value} × {days} = {fee.ToPlainString()}{(capped ? " (capped at the principal)" : "")}",
                    ("month", month), ("principal", monthPrincipal), ("dueDate", due), ("days", days), ("lateFee", fee), ("capped", capped));
        }

        var total = principal + lateFee;
        if (employer && why.Enabled)
            why.Because("K8", Provenance.Convention, "policy-reference K8, A1.1",
                $"补缴后个人账户记入各月个人缴费部分之和 {individualTotal.ToPlainString()} 元;单位部分计入统筹基金",
                $"On payment the personal account is credited the individual parts, {individualTotal.ToPlainString()}; the employer part goes to the pooled fund",
                ("accountCredit", individualTotal));
        if (why.Enabled)
            why.Because("K8", Provenance.Convention, "policy-reference K8",
                $"合计 = 本金 {principal.ToPlainString()} + 滞纳金 {lateFee.ToPlainString()} = {total.ToPlainString()} 元",
                $"Total = principal {principal.ToPlainString()} + late fee {lateFee.ToPlainString()} = {total.ToPlainString()}",
                ("principal", principal), ("lateFee", lateFee), ("total", total));

        return employer
            ? new BackfillAnswer(principal, lateFee, total, employerTotal, individualTotal, individualTotal, payer, lines, why.Reasons)
            : new BackfillAnswer(principal, lateFee, total, null, null, null, payer, lines, why.Reasons);
    }

    /// <summary>The due date of a contribution month under the region's rule (K8, WE-09).</summary>
    public static DateOnly DueDate(YearMonth month, DueDateRule rule) => rule switch
    {
        DueDateRule.LastDayOfMonth => month.LastDay,
        _ => new DateOnly(month.AddMonths(1).Year, month.AddMonths(1).Month, 15),
    };

    private static DMoney Base(BackfillFacts facts, BackfillPolicy policy, Explanation why)
    {
        DMoney declared;
        if (facts.Base is { } given)
        {
            declared = given;
        }
        else
        {
            var average = policy.Need(policy.Contribution.AverageWage, ContributionKeys.AverageWage);
            declared = average.Value;
            if (why.Enabled)
                why.Because(average.Rule,
                    $"未指定缴费基数,按上年度职工月平均工资 {average.Value.ToPlainString()} 元计",
                    $"No base given: the previous year's average monthly wage {average.Value.ToPlainString()} is the base",
                    ("averageWage", average.Value));
        }
        return policy.Contribution.Base(declared, why);
    }

    private static void Validate(BackfillFacts facts)
    {
        if (facts.Months.Count == 0) throw new YibaoException(ErrorCatalog.MissingField("months"));
        if (facts.Months.GroupBy(m => m).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new YibaoException(ErrorCatalog.InvalidField("months", $"{twice.Key} is listed twice"));
        if (facts.Months.Max() > YearMonth.Of(facts.PaidOn))
            throw new YibaoException(ErrorCatalog.InvalidField("months", $"{facts.Months.Max()} is after the payment month {YearMonth.Of(facts.PaidOn)}: it is not arrears"));
        if (facts.Base is { IsPositive: false }) throw new YibaoException(ErrorCatalog.InvalidField("base", "must be more than 0.00"));
        if (facts.Rate is { } r && (r.Value <= 0m || r.Value >= 1m)) throw new YibaoException(ErrorCatalog.InvalidField("rate", $"{r} is not a rate between 0 and 1"));
        if (facts.Status == InsuredStatus.Retired)
            throw new YibaoException(ErrorCatalog.InvalidField("status", "a retiree owes no contributions to back-pay"));
        if (facts.Cause == ArrearsCause.Employer && facts.Status != InsuredStatus.Employed)
            throw new YibaoException(ErrorCatalog.InvalidField("status", "employer-caused arrears concern an employee (status employed)"));
        if (facts.Cause == ArrearsCause.Employer && facts.Rate is not null)
            throw new YibaoException(ErrorCatalog.InvalidField("rate", "employer-caused arrears use the region's employer and individual rates; a rate cannot be chosen"));
    }
}
