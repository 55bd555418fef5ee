using System.Collections.Frozen;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Calendars;

/// <summary>
/// 工作日历 of one region: which days an agency works, and deadlines counted in working days
/// (e.g. the 10 / 5 working days of a transfer, 医保办发〔2021〕43号). Obtained from
/// <see cref="HolidayCalendars.For"/>; immutable and thread-safe.
/// </summary>
/// <remarks>
/// IsWorkingDay(d) = overlay(d) ?? national(d) ?? (Mon–Fri) (policy-reference part (e), K5).
/// A day in a year whose national calendar is not loaded is <c>calendar-year-not-loaded</c>:
/// falling back to plain weekdays would silently move a legal deadline.
/// </remarks>
public sealed class WorkingDayCalendar
{
    private readonly FrozenDictionary<int, CalendarFile> national;
    private readonly IReadOnlyList<FrozenDictionary<int, CalendarFile>> overlays;

    internal WorkingDayCalendar(RegionCode region, FrozenDictionary<int, CalendarFile> national, IReadOnlyList<FrozenDictionary<int, CalendarFile>> overlays)
    {
        Region = region;
        this.national = national;
        this.overlays = overlays;
    }

    /// <summary>The region whose agencies keep this calendar (<see cref="RegionCode.National"/> for the national one).</summary>
    public RegionCode Region { get; }

    /// <summary>工作日: true for a Monday–Friday that is not a holiday, and for a 调休 make-up working day even on a weekend.</summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c>.</exception>
    public bool IsWorkingDay(DateOnly date) =>
        Listed(date) is { } day
            ? !day.IsOffDay
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// The name of the holiday a listed day belongs to (e.g. 春节, 藏历新年), for explanations;
    /// a 调休 working day carries the name of the holiday it makes up for. Null for an ordinary day.
    /// </summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c>.</exception>
    public string? HolidayName(DateOnly date) => Listed(date)?.Name;

    /// <summary>
    /// The <paramref name="workingDays"/>-th working day strictly after <paramref name="start"/>;
    /// the start day never counts, even when it is a working day (K5). A deadline so computed
    /// is the last day on which the work is on time.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workingDays"/> is less than 1.</exception>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c> when the count reaches an unloaded year.</exception>
    public DateOnly AddWorkingDays(DateOnly start, int workingDays)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        var day = start;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }

    /// <summary>The first working day strictly after <paramref name="date"/>.</summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c>.</exception>
    public DateOnly NextWorkingDay(DateOnly date) => AddWorkingDays(date, 1);

    /// <summary>
    /// <paramref name="date"/> itself when it is a working day, otherwise the next working day,
    /// which may be a 调休 weekend day: an application made on a non-working day is accepted
    /// on the next working day (policy-reference part (e) [CONV], K6, WE-38).
    /// </summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c>.</exception>
    public DateOnly NextWorkingDayOnOrAfter(DateOnly date) => IsWorkingDay(date) ? date : NextWorkingDay(date);

    /// <summary>The notices this region's calendar rests on in <paramref name="year"/>, national first, for a decision's reasons.</summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c>.</exception>
    public IReadOnlyList<string> Sources(int year)
    {
        var files = new List<CalendarFile> { NationalYear(year) };
        files.AddRange(overlays.Select(o => o.GetValueOrDefault(year)).OfType<CalendarFile>());
        return files.SelectMany(f => f.Papers).Distinct().ToList();
    }

    private ListedDay? Listed(DateOnly date)
    {
        var nationalYear = NationalYear(date.Year);
        foreach (var overlay in overlays)
            if (overlay.TryGetValue(date.Year, out var file) && file.Days.TryGetValue(date, out var day))
                return day;
        return nationalYear.Days.TryGetValue(date, out var listed) ? listed : null;
    }

    private CalendarFile NationalYear(int year) =>
        national.TryGetValue(year, out var file) ? file : throw new YibaoException(ErrorCatalog.CalendarYearNotLoaded(year));
}
