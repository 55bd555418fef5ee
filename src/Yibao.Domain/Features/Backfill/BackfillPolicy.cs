using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Features.Backfill;

/// <summary>The due date (缴费截止日) of a contribution month.</summary>
public enum DueDateRule
{
    /// <summary>The last calendar day of the contribution month (990100 [EX], K8).</summary>
    LastDayOfMonth,
    /// <summary>The 15th of the following month (the alternative of WE-09).</summary>
    FifteenthOfNextMonth,
}

/// <summary>Rule keys of back-pay quotes (补缴, 滞纳金; policy-reference A6, K8, C0, C1).</summary>
[PolicyKeys]
public static class BackfillKeys
{
    /// <summary>社会保险法 art. 86: 万分之五 a day; a pack may not set more.</summary>
    private const decimal StatutoryDailyRate = 0.0005m;

    public static readonly PolicyKey<DueDateRule> DueDate = new(
        "backfill.due-date",
        "The due date of a contribution month: last-day-of-month or fifteenth-of-next-month (local; K8)");

    public static readonly PolicyKey<DRate> EmployerLateFeeDailyRate = new(
        "backfill.employer-late-fee-daily-rate",
        "滞纳金 a day on employer-caused arrears (社会保险法 art. 86: 0.0005), paid by the employer",
        CheckDailyRate);

    public static readonly PolicyKey<DRate> IndividualLateFeeDailyRate = new(
        "backfill.individual-late-fee-daily-rate",
        "滞纳金 a day on an individual's or flexible worker's arrears (no national rule: local, often 0)",
        CheckDailyRate);

    public static readonly PolicyKey<bool> LateFeeCapAtPrincipal = new(
        "backfill.late-fee-cap-at-principal",
        "Whether a month's late fee is capped at its principal (行政强制法 art. 45, disputed; off by default, C0)");

    private static string? CheckDailyRate(DRate r) =>
        r.Value < 0m ? "a late-fee rate cannot be negative"
        : r.Value > StatutoryDailyRate ? $"{r} a day is above the statutory 0.0005 (社会保险法 art. 86)"
        : null;
}

/// <summary>The typed back-pay policy of a region on the payment day; every key is read once here.</summary>
public sealed record BackfillPolicy(
    RegionCode Region,
    DateOnly Date,
    Ruled<DueDateRule> DueDate,
    Ruled<DRate> EmployerLateFeeDailyRate,
    Ruled<DRate> IndividualLateFeeDailyRate,
    Ruled<bool> LateFeeCapAtPrincipal,
    ContributionPolicy Contribution)
{
    public static BackfillPolicy From(ResolvedPolicy policy) => new(
        policy.Region,
        policy.Date,
        Ruled.Required(policy, BackfillKeys.DueDate),
        Ruled.Required(policy, BackfillKeys.EmployerLateFeeDailyRate),
        Ruled.Required(policy, BackfillKeys.IndividualLateFeeDailyRate),
        Ruled.Required(policy, BackfillKeys.LateFeeCapAtPrincipal),
        ContributionPolicy.From(policy));

    internal Ruled<T> Need<T>(Ruled<T>? rule, PolicyKey<T> key) where T : notnull => Ruled.Need(rule, key, Region, Date);
}
