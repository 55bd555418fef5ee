using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Calendars;

/// <summary>
/// 工作日历 of one region: which days an agency works, and deadlines counted in working days
/// (e.g. the 10 / 5 working days of a transfer, 医保办发〔2021〕43号). Obtained from
/// <see cref="HolidayCalendars.For"/>; immutable and thread-safe.
/// </summary>
/// <remarks>
/// IsWorkingDay(d) = overlay(d) ?? national(d) ?? (Mon–Fri) (policy-reference part (e), K5). In
/// the provisional year (K17) the national list is the statutory rule's; a region's overlay is
/// used only where its own notice is loaded, never guessed. A day in any other year whose
/// national notice is not loaded is <c>calendar-year-not-loaded</c>: falling back to plain
/// weekdays would silently move a legal deadline.
/// </remarks>
public sealed class WorkingDayCalendar
{
    private readonly HolidayCalendars calendars;

    internal WorkingDayCalendar(RegionCode region, HolidayCalendars calendars, IReadOnlyList<HolidayCalendars.Overlay> overlays)
    {
        Region = region;
        this.calendars = calendars;
        Overlays = overlays;
    }

    /// <summary>The region whose agencies keep this calendar (<see cref="RegionCode.National"/> for the national one).</summary>
    public RegionCode Region { get; }

    /// <summary>The overlays that apply, nearest region first.</summary>
    internal IReadOnlyList<HolidayCalendars.Overlay> Overlays { get; }

    /// <summary>The region's name as its overlay files give it (e.g. 拉萨市); null without an overlay.</summary>
    internal string? RegionName => Overlays.Select(o => o.Name).FirstOrDefault(n => n is not null);

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
    /// is the last day on which the work is on time. It may rest on the provisional year:
    /// <see cref="AddWorkingDaysDetailed"/> says so.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workingDays"/> is less than 1.</exception>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c> when the count reaches a year neither published nor provisional.</exception>
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

    /// <summary>
    /// <see cref="AddWorkingDays"/>, saying whether the count read a day of the provisional year
    /// (K17) or a year without the region's own overlay, with the reasons to show.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workingDays"/> is less than 1.</exception>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c> when the count reaches a year neither published nor provisional.</exception>
    public WorkingDayAnswer AddWorkingDaysDetailed(DateOnly start, int workingDays)
    {
        var date = AddWorkingDays(start, workingDays);
        return Answer(start.AddDays(1), date);
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

    /// <summary><see cref="NextWorkingDayOnOrAfter"/>, saying whether it rests on the provisional year (K17), with the reasons to show.</summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c>.</exception>
    public WorkingDayAnswer NextWorkingDayOnOrAfterDetailed(DateOnly date) => Answer(date, NextWorkingDayOnOrAfter(date));

    /// <summary>
    /// The notices this region's calendar rests on in <paramref name="year"/>, national first, for
    /// a decision's reasons; in the provisional year, the statutory rule.
    /// </summary>
    /// <exception cref="YibaoException"><c>calendar-year-not-loaded</c>.</exception>
    public IReadOnlyList<string> Sources(int year)
    {
        _ = calendars.NationalDay(new DateOnly(year, 1, 1)); // refuses a year neither published nor provisional
        var papers = new List<string>();
        if (calendars.NationalFile(year) is { } nationalFile) papers.AddRange(nationalFile.Papers);
        else papers.Add(StatutoryHolidays.Source);
        papers.AddRange(Overlays.Select(o => o.Files.GetValueOrDefault(year)).OfType<CalendarFile>().SelectMany(f => f.Papers));
        return papers.Distinct().ToList();
    }

    /// <summary>The years from <paramref name="first"/> to <paramref name="last"/> in which the region keeps an overlay elsewhere but has none loaded.</summary>
    internal IReadOnlyList<int> MissingOverlayYears(int first, int last)
    {
        if (Overlays.Count == 0) return [];
        var missing = new List<int>();
        for (var year = first; year <= last; year++)
            if (!Overlays.Any(o => o.Files.ContainsKey(year))) missing.Add(year);
        return missing;
    }

    /// <summary>The answer for a count that read every day from <paramref name="firstRead"/> to <paramref name="date"/>.</summary>
    private WorkingDayAnswer Answer(DateOnly firstRead, DateOnly date)
    {
        int? provisional = calendars.ProvisionalYear is { } year && year >= firstRead.Year && year <= date.Year ? year : null;
        return new WorkingDayAnswer(date, provisional, MissingOverlayYears(firstRead.Year, date.Year), Region) { RegionName = RegionName };
    }

    private ListedDay? Listed(DateOnly date)
    {
        var national = calendars.NationalDay(date);
        foreach (var overlay in Overlays)
            if (overlay.Days.TryGetValue(date, out var day))
                return day;
        return national;
    }
}
