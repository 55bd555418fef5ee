namespace Yibao.Domain.Errors;

/// <summary>
/// Every stable error code Yibao returns, in one place (TigerBeetle-style named results).
/// The API document and the CLI show these codes; clients may switch on them, so a code
/// is never renamed or reused for another meaning.
/// </summary>
public static class ErrorCatalog
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
    public static YibaoError InvalidCalendarFile(string file, string why, string whyZh) =>
        new YibaoError("invalid-calendar-file", $"节假日安排文件 {file} 无效:{whyZh}", $"Holiday calendar file {file} is invalid: {why}", ErrorKind.Invalid).With("file", file);

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
}
