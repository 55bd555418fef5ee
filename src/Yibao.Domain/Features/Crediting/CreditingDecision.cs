using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Features.Crediting;

/// <summary>
/// One person's month to credit. <see cref="DeclaredWage"/> is needed for an in-service credit,
/// <see cref="BirthDate"/> for a legacy age bracket (from the ID number, K4), <see cref="Pension"/>
/// only for a legacy own-pension retiree rule; a reform retiree's pension is ignored (WE-03).
/// </summary>
public sealed record CreditingFacts(InsuredStatus Status, YearMonth Month, DMoney? DeclaredWage = null, DateOnly? BirthDate = null, DMoney? Pension = null);

/// <summary>A deduction taken from the month's credit.</summary>
public sealed record DeductionLine(string Code, string Name, DMoney Amount);

/// <summary>
/// The month's credit: <c>net = credit − deductions</c>. <see cref="Base"/> is the contribution base
/// of an in-service credit (null for a retiree); <see cref="Rate"/> and <see cref="Age"/> say which
/// rate and age bracket applied. A refusal has <see cref="Credited"/> false and a <see cref="RefusalCode"/>.
/// </summary>
public sealed record CreditingAnswer(
    bool Credited,
    ResultCode? RefusalCode,
    DMoney? Base,
    DMoney Credit,
    DMoney Deductions,
    DMoney Net,
    DRate? Rate,
    int? Age,
    IReadOnlyList<DeductionLine> DeductionLines,
    IReadOnlyList<Reason> Reasons);

/// <summary>个人账户月度划入 (policy-reference A1, K1–K4; WE-01…WE-05, WE-07).</summary>
public static class CreditingDecision
{
    public static CreditingAnswer Decide(CreditingFacts facts, CreditingPolicy policy, Explanation why)
    {
        if (facts.Status == InsuredStatus.FlexibleEmployed)
        {
            if (why.Enabled)
                why.Because("K3", Provenance.Convention, "policy-reference K3",
                    "政策依据未规定灵活就业人员的个人账户划入办法,不予计算(不作推测)",
                    "The reference defines no personal-account crediting for flexible workers: refused rather than invented",
                    ("status", "flexible"));
            return new CreditingAnswer(false, Codes.FlexibleNotCredited, null, DMoney.Zero, DMoney.Zero, DMoney.Zero, null, null, [], why.Reasons);
        }

        var scheme = policy.Need(policy.Scheme, CreditingKeys.Scheme);
        if (why.Enabled)
            why.Because(scheme.Rule,
                scheme.Value == CreditingScheme.Reform ? $"{facts.Month} 适用改革后划入办法(国办发〔2021〕14号)" : $"{facts.Month} 适用改革前按年龄段划入的办法",
                scheme.Value == CreditingScheme.Reform ? $"{facts.Month} is credited under the post-reform rule (State Council General Office [2021] No. 14)" : $"{facts.Month} is credited under the pre-reform age-bracket rule",
                ("month", facts.Month), ("scheme", scheme.Value == CreditingScheme.Reform ? "reform" : "legacy-age-brackets"));

        var (contributionBase, credit, rate, age) = (facts.Status, scheme.Value) switch
        {
            (InsuredStatus.Employed, CreditingScheme.Reform) => InService(facts, policy, why),
            (InsuredStatus.Employed, _) => LegacyInService(facts, policy, why),
            (_, CreditingScheme.Reform) => (null, ReformRetiree(facts, policy, why), null, null),
            _ => LegacyRetiree(facts, policy, why),
        };

        var (deductions, lines) = Deduct(facts.Status, policy, why);
        var net = credit - deductions;
        if (why.Enabled)
            why.Because("K3", Provenance.Convention, "policy-reference K1, K3",
                $"实际划入 = 划入额 {credit.ToPlainString()} − 扣减 {deductions.ToPlainString()} = {net.ToPlainString()} 元",
                $"Net credit = credit {credit.ToPlainString()} − deductions {deductions.ToPlainString()} = {net.ToPlainString()}",
                ("credit", credit), ("deductions", deductions), ("net", net));
        return new CreditingAnswer(true, null, contributionBase, credit, deductions, net, rate, age, lines, why.Reasons);
    }

    /// <summary>After the reform: <c>round(base × 2%)</c> of the own base (A1.1, K1, K3).</summary>
    private static (DMoney?, DMoney, DRate?, int?) InService(CreditingFacts facts, CreditingPolicy policy, Explanation why)
    {
        var rate = policy.Need(policy.InServiceRate, CreditingKeys.InServiceRate);
        var contributionBase = policy.Contribution.Base(Wage(facts), why);
        var credit = contributionBase.MultiplyRoundHalfAwayFromZero(rate.Value);
        if (why.Enabled)
            why.Because(rate.Rule,
                $"在职职工按本人缴费基数的 {Percent(rate.Value)} 划入:{contributionBase.ToPlainString()} × {Percent(rate.Value)} = {credit.ToPlainString()} 元(四舍五入到分)",
                $"In-service: {Percent(rate.Value)} of the own base: {contributionBase.ToPlainString()} × {Percent(rate.Value)} = {credit.ToPlainString()} (rounded half away from zero to the fen)",
                ("base", contributionBase), ("rate", rate.Value), ("credit", credit));
        return (contributionBase, credit, rate.Value, null);
    }

    /// <summary>After the reform a retiree gets the region's fixed amount, whatever their own pension (A1.1, WE-03).</summary>
    private static DMoney ReformRetiree(CreditingFacts facts, CreditingPolicy policy, Explanation why)
    {
        var fixedAmount = policy.Need(policy.RetireeFixedAmount, CreditingKeys.RetireeFixedAmount);
        if (why.Enabled)
        {
            var pension = facts.Pension is { } p ? p.ToPlainString() : "—";
            why.Because(fixedAmount.Rule,
                $"退休人员由统筹基金按定额划入 {fixedAmount.Value.ToPlainString()} 元/月,与本人养老金({pension})无关",
                $"Retirees are credited the fixed {fixedAmount.Value.ToPlainString()} a month from the pooled fund, whatever their own pension ({pension})",
                ("fixedAmount", fixedAmount.Value), ("pension", pension));
        }
        return fixedAmount.Value;
    }

    /// <summary>
    /// Before the reform: the individual 2% plus an employer part chosen by the age (周岁) on the
    /// region's reference day, applied as one rate (A1.2, K1, K4; 福州 WE-05, seed 003 WE-04).
    /// </summary>
    private static (DMoney?, DMoney, DRate?, int?) LegacyInService(CreditingFacts facts, CreditingPolicy policy, Explanation why)
    {
        var brackets = policy.Need(policy.LegacyAgeBrackets, CreditingKeys.LegacyAgeBrackets);
        var reference = policy.Need(policy.AgeReference, CreditingKeys.AgeReference);
        var birth = facts.BirthDate ?? throw new YibaoException(ErrorCatalog.MissingField("birthDate"));
        var on = reference.Value == AgeReferenceDay.FirstOfMonth ? facts.Month.FirstDay : facts.Month.LastDay;
        if (birth > on) throw new YibaoException(ErrorCatalog.InvalidField("birthDate", $"born after {Dates.Format(on)}, the day the age is read"));
        var age = CompletedYears(birth, on);
        if (why.Enabled)
            why.Because(reference.Rule,
                $"年龄按 {Dates.Format(on)} 计算的周岁:出生于 {Dates.Format(birth)},为 {age} 周岁",
                $"Age in completed years on {Dates.Format(on)}: born {Dates.Format(birth)}, so {age}",
                ("birthDate", birth), ("ageOn", on), ("age", age));

        var bracket = brackets.Value.First(b => b.UpToAge is null || age <= b.UpToAge.Value);
        var contributionBase = policy.Contribution.Base(Wage(facts), why);
        var credit = contributionBase.MultiplyRoundHalfAwayFromZero(bracket.Rate);
        if (why.Enabled)
        {
            var band = bracket.UpToAge is { } upTo ? $"≤{upTo}" : $">{brackets.Value.LastOrDefault(b => b.UpToAge is not null)?.UpToAge}";
            why.Because(brackets.Rule,
                $"{age} 周岁属 {band} 岁档,划入比例 {Percent(bracket.Rate)}(个人 2% 与单位划入部分合并计算):{contributionBase.ToPlainString()} × {Percent(bracket.Rate)} = {credit.ToPlainString()} 元",
                $"Age {age} is in the {band} bracket: rate {Percent(bracket.Rate)} (the individual 2% and the employer part as one rate): {contributionBase.ToPlainString()} × {Percent(bracket.Rate)} = {credit.ToPlainString()}",
                ("age", age), ("bracket", band), ("rate", bracket.Rate), ("base", contributionBase), ("credit", credit));
        }
        return (contributionBase, credit, bracket.Rate, age);
    }

    /// <summary>Before the reform a retiree got a rate of their own pension or of the average wage (A1.2; seed 003: 5.4% of the pension).</summary>
    private static (DMoney?, DMoney, DRate?, int?) LegacyRetiree(CreditingFacts facts, CreditingPolicy policy, Explanation why)
    {
        var rule = policy.Need(policy.LegacyRetiree, CreditingKeys.LegacyRetiree);
        DMoney basis;
        if (rule.Value.Basis == LegacyRetireeBasis.OwnPension)
        {
            basis = facts.Pension ?? throw new YibaoException(ErrorCatalog.MissingField("pension"));
        }
        else
        {
            basis = policy.Need(policy.Contribution.AverageWage, ContributionKeys.AverageWage).Value;
        }
        var credit = basis.MultiplyRoundHalfAwayFromZero(rule.Value.Rate);
        if (why.Enabled)
        {
            var (zh, en) = rule.Value.Basis == LegacyRetireeBasis.OwnPension ? ("本人养老金", "own pension") : ("上年度职工月平均工资", "average wage");
            why.Because(rule.Rule,
                $"改革前退休人员按{zh}的 {Percent(rule.Value.Rate)} 划入:{basis.ToPlainString()} × {Percent(rule.Value.Rate)} = {credit.ToPlainString()} 元",
                $"Pre-reform retiree: {Percent(rule.Value.Rate)} of the {en}: {basis.ToPlainString()} × {Percent(rule.Value.Rate)} = {credit.ToPlainString()}",
                ("basis", basis), ("rate", rule.Value.Rate), ("credit", credit));
        }
        return (null, credit, rule.Value.Rate, null);
    }

    private static (DMoney Total, IReadOnlyList<DeductionLine> Lines) Deduct(InsuredStatus status, CreditingPolicy policy, Explanation why)
    {
        if (policy.Deductions is not { } deductions || deductions.Value.Count == 0)
        {
            if (why.Enabled)
                why.Because("K3", Provenance.Convention, "policy-reference K3", "本地区无从个人账户划入额中扣减的项目", "The region takes no deductions from the credit");
            return (DMoney.Zero, []);
        }
        var total = DMoney.Zero;
        List<DeductionLine>? lines = null;
        foreach (var d in deductions.Value)
        {
            if (!d.AppliesTo.Contains(status)) continue;
            total += d.MonthlyAmount;
            (lines ??= []).Add(new DeductionLine(d.Code, d.Name, d.MonthlyAmount));
            if (why.Enabled)
                why.Because(deductions.Rule,
                    $"按月从划入额中扣减{d.Name} {d.MonthlyAmount.ToPlainString()} 元",
                    $"The deduction {d.Code} of {d.MonthlyAmount.ToPlainString()} is taken from the month's credit",
                    ("deduction", d.Code), ("amount", d.MonthlyAmount));
        }
        return (total, lines ?? (IReadOnlyList<DeductionLine>)[]);
    }

    private static DMoney Wage(CreditingFacts facts) =>
        facts.DeclaredWage ?? throw new YibaoException(ErrorCatalog.MissingField("declaredWage"));

    /// <summary>周岁 on a day: someone born on the 1st of a month reaches the new age on that day (K4).</summary>
    public static int CompletedYears(DateOnly birth, DateOnly on)
    {
        var age = on.Year - birth.Year;
        if (on.Month < birth.Month || (on.Month == birth.Month && on.Day < birth.Day)) age--;
        return age;
    }

    internal static string Percent(DRate rate) => (rate.Value * 100m).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
