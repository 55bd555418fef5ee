using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Calendars;

/// <summary>Working days and deadlines: policy-reference part (e), K5, K6, WE-31 … WE-38, acceptance/working-days.json.</summary>
public class WorkingDayCalendarTests
{
    private static readonly RegionCode Lhasa = RegionCode.Parse("540100");
    private static readonly RegionCode Lanzhou = RegionCode.Parse("620100");

    private static WorkingDayCalendar National => HolidayCalendars.Shipped.National;
    private static WorkingDayCalendar For(string region) => HolidayCalendars.Shipped.For(RegionCode.Parse(region));
    private static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // acceptance/working-days.json, every case: the days-th working day strictly after `after`.
    [Theory]
    [InlineData("WE-31-wd", "990100", "2025-09-26", 10, "2025-10-16")]
    [InlineData("WE-37a-wd", "540100", "2026-02-10", 10, "2026-03-05")]
    [InlineData("WE-37a-wd-national", "990100", "2026-02-10", 10, "2026-03-02")]
    [InlineData("WE-37b-wd", "540100", "2025-02-24", 10, "2025-03-14")]
    [InlineData("WE-37b-wd-national", "990100", "2025-02-24", 10, "2025-03-10")]
    public void Acceptance_cases_agree(string id, string region, string after, int days, string expected)
    {
        _ = id; // only names the case in the test output
        Assert.Equal(D(expected), For(region).AddWorkingDays(D(after), days));
    }

    // D-F: transfer-out is 10 working days in the source calendar, transfer-in 5 in the target's.
    [Theory]
    [InlineData("WE-31 National Day 2025", "2025-09-26", 10, "2025-10-16")]
    [InlineData("WE-31 transfer-in", "2025-10-16", 5, "2025-10-23")]
    [InlineData("WE-32 Spring Festival 2026", "2026-02-10", 10, "2026-03-02")]
    [InlineData("WE-32 transfer-in", "2026-03-02", 5, "2026-03-09")]
    [InlineData("WE-33 Spring Festival 2025", "2025-01-24", 10, "2025-02-13")]
    [InlineData("WE-34 Labour Day 2025", "2025-04-25", 10, "2025-05-13")]
    [InlineData("WE-35 New Year 2026, across the year end", "2025-12-31", 10, "2026-01-15")]
    [InlineData("WE-36 Mid-Autumn and National Day 2026", "2026-09-18", 10, "2026-10-09")]
    [InlineData("WE-36 transfer-in", "2026-10-09", 5, "2026-10-15")]
    [InlineData("WE-37c 兰州 transfer-in", "2026-03-05", 5, "2026-03-12")]
    public void Transfer_deadlines_of_the_worked_examples(string example, string start, int days, string expected)
    {
        _ = example; // only names the case in the test output
        Assert.Equal(D(expected), National.AddWorkingDays(D(start), days));
    }

    [Fact]
    public void WE_33_counts_the_make_up_Sunday_first()
    {
        Assert.Equal(D("2025-01-26"), National.AddWorkingDays(D("2025-01-24"), 1));
        Assert.Equal(D("2025-02-05"), National.AddWorkingDays(D("2025-01-24"), 3));
    }

    [Fact]
    public void WE_37c_target_region_without_overlay_uses_the_national_calendar()
    {
        Assert.Equal(D("2026-03-12"), HolidayCalendars.Shipped.For(Lanzhou).AddWorkingDays(D("2026-03-05"), 5));
    }

    [Fact]
    public void WE_38_application_on_a_holiday_is_accepted_on_the_next_working_day()
    {
        var accepted = National.NextWorkingDayOnOrAfter(D("2025-10-04"));

        Assert.Equal(D("2025-10-09"), accepted);
        Assert.Equal(D("2025-10-22"), National.AddWorkingDays(accepted, 10));
        Assert.Equal(D("2025-10-29"), National.AddWorkingDays(D("2025-10-22"), 5));
        // The alternative convention, "the acceptance day counts as day 1".
        Assert.Equal(D("2025-10-21"), National.AddWorkingDays(accepted, 9));
    }

    [Fact]
    public void Next_working_day_on_or_after_may_be_a_make_up_weekend_day()
    {
        // K6: 2026-09-19 is a Saturday, 09-20 the 调休 Sunday before National Day (WE-38 note).
        Assert.Equal(D("2026-09-20"), National.NextWorkingDayOnOrAfter(D("2026-09-19")));
    }

    [Fact]
    public void Next_working_day_on_or_after_keeps_a_working_day()
    {
        Assert.Equal(D("2025-09-26"), National.NextWorkingDayOnOrAfter(D("2025-09-26")));
    }

    [Fact]
    public void Next_working_day_is_strictly_after()
    {
        Assert.Equal(D("2025-09-28"), National.NextWorkingDay(D("2025-09-26")));
        Assert.Equal(D("2025-10-09"), National.NextWorkingDay(D("2025-09-30")));
    }

    [Fact]
    public void The_start_day_never_counts()
    {
        Assert.Equal(D("2025-06-04"), National.AddWorkingDays(D("2025-06-03"), 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Fewer_than_one_working_day_is_an_argument_error(int days)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => National.AddWorkingDays(D("2025-06-03"), days));
    }

    [Theory]
    [InlineData("2025-01-26")]
    [InlineData("2025-02-08")]
    [InlineData("2025-04-27")]
    [InlineData("2025-09-28")]
    [InlineData("2025-10-11")]
    [InlineData("2026-01-04")]
    [InlineData("2026-02-14")]
    [InlineData("2026-02-28")]
    [InlineData("2026-05-09")]
    [InlineData("2026-09-20")]
    [InlineData("2026-10-10")]
    public void A_make_up_weekend_day_is_a_working_day(string date)
    {
        var day = D(date);

        Assert.True(day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.True(National.IsWorkingDay(day));
    }

    [Fact]
    public void Weekday_holidays_are_exactly_the_reference_lists()
    {
        string[] listed =
        [
            "2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04", "2025-04-04",
            "2025-05-01", "2025-05-02", "2025-05-05", "2025-06-02", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06",
            "2025-10-07", "2025-10-08",
            "2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23",
            "2026-04-06", "2026-05-01", "2026-05-04", "2026-05-05", "2026-06-19", "2026-09-25", "2026-10-01", "2026-10-02",
            "2026-10-05", "2026-10-06", "2026-10-07",
        ];

        var found = Days(2025).Concat(Days(2026))
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !National.IsWorkingDay(d))
            .ToList();

        Assert.Equal(listed.Select(D), found);
    }

    [Fact]
    public void Make_up_weekend_days_are_exactly_the_reference_lists()
    {
        string[] listed =
        [
            "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
            "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
        ];

        var found = Days(2025).Concat(Days(2026))
            .Where(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && National.IsWorkingDay(d))
            .ToList();

        Assert.Equal(listed.Select(D), found);
    }

    [Theory]
    [InlineData(2025, new[] { 19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23 }, 248)]
    [InlineData(2026, new[] { 21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23 }, 248)]
    public void Working_days_per_month_match_the_reference(int year, int[] perMonth, int total)
    {
        var counted = Enumerable.Range(1, 12)
            .Select(month => Days(year).Count(d => d.Month == month && National.IsWorkingDay(d)))
            .ToArray();

        Assert.Equal(perMonth, counted);
        Assert.Equal(total, counted.Sum());
    }

    [Theory]
    [InlineData("2025-02-27")]
    [InlineData("2025-02-28")]
    [InlineData("2025-03-03")]
    [InlineData("2025-03-04")]
    [InlineData("2026-02-24")]
    [InlineData("2026-02-25")]
    [InlineData("2026-02-26")]
    public void Lhasa_overlay_adds_days_off_that_are_working_days_nationally(string date)
    {
        Assert.True(National.IsWorkingDay(D(date)));
        Assert.False(HolidayCalendars.Shipped.For(Lhasa).IsWorkingDay(D(date)));
    }

    [Fact]
    public void Lhasa_overlay_changes_the_deadline()
    {
        var lhasa = HolidayCalendars.Shipped.For(Lhasa);

        Assert.NotEqual(National.AddWorkingDays(D("2025-02-24"), 10), lhasa.AddWorkingDays(D("2025-02-24"), 10));
        Assert.Equal(D("2025-03-05"), lhasa.NextWorkingDayOnOrAfter(D("2025-02-27")));
        Assert.Equal(D("2025-02-27"), National.NextWorkingDayOnOrAfter(D("2025-02-27")));
    }

    [Fact]
    public void Lhasa_keeps_the_national_make_up_Saturdays_of_2026()
    {
        var lhasa = HolidayCalendars.Shipped.For(Lhasa);

        Assert.True(lhasa.IsWorkingDay(D("2026-02-14")));
        Assert.True(lhasa.IsWorkingDay(D("2026-02-28")));
        Assert.True(lhasa.IsWorkingDay(D("2026-02-27")));
    }

    [Fact]
    public void Lhasa_overlay_covers_its_counties_but_not_the_rest_of_Tibet()
    {
        // 540102 城关区 is in 拉萨; 540200 日喀则 is another city of 西藏 540000.
        Assert.False(For("540102").IsWorkingDay(D("2026-02-25")));
        Assert.True(For("540200").IsWorkingDay(D("2026-02-25")));
        Assert.True(For("540000").IsWorkingDay(D("2026-02-25")));
    }

    [Fact]
    public void Lhasa_follows_the_national_calendar_outside_its_overlay()
    {
        var lhasa = HolidayCalendars.Shipped.For(Lhasa);

        Assert.Equal(National.AddWorkingDays(D("2025-09-26"), 10), lhasa.AddWorkingDays(D("2025-09-26"), 10));
    }

    [Fact]
    public void Holiday_names_explain_the_day()
    {
        Assert.Equal("国庆节、中秋节", National.HolidayName(D("2025-10-04")));
        Assert.Equal("春节", National.HolidayName(D("2026-02-14")));
        Assert.Null(National.HolidayName(D("2025-06-03")));
        Assert.Equal("藏历新年", HolidayCalendars.Shipped.For(Lhasa).HolidayName(D("2025-02-27")));
        Assert.Null(National.HolidayName(D("2025-02-27")));
    }

    [Fact]
    public void Sources_cite_the_notices()
    {
        Assert.Equal(["https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm"], National.Sources(2025));

        var lhasa = HolidayCalendars.Shipped.For(Lhasa).Sources(2026);
        Assert.Equal("https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm", lhasa[0]);
        Assert.Contains("http://fund.caiding5.cn/shichang/14818.html", lhasa);
    }

    [Theory]
    [InlineData("2021-12-31")]
    [InlineData("2028-01-04")]
    public void A_year_without_a_calendar_is_an_error_not_a_guess(string date)
    {
        // 2021 is before the first shipped notice, 2028 after the provisional 2027.
        var e = Assert.Throws<YibaoException>(() => National.IsWorkingDay(D(date)));

        Assert.Equal("calendar-year-not-loaded", e.Error.Code?.Value);
        Assert.Equal(date[..4], e.Error.Details["year"]);
    }

    [Fact]
    public void Counting_into_an_unloaded_year_is_an_error()
    {
        var e = Assert.Throws<YibaoException>(() => National.AddWorkingDays(D("2027-12-24"), 10));

        Assert.Equal("calendar-year-not-loaded", e.Error.Code.Value);
        Assert.Equal("2028", e.Error.Details["year"]);
    }

    [Fact]
    public void Holiday_name_in_an_unloaded_year_is_an_error()
    {
        Assert.Throws<YibaoException>(() => National.HolidayName(D("2021-10-01")));
        Assert.Throws<YibaoException>(() => HolidayCalendars.Shipped.For(Lhasa).IsWorkingDay(D("2028-02-12")));
    }

    [Fact]
    public void Shipped_calendars_hold_2022_to_2026()
    {
        Assert.Equal([2022, 2023, 2024, 2025, 2026], HolidayCalendars.Shipped.Years);
        Assert.Same(HolidayCalendars.Shipped, HolidayCalendars.Shipped);
        Assert.Same(HolidayCalendars.Shipped, HolidayCalendars.Shipped);
        Assert.Empty(HolidayCalendars.Shipped.Warnings);
    }

    // Transfers applied in 2022–2024 (the 10 / 5 working days are in force since 2022-01-01) count
    // on the notices of those years: 2022 春节 with two 调休 weekend days before it, 2023 中秋 and
    // 国庆 merged with two after it, 2024 劳动节 applied on the Saturday before its 调休 Sunday.
    [Theory]
    [InlineData("2022-01-27", "2022-01-27", "2022-02-15", "2022-02-22")]
    [InlineData("2023-09-28", "2023-09-28", "2023-10-18", "2023-10-25")]
    [InlineData("2024-04-27", "2024-04-28", "2024-05-14", "2024-05-21")]
    [InlineData("2022-12-30", "2022-12-30", "2023-01-16", "2023-01-28")]
    public void Transfer_deadlines_of_2022_to_2024_fall_on_their_real_dates(string applied, string accepted, string transferOut, string transferIn)
    {
        var acceptance = National.NextWorkingDayOnOrAfter(D(applied));
        var outDeadline = National.AddWorkingDaysDetailed(acceptance, 10);
        var inDeadline = National.AddWorkingDaysDetailed(outDeadline.Date, 5);

        Assert.Equal(D(accepted), acceptance);
        Assert.Equal(D(transferOut), outDeadline.Date);
        Assert.Equal(D(transferIn), inDeadline.Date);
        Assert.False(outDeadline.Provisional || inDeadline.Provisional);
    }

    // A withdrawal's 20 working days (applications.withdrawal-working-days) across 国庆 2024 (with
    // the 调休 Sunday before it and the Saturday after), 春节 2023 and 国庆 2022.
    [Theory]
    [InlineData("2024-09-27", "2024-10-30")]
    [InlineData("2023-01-19", "2023-02-21")]
    [InlineData("2022-09-29", "2022-11-01")]
    public void Withdrawal_time_limits_of_2022_to_2024_fall_on_their_real_dates(string accepted, string due)
    {
        Assert.Equal(D(due), National.AddWorkingDays(D(accepted), 20));
    }

    [Fact]
    public void The_2023_notice_starts_New_Year_on_the_last_day_of_2022()
    {
        Assert.Equal("元旦", National.HolidayName(D("2022-12-31")));
        Assert.False(National.IsWorkingDay(D("2023-01-02")));
    }

    [Fact]
    public void Calendars_are_safe_to_share_across_threads()
    {
        var lhasa = HolidayCalendars.Shipped.For(Lhasa);
        var answers = Enumerable.Range(0, 64).AsParallel()
            .Select(_ => (lhasa.AddWorkingDays(D("2026-02-10"), 10), National.AddWorkingDays(D("2026-02-10"), 10)))
            .Distinct()
            .ToList();

        Assert.Equal([(D("2026-03-05"), D("2026-03-02"))], answers);
    }

    private static IEnumerable<DateOnly> Days(int year)
    {
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1)) yield return d;
    }
}
