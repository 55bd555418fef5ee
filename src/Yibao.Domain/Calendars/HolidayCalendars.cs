using System.Collections.Frozen;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Calendars;

/// <summary>A calendar file to load.</summary>
/// <param name="Name">Its name in messages: the path of a file, or a name given to uploaded text.</param>
/// <param name="Content">Its bytes (UTF-8 JSON).</param>
/// <param name="Shipped">True for a file of the <c>calendars/</c> folder that ships with Yibao.</param>
public sealed record CalendarSource(string Name, byte[] Content, bool Shipped = false)
{
    public static CalendarSource FromText(string name, string json, bool shipped = false) => new(name, System.Text.Encoding.UTF8.GetBytes(json), shipped);

    /// <summary>Every <c>*.json</c> file directly in <paramref name="folder"/>, in name order.</summary>
    public static IReadOnlyList<CalendarSource> ReadFolder(string folder, bool shipped = false) =>
        Directory.EnumerateFiles(folder, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => new CalendarSource(path, File.ReadAllBytes(path), shipped))
            .ToList();
}

/// <summary>What checking a set of calendar files found: every problem (each with its file and line) and the warnings.</summary>
public sealed record CalendarCheck(IReadOnlyList<Refusal> Problems, IReadOnlyList<CalendarWarning> Warnings, HolidayCalendars? Calendars)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// 节假日安排: every loaded year of the national holiday calendar (国务院办公厅 notices) and of the
/// regional overlays (e.g. 拉萨's 藏历新年), one JSON file per region and year (policy-reference
/// part (e), K5), plus the provisional year computed from the statutory rule (K17). Loaded once;
/// immutable and safe to share.
/// </summary>
/// <remarks>
/// Calendars are data, not code: the <c>calendars/</c> folder at the repository root ships beside
/// the assemblies (<see cref="ShippedFolder"/>), and an agency adds a year in a folder of its own
/// (<c>Yibao:Calendars</c>, <c>--calendars</c>), read at the next start. The two combine: the
/// operator folder adds years and overlays; a region and year present in both must agree day by
/// day, or loading is refused naming both files — an agency cannot silently override a published
/// notice, and a second copy of it is harmless.
/// </remarks>
public sealed class HolidayCalendars
{
    /// <summary>The folder name of the shipped calendars, beside the assemblies and at the repository root.</summary>
    public const string FolderName = "calendars";

    private static readonly Lazy<HolidayCalendars> ShippedCalendars = new(() => Load((string?)null));

    private readonly FrozenDictionary<int, CalendarFile> national;
    private readonly FrozenDictionary<DateOnly, ListedDay> nationalDays;
    private readonly FrozenDictionary<DateOnly, StatutoryDay> provisionalDays;
    private readonly FrozenDictionary<RegionCode, Overlay> overlays;

    private HolidayCalendars(IReadOnlyList<CalendarFile> files, IReadOnlyList<CalendarWarning> warnings)
    {
        national = files.Where(f => f.Region.IsNational).ToFrozenDictionary(f => f.Year);
        nationalDays = Merge(national.Values);
        overlays = files.Where(f => !f.Region.IsNational)
            .GroupBy(f => f.Region)
            .ToFrozenDictionary(g => g.Key, g => new Overlay(g.Key, g.ToFrozenDictionary(f => f.Year), Merge(g)));
        Years = national.Keys.Order().ToList();
        ProvisionalYear = Years.Count > 0 && StatutoryHolidays.Covers(Years[^1] + 1) ? Years[^1] + 1 : null;
        provisionalDays = ProvisionalYear is { } year
            ? StatutoryHolidays.Arrange(year).ToFrozenDictionary(d => d.Date)
            : FrozenDictionary<DateOnly, StatutoryDay>.Empty;
        Files = files.Select(f => new CalendarNotice(f.Region, f.RegionName, f.Year, f.Citation, f.Papers, f.Name, f.Days.Count)).ToList();
        Warnings = warnings;
    }

    /// <summary>Where the shipped calendars are: <c>calendars/</c> beside the assemblies (copied there by the build).</summary>
    public static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, FolderName);

    /// <summary>The calendars that ship with Yibao (national 2022–2026, 拉萨 540100 2025–2026), with 2027 provisional.</summary>
    public static HolidayCalendars Shipped => ShippedCalendars.Value;


    /// <summary>
    /// The shipped calendars plus every <c>*.json</c> file in <paramref name="operatorFolder"/>
    /// (none when null, or when the folder does not exist).
    /// </summary>
    /// <exception cref="YibaoException"><c>invalid-calendar-file</c> for the first problem, with its file and line.</exception>
    public static HolidayCalendars Load(string? operatorFolder)
    {
        var extra = operatorFolder is not null && Directory.Exists(operatorFolder) ? CalendarSource.ReadFolder(operatorFolder) : [];
        return Build(Check(ShippedSources().Concat(extra)));
    }

    /// <summary>The shipped calendars plus the given files (name, JSON text), e.g. an uploaded notice.</summary>
    /// <exception cref="YibaoException"><c>invalid-calendar-file</c> for the first problem, with its file and line.</exception>
    public static HolidayCalendars Load(IEnumerable<(string Name, string Json)> extraFiles)
    {
        ArgumentNullException.ThrowIfNull(extraFiles);
        return Build(Check(ShippedSources().Concat(extraFiles.Select(f => CalendarSource.FromText(f.Name, f.Json)))));
    }

    /// <summary>Exactly the given files, without the shipped ones (tests, and checking a folder on its own).</summary>
    /// <exception cref="YibaoException"><c>invalid-calendar-file</c> for the first problem, with its file and line.</exception>
    public static HolidayCalendars FromFiles(IEnumerable<CalendarSource> files) => Build(Check(files));

    /// <summary>The shipped files (<see cref="ShippedFolder"/>).</summary>
    /// <exception cref="YibaoException"><c>invalid-calendar-file</c> when the folder is missing: Yibao was not built or copied whole.</exception>
    public static IReadOnlyList<CalendarSource> ShippedSources()
    {
        var folder = ShippedFolder;
        if (!Directory.Exists(folder))
            throw CalendarFile.Invalid(folder, 1, "the shipped calendar folder is missing: it is copied beside the assemblies by the build", "随程序发布的节假日安排文件夹不存在(应由构建复制到程序目录)");
        return CalendarSource.ReadFolder(folder, shipped: true);
    }

    /// <summary>
    /// Reads and checks calendar files without stopping at the first problem: the format, the
    /// year, days inside the year (or the year-end spill of a 元旦 that starts on 31 December), no
    /// duplicate or contradictory day, a notice cited in <c>papers</c>, and a region and year given
    /// twice only with the same days. An empty holiday-cn placeholder is a warning, never a year.
    /// </summary>
    public static CalendarCheck Check(IEnumerable<CalendarSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var problems = new List<Refusal>();
        var warnings = new List<CalendarWarning>();
        var kept = new Dictionary<(RegionCode Region, int Year), CalendarFile>();
        foreach (var source in sources)
        {
            CalendarFile? file;
            try
            {
                file = CalendarFile.Parse(source.Name, source.Content, warnings);
            }
            catch (YibaoException e)
            {
                problems.Add(e.Error);
                continue;
            }
            if (file is null) continue;
            if (kept.TryGetValue((file.Region, file.Year), out var earlier))
            {
                // A second copy of a notice is harmless; a different one means one of them is wrong.
                if (FirstDifference(earlier, file) is { } date)
                    problems.Add(CalendarFile.Invalid(file.Name, file.LineOf(date),
                        $"{earlier.Name} also holds {Who(file)} {file.Year}, and they disagree on {Dates.Format(date)} ({Describe(earlier, date)} there, {Describe(file, date)} here); remove one of them",
                        $"{earlier.Name} 也载有 {Who(file)} {file.Year} 年的安排,两者在 {Dates.Format(date)} 不一致(该文件:{DescribeZh(earlier, date)};本文件:{DescribeZh(file, date)}),请删除其中之一").Error);
                continue;
            }
            kept[(file.Region, file.Year)] = file;
        }

        // A notice's year-end spill must agree with the previous year's own notice where both list the day.
        foreach (var file in kept.Values)
        {
            if (!kept.TryGetValue((file.Region, file.Year - 1), out var previous)) continue;
            foreach (var (date, day) in file.Days.Where(d => d.Key.Year == file.Year - 1))
            {
                if (previous.Days.TryGetValue(date, out var there) && there.IsOffDay != day.IsOffDay)
                    problems.Add(CalendarFile.Invalid(file.Name, file.LineOf(date),
                        $"{Dates.Format(date)} is {Describe(file, date)} here but {Describe(previous, date)} in {previous.Name}",
                        $"{Dates.Format(date)} 在本文件中为{DescribeZh(file, date)},在 {previous.Name} 中为{DescribeZh(previous, date)}").Error);
            }
        }

        var years = kept.Values.Where(f => f.Region.IsNational).Select(f => f.Year).Order().ToList();
        for (var i = 1; i < years.Count; i++)
            for (var gap = years[i - 1] + 1; gap < years[i]; gap++)
                warnings.Add(new CalendarWarning(kept[(RegionCode.National, years[i])].Name, 1,
                    $"缺少 {gap} 年的全国安排:{gap} 年的工作日无法计算",
                    $"no national calendar for {gap}, between {years[i - 1]} and {years[i]}: working days in {gap} are refused"));
        var last = years.Count > 0 ? years[^1] : (int?)null;
        foreach (var overlay in kept.Values.Where(f => !f.Region.IsNational && !years.Contains(f.Year) && f.Year != last + 1))
            warnings.Add(new CalendarWarning(overlay.Name, 1,
                $"没有 {overlay.Year} 年的全国安排,该地方安排暂不使用",
                $"no national calendar for {overlay.Year}: this overlay is not used until there is one"));

        var ordered = kept.Values.OrderBy(f => f.Region).ThenBy(f => f.Year).ToList();
        return new CalendarCheck(problems, warnings, problems.Count == 0 ? new HolidayCalendars(ordered, warnings) : null);
    }

    /// <summary>What one file holds (region, year, notice), checked on its own; null for an empty holiday-cn placeholder, reported in <paramref name="warnings"/>.</summary>
    /// <exception cref="YibaoException"><c>invalid-calendar-file</c>, with its file and line.</exception>
    public static CalendarNotice? ReadNotice(CalendarSource source, List<CalendarWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(source);
        return CalendarFile.Parse(source.Name, source.Content, warnings) is { } file ? Notice(file) : null;
    }

    /// <summary>The file name a region and year take in a calendar folder: <c>national-2027.json</c>, <c>540100-2027.json</c>.</summary>
    public static string FileName(RegionCode region, int year) =>
        $"{(region.IsNational ? "national" : region.Value)}-{year.ToString(System.Globalization.CultureInfo.InvariantCulture)}.json";

    private static HolidayCalendars Build(CalendarCheck check) =>
        check.Calendars ?? throw new YibaoException(check.Problems[0]);

    /// <summary>The years whose national notice is loaded (已公布年份), in order.</summary>
    public IReadOnlyList<int> Years { get; }

    /// <summary>
    /// 暂定年份: the year after the last published one, computed from the statutory rule (K17); null
    /// when no year is published or the rule cannot compute it. Any other unpublished year is
    /// <c>calendar-year-not-loaded</c>.
    /// </summary>
    public int? ProvisionalYear { get; }

    /// <summary>Whether the national notice of <paramref name="year"/> is loaded: its working days are official.</summary>
    public bool IsPublished(int year) => national.ContainsKey(year);

    /// <summary>Whether working days of <paramref name="year"/> can be computed at all (published or provisional).</summary>
    public bool Covers(int year) => IsPublished(year) || year == ProvisionalYear;

    /// <summary>Every loaded file, national first, then by region and year.</summary>
    public IReadOnlyList<CalendarNotice> Files { get; }

    /// <summary>What loading noticed and did not refuse (an empty placeholder ignored, a missing year between two).</summary>
    public IReadOnlyList<CalendarWarning> Warnings { get; }

    /// <summary>The national calendar with no regional overlay.</summary>
    public WorkingDayCalendar National => For(RegionCode.National);

    /// <summary>
    /// The calendar of an agency in <paramref name="region"/>: the national calendar under the
    /// overlays of the region itself, its city and its province, the nearest deciding first
    /// (a county keeps its city's 藏历新年 unless it has its own notice).
    /// </summary>
    public WorkingDayCalendar For(RegionCode region)
    {
        var chain = new[] { region, region.City, region.Province }
            .Where(r => !r.IsNational)
            .Distinct()
            .Select(r => overlays.GetValueOrDefault(r))
            .OfType<Overlay>()
            .ToArray();
        return new WorkingDayCalendar(region, this, chain);
    }

    /// <summary>
    /// 放假安排 of <paramref name="year"/> in <paramref name="region"/>: every day off and every
    /// working day a notice lists (or, in the provisional year, the statutory days and their 补假),
    /// each marked official or provisional with its source.
    /// </summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c> for a year neither published nor provisional.</exception>
    public HolidayArrangement Arrangement(int year, RegionCode region)
    {
        if (!Covers(year)) throw new YibaoException(ErrorCatalog.CalendarYearNotLoaded(year));
        var days = new SortedDictionary<DateOnly, ArrangedDay>();
        var notices = new List<CalendarNotice>();
        if (national.TryGetValue(year, out var own)) notices.Add(Notice(own));
        if (national.TryGetValue(year + 1, out var next) && next.Days.Keys.Any(d => d.Year == year)) notices.Add(Notice(next));
        if (IsPublished(year))
        {
            foreach (var file in new[] { own, next }.OfType<CalendarFile>())
                foreach (var (date, day) in file.Days.Where(d => d.Key.Year == year))
                    days.TryAdd(date, new ArrangedDay(date, day.Name, day.IsOffDay, Provisional: false, MakeUp: false, RegionCode.National, file.Citation, file.Name));
        }
        else
        {
            foreach (var day in provisionalDays.Values)
                days[day.Date] = new ArrangedDay(day.Date, day.Name, IsOffDay: true, Provisional: true, day.MakeUp, RegionCode.National,
                    day.MakeUp ? "《全国年节及纪念日放假办法》第六条(补假), policy-reference K17" : "《全国年节及纪念日放假办法》第二条, policy-reference K17", null);
        }

        var calendar = For(region);
        // The nearest overlay decides, so apply the farthest first.
        foreach (var overlay in calendar.Overlays.Reverse())
        {
            foreach (var file in new[] { overlay.Files.GetValueOrDefault(year), overlay.Files.GetValueOrDefault(year + 1) }.OfType<CalendarFile>())
            {
                var used = false;
                foreach (var (date, day) in file.Days.Where(d => d.Key.Year == year))
                {
                    days[date] = new ArrangedDay(date, day.Name, day.IsOffDay, Provisional: false, MakeUp: false, overlay.Region, file.Citation, file.Name);
                    used = true;
                }
                if (used) notices.Add(Notice(file));
            }
        }
        var missing = calendar.MissingOverlayYears(year, year);
        var answer = new WorkingDayAnswer(new DateOnly(year, 1, 1), IsPublished(year) ? null : year, missing, region) { RegionName = calendar.RegionName };
        return new HolidayArrangement(year, region, !IsPublished(year), days.Values.ToList(), notices, missing.Count > 0, answer.Reasons);
    }

    /// <summary>A national day as the loaded notices or the provisional rule list it; null for an ordinary day.</summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c>.</exception>
    internal ListedDay? NationalDay(DateOnly date)
    {
        if (national.ContainsKey(date.Year))
            return nationalDays.TryGetValue(date, out var day) ? day : null;
        if (date.Year == ProvisionalYear)
            return provisionalDays.TryGetValue(date, out var statutory) ? new ListedDay(statutory.Name, true) : null;
        throw new YibaoException(ErrorCatalog.CalendarYearNotLoaded(date.Year));
    }

    /// <summary>The national notice of a published year; null in the provisional year.</summary>
    internal CalendarFile? NationalFile(int year) => national.GetValueOrDefault(year);

    private static CalendarNotice Notice(CalendarFile f) => new(f.Region, f.RegionName, f.Year, f.Citation, f.Papers, f.Name, f.Days.Count);

    /// <summary>Every day of a region's files by date; a year's own file decides a day its successor's year-end spill also lists (they agree, <see cref="Check"/>).</summary>
    private static FrozenDictionary<DateOnly, ListedDay> Merge(IEnumerable<CalendarFile> files)
    {
        var days = new Dictionary<DateOnly, ListedDay>();
        foreach (var file in files.OrderByDescending(f => f.Year))
            foreach (var (date, day) in file.Days)
                days[date] = day;
        return days.ToFrozenDictionary();
    }

    /// <summary>The first day two files of one region and year do not list alike (names aside: only off or working counts).</summary>
    private static DateOnly? FirstDifference(CalendarFile a, CalendarFile b)
    {
        foreach (var date in a.Days.Keys.Union(b.Days.Keys).Order())
        {
            var inA = a.Days.TryGetValue(date, out var x);
            var inB = b.Days.TryGetValue(date, out var y);
            if (inA != inB || x.IsOffDay != y.IsOffDay) return date;
        }
        return null;
    }

    private static string Who(CalendarFile f) => f.Region.IsNational ? "the national calendar (000000)" : $"region {f.Region}";

    private static string Describe(CalendarFile f, DateOnly date) =>
        f.Days.TryGetValue(date, out var day) ? day.IsOffDay ? "a day off" : "a working day" : "not listed";

    private static string DescribeZh(CalendarFile f, DateOnly date) =>
        f.Days.TryGetValue(date, out var day) ? day.IsOffDay ? "放假" : "上班" : "未列出";

    /// <summary>One region's overlay files by year, and their days by date.</summary>
    internal sealed record Overlay(RegionCode Region, FrozenDictionary<int, CalendarFile> Files, FrozenDictionary<DateOnly, ListedDay> Days)
    {
        public string? Name => Files.Values.Select(f => f.RegionName).FirstOrDefault(n => n is not null);
    }
}

/// <summary>One loaded calendar file: whose, which year, the notice it cites.</summary>
/// <param name="Region">000000 for the national calendar, else the overlay's region.</param>
/// <param name="RegionName">The region's name as the file gives it.</param>
/// <param name="Year">The year of the notice.</param>
/// <param name="Papers">The notice's addresses (<c>papers</c>).</param>
/// <param name="Title">The notice's title (<c>notice</c>), else its first paper.</param>
/// <param name="File">The file it was read from.</param>
/// <param name="ListedDays">How many days it lists.</param>
public sealed record CalendarNotice(RegionCode Region, string? RegionName, int Year, string Title, IReadOnlyList<string> Papers, string File, int ListedDays);

/// <summary>One day of a year's 放假安排 as <c>yibao calendar show</c> lists it.</summary>
/// <param name="Date">The day.</param>
/// <param name="Name">The holiday it belongs to (e.g. 春节).</param>
/// <param name="IsOffDay">True for a day off, false for a working day (调休 on a weekend, or an overlay working a national holiday).</param>
/// <param name="Provisional">Computed from the statutory rule (K17) rather than read from a notice.</param>
/// <param name="MakeUp">A provisional 补假 day (art. 6).</param>
/// <param name="DecidedBy">The national calendar (000000) or the region whose overlay decides the day.</param>
/// <param name="Source">The notice (or the statutory article) the day comes from.</param>
/// <param name="File">The file that lists it; null for a provisional day.</param>
public sealed record ArrangedDay(DateOnly Date, string Name, bool IsOffDay, bool Provisional, bool MakeUp, RegionCode DecidedBy, string Source, string? File);

/// <summary>A year's 放假安排 in one region: the listed days, the notices, and whether it is provisional or lacks the region's own notice.</summary>
public sealed record HolidayArrangement(
    int Year,
    RegionCode Region,
    bool Provisional,
    IReadOnlyList<ArrangedDay> Days,
    IReadOnlyList<CalendarNotice> Notices,
    bool OverlayMissing,
    IReadOnlyList<Decisions.Reason> Reasons);
