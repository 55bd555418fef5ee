using Yibao.Domain.Money;
using Yibao.Domain.Policy;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Inpatient;

/// <summary>
/// Deductibles (起付线) by hospital tier, each a schedule by the stay's admission number in the
/// insurance year: the n-th admission uses the n-th value, every later one the last (K13).
/// A tier with one value uses it for every admission.
/// </summary>
public sealed record TierDeductibles(IReadOnlyList<DMoney> Tier1, IReadOnlyList<DMoney> Tier2, IReadOnlyList<DMoney> Tier3)
{
    internal IReadOnlyList<DMoney> ForTier(int tier) => tier switch { 1 => Tier1, 2 => Tier2, _ => Tier3 };
}

/// <summary>Fund ratios (统筹基金支付比例) by hospital tier; exact, never rounded (K1).</summary>
public sealed record TierRatios(Rate Tier1, Rate Tier2, Rate Tier3)
{
    internal Rate ForTier(int tier) => tier switch { 1 => Tier1, 2 => Tier2, _ => Tier3 };
}

/// <summary>
/// Points taken off the fund ratio for a stay under a temporary remote-care filing (临时外出就医,
/// A8). Long-term filings (and local stays) are never reduced.
/// </summary>
public sealed record RemoteCareReductions(Rate TemporaryReferral, Rate TemporaryEmergency, Rate TemporaryOther)
{
    internal Rate For(RemoteCareKind kind) => kind switch
    {
        RemoteCareKind.TemporaryReferral => TemporaryReferral,
        RemoteCareKind.TemporaryEmergency => TemporaryEmergency,
        RemoteCareKind.TemporaryOther => TemporaryOther,
        _ => Rate.Zero,
    };
}

/// <summary>Rule keys of the inpatient split (住院结算; policy-reference A7, A8, K13, C0, C1).</summary>
[PolicyKeys]
public static class InpatientKeys
{
    /// <summary>National maximum reduction for referral and emergency stays (C0 TemporaryRatioReductionMaxPoints, L9 [MEMORY]).</summary>
    public static readonly Rate MaxReferralOrEmergencyReduction = new(0.10m);

    /// <summary>National maximum reduction for other temporary stays (C0, L9 [MEMORY]).</summary>
    public static readonly Rate MaxOtherTemporaryReduction = new(0.20m);

    /// <summary>National minimum validity of a temporary filing, in months (C0 TemporaryFilingValidityMinMonths, L9).</summary>
    public const int MinTemporaryFilingMonths = 6;

    public static readonly PolicyKey<TierDeductibles> InServiceDeductibles = new(
        "inpatient.in-service-deductibles",
        "Employee scheme, in-service (and flexible) members: deductible by tier, one schedule by admission number in the insurance year (the last value for every later admission)",
        CheckDeductibles);

    public static readonly PolicyKey<TierDeductibles> RetireeDeductibles = new(
        "inpatient.retiree-deductibles",
        "Employee scheme, retirees: deductible by tier and admission number (as in-service unless the region sets its own, e.g. 无锡)",
        CheckDeductibles);

    public static readonly PolicyKey<TierDeductibles> ResidentDeductibles = new(
        "inpatient.resident-deductibles",
        "Resident scheme (城乡居民): deductible by tier and admission number",
        CheckDeductibles);

    public static readonly PolicyKey<TierRatios> InServiceRatios = new(
        "inpatient.in-service-ratios",
        "Employee scheme, in-service members: fund ratio by tier, between 0 and 1",
        CheckRatios);

    public static readonly PolicyKey<Rate> RetireeIndividualShareFactor = new(
        "inpatient.retiree-individual-share-factor",
        "Employee scheme, retirees: their individual share as a fraction of the in-service one; fund ratio = 1 − factor × (1 − in-service ratio) (北京-type rule, seed 004)",
        f => f.Value is < 0m or > 1m ? $"the factor {f} must be between 0 and 1" : null);

    public static readonly PolicyKey<TierRatios> ResidentRatios = new(
        "inpatient.resident-ratios",
        "Resident scheme: fund ratio by tier, between 0 and 1",
        CheckRatios);

    public static readonly PolicyKey<DMoney> EmployeeAnnualCap = new(
        "inpatient.employee-annual-cap",
        "Employee scheme: the most the basic pooled fund pays for one person in an insurance year (年度最高支付限额)",
        CheckCap);

    public static readonly PolicyKey<DMoney> ResidentAnnualCap = new(
        "inpatient.resident-annual-cap",
        "Resident scheme: the most the pooled fund pays for one person in an insurance year",
        CheckCap);

    public static readonly PolicyKey<RemoteCareReductions> RemoteCareReductions = new(
        "inpatient.remote-care-reductions",
        "Points taken off the fund ratio under a temporary remote-care filing (national maxima: referral and emergency 10 points, other 20 points)",
        CheckReductions);

    public static readonly PolicyKey<int> TemporaryFilingMonths = new(
        "inpatient.temporary-filing-months",
        "How long a temporary remote-care filing stays valid, in months from its start (to start + months − 1 day); at least the national 6",
        m => m < MinTemporaryFilingMonths ? $"a temporary filing is valid for at least {MinTemporaryFilingMonths} months nationally (L9), not {m}" : null);

    private static string? CheckDeductibles(TierDeductibles d)
    {
        for (var tier = 1; tier <= 3; tier++)
        {
            var schedule = d.ForTier(tier);
            if (schedule.Count == 0) return $"tier{tier}: give at least one deductible";
            for (var i = 0; i < schedule.Count; i++)
            {
                if (schedule[i].IsNegative) return $"tier{tier}: deductible {i + 1} ({schedule[i].ToPlainString()}) is negative";
            }
        }
        return null;
    }

    private static string? CheckRatios(TierRatios r)
    {
        for (var tier = 1; tier <= 3; tier++)
        {
            var ratio = r.ForTier(tier);
            if (ratio.Value is < 0m or > 1m) return $"tier{tier}: the ratio {ratio} must be between 0 and 1";
        }
        return null;
    }

    private static string? CheckCap(DMoney cap) => cap.IsPositive ? null : $"the annual cap ({cap.ToPlainString()}) must be more than zero";

    private static string? CheckReductions(RemoteCareReductions r)
    {
        if (r.TemporaryReferral.Value < 0m || r.TemporaryEmergency.Value < 0m || r.TemporaryOther.Value < 0m)
            return "a reduction cannot be negative";
        if (r.TemporaryReferral.Value > MaxReferralOrEmergencyReduction.Value)
            return $"temporaryReferral {r.TemporaryReferral} is over the national maximum of {MaxReferralOrEmergencyReduction} (10 points, L9)";
        if (r.TemporaryEmergency.Value > MaxReferralOrEmergencyReduction.Value)
            return $"temporaryEmergency {r.TemporaryEmergency} is over the national maximum of {MaxReferralOrEmergencyReduction} (10 points, L9)";
        if (r.TemporaryOther.Value > MaxOtherTemporaryReduction.Value)
            return $"temporaryOther {r.TemporaryOther} is over the national maximum of {MaxOtherTemporaryReduction} (20 points, L9)";
        return null;
    }
}

/// <summary>Whose schedule a stay follows: the employee scheme's in-service or retired members, or the resident scheme.</summary>
public enum BenefitGroup
{
    InService = 0,
    Retired = 1,
    Resident = 2,
}

/// <summary>
/// The typed inpatient policy of a region on a day, built once (per region and version) from a
/// <see cref="ResolvedPolicy"/>. Schedules are flattened into arrays indexed by benefit group and
/// tier so that <see cref="InpatientDecision.Decide"/> does no lookup, no LINQ and no allocation.
/// A rule the region does not set stays empty: the decision then refuses with
/// <see cref="Yibao.Domain.Errors.Codes.RuleNotInPolicy"/> and names the missing key (e.g. 无锡 has no retiree ratio).
/// </summary>
public sealed class InpatientPolicy
{
    private const int Tiers = 3;
    private const int Groups = 3;

    // [group * Tiers + tier − 1]
    private readonly DMoney[]?[] _deductibles = new DMoney[]?[Groups * Tiers];
    private readonly Rate[] _ratios = new Rate[Groups * Tiers];
    private readonly bool[] _hasRatio = new bool[Groups * Tiers];
    // [group]
    private readonly DMoney[] _caps = new DMoney[Groups];
    private readonly bool[] _hasCap = new bool[Groups];
    private readonly PolicyValue?[] _deductibleRules = new PolicyValue?[Groups];
    private readonly PolicyValue?[] _capRules = new PolicyValue?[Groups];
    private readonly PolicyValue?[] _ratioRules = new PolicyValue?[Groups];
    private readonly string[] _missingRatioKey = new string[Groups];
    // [RemoteCareKind]
    private readonly Rate[] _reductions = new Rate[5];

    private static readonly PolicyKey<TierDeductibles>[] DeductibleKeys = [InpatientKeys.InServiceDeductibles, InpatientKeys.RetireeDeductibles, InpatientKeys.ResidentDeductibles];
    private static readonly PolicyKey<DMoney>[] CapKeys = [InpatientKeys.EmployeeAnnualCap, InpatientKeys.EmployeeAnnualCap, InpatientKeys.ResidentAnnualCap];

    private InpatientPolicy(string versionId) => VersionId = versionId;

    /// <summary>The pack versions this policy was resolved from (recorded with a settlement).</summary>
    public string VersionId { get; }

    /// <summary>The retirees' factor rule, when the region has one (for reasons).</summary>
    public PolicyValue? RetireeFactorRule { get; private init; }
    public Rate? RetireeIndividualShareFactor { get; private init; }

    /// <summary>The remote-care reduction rule; null when the region sets none (temporary stays are then refused).</summary>
    public PolicyValue? RemoteCareRule { get; private init; }

    /// <summary>Months a temporary filing stays valid (null when no pack in the chain sets it).</summary>
    public int? TemporaryFilingMonths { get; private init; }
    public PolicyValue? TemporaryFilingMonthsRule { get; private init; }

    public static InpatientPolicy From(ResolvedPolicy policy)
    {
        var factor = policy.Has(InpatientKeys.RetireeIndividualShareFactor) ? policy.Get(InpatientKeys.RetireeIndividualShareFactor) : (Rate?)null;
        var remote = policy.Has(InpatientKeys.RemoteCareReductions) ? policy.Get(InpatientKeys.RemoteCareReductions) : null;
        var typed = new InpatientPolicy(policy.VersionId)
        {
            RetireeFactorRule = Rule(policy, InpatientKeys.RetireeIndividualShareFactor),
            RetireeIndividualShareFactor = factor,
            RemoteCareRule = Rule(policy, InpatientKeys.RemoteCareReductions),
            TemporaryFilingMonths = policy.Has(InpatientKeys.TemporaryFilingMonths) ? policy.Get(InpatientKeys.TemporaryFilingMonths) : null,
            TemporaryFilingMonthsRule = Rule(policy, InpatientKeys.TemporaryFilingMonths),
        };

        for (var group = 0; group < Groups; group++)
        {
            typed._deductibleRules[group] = Rule(policy, DeductibleKeys[group]);
            typed._capRules[group] = Rule(policy, CapKeys[group]);
            if (typed._capRules[group] is { } cap)
            {
                typed._caps[group] = (DMoney)cap.Value;
                typed._hasCap[group] = true;
            }
            var deductibles = policy.Has(DeductibleKeys[group]) ? policy.Get(DeductibleKeys[group]) : null;
            for (var tier = 1; tier <= Tiers; tier++)
                typed._deductibles[Slot(group, tier)] = deductibles?.ForTier(tier).ToArray();
        }

        var inService = policy.Has(InpatientKeys.InServiceRatios) ? policy.Get(InpatientKeys.InServiceRatios) : null;
        var resident = policy.Has(InpatientKeys.ResidentRatios) ? policy.Get(InpatientKeys.ResidentRatios) : null;
        typed._ratioRules[(int)BenefitGroup.InService] = Rule(policy, InpatientKeys.InServiceRatios);
        typed._ratioRules[(int)BenefitGroup.Retired] = Rule(policy, InpatientKeys.InServiceRatios);
        typed._ratioRules[(int)BenefitGroup.Resident] = Rule(policy, InpatientKeys.ResidentRatios);
        typed._missingRatioKey[(int)BenefitGroup.InService] = InpatientKeys.InServiceRatios.Name;
        typed._missingRatioKey[(int)BenefitGroup.Retired] = inService is null ? InpatientKeys.InServiceRatios.Name : InpatientKeys.RetireeIndividualShareFactor.Name;
        typed._missingRatioKey[(int)BenefitGroup.Resident] = InpatientKeys.ResidentRatios.Name;
        for (var tier = 1; tier <= Tiers; tier++)
        {
            if (inService is not null)
            {
                var r = inService.ForTier(tier);
                typed.SetRatio(BenefitGroup.InService, tier, r);
                // Retirees pay a fraction of the in-service individual share: exact, never rounded (K1).
                if (factor is { } f) typed.SetRatio(BenefitGroup.Retired, tier, RetireeRatio(r, f));
            }
            if (resident is not null) typed.SetRatio(BenefitGroup.Resident, tier, resident.ForTier(tier));
        }

        if (remote is not null)
        {
            for (var kind = RemoteCareKind.None; kind <= RemoteCareKind.TemporaryOther; kind++)
                typed._reductions[(int)kind] = remote.For(kind);
        }
        return typed;
    }

    /// <summary><c>1 − factor × (1 − r)</c>, with trailing zeros dropped (0.910 → 0.91) and no rounding.</summary>
    public static Rate RetireeRatio(Rate inServiceRatio, Rate factor) =>
        new(Normalize(1m - (factor.Value * (1m - inServiceRatio.Value))));

    internal static decimal Normalize(decimal value) => value / 1.000000000000000000000000000m;

    private void SetRatio(BenefitGroup group, int tier, Rate ratio)
    {
        _ratios[Slot((int)group, tier)] = ratio;
        _hasRatio[Slot((int)group, tier)] = true;
    }

    private static PolicyValue? Rule(ResolvedPolicy policy, PolicyKey key) => policy.Has(key) ? policy.Explain(key) : null;

    private static int Slot(int group, int tier) => (group * Tiers) + tier - 1;

    // Hot-path accessors (tier already validated as 1..3).
    internal DMoney[]? Deductibles(BenefitGroup group, int tier) => _deductibles[Slot((int)group, tier)];
    internal bool TryRatio(BenefitGroup group, int tier, out Rate ratio)
    {
        var slot = Slot((int)group, tier);
        ratio = _ratios[slot];
        return _hasRatio[slot];
    }
    internal bool TryCap(BenefitGroup group, out DMoney cap)
    {
        cap = _caps[(int)group];
        return _hasCap[(int)group];
    }
    internal Rate Reduction(RemoteCareKind kind) => _reductions[(int)kind];
    internal bool HasRemoteCareRule => RemoteCareRule is not null;
    internal PolicyValue? DeductibleRule(BenefitGroup group) => _deductibleRules[(int)group];
    internal PolicyValue? RatioRule(BenefitGroup group) => _ratioRules[(int)group];
    internal PolicyValue? CapRule(BenefitGroup group) => _capRules[(int)group];
    internal static string DeductibleKey(BenefitGroup group) => DeductibleKeys[(int)group].Name;
    internal string MissingRatioKey(BenefitGroup group) => _missingRatioKey[(int)group];
    internal static string CapKey(BenefitGroup group) => CapKeys[(int)group].Name;
}
