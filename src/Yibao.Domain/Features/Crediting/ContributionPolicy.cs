using Yibao.Domain.Decisions;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Features.Crediting;

/// <summary>缴费基数上下限: a declared wage is clamped into [<see cref="Floor"/>, <see cref="Ceiling"/>], both inclusive (K2).</summary>
public sealed record ContributionBaseLimits(DMoney Floor, DMoney Ceiling);

/// <summary>
/// Rule keys of employee contributions (缴费基数, 费率), shared by monthly crediting and back-pay
/// (policy-reference A1.1, K2, K8, C1). A region sets them per base-year period with versions.
/// </summary>
[PolicyKeys]
public static class ContributionKeys
{
    public static readonly PolicyKey<ContributionBaseLimits> BaseLimits = new(
        "contribution.base-limits",
        "缴费基数下限/上限 (floor, ceiling; both inclusive): a declared wage is clamped into them (K2)",
        l => l.Floor.IsNegative ? "the floor is negative"
            : l.Ceiling < l.Floor ? $"the ceiling ({l.Ceiling.ToPlainString()}) is below the floor ({l.Floor.ToPlainString()})"
            : null);

    public static readonly PolicyKey<DMoney> AverageWage = new(
        "contribution.average-wage",
        "上年度职工月平均工资: the default back-pay base of a flexible worker (K8, C1)",
        m => m.IsPositive ? null : "must be more than 0.00");

    public static readonly PolicyKey<DRate> EmployerRate = new(
        "contribution.employer-rate",
        "单位缴费费率 of employee medical insurance (share of the base)",
        CheckRate);

    public static readonly PolicyKey<DRate> IndividualRate = new(
        "contribution.individual-rate",
        "个人缴费费率 of employee medical insurance (share of the base; the national norm is 2%)",
        CheckRate);

    public static readonly PolicyKey<DRate> FlexibleRate = new(
        "contribution.flexible-rate",
        "灵活就业人员缴费费率: the total rate a flexible worker pays on the chosen base (K8; seeds: 10–12%)",
        CheckRate);

    internal static string? CheckRate(DRate r) =>
        r.Value <= 0m || r.Value >= 1m ? $"{r} is not a rate between 0 and 1 (exclusive)" : null;
}

/// <summary>The contribution rules of a region on a day; each may be absent where the reference has no value.</summary>
public sealed record ContributionPolicy(
    RegionCode Region,
    DateOnly Date,
    Ruled<ContributionBaseLimits>? BaseLimits,
    Ruled<DMoney>? AverageWage,
    Ruled<DRate>? EmployerRate,
    Ruled<DRate>? IndividualRate,
    Ruled<DRate>? FlexibleRate)
{
    public static ContributionPolicy From(ResolvedPolicy policy) => new(
        policy.Region,
        policy.Date,
        Ruled.Optional(policy, ContributionKeys.BaseLimits),
        Ruled.Optional(policy, ContributionKeys.AverageWage),
        Ruled.Optional(policy, ContributionKeys.EmployerRate),
        Ruled.Optional(policy, ContributionKeys.IndividualRate),
        Ruled.Optional(policy, ContributionKeys.FlexibleRate));

    /// <summary>
    /// 缴费基数 = the declared wage clamped to [floor, ceiling], both inclusive (K2, WE-02): a wage
    /// exactly at a bound is the base itself. Without limits in the pack the wage is the base
    /// (the reference gives none for 苏州 or 福州, K3).
    /// </summary>
    public DMoney Base(DMoney declaredWage, Explanation why)
    {
        if (BaseLimits is not { } limits)
        {
            if (why.Enabled)
                why.Because("K2", Provenance.Convention, "policy-reference K2, K3",
                    $"本地区未配置缴费基数上下限,以申报工资 {declaredWage.ToPlainString()} 元为缴费基数",
                    $"No base floor or ceiling is configured here: the declared wage {declaredWage.ToPlainString()} is the base",
                    ("declaredWage", declaredWage));
            return declaredWage;
        }
        var (floor, ceiling) = (limits.Value.Floor, limits.Value.Ceiling);
        var contributionBase = declaredWage < floor ? floor : declaredWage > ceiling ? ceiling : declaredWage;
        if (why.Enabled)
        {
            var (zh, en) = declaredWage < floor
                ? ($"申报工资 {declaredWage.ToPlainString()} 元低于缴费基数下限,按下限 {floor.ToPlainString()} 元计",
                   $"Declared wage {declaredWage.ToPlainString()} is below the floor: the base is the floor {floor.ToPlainString()}")
                : declaredWage > ceiling
                    ? ($"申报工资 {declaredWage.ToPlainString()} 元高于缴费基数上限,按上限 {ceiling.ToPlainString()} 元计",
                       $"Declared wage {declaredWage.ToPlainString()} is above the ceiling: the base is the ceiling {ceiling.ToPlainString()}")
                    : ($"申报工资 {declaredWage.ToPlainString()} 元在缴费基数上下限 [{floor.ToPlainString()}, {ceiling.ToPlainString()}] 之内(含端点),即为缴费基数",
                       $"Declared wage {declaredWage.ToPlainString()} is within [{floor.ToPlainString()}, {ceiling.ToPlainString()}] (bounds included): it is the base");
            why.Because(limits.Rule, zh, en, ("declaredWage", declaredWage), ("floor", floor), ("ceiling", ceiling), ("base", contributionBase));
        }
        return contributionBase;
    }
}
