namespace Yibao.Domain.Errors;

/// <summary>
/// A result code (结果代码): one stable kebab-case name for one reason an answer is not "done",
/// declared once in <see cref="Codes"/> with the HTTP status it is answered with and what it
/// means in Chinese and in English (TigerBeetle-style named results). The API document, the
/// <c>/api/errors</c> list and the CLI all read these declarations; a code is never renamed or
/// reused, and callers compare codes by symbol (<c>refusal.Is(Codes.UnknownAccount)</c>), never by text.
/// </summary>
public sealed class ResultCode
{
    private static readonly Dictionary<string, ResultCode> Declared = new(StringComparer.Ordinal);
    private static readonly Lock Gate = new();

    private ResultCode(string value, int httpStatus, string meaningZh, string meaningEn)
    {
        if (value.Length == 0 || value.Any(c => c is not (>= 'a' and <= 'z' or >= '0' and <= '9' or '-')))
            throw new ArgumentException($"'{value}' is not a kebab-case code", nameof(value));
        Value = value;
        HttpStatus = httpStatus;
        MeaningZh = meaningZh;
        MeaningEn = meaningEn;
        lock (Gate)
        {
            // A second declaration of one code would give it two meanings.
            if (!Declared.TryAdd(value, this)) throw new InvalidOperationException($"result code '{value}' is declared twice");
        }
    }

    /// <summary>The stable name, e.g. <c>insufficient-balance</c>; also the last segment of the problem <c>type</c>.</summary>
    public string Value { get; }

    /// <summary>The HTTP status an answer with this code carries.</summary>
    public int HttpStatus { get; }

    /// <summary>What the code means, in Chinese (without the particulars of one refusal).</summary>
    public string MeaningZh { get; }

    /// <summary>What the code means, in English.</summary>
    public string MeaningEn { get; }

    /// <summary>Malformed input (400).</summary>
    internal static ResultCode Invalid(string value, string zh, string en) => new(value, 400, zh, en);
    /// <summary>No identity, or a wrong one (401).</summary>
    internal static ResultCode Unauthenticated(string value, string zh, string en) => new(value, 401, zh, en);
    /// <summary>An identity whose role does not allow it (403).</summary>
    internal static ResultCode Forbidden(string value, string zh, string en) => new(value, 403, zh, en);
    /// <summary>The thing asked for does not exist, or is not the caller's to see (404).</summary>
    internal static ResultCode NotFound(string value, string zh, string en) => new(value, 404, zh, en);
    /// <summary>Well-formed but in conflict with the current state (409).</summary>
    internal static ResultCode Conflict(string value, string zh, string en) => new(value, 409, zh, en);
    /// <summary>Refused by a rule of policy or of the records (422).</summary>
    internal static ResultCode Rule(string value, string zh, string en) => new(value, 422, zh, en);
    /// <summary>An answer of HTTP itself (405, 413, 415, 429, 500, 503).</summary>
    internal static ResultCode Http(string value, int status, string zh, string en) => new(value, status, zh, en);

    /// <summary>A refusal with this code and its generic meaning as the message.</summary>
    public Refusal Refuse() => new(this, MeaningZh, MeaningEn);

    /// <summary>A refusal with this code and a message that names the particulars (each wholly in its language).</summary>
    public Refusal Refuse(string messageZh, string messageEn) => new(this, messageZh, messageEn);

    /// <summary>The declared code with this name, for a code read back from storage or a policy pack.</summary>
    public static bool TryFind(string? value, out ResultCode code)
    {
        _ = Codes.All; // every declaration is made when Codes is initialised
        lock (Gate)
        {
            if (value is not null && Declared.TryGetValue(value, out var found))
            {
                code = found;
                return true;
            }
        }
        code = null!;
        return false;
    }

    /// <summary>The declared code with this name; an unknown name is a programming error.</summary>
    public static ResultCode Find(string value) =>
        TryFind(value, out var code) ? code : throw new ArgumentOutOfRangeException(nameof(value), value, "no such result code is declared");

    internal static IReadOnlyList<ResultCode> AllDeclared()
    {
        lock (Gate) return Declared.Values.OrderBy(c => c.Value, StringComparer.Ordinal).ToList();
    }

    public override string ToString() => Value;
}
