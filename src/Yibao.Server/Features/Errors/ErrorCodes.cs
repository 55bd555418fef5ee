using System.Reflection;
using Yibao.Domain.Errors;
using Yibao.Server.Problems;

namespace Yibao.Server.Features.Errors;

/// <summary>One stable error code as the API documents it.</summary>
/// <param name="Code">The kebab-case code, also the last segment of the problem <c>type</c>.</param>
/// <param name="Status">The HTTP status it is answered with.</param>
/// <param name="Type">The problem <c>type</c> URI.</param>
/// <param name="MessageZh">What it means, in Chinese.</param>
/// <param name="MessageEn">What it means, in English.</param>
public sealed record ErrorCodeInfo(string Code, int Status, string Type, string MessageZh, string MessageEn);

/// <summary>
/// Every code a client can meet, with a generic description: the domain's codes
/// (<see cref="ErrorCatalog"/>) and the server's own. The descriptions are written here; a
/// catalog code that has none yet is still listed, described by its own messages with the
/// parameter names in braces, so the list is complete even before someone writes one.
/// </summary>
public static class ErrorCodes
{
    private static ErrorCodeInfo Domain(string code, ErrorKind kind, string zh, string en) =>
        new(code, YibaoProblems.StatusOf(kind), YibaoProblems.TypeOf(code), zh, en);

    private static readonly ErrorCodeInfo[] Described =
    [
        // Input shape
        Domain("invalid-amount", ErrorKind.Invalid, "金额格式错误(最多两位小数,千分位须三位一组)", "The amount is malformed (at most two decimals, thousands in groups of three)"),
        Domain("amount-out-of-range", ErrorKind.Invalid, "金额超出可表示范围", "The amount is out of the representable range"),
        Domain("amount-not-positive", ErrorKind.Invalid, "金额必须大于零", "The amount must be greater than zero"),
        Domain("invalid-rate", ErrorKind.Invalid, "比例格式错误", "The rate is malformed"),
        Domain("invalid-id-number", ErrorKind.Invalid, "身份证号码无效(位数、出生日期或校验码不对)", "The resident ID number is invalid (length, birth date or check character)"),
        Domain("invalid-credit-code", ErrorKind.Invalid, "统一社会信用代码无效", "The unified social credit code is invalid"),
        Domain("invalid-region-code", ErrorKind.Invalid, "行政区划代码必须是六位数字", "A region code is six digits (GB/T 2260)"),
        Domain("invalid-date", ErrorKind.Invalid, "日期格式错误,应为 YYYY-MM-DD", "The date is malformed; expected YYYY-MM-DD"),
        Domain("invalid-month", ErrorKind.Invalid, "月份格式错误,应为 YYYY-MM", "The month is malformed; expected YYYY-MM"),
        Domain("invalid-date-range", ErrorKind.Invalid, "起始日期晚于结束日期", "The start date is after the end date"),
        Domain("invalid-paging", ErrorKind.Invalid, "分页参数错误(page 从 1 开始,pageSize 为 1–500)", "Invalid paging (page starts at 1, pageSize is 1–500)"),
        Domain("missing-field", ErrorKind.Invalid, "缺少必填字段", "A required field is missing"),
        Domain("invalid-field", ErrorKind.Invalid, "字段无效", "A field is invalid"),

        // Calendars
        Domain("calendar-year-not-loaded", ErrorKind.Rule, "未载入该年的节假日安排,无法计算工作日", "No holiday calendar is loaded for that year; working days cannot be computed"),
        Domain("invalid-calendar-file", ErrorKind.Invalid, "节假日安排文件无效", "A holiday calendar file is invalid"),

        // Ledger
        Domain("unknown-account", ErrorKind.NotFound, "账户不存在", "No such account"),
        Domain("account-closed", ErrorKind.Conflict, "账户已注销,不能再记账", "The account is closed and takes no more postings"),
        Domain("insufficient-balance", ErrorKind.Rule, "个人账户余额不足,不能透支", "Insufficient personal-account balance; an account never goes below zero"),
        Domain("entry-unbalanced", ErrorKind.Invalid, "分录借贷不平衡", "The journal entry does not balance"),
        Domain("entry-empty", ErrorKind.Invalid, "分录至少需要两条记账行", "A journal entry needs at least two postings"),
        Domain("zero-posting", ErrorKind.Invalid, "记账行金额不能为零", "A posting amount cannot be zero"),
        Domain("invalid-segment", ErrorKind.Invalid, "账户没有该分段", "The account has no such segment"),
        Domain("idempotency-key-reused", ErrorKind.Conflict, "幂等键已被内容不同的分录使用", "The idempotency key was already used for an entry with different content"),
        Domain("unknown-entry", ErrorKind.NotFound, "分录不存在", "No such journal entry"),
        Domain("entry-already-reversed", ErrorKind.Conflict, "该分录已被冲正", "The entry has already been reversed"),
        Domain("cannot-reverse-reversal", ErrorKind.Conflict, "冲正分录不能再被冲正", "A reversal cannot itself be reversed"),
        Domain("cross-region-entry", ErrorKind.Invalid, "一笔分录只能记入同一统筹地区的账户", "A journal entry posts to accounts of one region only"),
        Domain("ledger-busy", ErrorKind.Conflict, "账户正被并发修改,请稍后重试(未记账)", "The accounts are being changed concurrently; try again (nothing was posted)"),
        Domain("account-exists", ErrorKind.Conflict, "账户已存在", "The account already exists"),

        // Cases and regions
        Domain("case-kind-not-supported", ErrorKind.Invalid, "尚不支持的案例类型", "The case kind is not supported yet"),
        Domain("unknown-region", ErrorKind.NotFound, "未配置的统筹地区", "No such pooling region is configured"),

        // Policy
        Domain("policy-rule-missing", ErrorKind.Rule, "该统筹地区在该日期没有适用的政策规则", "The region has no policy rule of that kind in force on that date"),
    ];

    // After Described: static fields initialise in textual order.
    public static IReadOnlyList<ErrorCodeInfo> All { get; } =
    [
        .. Described,
        .. FromCatalog().Where(e => !Described.Any(d => d.Code == e.Code)),
        .. ServerErrors.All.Select(e => new ErrorCodeInfo(e.Code, e.Status, YibaoProblems.TypeOf(e.Code), e.MessageZh, e.MessageEn)),
    ];

    /// <summary>Each factory of the catalog called with its parameter names as placeholders.</summary>
    internal static IEnumerable<YibaoError> CatalogErrors()
    {
        foreach (var factory in typeof(ErrorCatalog).GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (factory.ReturnType != typeof(YibaoError)) continue;
            var arguments = factory.GetParameters().Select(p =>
                p.ParameterType == typeof(string) ? "{" + p.Name + "}" :
                p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null).ToArray();
            YibaoError? error;
            try { error = factory.Invoke(null, arguments) as YibaoError; }
            catch (TargetInvocationException) { continue; }
            if (error is not null) yield return error;
        }
    }

    private static IEnumerable<ErrorCodeInfo> FromCatalog() =>
        CatalogErrors().DistinctBy(e => e.Code).Select(e => Domain(e.Code, e.Kind, e.MessageZh, e.MessageEn));
}
