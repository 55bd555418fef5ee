namespace Yibao.Domain.Features.WaitingPeriod;

/// <summary>Stable codes of the waiting-period decisions' refusals and holds (listed by the API; never renamed or reused).</summary>
public static class WaitingPeriodCodes
{
    /// <summary>A short gap (≤ 3 months) has no waiting only once it is backfilled (医保办发〔2021〕43号); without backfill the reference fixes no outcome.</summary>
    public const string GapBackfillRequired = "gap-backfill-required";

    /// <summary>With 4 or more break years, repair may not bring the waiting below 6 months (38号文, K10, WE-20).</summary>
    public const string RepairBelowFloor = "repair-below-floor";

    /// <summary>More repair years than there are variable waiting months to remove.</summary>
    public const string RepairExceedsBreakYears = "repair-exceeds-break-years";

    /// <summary>Employer-caused arrears not yet paid: fund settlement is deferred (暂停/待补缴, WE-15).</summary>
    public const string EmployerArrearsUnpaid = "employer-arrears-unpaid";

    /// <summary>The region does not cover the arrears period retroactively after the employer pays.</summary>
    public const string ArrearsPeriodNotCovered = "arrears-period-not-covered";

    public static IReadOnlyList<(string Code, string Zh, string En)> All { get; } =
    [
        (GapBackfillRequired, "中断3个月(含)以内须先补缴中断期间的费用,方可不设等待期并追溯享受待遇", "Backfill the gap (3 months or less) first: only then are there no waiting period and retroactive benefits"),
        (RepairBelowFloor, "连续断保4年及以上,修复后等待期不得少于6个月,超出部分不予修复", "After 4 or more break years, repair may not bring the waiting below 6 months; the extra repair is not offered"),
        (RepairExceedsBreakYears, "修复年数超过可减少的变动等待期", "More repair years than variable waiting months to remove"),
        (EmployerArrearsUnpaid, "单位欠费未补缴,统筹基金结算暂缓(待补缴)", "The employer has not paid the arrears: fund settlement is deferred"),
        (ArrearsPeriodNotCovered, "本地区单位补缴后不追溯欠费期间的待遇", "The region does not cover the arrears period retroactively after the employer pays"),
    ];
}
