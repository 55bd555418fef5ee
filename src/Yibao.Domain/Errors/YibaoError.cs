namespace Yibao.Domain.Errors;

/// <summary>
/// A refusal with a stable kebab-case code and a message in Chinese and English.
/// Every code lives in <see cref="ErrorCatalog"/>; nothing else invents codes.
/// </summary>
public sealed record YibaoError(string Code, string MessageZh, string MessageEn, ErrorKind Kind)
{
    /// <summary>Values that explain the refusal (the field, the value seen, the limit).</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    public YibaoError With(string key, string value)
    {
        var details = new Dictionary<string, string>(Details) { [key] = value };
        return this with { Details = details };
    }

    public override string ToString() => $"{Code}: {MessageZh} / {MessageEn}";
}

/// <summary>How the surfaces map an error (HTTP status, CLI exit code).</summary>
public enum ErrorKind
{
    /// <summary>The input is malformed (HTTP 400).</summary>
    Invalid,
    /// <summary>The thing asked for does not exist (HTTP 404).</summary>
    NotFound,
    /// <summary>Well-formed but refused by a rule or the current state (HTTP 409/422).</summary>
    Conflict,
    /// <summary>Refused by a business rule (HTTP 422).</summary>
    Rule,
}

/// <summary>The exception that carries a <see cref="YibaoError"/> out of domain or storage code.</summary>
public sealed class YibaoException(YibaoError error) : Exception(error.ToString())
{
    public YibaoError Error { get; } = error;
}
