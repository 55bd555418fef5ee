namespace Yibao.Domain.Errors;

/// <summary>Refusals and holds of the crediting, inpatient and waiting-period decisions.</summary>
public static partial class Codes
{
    public static readonly ResultCode FlexibleNotCredited = ResultCode.Rule("flexible-not-credited",
        "政策依据未规定灵活就业人员的个人账户划入,不予计算", "The reference defines no personal-account credit for flexible workers; none is computed");
    public static readonly ResultCode NoYearlyPreCredit = ResultCode.Rule("no-yearly-pre-credit", "本地区不实行医保年度一次性预划入", "The region does not pre-credit the insurance year's credits");

    public static readonly ResultCode RuleNotInPolicy = ResultCode.Rule("rule-not-in-policy",
        "该统筹地区政策未设定本次结算所需的规则,只给出已能确定的部分", "The region's policy does not set a rule this split needs; only what can be determined is given");

    public static readonly ResultCode GapBackfillRequired = ResultCode.Rule("gap-backfill-required",
        "中断3个月(含)以内须先补缴中断期间的费用,方可不设等待期并追溯享受待遇", "Backfill the gap (3 months or less) first: only then are there no waiting period and retroactive benefits");
    public static readonly ResultCode RepairBelowFloor = ResultCode.Rule("repair-below-floor",
        "连续断保4年及以上,修复后等待期不得少于6个月,超出部分不予修复", "After 4 or more break years, repair may not bring the waiting below 6 months; the extra repair is not offered");
    public static readonly ResultCode RepairExceedsBreakYears = ResultCode.Rule("repair-exceeds-break-years", "修复年数超过可减少的变动等待期", "More repair years than variable waiting months to remove");
    public static readonly ResultCode EmployerArrearsUnpaid = ResultCode.Rule("employer-arrears-unpaid", "单位欠费未补缴,统筹基金结算暂缓(待补缴)", "The employer has not paid the arrears: fund settlement is deferred");
    public static readonly ResultCode ArrearsPeriodNotCovered = ResultCode.Rule("arrears-period-not-covered",
        "本地区单位补缴后不追溯欠费期间的待遇", "The region does not cover the arrears period retroactively after the employer pays");
}
