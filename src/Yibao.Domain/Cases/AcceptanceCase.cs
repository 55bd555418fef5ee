using System.Text.Json;
using System.Text.Json.Nodes;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Cases;

/// <summary>
/// A worked case (format: <c>tests/acceptance/README.md</c>): a question about policy, asked in
/// a region on a date, with the expected answer. The same input and output shapes serve the
/// case runner and the decision API, so a case is also an example request.
/// </summary>
public sealed record AcceptanceCase(string Id, string Kind, RegionCode Region, DateOnly Date, string? Source, JsonObject Input, JsonObject Expect)
{
    /// <summary>Reads the <c>cases</c> array of one file; a malformed case is an error that names it.</summary>
    public static IReadOnlyList<AcceptanceCase> ReadFile(string json, string fileName)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new YibaoException(ErrorCatalog.InvalidField(fileName, e.Message)); }
        if (root?["cases"] is not JsonArray cases) throw new YibaoException(ErrorCatalog.MissingField($"{fileName}: cases"));
        var list = new List<AcceptanceCase>();
        foreach (var node in cases)
        {
            if (node is not JsonObject c) throw new YibaoException(ErrorCatalog.InvalidField($"{fileName}: cases[]", "not an object"));
            var id = (string?)c["id"] ?? throw new YibaoException(ErrorCatalog.MissingField($"{fileName}: id"));
            list.Add(new AcceptanceCase(
                id,
                (string?)c["kind"] ?? throw new YibaoException(ErrorCatalog.MissingField($"{id}: kind")),
                RegionCode.Parse((string?)c["region"]),
                Dates.Parse((string?)c["date"]),
                (string?)c["source"],
                c["input"] as JsonObject ?? [],
                c["expect"] as JsonObject ?? []));
        }
        return list;
    }
}

/// <summary>Typed access to a case's (or a decision request's) input, with clear errors for missing or malformed fields.</summary>
public sealed class CaseInput(JsonObject input)
{
    public JsonObject Json => input;

    public bool Has(string field) => input[field] is not null;

    public string String(string field) =>
        StringOrNull(field) ?? throw new YibaoException(ErrorCatalog.MissingField(field));

    public string? StringOrNull(string field) => input[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new YibaoException(ErrorCatalog.InvalidField(field, "expected a string")),
    };

    public int Int(string field) => input[field] switch
    {
        null => throw new YibaoException(ErrorCatalog.MissingField(field)),
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        _ => throw new YibaoException(ErrorCatalog.InvalidField(field, "expected a whole number")),
    };

    public bool Bool(string field, bool? fallback = null) => input[field] switch
    {
        null when fallback is not null => fallback.Value,
        null => throw new YibaoException(ErrorCatalog.MissingField(field)),
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        _ => throw new YibaoException(ErrorCatalog.InvalidField(field, "expected true or false")),
    };

    public DateOnly Date(string field) => Dates.Parse(String(field));

    public DateOnly? DateOrNull(string field) => StringOrNull(field) is { } s ? Dates.Parse(s) : null;

    public YearMonth Month(string field) => YearMonth.Parse(String(field));

    public Money.Money Money(string field) => Domain.Money.Money.Parse(String(field));

    public Money.Money? MoneyOrNull(string field) => StringOrNull(field) is { } s ? Domain.Money.Money.Parse(s) : null;

    public IReadOnlyList<string> Strings(string field) => input[field] switch
    {
        null => [],
        JsonArray a => a.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new YibaoException(ErrorCatalog.InvalidField(field, "expected a list of strings"))).ToList(),
        _ => throw new YibaoException(ErrorCatalog.InvalidField(field, "expected a list of strings")),
    };
}

/// <summary>One field of an answer that differs from the case's expectation.</summary>
public sealed record CaseMismatch(string Field, string Expected, string Got);

public static class CaseComparison
{
    /// <summary>Compares only the fields present in <paramref name="expect"/>, exactly (acceptance README).</summary>
    public static IReadOnlyList<CaseMismatch> Compare(JsonObject expect, JsonObject actual)
    {
        var mismatches = new List<CaseMismatch>();
        foreach (var (field, expected) in expect)
        {
            var got = actual[field];
            if (!actual.ContainsKey(field))
                mismatches.Add(new CaseMismatch(field, Show(expected), "(missing)"));
            else if (!JsonNode.DeepEquals(expected, got))
                mismatches.Add(new CaseMismatch(field, Show(expected), Show(got)));
        }
        return mismatches;
    }

    public static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>
    /// The stable error code a case expects instead of an answer (<c>expect: { "errorCode": "…" }</c>,
    /// acceptance README), or null for a case that expects an answer.
    /// </summary>
    public static string? ExpectedError(JsonObject expect)
    {
        ArgumentNullException.ThrowIfNull(expect);
        return expect["errorCode"] is JsonValue v && v.TryGetValue<string>(out var code) ? code : null;
    }

    /// <summary>
    /// Null when a case that expects <paramref name="expectedCode"/> was refused with exactly it;
    /// else what happened instead (another code, or an answer where a refusal was due).
    /// </summary>
    public static string? CompareError(string expectedCode, Refusal? raised) =>
        raised is null ? $"errorCode expected \"{expectedCode}\" got an answer"
        : raised.Code.Value == expectedCode ? null
        : $"errorCode expected \"{expectedCode}\" got \"{raised.Code}\" ({raised.MessageEn})";
}
