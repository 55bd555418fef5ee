using System.Collections.Frozen;
using System.Text.Json;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Calendars;

/// <summary>One listed day: a holiday (<c>isOffDay: true</c>) or a 调休 make-up working day (<c>false</c>).</summary>
internal readonly record struct ListedDay(string Name, bool IsOffDay);

/// <summary>
/// One year of one region's 节假日安排, read from a JSON file. The format is that of
/// NateScarlet/holiday-cn (<c>year</c>, <c>papers</c>, <c>days[].date/name/isOffDay</c>) plus an
/// optional <c>region</c> (six digits; absent or <c>000000</c> is the national calendar),
/// so a published holiday-cn year can be dropped in as it is. Unknown fields are ignored.
/// </summary>
internal sealed record CalendarFile(string Name, RegionCode Region, int Year, IReadOnlyList<string> Papers, FrozenDictionary<DateOnly, ListedDay> Days)
{
    public static CalendarFile Parse(string name, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Invalid(name, $"not valid JSON ({e.Message})", $"不是有效的 JSON({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Invalid(name, "the file must hold one JSON object", "文件必须是一个 JSON 对象");

            var region = RegionCode.National;
            if (root.TryGetProperty("region", out var regionElement) &&
                (regionElement.ValueKind != JsonValueKind.String || !RegionCode.TryParse(regionElement.GetString(), out region)))
                throw Invalid(name, "\"region\" must be a six-digit region code", "\"region\" 必须是六位行政区划代码");

            if (!root.TryGetProperty("year", out var yearElement) || !yearElement.TryGetInt32(out var year) || year is < 1 or > 9999)
                throw Invalid(name, "\"year\" is missing or not a year", "缺少 \"year\" 或不是有效年份");

            // A calendar without its notice cannot be cited; holiday-cn publishes an empty
            // file for a year whose notice is not out yet, and that must not count as loaded.
            var papers = Strings(root, "papers");
            if (papers is null || papers.Count == 0)
                throw Invalid(name, "\"papers\" must list the notice(s) the calendar comes from", "\"papers\" 必须列出节假日安排所依据的通知");

            if (!root.TryGetProperty("days", out var daysElement) || daysElement.ValueKind != JsonValueKind.Array || daysElement.GetArrayLength() == 0)
                throw Invalid(name, "\"days\" must list at least one day", "\"days\" 至少要列出一天");

            var days = new Dictionary<DateOnly, ListedDay>();
            var index = 0;
            foreach (var element in daysElement.EnumerateArray())
            {
                var (date, day) = Day(name, year, ++index, element);
                if (!days.TryAdd(date, day))
                    throw Invalid(name, $"day {index}: {Dates.Format(date)} is listed twice", $"第 {index} 天:{Dates.Format(date)} 重复列出");
            }

            return new CalendarFile(name, region, year, papers, days.ToFrozenDictionary());
        }
    }

    private static (DateOnly Date, ListedDay Day) Day(string name, int year, int index, JsonElement day)
    {
        var at = $"day {index}";
        var atZh = $"第 {index} 天";
        if (day.ValueKind != JsonValueKind.Object)
            throw Invalid(name, $"{at} is not an object", $"{atZh}不是对象");
        if (!day.TryGetProperty("date", out var dateElement) || dateElement.ValueKind != JsonValueKind.String || !Dates.TryParse(dateElement.GetString(), out var date))
            throw Invalid(name, $"{at}: \"date\" must be YYYY-MM-DD", $"{atZh}:\"date\" 必须是 YYYY-MM-DD");
        if (date.Year != year)
            throw Invalid(name, $"{at}: {Dates.Format(date)} is not in {year}", $"{atZh}:{Dates.Format(date)} 不在 {year} 年");
        if (!day.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(nameElement.GetString()))
            throw Invalid(name, $"{at}: \"name\" (the holiday) is missing", $"{atZh}:缺少节日名称 \"name\"");
        if (!day.TryGetProperty("isOffDay", out var offElement) || offElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw Invalid(name, $"{at}: \"isOffDay\" must be true (holiday) or false (make-up working day)", $"{atZh}:\"isOffDay\" 必须为 true(放假)或 false(调休上班)");
        return (date, new ListedDay(nameElement.GetString()!, offElement.GetBoolean()));
    }

    private static List<string>? Strings(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var element) || element.ValueKind != JsonValueKind.Array) return null;
        var list = new List<string>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString())) return null;
            list.Add(item.GetString()!);
        }
        return list;
    }

    internal static YibaoException Invalid(string name, string why, string whyZh) =>
        new(ErrorCatalog.InvalidCalendarFile(name, why, whyZh));
}
