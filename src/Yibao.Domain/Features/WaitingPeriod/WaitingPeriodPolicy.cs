using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.WaitingPeriod;

/// <summary>How "每多断保1年" counts break years (国办发〔2024〕38号 is ambiguous; WE-19).</summary>
public enum ResidentBreakCounting
{
    /// <summary>Interpretation A: every full break year adds the variable months (990100, K10).</summary>
    EveryBreakYear,
    /// <summary>Interpretation B: the first break year adds nothing; each further year adds the variable months.</summary>
    FirstBreakYearFree,
}

/// <summary>What happens to repair years beyond the point where they still shorten the waiting period.</summary>
public enum RepairBeyondUseful
{
    /// <summary>The repair is refused (K10: "not offered").</summary>
    Refuse,
    /// <summary>Only the useful years are credited and charged.</summary>
    Cap,
}

/// <summary>
/// 38号文: after <see cref="FromBreakYears"/> or more break years, repair may not bring the fixed and
/// variable waiting together below <see cref="MinMonths"/> ("连续断缴4年及以上的…原则上不少于6个月").
/// </summary>
public sealed record RepairFloor(int FromBreakYears, int MinMonths);

/// <summary>Rule keys of waiting periods (待遇等待期; policy-reference A5, A6, K9, K10, C0, C1).</summary>
[PolicyKeys]
public static class WaitingPeriodKeys
{
    /// <summary>医保办发〔2021〕43号: a region may set at most 6 months after a gap of more than 3 (WE-16).</summary>
    public const int NationalMaxTransferWaitingMonths = 6;

    public static readonly PolicyKey<int> TransferNoWaitingMaxGap = new(
        "waiting-period.transfer-no-waiting-max-gap",
        "Employee transfer: the longest gap (months, included) that, once backfilled, has no waiting period (L4: 3)",
        m => m < 3 ? $"{m} is below the national guarantee: a gap of up to 3 months (included) has no waiting period (医保办发〔2021〕43号)" : m > 12 ? $"{m} months is not a plausible gap limit" : null);

    public static readonly PolicyKey<int> TransferWaitingMonths = new(
        "waiting-period.transfer-waiting-months",
        "Employee transfer: the waiting period after a gap longer than the limit (0–6 months, L4)",
        m => m < 0 ? "a waiting period cannot be negative"
            : m > NationalMaxTransferWaitingMonths ? $"{m} months exceeds the national maximum of {NationalMaxTransferWaitingMonths} (医保办发〔2021〕43号, WE-16)"
            : null);

    public static readonly PolicyKey<bool> EmployerArrearsRetroactive = new(
        "waiting-period.employer-arrears-retroactive",
        "Employer-caused arrears: once the employer pays, the arrears period is covered retroactively (local practice, WE-15)");

    public static readonly PolicyKey<int> ResidentFixedMonths = new(
        "waiting-period.resident-fixed-months",
        "Resident insurance: fixed waiting months for a payment outside the enrolment period or after a break (38号文: 3)",
        m => m is < 0 or > 6 ? $"{m} is not a fixed waiting period of 0–6 months" : null);

    public static readonly PolicyKey<int> ResidentMonthsPerBreakYear = new(
        "waiting-period.resident-months-per-break-year",
        "Resident insurance: variable waiting months added per break year (38号文: 1)",
        m => m is < 0 or > 12 ? $"{m} is not 0–12 months" : null);

    public static readonly PolicyKey<ResidentBreakCounting> ResidentBreakCountingRule = new(
        "waiting-period.resident-break-counting",
        "Resident insurance: every-break-year (interpretation A) or first-break-year-free (B) (WE-19)");

    public static readonly PolicyKey<int> ResidentRepairMonthsPerYear = new(
        "waiting-period.resident-repair-months-per-year",
        "Resident insurance: variable waiting months removed per extra year paid (38号文: 1)",
        m => m is < 0 or > 12 ? $"{m} is not 0–12 months" : null);

    public static readonly PolicyKey<RepairFloor> ResidentRepairFloor = new(
        "waiting-period.resident-repair-floor",
        "Resident insurance: from this many break years, repair may not bring the waiting below minMonths (38号文: 4 years, 6 months)",
        f => f.FromBreakYears < 1 ? "fromBreakYears must be at least 1" : f.MinMonths is < 0 or > 24 ? $"{f.MinMonths} is not a plausible minimum" : null);

    public static readonly PolicyKey<RepairBeyondUseful> ResidentRepairBeyondUseful = new(
        "waiting-period.resident-repair-beyond-useful",
        "Resident insurance: refuse or cap repair years that would not shorten the waiting any more (K10)");

    public static readonly PolicyKey<IReadOnlyDictionary<string, DMoney>> ResidentPremiums = new(
        "waiting-period.resident-premiums",
        "Resident insurance: the individual premium of each coverage year (\"2025\": \"400.00\"), the price of one repair year",
        CheckPremiums);

    public static readonly PolicyKey<int> NewbornEnrolmentMonths = new(
        "waiting-period.newborn-enrolment-months",
        "Resident insurance: a newborn enrolled within this many months of birth has no waiting and is covered from birth (WE-21)",
        m => m is < 0 or > 12 ? $"{m} is not 0–12 months" : null);

    private static string? CheckPremiums(IReadOnlyDictionary<string, DMoney> premiums)
    {
        foreach (var (year, amount) in premiums)
        {
            if (year.Length != 4 || !year.All(char.IsAsciiDigit)) return $"'{year}' is not a coverage year (YYYY)";
            if (!amount.IsPositive) return $"the premium of {year} must be more than 0.00";
        }
        return null;
    }
}

/// <summary>The typed waiting-period policy of a region on a day; every key is read once here.</summary>
public sealed record WaitingPeriodPolicy(
    RegionCode Region,
    DateOnly Date,
    Ruled<int>? TransferNoWaitingMaxGap,
    Ruled<int>? TransferWaitingMonths,
    Ruled<bool>? EmployerArrearsRetroactive,
    Ruled<int>? ResidentFixedMonths,
    Ruled<int>? ResidentMonthsPerBreakYear,
    Ruled<ResidentBreakCounting>? ResidentBreakCounting,
    Ruled<int>? ResidentRepairMonthsPerYear,
    Ruled<RepairFloor>? ResidentRepairFloor,
    Ruled<RepairBeyondUseful>? ResidentRepairBeyondUseful,
    Ruled<IReadOnlyDictionary<string, DMoney>>? ResidentPremiums,
    Ruled<int>? NewbornEnrolmentMonths)
{
    public static WaitingPeriodPolicy From(ResolvedPolicy policy) => new(
        policy.Region,
        policy.Date,
        Ruled.Optional(policy, WaitingPeriodKeys.TransferNoWaitingMaxGap),
        Ruled.Optional(policy, WaitingPeriodKeys.TransferWaitingMonths),
        Ruled.Optional(policy, WaitingPeriodKeys.EmployerArrearsRetroactive),
        Ruled.Optional(policy, WaitingPeriodKeys.ResidentFixedMonths),
        Ruled.Optional(policy, WaitingPeriodKeys.ResidentMonthsPerBreakYear),
        Ruled.Optional(policy, WaitingPeriodKeys.ResidentBreakCountingRule),
        Ruled.Optional(policy, WaitingPeriodKeys.ResidentRepairMonthsPerYear),
        Ruled.Optional(policy, WaitingPeriodKeys.ResidentRepairFloor),
        Ruled.Optional(policy, WaitingPeriodKeys.ResidentRepairBeyondUseful),
        Ruled.Optional(policy, WaitingPeriodKeys.ResidentPremiums),
        Ruled.Optional(policy, WaitingPeriodKeys.NewbornEnrolmentMonths));

    /// <summary>A rule this question needs: missing is a <c>policy-rule-missing</c> error naming the key.</summary>
    internal Ruled<T> Need<T>(Ruled<T>? rule, PolicyKey<T> key) where T : notnull => Ruled.Need(rule, key, Region, Date);
}
