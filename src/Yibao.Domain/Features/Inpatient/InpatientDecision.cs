using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Money;
using Yibao.Domain.Policy;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Inpatient;

/// <summary>职工医保 / 居民医保.</summary>
public enum InsuranceScheme
{
    Employee = 0,
    Resident = 1,
}

/// <summary>The member's status in the employee scheme (在职 / 退休 / 灵活就业); residents have none.</summary>
public enum InsuredStatus
{
    Employed = 0,
    Retired = 1,
    Flexible = 2,
}

/// <summary>
/// One inpatient stay to settle. <see cref="Admission"/> is the stay's number in the insurance
/// year, counted across all tiers (K13); <see cref="PolicyCost"/> is the policy-scope cost
/// (政策范围内费用) and <see cref="SelfPayCost"/> the items outside the catalogue (目录外自费).
/// </summary>
public readonly record struct InpatientStay(
    InsuranceScheme Scheme,
    InsuredStatus Status,
    int Tier,
    int Admission,
    DMoney PolicyCost,
    DMoney SelfPayCost,
    DMoney FundPaidThisYear,
    RemoteCareKind RemoteCare,
    DMoney AccountBalance);

/// <summary>
/// The split of one stay: what the pooled fund pays, the person's share, and how much of that the
/// personal account pays before cash. When the region's policy lacks a rule, <see cref="RefusalCode"/>
/// is <see cref="Yibao.Domain.Errors.Codes.RuleNotInPolicy"/>, <see cref="MissingRule"/> names the key, and
/// only the figures already determined are meaningful (the deductible, when known).
/// </summary>
public readonly record struct InpatientSplit(
    ResultCode? RefusalCode,
    string? MissingRule,
    DMoney? Deductible,
    Rate Ratio,
    DMoney UncappedFund,
    DMoney Fund,
    DMoney Individual,
    DMoney AccountPays,
    DMoney Cash,
    DMoney CapLeft,
    IReadOnlyList<Reason> Reasons)
{
    public bool Settled => RefusalCode is null;
}

/// <summary>
/// 住院结算: the fund / personal / account / cash split of one inpatient stay (policy-reference A7,
/// K1, K13, WE-51…WE-60, WE-63). Called in real time by hospitals: with
/// <see cref="Explanation.None"/> it allocates nothing (every reason is built only when
/// <see cref="Explanation.Enabled"/>), and amounts are added as fen (<see cref="DMoney.Fen"/>).
/// </summary>
public static class InpatientDecision
{
    private const string K13 = "K13";
    private const string K13Source = "policy-reference K13";

    public static InpatientSplit Decide(in InpatientStay stay, InpatientPolicy policy, Explanation why)
    {
        Validate(in stay);
        var group = stay.Scheme == InsuranceScheme.Resident ? BenefitGroup.Resident
            : stay.Status == InsuredStatus.Retired ? BenefitGroup.Retired
            : BenefitGroup.InService;
        if (why.Enabled && stay.Scheme == InsuranceScheme.Employee && stay.Status == InsuredStatus.Flexible)
        {
            why.Because(K13, Provenance.Convention, "Yibao convention (the reference is silent on flexible workers)",
                "灵活就业人员参加职工医保,退休前按在职职工的起付线和支付比例结算",
                "A flexible worker in the employee scheme is settled with the in-service deductibles and ratios until retirement");
        }

        // 起付线: the schedule value for the stay's admission number; the 4th and later use the last (K13, WE-54).
        var schedule = policy.Deductibles(group, stay.Tier);
        if (schedule is null) return NotInPolicy(InpatientPolicy.DeductibleKey(group), null, policy, why);
        var position = stay.Admission < schedule.Length ? stay.Admission : schedule.Length;
        var deductible = schedule[position - 1];
        if (why.Enabled) ExplainDeductible(in stay, group, position, schedule.Length, deductible, policy, why);

        // 支付比例, retirees' uplift folded in when the policy was built.
        if (!policy.TryRatio(group, stay.Tier, out var baseRatio))
            return NotInPolicy(policy.MissingRatioKey(group), deductible, policy, why);
        if (why.Enabled) ExplainRatio(in stay, group, baseRatio, policy, why);

        // 异地就医: only temporary filings lower the ratio (A8, K13).
        var ratio = baseRatio;
        if (stay.RemoteCare >= RemoteCareKind.TemporaryReferral)
        {
            if (policy.RemoteCareRule is not { } remoteRule)
                return NotInPolicy(InpatientKeys.RemoteCareReductions.Name, deductible, policy, why);
            var reduction = policy.Reduction(stay.RemoteCare);
            ratio = reduction.Value >= baseRatio.Value ? Rate.Zero : baseRatio - reduction;
            if (why.Enabled)
            {
                why.Because(remoteRule,
                    $"{RemoteCareZh(stay.RemoteCare)}:支付比例 {Show(baseRatio)} 降低 {Points(reduction)} 个百分点,为 {Show(ratio)}",
                    $"Temporary remote care ({RemoteCareEn(stay.RemoteCare)}): ratio {Show(baseRatio)} lowered by {Points(reduction)} points to {Show(ratio)}",
                    ("remoteCare", RemoteCareEn(stay.RemoteCare)), ("ratioBefore", Show(baseRatio)), ("reduction", Show(reduction)), ("ratio", Show(ratio)));
            }
        }
        else if (why.Enabled)
        {
            why.Because(K13, Provenance.Official, "policy-reference A8 (L9), K13",
                stay.RemoteCare == RemoteCareKind.LongTerm ? "长期异地居住备案人员享受参保地待遇,支付比例不降低" : "本地就医,支付比例不调整",
                stay.RemoteCare == RemoteCareKind.LongTerm ? "A long-term remote-care filing keeps the insured region's benefits: the ratio is not lowered" : "Local stay: the ratio is not adjusted",
                ("remoteCare", RemoteCareEn(stay.RemoteCare)), ("ratio", Show(ratio)));
        }

        if (!policy.TryCap(group, out var cap))
            return NotInPolicy(InpatientPolicy.CapKey(group), deductible, policy, why);

        // K1: the only rounding of the split.
        var aboveDeductible = stay.PolicyCost.Fen > deductible.Fen ? stay.PolicyCost.Fen - deductible.Fen : 0L;
        var uncapped = DMoney.FromFen(aboveDeductible).MultiplyRoundHalfAwayFromZero(ratio);
        if (why.Enabled) ExplainFund(in stay, deductible, ratio, uncapped, why);

        // 年度最高支付限额, applied after the ratio (K13, WE-57).
        var capBefore = cap.Fen - stay.FundPaidThisYear.Fen;
        if (capBefore < 0) capBefore = 0;
        var fund = uncapped.Fen > capBefore ? DMoney.FromFen(capBefore) : uncapped;
        var capLeft = DMoney.FromFen(capBefore - fund.Fen);
        if (why.Enabled) ExplainCap(in stay, group, cap, capBefore, uncapped, fund, capLeft, policy, why);

        // Out-of-catalogue items are wholly personal; the account pays first, up to its balance (WE-56, WE-59).
        var individual = DMoney.FromFen(stay.PolicyCost.Fen + stay.SelfPayCost.Fen - fund.Fen);
        var accountPays = stay.AccountBalance < individual ? stay.AccountBalance : individual;
        var cash = DMoney.FromFen(individual.Fen - accountPays.Fen);
        if (why.Enabled) ExplainPersonal(in stay, fund, individual, accountPays, cash, why);

        return new InpatientSplit(null, null, deductible, ratio, uncapped, fund, individual, accountPays, cash, capLeft, why.Reasons);
    }

    private static void Validate(in InpatientStay stay)
    {
        if ((uint)stay.Scheme > (uint)InsuranceScheme.Resident) throw Invalid("scheme", "employee or resident");
        if ((uint)stay.Status > (uint)InsuredStatus.Flexible) throw Invalid("status", "employed, retired or flexible");
        if (stay.Tier is < 1 or > 3) throw Invalid("tier", $"the hospital tier is 1, 2 or 3, not {stay.Tier}");
        if (stay.Admission < 1) throw Invalid("admission", $"the admission number in the insurance year starts at 1, not {stay.Admission}");
        if ((uint)stay.RemoteCare > (uint)RemoteCareKind.TemporaryOther) throw Invalid("remoteCare", "none, long-term, temporary-referral, temporary-emergency or temporary-other");
        if (stay.PolicyCost.IsNegative) throw Invalid("policyCost", "cannot be negative");
        if (stay.SelfPayCost.IsNegative) throw Invalid("selfPayCost", "cannot be negative");
        if (stay.FundPaidThisYear.IsNegative) throw Invalid("fundPaidThisYear", "cannot be negative");
        if (stay.AccountBalance.IsNegative) throw Invalid("accountBalance", "cannot be negative (an account never goes below zero)");
        if (stay.SelfPayCost.Fen > long.MaxValue - stay.PolicyCost.Fen)
            throw new YibaoException(ErrorCatalog.AmountOutOfRange($"{stay.PolicyCost.ToPlainString()} + {stay.SelfPayCost.ToPlainString()}"));
    }

    private static YibaoException Invalid(string field, string why) => new(ErrorCatalog.InvalidField(field, why));

    private static InpatientSplit NotInPolicy(string key, DMoney? deductible, InpatientPolicy policy, Explanation why)
    {
        if (why.Enabled)
        {
            why.Because(key, Provenance.Convention, $"policy packs {policy.VersionId}",
                "该地区政策未设定计算所需的规则,无法计算统筹基金支付部分" + (deductible is { } d ? $"(起付线 {d.ToPlainString()} 元已确定)" : ""),
                $"The region's policy sets no rule '{key}': the fund share cannot be computed" + (deductible is { } e ? $" (the deductible, {e.ToPlainString()}, is known)" : ""),
                ("missingRule", key));
        }
        return new InpatientSplit(Codes.RuleNotInPolicy, key, deductible, Rate.Zero, default, default, default, default, default, default, why.Reasons);
    }

    private static void ExplainDeductible(in InpatientStay stay, BenefitGroup group, int position, int scheduleLength, DMoney deductible, InpatientPolicy policy, Explanation why)
    {
        var last = position == scheduleLength && stay.Admission > scheduleLength;
        why.Because(policy.DeductibleRule(group)!,
            $"{GroupZh(group)}本医保年度第 {stay.Admission} 次住院({stay.Tier} 级医院),起付线 {deductible.ToPlainString()} 元" + (last ? $"(第 {scheduleLength} 次及以后均按此标准)" : ""),
            $"{GroupEn(group)}, tier {stay.Tier}, admission {stay.Admission} of the insurance year: deductible {deductible.ToPlainString()}" + (last ? $" (admission {scheduleLength} and every later one)" : ""),
            ("group", GroupEn(group)), ("tier", stay.Tier), ("admission", stay.Admission), ("deductible", deductible));
    }

    private static void ExplainRatio(in InpatientStay stay, BenefitGroup group, Rate ratio, InpatientPolicy policy, Explanation why)
    {
        var rule = policy.RatioRule(group)!;
        if (group != BenefitGroup.Retired)
        {
            why.Because(rule,
                $"{GroupZh(group)}在 {stay.Tier} 级医院住院,统筹基金支付比例 {Show(ratio)}",
                $"{GroupEn(group)}, tier {stay.Tier}: fund ratio {Show(ratio)}",
                ("tier", stay.Tier), ("ratio", Show(ratio)));
            return;
        }
        var inService = ((TierRatios)rule.Value).ForTier(stay.Tier);
        var factor = policy.RetireeIndividualShareFactor!.Value;
        why.Because(rule,
            $"在职职工在 {stay.Tier} 级医院住院,统筹基金支付比例 {Show(inService)}",
            $"In-service ratio at tier {stay.Tier}: {Show(inService)}",
            ("tier", stay.Tier), ("inServiceRatio", Show(inService)));
        why.Because(policy.RetireeFactorRule!,
            $"退休人员个人负担为在职职工的 {Show(factor)}:支付比例 = 1 − {Show(factor)} × (1 − {Show(inService)}) = {Show(ratio)}(不取整)",
            $"A retiree bears {Show(factor)} of the in-service individual share: ratio = 1 − {Show(factor)} × (1 − {Show(inService)}) = {Show(ratio)} (never rounded)",
            ("factor", Show(factor)), ("inServiceRatio", Show(inService)), ("ratio", Show(ratio)));
    }

    private static void ExplainFund(in InpatientStay stay, DMoney deductible, Rate ratio, DMoney uncapped, Explanation why)
    {
        if (stay.PolicyCost <= deductible)
        {
            why.Because(K13, Provenance.Convention, "policy-reference K13, WE-55",
                $"政策范围内费用 {stay.PolicyCost.ToPlainString()} 元未超过起付线 {deductible.ToPlainString()} 元,统筹基金不支付;本次住院仍计入年度住院次数",
                $"Policy-scope cost {stay.PolicyCost.ToPlainString()} does not exceed the deductible {deductible.ToPlainString()}: the fund pays nothing, and the stay still counts as an admission",
                ("policyCost", stay.PolicyCost), ("deductible", deductible), ("fund", uncapped));
            return;
        }
        why.Because("K1", Provenance.Convention, "policy-reference K1, K13",
            $"统筹基金 = 四舍五入到分((政策范围内费用 {stay.PolicyCost.ToPlainString()} − 起付线 {deductible.ToPlainString()}) × {Show(ratio)}) = {uncapped.ToPlainString()} 元",
            $"Fund = round to the fen((policy-scope cost {stay.PolicyCost.ToPlainString()} − deductible {deductible.ToPlainString()}) × {Show(ratio)}) = {uncapped.ToPlainString()}",
            ("policyCost", stay.PolicyCost), ("deductible", deductible), ("ratio", Show(ratio)), ("fund", uncapped));
    }

    private static void ExplainCap(in InpatientStay stay, BenefitGroup group, DMoney cap, long capBefore, DMoney uncapped, DMoney fund, DMoney capLeft, InpatientPolicy policy, Explanation why)
    {
        var rule = policy.CapRule(group)!;
        var before = DMoney.FromFen(capBefore);
        if (stay.FundPaidThisYear > cap)
        {
            why.Because(rule,
                $"本年度统筹基金已支付 {stay.FundPaidThisYear.ToPlainString()} 元,超过年度最高支付限额 {cap.ToPlainString()} 元,本次不再支付",
                $"The fund already paid {stay.FundPaidThisYear.ToPlainString()} this year, more than the annual cap {cap.ToPlainString()}: it pays nothing more",
                ("cap", cap), ("fundPaidThisYear", stay.FundPaidThisYear), ("fund", fund));
        }
        else if (fund < uncapped)
        {
            why.Because(rule,
                $"年度最高支付限额 {cap.ToPlainString()} 元,本年度已支付 {stay.FundPaidThisYear.ToPlainString()} 元,剩余 {before.ToPlainString()} 元:统筹基金由 {uncapped.ToPlainString()} 元封顶为 {fund.ToPlainString()} 元",
                $"Annual cap {cap.ToPlainString()}, already paid {stay.FundPaidThisYear.ToPlainString()}, {before.ToPlainString()} left: the fund is capped from {uncapped.ToPlainString()} to {fund.ToPlainString()}",
                ("cap", cap), ("fundPaidThisYear", stay.FundPaidThisYear), ("uncappedFund", uncapped), ("fund", fund), ("capLeft", capLeft));
        }
        else
        {
            why.Because(rule,
                $"年度最高支付限额 {cap.ToPlainString()} 元,本年度已支付 {stay.FundPaidThisYear.ToPlainString()} 元,本次支付后剩余 {capLeft.ToPlainString()} 元",
                $"Annual cap {cap.ToPlainString()}, already paid {stay.FundPaidThisYear.ToPlainString()}: {capLeft.ToPlainString()} left after this stay",
                ("cap", cap), ("fundPaidThisYear", stay.FundPaidThisYear), ("fund", fund), ("capLeft", capLeft));
        }
    }

    private static void ExplainPersonal(in InpatientStay stay, DMoney fund, DMoney individual, DMoney accountPays, DMoney cash, Explanation why)
    {
        why.Because(K13, Provenance.Convention, K13Source + ", WE-56",
            $"个人负担 = 政策范围内费用 {stay.PolicyCost.ToPlainString()} + 目录外自费 {stay.SelfPayCost.ToPlainString()} − 统筹基金 {fund.ToPlainString()} = {individual.ToPlainString()} 元(目录外费用全部由个人负担)",
            $"Individual share = policy-scope cost {stay.PolicyCost.ToPlainString()} + out-of-catalogue {stay.SelfPayCost.ToPlainString()} − fund {fund.ToPlainString()} = {individual.ToPlainString()} (out-of-catalogue items are wholly personal)",
            ("policyCost", stay.PolicyCost), ("selfPayCost", stay.SelfPayCost), ("fund", fund), ("individual", individual));
        why.Because(K13, Provenance.Convention, K13Source + ", WE-59",
            $"个人账户先行支付,以余额 {stay.AccountBalance.ToPlainString()} 元为限:账户支付 {accountPays.ToPlainString()} 元,现金支付 {cash.ToPlainString()} 元",
            $"The personal account pays first, up to its balance {stay.AccountBalance.ToPlainString()}: account {accountPays.ToPlainString()}, cash {cash.ToPlainString()}",
            ("accountBalance", stay.AccountBalance), ("individual", individual), ("accountPays", accountPays), ("cash", cash));
    }

    /// <summary>A rate in percentage points (0.10 → "10").</summary>
    private static string Points(Rate rate) =>
        InpatientPolicy.Normalize(rate.Value * 100m).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A rate as plain text without trailing zeros (0.910 → "0.91").</summary>
    public static string Show(Rate rate) =>
        InpatientPolicy.Normalize(rate.Value).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string GroupZh(BenefitGroup group) => group switch
    {
        BenefitGroup.InService => "在职职工",
        BenefitGroup.Retired => "退休人员",
        _ => "城乡居民",
    };

    private static string GroupEn(BenefitGroup group) => group switch
    {
        BenefitGroup.InService => "in-service employee",
        BenefitGroup.Retired => "retiree",
        _ => "resident",
    };

    private static string RemoteCareZh(RemoteCareKind kind) => kind switch
    {
        RemoteCareKind.TemporaryReferral => "临时外出就医(异地转诊)",
        RemoteCareKind.TemporaryEmergency => "临时外出就医(急诊抢救)",
        RemoteCareKind.TemporaryOther => "临时外出就医(未经转诊)",
        RemoteCareKind.LongTerm => "长期异地居住",
        _ => "本地就医",
    };

    /// <summary>The kebab-case name used in cases and the API.</summary>
    public static string RemoteCareEn(RemoteCareKind kind) => kind switch
    {
        RemoteCareKind.LongTerm => "long-term",
        RemoteCareKind.TemporaryReferral => "temporary-referral",
        RemoteCareKind.TemporaryEmergency => "temporary-emergency",
        RemoteCareKind.TemporaryOther => "temporary-other",
        _ => "none",
    };
}
