using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Policy;

/// <summary>Renders a resolved policy as JSON, each value with its provenance and source (for <c>policy show</c> and the API).</summary>
public static class PolicyJson
{
    public static JsonObject Render(ResolvedPolicy policy) => new()
    {
        ["region"] = policy.Region.Value,
        ["name"] = policy.RegionName,
        ["date"] = Dates.Format(policy.Date),
        ["versionId"] = policy.VersionId,
        ["calendarRegion"] = policy.CalendarRegion.Value,
        ["rules"] = new JsonArray(policy.Values.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => (JsonNode?)Render(v)).ToArray()),
    };

    public static JsonObject Render(PolicyValue v)
    {
        var (zh, en) = v.Provenance.Label();
        return new JsonObject
        {
            ["key"] = v.Key,
            ["value"] = Value(v.Value),
            ["provenance"] = v.Provenance.Code(),
            ["provenanceLabel"] = new JsonObject { ["zh"] = zh, ["en"] = en },
            ["isExample"] = v.Provenance == Provenance.Example,
            ["source"] = v.Source,
            ["note"] = v.Note,
            ["definedBy"] = v.DefinedBy.Value,
            ["version"] = v.VersionId,
            ["from"] = Dates.Format(v.From),
            ["to"] = v.To is { } to ? Dates.Format(to) : null,
            ["file"] = v.File,
            ["line"] = v.Line,
        };
    }

    /// <summary>A bound value as JSON: money as "1234.56", rates as exact numbers, enums kebab-case, records as objects.</summary>
    public static JsonNode? Value(object? value) => value switch
    {
        null => null,
        Money.Money m => m.ToPlainString(),
        Money.Rate r => JsonValue.Create(r.Value),
        DateOnly d => Dates.Format(d),
        YearMonth ym => ym.ToString(),
        RegionCode rc => rc.Value,
        string s => s,
        bool b => b,
        int i => i,
        long l => l,
        decimal dec => dec,
        Enum e => PolicyValueBinder.Kebab(e.ToString()),
        IDictionary dict => new JsonObject(dict.Keys.Cast<object>().Select(k => KeyValuePair.Create(Convert.ToString(k, CultureInfo.InvariantCulture)!, Value(dict[k])))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(Value).ToArray()),
        _ => Record(value),
    };

    private static JsonObject Record(object value)
    {
        var obj = new JsonObject();
        foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.PropertyType == typeof(PolicyValue) || p.Name == "EqualityContract") continue;
            obj[PolicyValueBinder.CamelCase(p.Name)] = Value(p.GetValue(value));
        }
        return obj;
    }
}
