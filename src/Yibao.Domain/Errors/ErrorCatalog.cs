namespace Yibao.Domain.Errors;

/// <summary>
/// Every stable error code Yibao returns, in one place (TigerBeetle-style named results).
/// The API document and the CLI show these codes; clients may switch on them, so a code
/// is never renamed or reused for another meaning.
/// </summary>
public static partial class ErrorCatalog
{
    // Input shape
    public static YibaoError InvalidAmount(string value, string why) =>
        new YibaoError("invalid-amount", $"金额格式错误:{why}", $"Invalid amount: {why}", ErrorKind.Invalid).With("value", value);
    public static YibaoError AmountOutOfRange(string value) =>
        new YibaoError("amount-out-of-range", "金额超出可表示范围", "Amount is out of the representable range", ErrorKind.Invalid).With("value", value);
    public static YibaoError AmountNotPositive(string value) =>
        new YibaoError("amount-not-positive", "金额必须大于零", "Amount must be greater than zero", ErrorKind.Invalid).With("value", value);
    public static YibaoError InvalidRate(string value, string why) =>
        new YibaoError("invalid-rate", $"比例格式错误:{why}", $"Invalid rate: {why}", ErrorKind.Invalid).With("value", value);
    public static YibaoError InvalidIdNumber(string value, string why, string whyZh) =>
        new YibaoError("invalid-id-number", $"身份证号码无效:{whyZh}", $"Invalid resident ID number: {why}", ErrorKind.Invalid).With("value", value);
    public static YibaoError InvalidCreditCode(string value, string why, string whyZh) =>
        new YibaoError("invalid-credit-code", $"统一社会信用代码无效:{whyZh}", $"Invalid unified social credit code: {why}", ErrorKind.Invalid).With("value", value);
    public static YibaoError InvalidRegionCode(string value) =>
        new YibaoError("invalid-region-code", "行政区划代码必须是六位数字", "A region code is six digits (GB/T 2260)", ErrorKind.Invalid).With("value", value);
    public static YibaoError InvalidDate(string value) =>
        new YibaoError("invalid-date", "日期格式错误,应为 YYYY-MM-DD", "Invalid date; expected YYYY-MM-DD", ErrorKind.Invalid).With("value", value);
    public static YibaoError InvalidMonth(string value) =>
        new YibaoError("invalid-month", "月份格式错误,应为 YYYY-MM", "Invalid month; expected YYYY-MM", ErrorKind.Invalid).With("value", value);
    public static YibaoError InvalidDateRange(string from, string to) =>
        new YibaoError("invalid-date-range", "起始日期晚于结束日期", "The start date is after the end date", ErrorKind.Invalid).With("from", from).With("to", to);
    public static YibaoError InvalidPaging(string why) =>
        new YibaoError("invalid-paging", $"分页参数错误:{why}", $"Invalid paging: {why}", ErrorKind.Invalid);
    public static YibaoError MissingField(string field) =>
        new YibaoError("missing-field", $"缺少必填字段 {field}", $"Required field '{field}' is missing", ErrorKind.Invalid).With("field", field);
    public static YibaoError InvalidField(string field, string why) =>
        new YibaoError("invalid-field", $"字段 {field} 无效:{why}", $"Field '{field}' is invalid: {why}", ErrorKind.Invalid).With("field", field);

    // Calendars
    public static YibaoError CalendarYearNotLoaded(int year) =>
        new YibaoError("calendar-year-not-loaded", $"未载入 {year} 年的节假日安排,无法计算工作日", $"No holiday calendar is loaded for {year}; working days cannot be computed", ErrorKind.Rule).With("year", year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static YibaoError InvalidCalendarFile(string file, int line, string why, string whyZh) =>
        new YibaoError("invalid-calendar-file", $"节假日安排文件 {file}:{line} 无效:{whyZh}", $"Holiday calendar file {file}:{line} is invalid: {why}", ErrorKind.Invalid)
            .With("file", file).With("line", line.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // Ledger
    public static YibaoError UnknownAccount(string account) =>
        new YibaoError("unknown-account", $"账户不存在:{account}", $"Unknown account: {account}", ErrorKind.NotFound).With("account", account);
    public static YibaoError AccountClosed(string account) =>
        new YibaoError("account-closed", $"账户已注销,不能再记账:{account}", $"The account is closed and takes no more postings: {account}", ErrorKind.Conflict).With("account", account);
    public static YibaoError InsufficientBalance(string account, string segment, string balance, string needed) =>
        new YibaoError("insufficient-balance", "个人账户余额不足,不能透支", "Insufficient personal-account balance; an account never goes below zero", ErrorKind.Rule)
            .With("account", account).With("segment", segment).With("balance", balance).With("needed", needed);
    public static YibaoError EntryUnbalanced(string sum) =>
        new YibaoError("entry-unbalanced", "分录借贷不平衡(合计不为零)", "The journal entry does not balance (postings do not sum to zero)", ErrorKind.Invalid).With("sum", sum);
    public static YibaoError EntryEmpty() =>
        new YibaoError("entry-empty", "分录至少需要两条记账行", "A journal entry needs at least two postings", ErrorKind.Invalid);
    public static YibaoError ZeroPosting(string account) =>
        new YibaoError("zero-posting", "记账行金额不能为零", "A posting amount cannot be zero", ErrorKind.Invalid).With("account", account);
    public static YibaoError InvalidSegment(string account, string segment) =>
        new YibaoError("invalid-segment", $"账户 {account} 没有 {segment} 分段", $"Account {account} has no segment '{segment}'", ErrorKind.Invalid).With("account", account).With("segment", segment);
    public static YibaoError IdempotencyKeyReused(string key) =>
        new YibaoError("idempotency-key-reused", "幂等键已被内容不同的分录使用", "The idempotency key was already used for an entry with different content", ErrorKind.Conflict).With("key", key);
    public static YibaoError UnknownEntry(string entry) =>
        new YibaoError("unknown-entry", $"分录不存在:{entry}", $"Unknown journal entry: {entry}", ErrorKind.NotFound).With("entry", entry);
    public static YibaoError AlreadyReversed(string entry) =>
        new YibaoError("entry-already-reversed", "该分录已被冲正", "The entry has already been reversed", ErrorKind.Conflict).With("entry", entry);
    public static YibaoError CannotReverseReversal(string entry) =>
        new YibaoError("cannot-reverse-reversal", "冲正分录不能再被冲正,请另行记账", "A reversal cannot itself be reversed; post a new entry instead", ErrorKind.Conflict).With("entry", entry);
    public static YibaoError CrossRegionEntry() =>
        new YibaoError("cross-region-entry", "一笔分录只能记入同一统筹地区的账户", "A journal entry posts to accounts of one region only", ErrorKind.Invalid);
    public static YibaoError LedgerBusy() =>
        new YibaoError("ledger-busy", "账户正被并发修改,请稍后重试(未记账)", "The accounts are being changed concurrently; try again (nothing was posted)", ErrorKind.Conflict);
    public static YibaoError AccountExists(string account) =>
        new YibaoError("account-exists", $"账户已存在:{account}", $"The account already exists: {account}", ErrorKind.Conflict).With("account", account);

    // Cases and generic
    public static YibaoError UnsupportedCaseKind(string kind) =>
        new YibaoError("case-kind-not-supported", $"尚不支持的案例类型:{kind}", $"Case kind not supported yet: {kind}", ErrorKind.Invalid).With("kind", kind);
    public static YibaoError PolicyRuleMissing(string region, string key, string date) =>
        new YibaoError("policy-rule-missing", $"统筹地区 {region} 在 {date} 没有规则 {key}", $"Region {region} has no rule '{key}' in force on {date}", ErrorKind.Rule)
            .With("region", region).With("key", key).With("date", date);
    public static YibaoError UnknownDecisionKind(string kind) =>
        new YibaoError("unknown-decision-kind", $"不支持的计算事项:{kind}", $"Unknown kind of decision: {kind}", ErrorKind.NotFound).With("kind", kind);
    public static YibaoError UnknownRegion(string region) =>
        new YibaoError("unknown-region", $"未配置的统筹地区:{region}", $"No such pooling region is configured: {region}", ErrorKind.NotFound).With("region", region);

    // Insured records and back-pay (补缴)
    public static YibaoError UnknownInsured(string region, string idNumber) =>
        new YibaoError("unknown-insured", $"统筹地区 {region} 没有该参保人:{idNumber}", $"No insured person with ID number {idNumber} in region {region}", ErrorKind.NotFound)
            .With("region", region).With("idNumber", idNumber);
    public static YibaoError BackfillMonthAlreadyPaid(string month) =>
        new YibaoError("backfill-month-already-paid", $"{month} 的缴费已到账,不能重复补缴", $"The contribution of {month} is already paid; it cannot be back-paid again", ErrorKind.Conflict)
            .With("month", month);
    public static YibaoError BackfillEmployerMissing(string idNumber) =>
        new YibaoError("backfill-employer-missing", "单位欠缴的补缴须有参保人的用人单位记录", "Employer-caused back-pay needs the insured person's employer on record", ErrorKind.Rule)
            .With("idNumber", idNumber);

    // Records: employers, insured people and their status history, contributions, imports
    public static YibaoError UnknownEmployer(string creditCode, string region) =>
        new YibaoError("unknown-employer", $"统筹地区 {region} 没有登记该单位:{creditCode}", $"No employer with credit code {creditCode} is registered in region {region}", ErrorKind.NotFound)
            .With("creditCode", creditCode).With("region", region);
    public static YibaoError EmployerExistsDifferent(string creditCode, string field) =>
        new YibaoError("employer-exists-different", $"该统一社会信用代码的单位已登记,且 {field} 不同", $"An employer with this credit code is already registered with a different {field}", ErrorKind.Conflict)
            .With("creditCode", creditCode).With("field", field);
    public static YibaoError InsuredExistsDifferent(string region, string idNumber, string field) =>
        new YibaoError("insured-exists-different", $"该参保人已登记,且 {field} 不同;变更请登记状态事件", $"The insured person is already enrolled with a different {field}; record a status event to change it", ErrorKind.Conflict)
            .With("region", region).With("idNumber", idNumber).With("field", field);
    public static YibaoError StatusEventAfterDeath(string statusEvent, string deathDate) =>
        new YibaoError("status-event-after-death", $"参保人已于 {deathDate} 死亡,不能再登记 {statusEvent}", $"The person died on {deathDate}; no '{statusEvent}' can follow", ErrorKind.Rule)
            .With("event", statusEvent).With("deathDate", deathDate);
    public static YibaoError StatusEventOutOfOrder(string statusEvent, string date, string lastDate) =>
        new YibaoError("status-event-out-of-order", $"{statusEvent} 的生效日期 {date} 早于上一次状态变更({lastDate});历史只能按日期向后追加", $"'{statusEvent}' on {date} is before the last recorded change ({lastDate}); history is appended in date order", ErrorKind.Rule)
            .With("event", statusEvent).With("date", date).With("lastDate", lastDate);
    public static YibaoError StatusEventNotAllowed(string statusEvent, string status, string why, string whyZh) =>
        new YibaoError("status-event-not-allowed", $"当前状态为 {status},不能登记 {statusEvent}:{whyZh}", $"'{statusEvent}' is not allowed while the person is {status}: {why}", ErrorKind.Rule)
            .With("event", statusEvent).With("status", status);
    public static YibaoError ContributionConflict(string idNumber, string month, string field, string stored, string given) =>
        new YibaoError("contribution-conflict", $"{idNumber} 的 {month} 缴费已登记,{field} 不同(已登记 {stored},本次 {given})", $"The contribution of {idNumber} for {month} is already recorded with a different {field} (recorded {stored}, given {given})", ErrorKind.Conflict)
            .With("idNumber", idNumber).With("month", month).With("field", field).With("stored", stored).With("given", given);
    public static YibaoError InsuredNameMismatch(string idNumber) =>
        new YibaoError("insured-name-mismatch", "姓名与该身份证号码的参保登记不一致", "The name does not match the enrolled person with this ID number", ErrorKind.Conflict)
            .With("idNumber", idNumber);
    public static YibaoError InvalidImportFile(string file, string why, string whyZh) =>
        new YibaoError("invalid-import-file", $"导入文件无效:{whyZh}", $"The import file is invalid: {why}", ErrorKind.Invalid).With("file", file);
    public static YibaoError InvalidCsvRow(string why, string whyZh) =>
        new YibaoError("invalid-csv-row", $"CSV 行格式错误:{whyZh}", $"Malformed CSV row: {why}", ErrorKind.Invalid);

    // Batch runs: monthly crediting, year-end, demo population
    public static YibaoError CreditingMonthInFuture(string month, string today) =>
        new YibaoError("crediting-month-in-future", $"{month} 尚未开始,不能划入", $"{month} has not started yet; it cannot be credited", ErrorKind.Rule)
            .With("month", month).With("today", today);
    public static YibaoError InsuranceYearNotEnded(string year, string end) =>
        new YibaoError("insurance-year-not-ended", $"医保年度 {year} 于 {end} 结束,结束前不能年终结转", $"Insurance year {year} ends on {end}; it cannot be settled before then", ErrorKind.Rule)
            .With("year", year).With("end", end);
    public static YibaoError BatchRunNotFound(string region, string kind, string period) =>
        new YibaoError("batch-run-not-found", $"统筹地区 {region} 没有 {period} 的{(kind == "year-end" ? "年终结转" : "月度划入")}批次", $"Region {region} has no {kind} run for {period}", ErrorKind.NotFound)
            .With("region", region).With("kind", kind).With("period", period);
    public static YibaoError RegionNotEmpty(string region, long insured) =>
        new YibaoError("region-not-empty", $"统筹地区 {region} 已有 {insured} 名参保人;示例人口只能生成到空的统筹地区", $"Region {region} already has {insured} insured people; a demo population is generated into an empty region only", ErrorKind.Conflict)
            .With("region", region).With("insured", insured.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static YibaoError AmountNegative(string value, string field) =>
        new YibaoError("amount-negative", $"金额不能为负数({field})", $"The amount cannot be negative ({field})", ErrorKind.Invalid).With("value", value).With("field", field);
    public static YibaoError PreviousYearNotSettled(string region, string year) =>
        new YibaoError("previous-year-not-settled", $"统筹地区 {region} 上一医保年度({year} 起)的预划入尚未年终清算:请先运行年终结转,再做新年度的一次性预划入,未做任何划入",
                $"Region {region} has not settled the pre-credits of the previous insurance year (from {year}): run its year-end first, then the new year's pre-credit; nothing was credited", ErrorKind.Rule)
            .With("region", region).With("year", year);
}
