namespace Yibao.Domain.Errors;

/// <summary>Insured people, employers, contributions, back-pay and the batch runs over them.</summary>
public static partial class Codes
{
    public static readonly ResultCode FundRangeTooLong = ResultCode.Invalid("fund-range-too-long", "统筹基金报表的起止月份范围过长", "The fund report's range of months is too long");
    public static readonly ResultCode UnknownInsured = ResultCode.NotFound("unknown-insured", "统筹地区没有该参保人", "No such insured person in the region");
    public static readonly ResultCode UnknownEmployer = ResultCode.NotFound("unknown-employer", "统筹地区没有登记该单位", "No such employer is registered in the region");
    public static readonly ResultCode EmployerExistsDifferent = ResultCode.Conflict("employer-exists-different",
        "该统一社会信用代码的单位已登记,登记内容不同", "An employer with this credit code is already registered with other particulars");
    public static readonly ResultCode InsuredExistsDifferent = ResultCode.Conflict("insured-exists-different",
        "该参保人已登记,登记内容不同;变更请登记状态事件", "The person is already enrolled with other particulars; record a status event to change them");
    public static readonly ResultCode InsuredNameMismatch = ResultCode.Conflict("insured-name-mismatch",
        "姓名与该身份证号码的参保登记不一致", "The name does not match the enrolled person with this ID number");
    public static readonly ResultCode StatusEventAfterDeath = ResultCode.Rule("status-event-after-death", "参保人已死亡,不能再登记状态变更", "The person has died; no status change can follow");
    public static readonly ResultCode StatusEventOutOfOrder = ResultCode.Rule("status-event-out-of-order",
        "状态变更的生效日期早于上一次变更;历史只能按日期向后追加", "A status change is dated before the last one; history is appended in date order");
    public static readonly ResultCode StatusEventNotAllowed = ResultCode.Rule("status-event-not-allowed", "当前状态下不能登记该状态变更", "The status change is not allowed from the current status");
    public static readonly ResultCode ContributionConflict = ResultCode.Conflict("contribution-conflict",
        "该月缴费已登记且内容不同;更正须经审核调整,不能覆盖", "The month's contribution is recorded with other figures; a correction is an adjustment to review, not an overwrite");
    public static readonly ResultCode InvalidImportFile = ResultCode.Invalid("invalid-import-file", "导入文件无效", "The import file is invalid");
    public static readonly ResultCode InvalidCsvRow = ResultCode.Invalid("invalid-csv-row", "CSV 行格式错误", "A CSV row is malformed");

    public static readonly ResultCode BackfillMonthAlreadyPaid = ResultCode.Conflict("backfill-month-already-paid", "该月缴费已到账,不能重复补缴", "The month's contribution is already paid; it cannot be back-paid again");
    public static readonly ResultCode BackfillEmployerMissing = ResultCode.Rule("backfill-employer-missing",
        "单位欠缴的补缴须有参保人的用人单位记录", "Employer-caused back-pay needs the insured person's employer on record");

    public static readonly ResultCode CreditingMonthInFuture = ResultCode.Rule("crediting-month-in-future", "该月尚未开始,不能划入", "The month has not started yet; it cannot be credited");
    public static readonly ResultCode InsuranceYearNotEnded = ResultCode.Rule("insurance-year-not-ended", "医保年度结束前不能年终结转", "An insurance year cannot be settled before it ends");
    public static readonly ResultCode BatchRunNotFound = ResultCode.NotFound("batch-run-not-found", "没有该批次", "No such batch run");
    public static readonly ResultCode RegionNotEmpty = ResultCode.Conflict("region-not-empty", "示例人口只能生成到空的统筹地区", "A demo population is generated into an empty region only");
    public static readonly ResultCode PreviousYearNotSettled = ResultCode.Rule("previous-year-not-settled",
        "上一医保年度的预划入尚未年终清算,未做任何划入", "The previous insurance year's pre-credits are not settled yet; nothing was credited");
}
