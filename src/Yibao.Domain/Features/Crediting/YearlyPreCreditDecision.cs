using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Crediting;

/// <summary>
/// A pre-credit question: the insurance year that contains <see cref="YearOf"/>, the monthly
/// amount (the month's credit computed from the April base, seed 003), and for a new member
/// the first contribution month (null for a continuing member).
/// </summary>
public sealed record PreCreditFacts(YearMonth YearOf, DMoney MonthlyAmount, YearMonth? FirstContributionMonth = null);

/// <summary>
/// The year's pre-credit to 当年账户: <see cref="Months"/> months from <see cref="FromMonth"/> to
/// <see cref="ToMonth"/>, credited on <see cref="CreditedOn"/>. A refusal has a <see cref="RefusalCode"/>.
/// </summary>
public sealed record PreCreditAnswer(
    bool Allowed,
    ResultCode? RefusalCode,
    InsuranceYear Year,
    int Months,
    YearMonth? FromMonth,
    YearMonth? ToMonth,
    DMoney Amount,
    DateOnly? CreditedOn,
    IReadOnlyList<Reason> Reasons);

/// <summary>The year-end settlement question: which pre-credited months were paid.</summary>
public sealed record ClawBackFacts(YearMonth YearOf, DMoney MonthlyAmount, YearMonth PreCreditedFrom, IReadOnlyCollection<YearMonth> PaidMonths);

/// <summary>Months pre-credited but not paid, clawed back on the last day of the insurance year.</summary>
public sealed record ClawBackAnswer(
    bool Allowed,
    ResultCode? RefusalCode,
    InsuranceYear Year,
    IReadOnlyList<YearMonth> UnpaidMonths,
    DMoney ClawBack,
    DateOnly SettledOn,
    IReadOnlyList<Reason> Reasons);

/// <summary>
/// 一次性预划入 (宁波, seed 003; WE-06): on the first day of the insurance year 12 months are
/// pre-credited; a member who joins during the year is pre-credited from the month after their
/// first contribution month to the year's end; at the year's end the months not paid are clawed back.
/// </summary>
public static class YearlyPreCreditDecision
{
    public static PreCreditAnswer PreCredit(PreCreditFacts facts, CreditingPolicy policy, Explanation why)
    {
        var year = policy.InsuranceYearOf(facts.YearOf);
        if (facts.MonthlyAmount.IsNegative) throw new YibaoException(ErrorCatalog.InvalidField("monthlyAmount", "must not be negative"));
        if (Refused(policy, why) is { } code)
            return new PreCreditAnswer(false, code, year, 0, null, null, DMoney.Zero, null, why.Reasons);

        if (facts.FirstContributionMonth is not { } first || first < year.FirstMonth)
        {
            var amount = Times(facts.MonthlyAmount, 12);
            if (why.Enabled)
                why.Because(policy.YearlyPreCredit!.Rule,
                    $"医保年度 {year} 开始之日一次性预划入 12 个月:12 × {facts.MonthlyAmount.ToPlainString()} = {amount.ToPlainString()} 元,记入当年账户",
                    $"On the first day of insurance year {year}, 12 months are pre-credited: 12 × {facts.MonthlyAmount.ToPlainString()} = {amount.ToPlainString()}, to the current-year segment",
                    ("year", year), ("months", 12), ("monthlyAmount", facts.MonthlyAmount), ("amount", amount));
            return new PreCreditAnswer(true, null, year, 12, year.FirstMonth, year.LastMonth, amount, year.Start, why.Reasons);
        }

        if (!year.Contains(first))
            throw new YibaoException(ErrorCatalog.InvalidField("firstContributionMonth", $"{first} is after insurance year {year}"));
        var from = first.AddMonths(1);
        var months = from.MonthsUntil(year.LastMonth) + 1;
        var total = Times(facts.MonthlyAmount, months);
        if (why.Enabled)
            why.Because(policy.YearlyPreCredit!.Rule,
                $"年中参保:首次缴费月 {first},自次月 {from} 起预划入至年度末 {year.LastMonth},共 {months} 个月:{months} × {facts.MonthlyAmount.ToPlainString()} = {total.ToPlainString()} 元",
                $"New member: first contribution month {first}; pre-credited from the next month {from} to the year's last month {year.LastMonth}, {months} months: {months} × {facts.MonthlyAmount.ToPlainString()} = {total.ToPlainString()}",
                ("firstContributionMonth", first), ("from", from), ("to", year.LastMonth), ("months", months), ("amount", total));
        return months == 0
            ? new PreCreditAnswer(true, null, year, 0, null, null, DMoney.Zero, null, why.Reasons)
            : new PreCreditAnswer(true, null, year, months, from, year.LastMonth, total, from.FirstDay, why.Reasons);
    }

    public static ClawBackAnswer ClawBack(ClawBackFacts facts, CreditingPolicy policy, Explanation why)
    {
        var year = policy.InsuranceYearOf(facts.YearOf);
        if (Refused(policy, why) is { } code)
            return new ClawBackAnswer(false, code, year, [], DMoney.Zero, year.End, why.Reasons);
        if (!year.Contains(facts.PreCreditedFrom))
            throw new YibaoException(ErrorCatalog.InvalidField("preCreditedFrom", $"{facts.PreCreditedFrom} is outside insurance year {year}"));

        var unpaid = new List<YearMonth>();
        for (var m = facts.PreCreditedFrom; m <= year.LastMonth; m = m.AddMonths(1))
        {
            if (!facts.PaidMonths.Contains(m)) unpaid.Add(m);
        }
        var clawBack = Times(facts.MonthlyAmount, unpaid.Count);
        if (why.Enabled)
            why.Because(policy.YearlyPreCredit!.Rule,
                $"年度末 {Dates.Format(year.End)} 清算:预划入月份中 {unpaid.Count} 个月未缴费({string.Join("、", unpaid)}),扣回 {unpaid.Count} × {facts.MonthlyAmount.ToPlainString()} = {clawBack.ToPlainString()} 元",
                $"Year-end settlement on {Dates.Format(year.End)}: {unpaid.Count} pre-credited months were not paid ({string.Join(", ", unpaid)}); {unpaid.Count} × {facts.MonthlyAmount.ToPlainString()} = {clawBack.ToPlainString()} is clawed back",
                ("unpaidMonths", string.Join(",", unpaid)), ("clawBack", clawBack), ("settledOn", year.End));
        return new ClawBackAnswer(true, null, year, unpaid, clawBack, year.End, why.Reasons);
    }

    private static ResultCode? Refused(CreditingPolicy policy, Explanation why)
    {
        if (policy.YearlyPreCredit is { Value: true }) return null;
        if (policy.YearlyPreCredit is { } rule)
            why.Because(rule.Rule, "本地区按月划入,不实行一次性预划入", "The region credits month by month; it does not pre-credit the year");
        else
            why.Because("A1.3", Provenance.Convention, "policy-reference A1.3", "本地区未规定一次性预划入", "The region has no yearly pre-credit rule");
        return Codes.NoYearlyPreCredit;
    }

    private static DMoney Times(DMoney amount, int months) => amount.MultiplyRoundHalfAwayFromZero((decimal)months);
}
