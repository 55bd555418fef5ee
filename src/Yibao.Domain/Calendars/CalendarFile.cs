using System.Collections.Frozen;
using System.Text;
using System.Text.Json;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Calendars;

/// <summary>One listed day: a holiday (<c>isOffDay: true</c>) or a 调休 make-up working day (<c>false</c>).</summary>
internal readonly record struct ListedDay(string Name, bool IsOffDay);

/// <summary>Something a person should know about a calendar folder that does not stop it loading, in both languages.</summary>
/// <param name="File">The file (as named when loaded).</param>
/// <param name="Line">The line it is about (1 for the whole file).</param>
/// <param name="Zh">What it is, in Chinese.</param>
/// <param name="En">What it is, in English.</param>
public sealed record CalendarWarning(string File, int Line, string Zh, string En)
{
    public override string ToString() => $"{File}:{Line}: {En} / {Zh}";
}

/// <summary>
/// One year of one region's 节假日安排, read from a JSON file. The format is that of
/// NateScarlet/holiday-cn (<c>year</c>, <c>papers</c>, <c>days[].date/name/isOffDay</c>) plus an
/// optional <c>region</c> (six digits; absent or <c>000000</c> is the national calendar),
/// <c>regionName</c> and <c>notice</c> (the notice's title), so a published holiday-cn year can be
/// dropped in as it is. Other fields (<c>data</c>, <c>note</c>, <c>$schema</c>) are ignored.
/// </summary>
/// <remarks>
/// Read with <see cref="Utf8JsonReader"/> rather than a DOM so that every refusal names its line:
/// an operator fixing a notice by hand needs to know where. A file whose <c>days</c> list a day of
/// the year before (the 2023 notice starts 元旦 on 2022-12-31) keeps it, but only as part of a run
/// of days off that reaches 1 January.
/// </remarks>
internal sealed record CalendarFile(
    string Name,
    RegionCode Region,
    string? RegionName,
    int Year,
    string? Notice,
    IReadOnlyList<string> Papers,
    FrozenDictionary<DateOnly, ListedDay> Days,
    FrozenDictionary<DateOnly, int> Lines)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The title to cite: the notice's, else its first paper.</summary>
    public string Citation => Notice ?? Papers[0];

    /// <summary>The line of a listed day (1 when not listed).</summary>
    public int LineOf(DateOnly date) => Lines.GetValueOrDefault(date, 1);

    public static CalendarFile? Parse(string name, string json, List<CalendarWarning>? warnings = null) =>
        Parse(name, Encoding.UTF8.GetBytes(json), warnings);

    /// <summary>
    /// The calendar of one file; null for holiday-cn's empty placeholder of a year whose notice is
    /// not out yet (<c>"papers": []</c>, no days), which is reported in <paramref name="warnings"/>
    /// and never counts as a published year.
    /// </summary>
    /// <exception cref="YibaoException"><c>invalid-calendar-file</c>, naming the file and the line.</exception>
    public static CalendarFile? Parse(string name, ReadOnlySpan<byte> utf8, List<CalendarWarning>? warnings = null)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) utf8 = utf8[3..];
        var lines = new LineMap(utf8);
        RawFile raw;
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            raw = ReadRoot(name, ref reader, lines);
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            throw Invalid(name, line, $"not valid JSON ({e.Message})", "不是有效的 JSON,请检查该行的括号、逗号和引号");
        }
        catch (InvalidOperationException)
        {
            throw Invalid(name, 1, "not UTF-8 text", "不是 UTF-8 编码的文本");
        }
        return Validate(name, raw, warnings);
    }

    private sealed record RawDay(int Line, string? Date, string? Name, bool? IsOffDay, bool IsObject);

    private sealed class RawFile
    {
        public int Line { get; set; } = 1;
        public (string Value, int Line)? Region { get; set; }
        public string? RegionName { get; set; }
        public (int? Value, int Line)? Year { get; set; }
        public string? Notice { get; set; }
        public (List<string?> Values, int Line)? Papers { get; set; }
        public (List<RawDay> Values, int Line)? Days { get; set; }
    }

    private static RawFile ReadRoot(string name, ref Utf8JsonReader reader, LineMap lines)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw Invalid(name, reader.TokenType == JsonTokenType.None ? 1 : lines.At(reader), "the file must hold one JSON object", "文件必须是一个 JSON 对象");
        var raw = new RawFile { Line = lines.At(reader) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString()!;
            var line = lines.At(reader);
            if (!seen.Add(property))
                throw Invalid(name, line, $"\"{property}\" is given twice", $"\"{property}\" 出现了两次");
            reader.Read();
            switch (property)
            {
                case "region":
                    raw.Region = (reader.TokenType == JsonTokenType.String ? reader.GetString()! : "", line);
                    break;
                case "regionName":
                    raw.RegionName = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case "notice":
                    raw.Notice = reader.TokenType == JsonTokenType.String && !string.IsNullOrWhiteSpace(reader.GetString()) ? reader.GetString() : null;
                    break;
                case "year":
                    raw.Year = (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var year) ? year : null, line);
                    break;
                case "papers":
                    raw.Papers = (Strings(name, ref reader, line, "papers"), line);
                    break;
                case "days":
                    raw.Days = (ReadDays(name, ref reader, lines, line), line);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        // Anything after the object is a syntax error the reader reports with its line.
        while (reader.Read()) { }
        return raw;
    }

    private static List<string?> Strings(string name, ref Utf8JsonReader reader, int line, string property)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Invalid(name, line, $"\"{property}\" must be a list of strings", $"\"{property}\" 必须是字符串列表");
        var values = new List<string?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType == JsonTokenType.String && !string.IsNullOrWhiteSpace(reader.GetString()) ? reader.GetString() : null);
            reader.Skip();
        }
        return values;
    }

    private static List<RawDay> ReadDays(string name, ref Utf8JsonReader reader, LineMap lines, int line)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Invalid(name, line, "\"days\" must be a list of days", "\"days\" 必须是日期列表");
        var days = new List<RawDay>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var at = lines.At(reader);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                days.Add(new RawDay(at, null, null, null, IsObject: false));
                continue;
            }
            string? date = null, holiday = null;
            bool? off = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                reader.Read();
                switch (property)
                {
                    case "date":
                        date = reader.TokenType == JsonTokenType.String ? reader.GetString() : "";
                        break;
                    case "name":
                        holiday = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        break;
                    case "isOffDay":
                        off = reader.TokenType switch { JsonTokenType.True => true, JsonTokenType.False => false, _ => null };
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            days.Add(new RawDay(at, date, holiday, off, IsObject: true));
        }
        return days;
    }

    private static CalendarFile? Validate(string name, RawFile raw, List<CalendarWarning>? warnings)
    {
        var region = RegionCode.National;
        if (raw.Region is { } r && !RegionCode.TryParse(r.Value, out region))
            throw Invalid(name, r.Line, "\"region\" must be a six-digit region code", "\"region\" 必须是六位行政区划代码");
        if (raw.Year is not { Value: { } year and >= 1901 and <= 9999 })
            throw Invalid(name, raw.Year?.Line ?? raw.Line, "\"year\" is missing or not a year", "缺少 \"year\" 或不是有效年份");

        var papers = raw.Papers?.Values ?? [];
        var days = raw.Days?.Values ?? [];
        // holiday-cn keeps an empty file for a year whose notice is not out yet: that is not a
        // published year, and counting it would replace the provisional calendar by plain weekdays.
        if (papers.Count == 0 && days.Count == 0)
        {
            warnings?.Add(new CalendarWarning(name, raw.Line,
                $"{year} 年尚无放假通知(papers 与 days 均为空),已忽略该文件,{year} 年不计为已公布年份",
                $"an empty placeholder for {year} (no papers, no days): ignored; {year} does not count as a published year"));
            return null;
        }
        if (papers.Count == 0 || papers.Any(p => p is null))
            throw Invalid(name, raw.Papers?.Line ?? raw.Line, "\"papers\" must cite the notice(s) the calendar comes from", "\"papers\" 必须列出节假日安排所依据的通知");
        if (days.Count == 0)
            throw Invalid(name, raw.Days?.Line ?? raw.Line, "\"days\" must list at least one day", "\"days\" 至少要列出一天");

        var listed = new Dictionary<DateOnly, ListedDay>();
        var lines = new Dictionary<DateOnly, int>();
        foreach (var day in days)
        {
            if (!day.IsObject)
                throw Invalid(name, day.Line, "a day must be an object {date, name, isOffDay}", "每一天必须是 {date, name, isOffDay} 对象");
            if (!Dates.TryParse(day.Date, out var date))
                throw Invalid(name, day.Line, "\"date\" must be YYYY-MM-DD", "\"date\" 必须是 YYYY-MM-DD");
            if (string.IsNullOrWhiteSpace(day.Name))
                throw Invalid(name, day.Line, $"{Dates.Format(date)}: \"name\" (the holiday) is missing", $"{Dates.Format(date)}:缺少节日名称 \"name\"");
            if (day.IsOffDay is not { } off)
                throw Invalid(name, day.Line, $"{Dates.Format(date)}: \"isOffDay\" must be true (holiday) or false (make-up working day)", $"{Dates.Format(date)}:\"isOffDay\" 必须为 true(放假)或 false(调休上班)");
            if (date.Year != year && date.Year != year - 1)
                throw Invalid(name, day.Line, $"{Dates.Format(date)} is not in {year}", $"{Dates.Format(date)} 不在 {year} 年");
            if (lines.TryGetValue(date, out var first))
                throw Invalid(name, day.Line, $"{Dates.Format(date)} is listed twice (first on line {first})", $"{Dates.Format(date)} 重复列出(第一次在第 {first} 行)");
            // A national notice works a weekend day (调休) and never a weekday; a weekday "worked"
            // is a typo. An overlay may work a weekday, to cancel a national holiday locally.
            if (region.IsNational && !off && date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                throw Invalid(name, day.Line,
                    $"{Dates.Format(date)} is a {date.DayOfWeek}: a make-up working day (isOffDay false) of the national calendar is a Saturday or Sunday",
                    $"{Dates.Format(date)} 是{Weekday(date)}:全国安排的调休上班日(isOffDay 为 false)只能是周六或周日");
            listed[date] = new ListedDay(day.Name!, off);
            lines[date] = day.Line;
        }
        CheckYearEndSpill(name, year, listed, lines);
        return new CalendarFile(name, region, raw.RegionName, year, raw.Notice, papers.Select(p => p!).ToList(), listed.ToFrozenDictionary(), lines.ToFrozenDictionary());
    }

    /// <summary>
    /// A day of the year before is taken only as the notices use it: the start of a run of days
    /// off that reaches 1 January (元旦 2023 ran 2022-12-31 … 2023-01-02). Anything else of the
    /// year before is a wrong year, not a spill.
    /// </summary>
    private static void CheckYearEndSpill(string name, int year, Dictionary<DateOnly, ListedDay> listed, Dictionary<DateOnly, int> lines)
    {
        foreach (var date in listed.Keys.Where(d => d.Year == year - 1).Order())
        {
            var unbroken = true;
            for (var d = date; d.Year == year - 1 || d == new DateOnly(year, 1, 1); d = d.AddDays(1))
            {
                if (listed.TryGetValue(d, out var day) && day.IsOffDay) continue;
                unbroken = false;
                break;
            }
            if (!unbroken)
                throw Invalid(name, lines[date],
                    $"{Dates.Format(date)} is not in {year}: only a run of days off that continues into 1 January may start in {year - 1}",
                    $"{Dates.Format(date)} 不在 {year} 年:只有延续到 1 月 1 日的连续放假日才可以从 {year - 1} 年开始");
        }
    }

    internal static string Weekday(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Monday => "周一",
        DayOfWeek.Tuesday => "周二",
        DayOfWeek.Wednesday => "周三",
        DayOfWeek.Thursday => "周四",
        DayOfWeek.Friday => "周五",
        DayOfWeek.Saturday => "周六",
        _ => "周日",
    };

    internal static YibaoException Invalid(string name, int line, string why, string whyZh) =>
        new(ErrorCatalog.InvalidCalendarFile(name, line, why, whyZh));

    /// <summary>Byte offsets of line starts, to turn a token's position into a 1-based line.</summary>
    private sealed class LineMap
    {
        private readonly List<long> starts = [0];

        public LineMap(ReadOnlySpan<byte> utf8)
        {
            for (var i = 0; i < utf8.Length; i++)
                if (utf8[i] == (byte)'\n') starts.Add(i + 1);
        }

        public int At(Utf8JsonReader reader)
        {
            var index = starts.BinarySearch(reader.TokenStartIndex);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
    }
}
