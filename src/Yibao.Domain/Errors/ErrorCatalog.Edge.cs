using Yibao.Domain.Features.FamilyAid;

namespace Yibao.Domain.Errors;

/// <summary>
/// The refusals of the edge: a request body that is not JSON or has none, text with control
/// characters, an amount not written the one documented way, a bad idempotency key, a destination
/// that is no real place, and a relation the birth dates contradict. Each message is wholly in its
/// language; the values it names are in <c>details</c>.
/// </summary>
public static partial class ErrorCatalog
{
    /// <summary>The body is not JSON, or not the shape the endpoint reads (<c>field</c>: where, when the parser knows).</summary>
    public static YibaoError InvalidJson(string? field, long? line, long? position)
    {
        var error = new YibaoError("invalid-json", "请求体不是有效的 JSON,或结构与接口要求不符;未做任何处理",
            "The request body is not valid JSON, or not in the shape this endpoint reads; nothing was done", ErrorKind.Invalid);
        if (!string.IsNullOrEmpty(field)) error = error.With("field", field);
        if (line is { } l) error = error.With("line", (l + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (position is { } p) error = error.With("position", (p + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return error;
    }

    /// <summary>A JSON value of the wrong kind (a number where text belongs, an object where a list does).</summary>
    public static YibaoError InvalidJsonField(string field) =>
        new YibaoError("invalid-json", $"请求体中字段 {field} 的值类型不对", $"Field '{field}' of the request body holds a value of the wrong kind", ErrorKind.Invalid)
            .With("field", field);

    /// <summary>The endpoint reads a JSON body and none came.</summary>
    public static YibaoError MissingBody() =>
        new("missing-body", "该接口需要 JSON 请求体(Content-Type: application/json),本次请求没有", "This endpoint needs a JSON body (Content-Type: application/json); none was sent", ErrorKind.Invalid);

    /// <summary>A text value holds a control character (category Cc, e.g. U+0000): refused in every field.</summary>
    public static YibaoError ControlCharacter(string field, int position, int codePoint) =>
        new YibaoError("invalid-field", $"字段 {field} 含有控制字符(第 {position} 个字符,U+{codePoint:X4});文本中不能有控制字符",
                $"Field '{field}' holds a control character (character {position}, U+{codePoint:X4}); text may not contain control characters", ErrorKind.Invalid)
            .With("field", field).With("position", position.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("character", $"U+{codePoint:X4}");

    /// <summary>A text value is not valid Unicode (an unpaired surrogate escape, bytes that are not UTF-8).</summary>
    public static YibaoError InvalidText(string field) =>
        new YibaoError("invalid-field", $"字段 {field} 不是有效的 Unicode 文本(含有不成对的代理项或非 UTF-8 字节)",
                $"Field '{field}' is not valid Unicode text (an unpaired surrogate or bytes that are not UTF-8)", ErrorKind.Invalid)
            .With("field", field);

    /// <summary>
    /// An amount in a JSON body not written as the API writes amounts: yuan, an optional minus, no
    /// leading zeros, at most two decimals, as a string or a number; no plus sign, spaces, grouping or exponent.
    /// </summary>
    public static YibaoError AmountNotPlain(string field, string value, string why, string whyZh) =>
        new YibaoError("invalid-amount", $"字段 {field} 的金额格式错误:{whyZh};金额写作元,最多两位小数,如 \"286.50\"",
                $"Field '{field}' is not an amount: {why}; amounts are yuan with at most two decimals, e.g. \"286.50\"", ErrorKind.Invalid)
            .With("field", field).With("value", value);

    /// <summary>The <c>Idempotency-Key</c> header is not 1–100 visible ASCII characters.</summary>
    public static YibaoError InvalidIdempotencyKey(string why, string whyZh) =>
        new YibaoError("invalid-field", $"请求头 Idempotency-Key 无效:{whyZh}", $"The Idempotency-Key header is invalid: {why}", ErrorKind.Invalid)
            .With("field", "Idempotency-Key");

    /// <summary>A numeric id in the path or query that is not a positive whole number.</summary>
    public static YibaoError NotAnId(string field, string value) =>
        new YibaoError("invalid-field", $"{field} 须为正整数,收到“{value}”", $"'{field}' must be a positive whole number, not '{value}'", ErrorKind.Invalid)
            .With("field", field).With("value", value);

    /// <summary>The command line is not one the command reads (an unknown option, a value of the wrong kind).</summary>
    public static YibaoError InvalidCommandLine(string problems) =>
        new YibaoError("invalid-arguments", "命令行参数有误,未做任何处理;用法见 --help", "The command line is not valid; nothing was done (see --help)", ErrorKind.Invalid)
            .With("problems", problems);

    /// <summary>A request the web server refused before the application saw it (a malformed request line or header, a %00 in the path).</summary>
    public static YibaoError RequestRejected(int status) =>
        new YibaoError("request-rejected", "服务器无法解析该请求(请求行或请求头格式错误,例如路径中含有 %00),未做任何处理",
                "The server could not parse the request (a malformed request line or header, such as %00 in the path); nothing was done", ErrorKind.Invalid)
            .With("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A remote-care destination that is six digits but no real province, city or county.</summary>
    public static YibaoError UnknownDestination(string destination) =>
        new YibaoError("unknown-destination", $"目的地 {destination} 不是真实的行政区划代码:GB/T 2260 中没有这个省、市或县",
                $"The destination {destination} is not a real region code: GB/T 2260 has no such province, city or county", ErrorKind.Invalid)
            .With("destination", destination);

    /// <summary>A relation the two birth dates (from the ID numbers) make impossible, e.g. a child born before the parent.</summary>
    public static YibaoError RelationContradictsBirthDates(string relation, string ownerBirthDate, string relativeBirthDate) =>
        FamilyAidRule(FamilyAidCodes.RelationContradictsBirthDates)
            .With("relation", relation).With("ownerBirthDate", ownerBirthDate).With("relativeBirthDate", relativeBirthDate);
}
