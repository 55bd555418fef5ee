using System.Globalization;

namespace Yibao.Domain.Calendars;

/// <summary>
/// One day off of a provisional year (暂定放假日): a statutory holiday day (法定节假日, art. 2) or
/// the day that makes up (补假, art. 6) for a statutory day on a weekend.
/// </summary>
/// <param name="Date">The day off.</param>
/// <param name="Name">The holiday, e.g. 春节; a day two holidays share carries both names (中秋节、国庆节).</param>
/// <param name="MakeUp">True for a 补假 day, false for a statutory day.</param>
public sealed record StatutoryDay(DateOnly Date, string Name, bool MakeUp);

/// <summary>
/// The provisional holiday calendar of a year whose notice is not published (K17): the statutory
/// days of 《全国年节及纪念日放假办法》 as revised by 国务院令第795号 (in force 2025-01-01), art. 2,
/// with art. 6's make-up days, and no 调休 working weekend (those come only from the notice).
/// </summary>
public static class StatutoryHolidays
{
    /// <summary>The first year of the 2024 revision (13 statutory days; 春节 with 除夕, 劳动节 two days).</summary>
    public const int FirstYear = 2025;

    /// <summary>The last year <see cref="ChineseLunisolarCalendar"/> covers whole (its range ends 2101-01-28).</summary>
    public const int LastYear = 2100;

    /// <summary>The citation a provisional day rests on.</summary>
    public const string Source = "《全国年节及纪念日放假办法》(国务院令第795号)第二条、第六条; policy-reference K17";

    /// <summary>Whether the rule can stand in for a missing notice of <paramref name="year"/>: a year the 2024 revision is in force in, within the lunar tables.</summary>
    public static bool Covers(int year) => year is >= FirstYear and <= LastYear;

    /// <summary>
    /// Every day off of <paramref name="year"/> under the statutory rule, in date order:
    /// 元旦 1 January; 春节 农历除夕 and 正月初一–初三; 清明 the day of the solar term; 劳动节 1–2 May;
    /// 端午 农历五月初五; 中秋 农历八月十五; 国庆 1–3 October. Each statutory day on a Saturday or Sunday
    /// gives one day off on the first Monday–Friday after that holiday's run of days off that is
    /// not already off (K17). A day two holidays share (中秋 on a 国庆 day) is made up the same way,
    /// so that every statutory day gives a day off, as the notices of such years did (2020: 4 statutory days, 4 weekdays off net) [CONV].
    /// Any year from 1902 computes (the tests hold the lunar dates against earlier notices), but
    /// only <see cref="Covers"/> years stand in for a notice.
    /// </summary>
    public static IReadOnlyList<StatutoryDay> Arrange(int year)
    {
        if (year is < 1902 or > LastYear) throw new ArgumentOutOfRangeException(nameof(year), year, $"the lunar tables cover 1902–{LastYear}");
        var lunar = new ChineseLunisolarCalendar();
        var springFestival = LunarDate(lunar, year, 1, 1);
        var holidays = new (string Name, DateOnly[] Days)[]
        {
            ("元旦", [new DateOnly(year, 1, 1)]),
            ("春节", [springFestival.AddDays(-1), springFestival, springFestival.AddDays(1), springFestival.AddDays(2)]),
            ("清明节", [SolarTerms.QingMing(year)]),
            ("劳动节", [new DateOnly(year, 5, 1), new DateOnly(year, 5, 2)]),
            ("端午节", [LunarDate(lunar, year, 5, 5)]),
            ("中秋节", [LunarDate(lunar, year, 8, 15)]),
            ("国庆节", [new DateOnly(year, 10, 1), new DateOnly(year, 10, 2), new DateOnly(year, 10, 3)]),
        };

        var off = new SortedDictionary<DateOnly, StatutoryDay>();
        var toMakeUp = new List<(string Name, DateOnly Last, int Count)>();
        foreach (var (name, days) in holidays.OrderBy(h => h.Days[0]))
        {
            var count = 0;
            foreach (var day in days)
            {
                if (off.TryGetValue(day, out var shared))
                {
                    off[day] = shared with { Name = $"{shared.Name}、{name}" };
                    count++;
                }
                else
                {
                    off[day] = new StatutoryDay(day, name, MakeUp: false);
                    if (IsWeekend(day)) count++;
                }
            }
            if (count > 0) toMakeUp.Add((name, days[^1], count));
        }

        foreach (var (name, last, count) in toMakeUp)
        {
            var end = RunEnd(off, last);
            for (var i = 0; i < count; i++)
            {
                var day = end.AddDays(1);
                while (IsWeekend(day) || off.ContainsKey(day)) day = day.AddDays(1);
                off[day] = new StatutoryDay(day, name, MakeUp: true);
                end = RunEnd(off, day);
            }
        }
        return off.Values.ToList();
    }

    /// <summary>The last day of the run of days off (holidays and weekends) that <paramref name="day"/> is in.</summary>
    private static DateOnly RunEnd(SortedDictionary<DateOnly, StatutoryDay> off, DateOnly day)
    {
        while (off.ContainsKey(day.AddDays(1)) || IsWeekend(day.AddDays(1))) day = day.AddDays(1);
        return day;
    }

    /// <summary>
    /// The Gregorian day of a lunar month and day of lunar year <paramref name="year"/>. In a year with
    /// a leap month, <see cref="ChineseLunisolarCalendar"/> numbers it as the month after the one
    /// it repeats (闰二月 is month 3), so every later month moves up by one.
    /// </summary>
    private static DateOnly LunarDate(ChineseLunisolarCalendar lunar, int year, int month, int day)
    {
        var leap = lunar.GetLeapMonth(year);
        var index = leap > 0 && month >= leap ? month + 1 : month;
        return DateOnly.FromDateTime(lunar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }

    private static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>
    /// The English name of a holiday as calendars name it in Chinese (a shared day's names joined
    /// by 、); a name outside the national list (a region's own, e.g. 藏历新年) is "a regional holiday".
    /// </summary>
    public static string English(string zh) => string.Join(" and ", zh.Split('、').Select(name => name switch
    {
        "元旦" => "New Year's Day",
        "春节" => "Spring Festival",
        "清明节" or "清明" => "Qingming Festival",
        "劳动节" => "Labour Day",
        "端午节" => "Dragon Boat Festival",
        "中秋节" => "Mid-Autumn Festival",
        "国庆节" => "National Day",
        "藏历新年" => "Tibetan New Year",
        "雪顿节" => "Shoton Festival",
        _ => "a regional holiday",
    }));
}
