using System.Collections.Frozen;
using System.Reflection;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Calendars;

/// <summary>
/// 节假日安排: every loaded year of the national holiday calendar (国务院办公厅 notices) and
/// of the regional overlays (e.g. 拉萨's 藏历新年), one JSON file per region and year
/// (policy-reference part (e), K5). Adding a year is adding a file: the embedded files ship
/// with Yibao, and an agency adds the next year's notice (usually out in November) as a
/// file of its own, without a release. Loaded once; immutable and safe to share.
/// </summary>
public sealed class HolidayCalendars
{
    private const string ResourcePrefix = "Yibao.Domain.Calendars.Data.";

    private static readonly Lazy<HolidayCalendars> EmbeddedCalendars = new(() => Build(ReadEmbedded()));

    private readonly FrozenDictionary<int, CalendarFile> national;
    private readonly FrozenDictionary<RegionCode, FrozenDictionary<int, CalendarFile>> overlays;

    private HolidayCalendars(FrozenDictionary<int, CalendarFile> national, FrozenDictionary<RegionCode, FrozenDictionary<int, CalendarFile>> overlays)
    {
        this.national = national;
        this.overlays = overlays;
    }

    /// <summary>The calendars that ship with Yibao (national 2025–2026, 拉萨 540100 2025–2026).</summary>
    public static HolidayCalendars Embedded => EmbeddedCalendars.Value;

    /// <summary>The embedded calendars plus every <c>*.json</c> file in <paramref name="folder"/>.</summary>
    /// <exception cref="YibaoException"><c>invalid-calendar-file</c> for a malformed file or a region and year given twice.</exception>
    public static HolidayCalendars Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var files = Directory.EnumerateFiles(folder, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path)));
        return Load(files);
    }

    /// <summary>The embedded calendars plus the given files (name, JSON text), e.g. an uploaded notice.</summary>
    /// <exception cref="YibaoException"><c>invalid-calendar-file</c> for a malformed file or a region and year given twice.</exception>
    public static HolidayCalendars Load(IEnumerable<(string Name, string Json)> extraFiles)
    {
        ArgumentNullException.ThrowIfNull(extraFiles);
        return Build(ReadEmbedded().Concat(extraFiles.Select(f => CalendarFile.Parse(f.Name, f.Json))));
    }

    /// <summary>The years whose national calendar is loaded; working days can be computed in these years only.</summary>
    public IReadOnlyList<int> Years => national.Keys.Order().ToList();

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
            .OfType<FrozenDictionary<int, CalendarFile>>()
            .ToArray();
        return new WorkingDayCalendar(region, national, chain);
    }

    private static HolidayCalendars Build(IEnumerable<CalendarFile> files)
    {
        var national = new Dictionary<int, CalendarFile>();
        var overlays = new Dictionary<RegionCode, Dictionary<int, CalendarFile>>();
        foreach (var file in files)
        {
            if (!file.Region.IsNational) overlays.TryAdd(file.Region, []);
            var years = file.Region.IsNational ? national : overlays[file.Region];
            // Two files for one region and year would make the answer depend on load order.
            if (!years.TryAdd(file.Year, file))
                throw CalendarFile.Invalid(file.Name,
                    $"{years[file.Year].Name} already holds region {file.Region} for {file.Year}",
                    $"{years[file.Year].Name} 已载入 {file.Region} 的 {file.Year} 年安排");
        }
        return new HolidayCalendars(
            national.ToFrozenDictionary(),
            overlays.ToFrozenDictionary(o => o.Key, o => o.Value.ToFrozenDictionary()));
    }

    private static IEnumerable<CalendarFile> ReadEmbedded()
    {
        var assembly = typeof(HolidayCalendars).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".json", StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return CalendarFile.Parse(resource[ResourcePrefix.Length..], reader.ReadToEnd());
        }
    }
}
