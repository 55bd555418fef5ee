using System.Text.Json.Nodes;
using Yibao.Domain.Calendars;
using Yibao.Domain.Identity;
using Yibao.Domain.Time;

namespace Yibao.Domain.Cases;

/// <summary>
/// The kinds of question Yibao answers, by case-kind name, each mapping the case input to the
/// domain decision and its answer back to the case's output shape. No case-specific logic:
/// every kind calls the same domain code the server calls.
/// </summary>
public sealed class CaseKinds
{
    private readonly Dictionary<string, Func<AcceptanceCase, JsonObject>> _kinds = new(StringComparer.Ordinal);

    public CaseKinds(HolidayCalendars calendars)
    {
        _kinds["id-number"] = IdNumberKind;
        _kinds["credit-code"] = CreditCodeKind;
        _kinds["working-days"] = c => WorkingDaysKind(c, calendars);
    }

    /// <summary>The kinds working with the embedded policy data.</summary>
    public static CaseKinds Default { get; } = new(HolidayCalendars.Embedded);

    public IReadOnlyCollection<string> Names => _kinds.Keys;

    public bool Supports(string kind) => _kinds.ContainsKey(kind);

    /// <summary>Answers a case; throws <see cref="Errors.YibaoException"/> with <c>case-kind-not-supported</c> for an unknown kind.</summary>
    public JsonObject Answer(AcceptanceCase c) =>
        _kinds.TryGetValue(c.Kind, out var kind)
            ? kind(c)
            : throw new Errors.YibaoException(Errors.ErrorCatalog.UnsupportedCaseKind(c.Kind));

    /// <summary>id-number: is an 18- (or legacy 15-) character resident ID valid; birth date and sex (GB 11643-1999, K15).</summary>
    private static JsonObject IdNumberKind(AcceptanceCase c)
    {
        var input = new CaseInput(c.Input);
        if (!IdNumber.TryParse(input.StringOrNull("value"), out var id, out var error))
            return new JsonObject { ["valid"] = false, ["reasonCode"] = error.Code, ["reason"] = error.MessageEn };
        return new JsonObject
        {
            ["valid"] = true,
            ["value"] = id.Value,
            ["birthDate"] = Dates.Format(id.BirthDate),
            ["sex"] = id.Sex == Sex.Male ? "M" : "F",
            ["areaCode"] = id.AreaCode,
        };
    }

    /// <summary>credit-code: unified social credit code check (GB 32100-2015, K15).</summary>
    private static JsonObject CreditCodeKind(AcceptanceCase c)
    {
        var input = new CaseInput(c.Input);
        if (!CreditCode.TryParse(input.StringOrNull("value"), out var code, out var error))
            return new JsonObject { ["valid"] = false, ["reasonCode"] = error.Code, ["reason"] = error.MessageEn };
        return new JsonObject { ["valid"] = true, ["innerCheckPasses"] = code.InnerCheckPasses };
    }

    /// <summary>working-days: the n-th working day strictly after a date, on the region's calendar (K5).</summary>
    private static JsonObject WorkingDaysKind(AcceptanceCase c, HolidayCalendars calendars)
    {
        var input = new CaseInput(c.Input);
        var calendar = calendars.For(c.Region);
        var after = input.Date("after");
        var days = input.Int("days");
        if (days < 1) throw new Errors.YibaoException(Errors.ErrorCatalog.InvalidField("days", "at least 1"));
        var date = calendar.AddWorkingDays(after, days);
        return new JsonObject { ["date"] = Dates.Format(date), ["sources"] = new JsonArray(calendar.Sources(date.Year).Select(s => (JsonNode?)s).ToArray()) };
    }
}
