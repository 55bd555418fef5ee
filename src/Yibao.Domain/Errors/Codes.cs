namespace Yibao.Domain.Errors;

/// <summary>
/// The closed set of result codes, each declared once (a file per area): the code, the HTTP
/// status, and what it means in Chinese and English. <see cref="All"/> lists them for the API
/// document and <c>/api/errors</c>; <see cref="ErrorCatalog"/> builds refusals from them with
/// the particulars of each case.
/// </summary>
public static partial class Codes
{
    // The explicit static constructor makes the type initialise on first use of any member, so
    // every declaration of every file of this class exists before All is read.
    static Codes() => All = ResultCode.AllDeclared();

    /// <summary>Every declared code, by name.</summary>
    public static IReadOnlyList<ResultCode> All { get; }

    // ---------------------------------------------------------------- input shape
    public static readonly ResultCode InvalidAmount = ResultCode.Invalid("invalid-amount",
        "金额格式错误(以元为单位,最多两位小数)", "The amount is malformed (yuan, at most two decimals)");
    public static readonly ResultCode AmountOutOfRange = ResultCode.Invalid("amount-out-of-range", "金额超出可表示范围", "The amount is out of the representable range");
    public static readonly ResultCode AmountNotPositive = ResultCode.Invalid("amount-not-positive", "金额必须大于零", "The amount must be greater than zero");
    public static readonly ResultCode AmountNegative = ResultCode.Invalid("amount-negative", "金额不能为负数", "The amount cannot be negative");
    public static readonly ResultCode InvalidRate = ResultCode.Invalid("invalid-rate", "比例格式错误", "The rate is malformed");
    public static readonly ResultCode InvalidIdNumber = ResultCode.Invalid("invalid-id-number",
        "身份证号码无效(位数、出生日期或校验码不对)", "The resident ID number is invalid (length, birth date or check character)");
    public static readonly ResultCode InvalidCreditCode = ResultCode.Invalid("invalid-credit-code", "统一社会信用代码无效", "The unified social credit code is invalid");
    public static readonly ResultCode InvalidRegionCode = ResultCode.Invalid("invalid-region-code", "行政区划代码必须是六位数字", "A region code is six digits (GB/T 2260)");
    public static readonly ResultCode InvalidDate = ResultCode.Invalid("invalid-date", "日期格式错误,应为 YYYY-MM-DD", "The date is malformed; expected YYYY-MM-DD");
    public static readonly ResultCode InvalidMonth = ResultCode.Invalid("invalid-month", "月份格式错误,应为 YYYY-MM", "The month is malformed; expected YYYY-MM");
    public static readonly ResultCode InvalidDateRange = ResultCode.Invalid("invalid-date-range", "起始日期晚于结束日期", "The start date is after the end date");
    public static readonly ResultCode InvalidPaging = ResultCode.Invalid("invalid-paging",
        "分页参数错误(页码从 1 开始,每页 1 至 500 条)", "Invalid paging (page starts at 1, pageSize is 1–500)");
    public static readonly ResultCode MissingField = ResultCode.Invalid("missing-field", "缺少必填字段", "A required field is missing");
    public static readonly ResultCode InvalidField = ResultCode.Invalid("invalid-field", "字段无效", "A field is invalid");

    public static readonly ResultCode InvalidJson = ResultCode.Invalid("invalid-json",
        "请求体不是有效的 JSON,或结构与接口要求不符;未做任何处理", "The request body is not valid JSON, or not in the shape this endpoint reads; nothing was done");
    public static readonly ResultCode MissingBody = ResultCode.Invalid("missing-body",
        "该接口需要 JSON 请求体(Content-Type: application/json),本次请求没有", "This endpoint needs a JSON body (Content-Type: application/json); none was sent");
    public static readonly ResultCode InvalidArguments = ResultCode.Invalid("invalid-arguments",
        "命令行参数有误,未做任何处理;用法见 --help", "The command line is not valid; nothing was done (see --help)");
    public static readonly ResultCode RequestRejected = ResultCode.Invalid("request-rejected",
        "服务器无法解析该请求(请求行或请求头格式错误,例如路径中含有 %00),未做任何处理",
        "The server could not parse the request (a malformed request line or header, such as %00 in the path); nothing was done");

    // ---------------------------------------------------------------- calendars
    public static readonly ResultCode CalendarYearNotLoaded = ResultCode.Rule("calendar-year-not-loaded",
        "未载入该年的节假日安排,无法计算工作日", "No holiday calendar is loaded for that year; working days cannot be computed");
    public static readonly ResultCode InvalidCalendarFile = ResultCode.Invalid("invalid-calendar-file", "节假日安排文件无效", "A holiday calendar file is invalid");

    // ---------------------------------------------------------------- ledger
    public static readonly ResultCode UnknownAccount = ResultCode.NotFound("unknown-account", "账户不存在", "No such account");
    public static readonly ResultCode AccountClosed = ResultCode.Conflict("account-closed", "账户已注销,不能再记账", "The account is closed and takes no more postings");
    public static readonly ResultCode AccountNotEmpty = ResultCode.Conflict("account-not-empty", "只有余额为零的账户才能注销", "Only an account with a zero balance can be closed");
    public static readonly ResultCode InsufficientBalance = ResultCode.Rule("insufficient-balance",
        "个人账户余额不足,不能透支", "Insufficient personal-account balance; an account never goes below zero");
    public static readonly ResultCode EntryUnbalanced = ResultCode.Invalid("entry-unbalanced", "分录借贷不平衡", "The journal entry does not balance");
    public static readonly ResultCode EntryEmpty = ResultCode.Invalid("entry-empty", "分录至少需要两条记账行", "A journal entry needs at least two postings");
    public static readonly ResultCode ZeroPosting = ResultCode.Invalid("zero-posting", "记账行金额不能为零", "A posting amount cannot be zero");
    public static readonly ResultCode InvalidSegment = ResultCode.Invalid("invalid-segment", "账户没有该分段", "The account has no such segment");
    public static readonly ResultCode IdempotencyKeyReused = ResultCode.Conflict("idempotency-key-reused",
        "幂等键已用于内容不同的请求(详情列出不同之处)", "The idempotency key was already used for a request with different content (the details name what differs)");
    public static readonly ResultCode UnknownEntry = ResultCode.NotFound("unknown-entry", "分录不存在", "No such journal entry");
    public static readonly ResultCode EntryAlreadyReversed = ResultCode.Conflict("entry-already-reversed", "该分录已被冲正", "The entry has already been reversed");
    public static readonly ResultCode CannotReverseReversal = ResultCode.Conflict("cannot-reverse-reversal", "冲正分录不能再被冲正", "A reversal cannot itself be reversed");
    public static readonly ResultCode CrossRegionEntry = ResultCode.Invalid("cross-region-entry", "一笔分录只能记入同一统筹地区的账户", "A journal entry posts to accounts of one region only");
    public static readonly ResultCode LedgerBusy = ResultCode.Conflict("ledger-busy",
        "账户正被并发修改,请稍后重试(未记账)", "The accounts are being changed concurrently; try again (nothing was posted)");
    public static readonly ResultCode AccountExists = ResultCode.Conflict("account-exists", "账户已存在", "The account already exists");

    // ---------------------------------------------------------------- regions, policy, cases
    public static readonly ResultCode UnknownRegion = ResultCode.NotFound("unknown-region", "未配置的统筹地区", "No such pooling region is configured");
    public static readonly ResultCode PolicyRuleMissing = ResultCode.Rule("policy-rule-missing",
        "该统筹地区在该日期没有适用的政策规则", "The region has no policy rule of that kind in force on that date");
    public static readonly ResultCode UnknownDecisionKind = ResultCode.NotFound("unknown-decision-kind", "不支持的计算事项", "No such kind of decision");
    public static readonly ResultCode CaseKindNotSupported = ResultCode.Invalid("case-kind-not-supported", "尚不支持的案例类型", "The case kind is not supported yet");

    // ---------------------------------------------------------------- HTTP itself
    public static readonly ResultCode BadRequest = ResultCode.Http("bad-request", 400, "请求格式错误", "The request is malformed");
    public static readonly ResultCode NotFound = ResultCode.Http("not-found", 404, "没有这个地址", "There is no such resource");
    public static readonly ResultCode MethodNotAllowed = ResultCode.Http("method-not-allowed", 405, "该地址不支持此请求方法", "The resource does not support this method");
    public static readonly ResultCode PayloadTooLarge = ResultCode.Http("payload-too-large", 413, "请求内容过大", "The request is too large");
    public static readonly ResultCode UnsupportedMediaType = ResultCode.Http("unsupported-media-type", 415, "不支持的请求内容类型", "The request content type is not supported");
    public static readonly ResultCode InternalError = ResultCode.Http("internal-error", 500,
        "服务器内部错误,已记录,请稍后重试", "An unexpected error occurred; it has been logged, please try again later");
    public static readonly ResultCode ServiceUnavailable = ResultCode.Http("service-unavailable", 503, "服务暂时不可用", "The service is temporarily unavailable");
}
