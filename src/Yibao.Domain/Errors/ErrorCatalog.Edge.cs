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
    public static Refusal InvalidJson(string? field, long? line, long? position)
    {
        var error = Codes.InvalidJson.Refuse();
        if (!string.IsNullOrEmpty(field)) error = error.With("field", field);
        if (line is { } l) error = error.With("line", (l + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (position is { } p) error = error.With("position", (p + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return error;
    }

    /// <summary>A JSON value of the wrong kind (a number where text belongs, an object where a list does).</summary>
    public static Refusal InvalidJsonField(string field) =>
        Codes.InvalidJson.Refuse($"请求体中“{FieldLabels.Of(field)}”的值类型不对", $"Field '{field}' of the request body holds a value of the wrong kind")
            .With("field", field);

    /// <summary>The endpoint reads a JSON body and none came.</summary>
    public static Refusal MissingBody() =>
        Codes.MissingBody.Refuse();

    /// <summary>A text value holds a control character (category Cc, e.g. U+0000): refused in every field.</summary>
    public static Refusal ControlCharacter(string field, int position, int codePoint) =>
        Codes.InvalidField.Refuse($"{FieldLabels.Of(field)}含有控制字符(第 {position} 个字符,U+{codePoint:X4});文本中不能有控制字符",
                $"Field '{field}' holds a control character (character {position}, U+{codePoint:X4}); text may not contain control characters")
            .With("field", field).With("position", position.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("character", $"U+{codePoint:X4}");

    /// <summary>A text value is not valid Unicode (an unpaired surrogate escape, bytes that are not UTF-8).</summary>
    public static Refusal InvalidText(string field) =>
        Codes.InvalidField.Refuse($"{FieldLabels.Of(field)}不是有效的文本(含有不成对的代理项或非 UTF-8 字节)",
                $"Field '{field}' is not valid Unicode text (an unpaired surrogate or bytes that are not UTF-8)")
            .With("field", field);

    /// <summary>
    /// An amount in a JSON body not written as the API writes amounts: yuan, an optional minus, no
    /// leading zeros, at most two decimals, as a string or a number; no plus sign, spaces, grouping or exponent.
    /// </summary>
    public static Refusal AmountNotPlain(string field, string value, string why, string whyZh) =>
        Codes.InvalidAmount.Refuse($"{FieldLabels.Of(field)}的金额格式错误:{whyZh};金额写作元,最多两位小数,如“286.50”",
                $"Field '{field}' is not an amount: {why}; amounts are yuan with at most two decimals, e.g. \"286.50\"")
            .With("field", field).With("value", value);

    /// <summary>The <c>Idempotency-Key</c> header is not 1–100 visible ASCII characters.</summary>
    public static Refusal InvalidIdempotencyKey(string why, string whyZh) =>
        Codes.InvalidField.Refuse($"请求头中的幂等键无效:{whyZh}", $"The Idempotency-Key header is invalid: {why}")
            .With("field", "Idempotency-Key");

    /// <summary>A numeric id in the path or query that is not a positive whole number.</summary>
    public static Refusal NotAnId(string field, string value) =>
        Codes.InvalidField.Refuse($"{FieldLabels.Of(field)}须为正整数,收到“{value}”", $"'{field}' must be a positive whole number, not '{value}'")
            .With("field", field).With("value", value);

    /// <summary>The command line is not one the command reads (an unknown option, a value of the wrong kind).</summary>
    public static Refusal InvalidCommandLine(string problems) =>
        Codes.InvalidArguments.Refuse()
            .With("problems", problems);

    /// <summary>A request the web server refused before the application saw it (a malformed request line or header, a %00 in the path).</summary>
    public static Refusal RequestRejected(int status) =>
        Codes.RequestRejected.Refuse()
            .With("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A remote-care destination that is six digits but no real province, city or county.</summary>
    public static Refusal UnknownDestination(string destination) =>
        Codes.UnknownDestination.Refuse($"就医地 {destination} 不是真实的行政区划代码:GB/T 2260 中没有这个省、市或县",
                $"The destination {destination} is not a real region code: GB/T 2260 has no such province, city or county")
            .With("destination", destination);

    /// <summary>A relation the two birth dates (from the ID numbers) make impossible, e.g. a child born before the parent.</summary>
    public static Refusal RelationContradictsBirthDates(string relation, string ownerBirthDate, string relativeBirthDate) =>
        Codes.RelationContradictsBirthDates.Refuse()
            .With("relation", relation).With("ownerBirthDate", ownerBirthDate).With("relativeBirthDate", relativeBirthDate);
}
