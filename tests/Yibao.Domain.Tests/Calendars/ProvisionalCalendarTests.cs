using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Calendars;

/// <summary>The provisional year after the last published notice (K17), and the statutory rule it is computed from.</summary>
public class ProvisionalCalendarTests
{
    private static readonly RegionCode Lhasa = RegionCode.Parse("540100");

    private static WorkingDayCalendar National => HolidayCalendars.Shipped.National;
    private static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // K17, day by day: off on 01-01; 02-05 to 02-08 and, for the Saturday and Sunday, 02-09 and
    // 02-10; 04-05; 05-01 and 05-02, made up on 05-03 and 05-04; 06-09; 09-15; 10-01 to 10-03,
    // made up on 10-04 and 10-05.
    private static readonly (string Date, string Name, bool MakeUp)[] K17Of2027 =
    [
        ("2027-01-01", "元旦", false),
        ("2027-02-05", "春节", false), ("2027-02-06", "春节", false), ("2027-02-07", "春节", false), ("2027-02-08", "春节", false),
        ("2027-02-09", "春节", true), ("2027-02-10", "春节", true),
        ("2027-04-05", "清明节", false),
        ("2027-05-01", "劳动节", false), ("2027-05-02", "劳动节", false), ("2027-05-03", "劳动节", true), ("2027-05-04", "劳动节", true),
        ("2027-06-09", "端午节", false),
        ("2027-09-15", "中秋节", false),
        ("2027-10-01", "国庆节", false), ("2027-10-02", "国庆节", false), ("2027-10-03", "国庆节", false),
        ("2027-10-04", "国庆节", true), ("2027-10-05", "国庆节", true),
    ];

    [Fact]
    public void The_year_after_the_last_published_notice_is_provisional()
    {
        Assert.Equal([2022, 2023, 2024, 2025, 2026], HolidayCalendars.Shipped.Years);
        Assert.Equal(2027, HolidayCalendars.Shipped.ProvisionalYear);
        Assert.False(HolidayCalendars.Shipped.IsPublished(2027));
        Assert.True(HolidayCalendars.Shipped.Covers(2027));
        Assert.False(HolidayCalendars.Shipped.Covers(2028));
    }

    [Fact]
    public void The_statutory_days_of_2027_are_those_of_K17()
    {
        var arranged = StatutoryHolidays.Arrange(2027);

        Assert.Equal(K17Of2027.Select(d => (D(d.Date), d.Name, d.MakeUp)), arranged.Select(d => (d.Date, d.Name, d.MakeUp)));
    }

    [Fact]
    public void The_provisional_2027_calendar_is_K17_day_by_day()
    {
        var off = K17Of2027.Select(d => D(d.Date)).ToHashSet();
        for (var day = new DateOnly(2027, 1, 1); day.Year == 2027; day = day.AddDays(1))
        {
            // No 调休: a weekend day is never worked in the provisional year.
            var expected = !off.Contains(day) && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
            Assert.True(expected == National.IsWorkingDay(day), $"{day:yyyy-MM-dd} ({day.DayOfWeek}) should be {(expected ? "a working day" : "a day off")}");
        }
    }

    [Fact]
    public void Provisional_days_carry_their_holiday_names()
    {
        Assert.Equal("春节", National.HolidayName(D("2027-02-09")));
        Assert.Equal("清明节", National.HolidayName(D("2027-04-05")));
        Assert.Null(National.HolidayName(D("2027-02-11")));
    }

    // The day of the 清明 solar term in the years whose notices are published (2021 from its notice:
    // 04-03 … 04-05 off, the term on the Sunday 04-04), and 2027–2030 as almanacs give them
    // (e.g. the 2020–2030 table of rili.com.cn).
    [Theory]
    [InlineData(2021, "2021-04-04")]
    [InlineData(2022, "2022-04-05")]
    [InlineData(2023, "2023-04-05")]
    [InlineData(2024, "2024-04-04")]
    [InlineData(2025, "2025-04-04")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-04-05")]
    [InlineData(2028, "2028-04-04")]
    [InlineData(2029, "2029-04-04")]
    [InlineData(2030, "2030-04-05")]
    public void QingMing_is_the_day_of_the_solar_term(int year, string expected)
    {
        Assert.Equal(D(expected), SolarTerms.QingMing(year));
    }

    [Theory]
    [InlineData(2022)]
    [InlineData(2023)]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void QingMing_is_a_QingMing_day_off_of_every_published_notice(int year)
    {
        var day = SolarTerms.QingMing(year);

        Assert.False(National.IsWorkingDay(day));
        Assert.Equal("清明节", National.HolidayName(day));
    }

    // 紫金山天文台's instants (Beijing time), as 新华社 reported them: 2024-04-04 15:02,
    // 2025-04-04 20:49, 2026-04-05 02:40; 2027-04-05 08:17.
    [Theory]
    [InlineData("2024-04-04T15:02:00+08:00")]
    [InlineData("2025-04-04T20:49:00+08:00")]
    [InlineData("2026-04-05T02:40:00+08:00")]
    [InlineData("2027-04-05T08:17:00+08:00")]
    public void QingMing_instants_agree_with_the_almanac_to_the_minute(string published)
    {
        var expected = DateTimeOffset.Parse(published, CultureInfo.InvariantCulture);

        var computed = SolarTerms.QingMingInstant(expected.Year);

        Assert.True(Math.Abs((computed - expected).TotalMinutes) < 2, $"computed {computed:yyyy-MM-dd HH:mm}, published {expected:yyyy-MM-dd HH:mm}");
    }

    // The lunar dates the rule reads (ChineseLunisolarCalendar) fall on the holidays of the notices:
    // 正月初一, 端午 and 中秋 (and 清明) are days off of that name in every published year.
    [Theory]
    [InlineData(2022)]
    [InlineData(2023)]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    public void The_lunar_holidays_of_the_rule_are_those_of_the_notices(int year)
    {
        var arranged = StatutoryHolidays.Arrange(year).Where(d => !d.MakeUp).ToList();
        var springFestival = arranged.Where(d => d.Name == "春节").Select(d => d.Date).ToList()[1]; // after 除夕
        foreach (var (day, name) in new[]
                 {
                     (springFestival, "春节"),
                     (arranged.Single(d => d.Name.Contains("端午节", StringComparison.Ordinal)).Date, "端午节"),
                     (arranged.Single(d => d.Name.Contains("中秋节", StringComparison.Ordinal)).Date, "中秋节"),
                     (arranged.Single(d => d.Name == "清明节").Date, "清明节"),
                 })
        {
            Assert.False(National.IsWorkingDay(day), $"{day:yyyy-MM-dd} {name} is worked in the {year} notice");
            Assert.Contains(name, National.HolidayName(day) ?? "", StringComparison.Ordinal);
        }
    }

    // From 2025 (国务院令第795号) every statutory day, 除夕 and 5月2日 included, is off in the notices.
    [Theory]
    [InlineData(2025)]
    [InlineData(2026)]
    public void Every_statutory_day_of_the_revised_rule_is_off_in_its_notice(int year)
    {
        foreach (var day in StatutoryHolidays.Arrange(year).Where(d => !d.MakeUp))
            Assert.False(National.IsWorkingDay(day.Date), $"{day.Date:yyyy-MM-dd} {day.Name} is worked in the {year} notice");
    }

    [Fact]
    public void A_statutory_day_shared_by_two_holidays_is_made_up_too()
    {
        // 2028: 中秋 falls on 10-03, a 国庆 day; 10-01 is a Sunday.
        var october = StatutoryHolidays.Arrange(2028).Where(d => d.Date.Month == 10).ToList();

        Assert.Equal("国庆节、中秋节", october.Single(d => d.Date == D("2028-10-03")).Name);
        Assert.Equal([D("2028-10-04"), D("2028-10-05")], october.Where(d => d.MakeUp).Select(d => d.Date));
    }

    [Fact]
    public void A_deadline_reaching_into_the_provisional_year_says_so()
    {
        // K17-WD-01.
        var answer = National.AddWorkingDaysDetailed(D("2026-12-04"), 20);

        Assert.Equal(D("2027-01-04"), answer.Date);
        Assert.True(answer.Provisional);
        Assert.Equal(2027, answer.ProvisionalYear);
        Assert.False(answer.OverlayMissing);
        var reason = Assert.Single(answer.Reasons);
        Assert.Equal("K17", reason.RuleId);
        Assert.Equal("2027 年放假安排尚未公布，按《全国年节及纪念日放假办法》暂定", reason.TextZh);
        Assert.Equal("The 2027 holiday arrangement is not published yet; computed provisionally from the statutory holidays", reason.TextEn);
        Assert.Contains("国务院令第795号", reason.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plain_deadline_succeeds_into_the_provisional_year_with_the_same_date()
    {
        Assert.Equal(D("2027-01-04"), National.AddWorkingDays(D("2026-12-04"), 20));
        Assert.Equal(D("2027-02-12"), National.AddWorkingDays(D("2027-02-03"), 3));
        Assert.Equal(D("2027-02-11"), National.NextWorkingDayOnOrAfter(D("2027-02-06")));
    }

    [Fact]
    public void A_deadline_inside_2026_is_not_provisional()
    {
        // K17-WD-14.
        var answer = National.AddWorkingDaysDetailed(D("2026-12-01"), 5);

        Assert.Equal(D("2026-12-08"), answer.Date);
        Assert.False(answer.Provisional);
        Assert.Null(answer.ProvisionalYear);
        Assert.Empty(answer.Reasons);
    }

    [Fact]
    public void An_acceptance_day_in_the_provisional_year_is_provisional()
    {
        var answer = National.NextWorkingDayOnOrAfterDetailed(D("2027-02-06"));

        Assert.Equal(D("2027-02-11"), answer.Date);
        Assert.True(answer.Provisional);
        Assert.False(National.NextWorkingDayOnOrAfterDetailed(D("2026-12-31")).Provisional);
    }

    [Fact]
    public void A_2028_deadline_is_refused()
    {
        // K17-WD-15: no provisional calendar beyond the year after the last published one.
        var e = Assert.Throws<YibaoException>(() => National.AddWorkingDaysDetailed(D("2027-12-20"), 10));

        Assert.Equal("calendar-year-not-loaded", e.Error.Code?.Value);
        Assert.Equal("2028", e.Error.Details["year"]);
    }

    [Fact]
    public void The_Lhasa_overlay_is_not_guessed_in_the_provisional_year_and_the_answer_says_it_is_missing()
    {
        var lhasa = HolidayCalendars.Shipped.For(Lhasa);

        var answer = lhasa.AddWorkingDaysDetailed(D("2027-02-01"), 10);

        // The national rule only: the same deadline as anywhere else in China.
        Assert.Equal(National.AddWorkingDays(D("2027-02-01"), 10), answer.Date);
        Assert.True(answer.Provisional);
        Assert.True(answer.OverlayMissing);
        Assert.Equal([2027], answer.OverlayMissingYears);
        var overlay = Assert.Single(answer.Reasons, r => r.RuleId == "K5");
        Assert.Contains("拉萨市(540100) 2027 年的地方节假日安排尚未公布", overlay.TextZh, StringComparison.Ordinal);
        Assert.Contains("regional holidays are never guessed", overlay.TextEn, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Lhasa_deadline_inside_its_published_overlay_years_is_complete()
    {
        var answer = HolidayCalendars.Shipped.For(Lhasa).AddWorkingDaysDetailed(D("2026-02-10"), 10);

        Assert.Equal(D("2026-03-05"), answer.Date);
        Assert.False(answer.OverlayMissing);
        Assert.False(answer.Provisional);
    }

    [Fact]
    public void Reasons_name_the_day_they_are_about()
    {
        var answer = National.AddWorkingDaysDetailed(D("2026-12-24"), 10);

        var reason = Assert.Single(answer.Explain("转出期限", "The transfer-out deadline"));
        Assert.StartsWith("转出期限 2027-01-08 为暂定：2027 年放假安排尚未公布", reason.TextZh, StringComparison.Ordinal);
        Assert.StartsWith("The transfer-out deadline 2027-01-08 is provisional", reason.TextEn, StringComparison.Ordinal);
        Assert.Equal("2027", reason.Values["provisionalYear"]);
    }

    [Fact]
    public void Sources_of_the_provisional_year_cite_the_statutory_rule()
    {
        Assert.Equal([StatutoryHolidays.Source], National.Sources(2027));
        Assert.Throws<YibaoException>(() => National.Sources(2028));
    }

    [Fact]
    public void The_provisional_arrangement_lists_each_day_off_with_its_article()
    {
        var arrangement = HolidayCalendars.Shipped.Arrangement(2027, Lhasa);

        Assert.True(arrangement.Provisional);
        Assert.True(arrangement.OverlayMissing);
        Assert.Equal(K17Of2027.Select(d => D(d.Date)), arrangement.Days.Select(d => d.Date));
        Assert.All(arrangement.Days, d => Assert.True(d.Provisional && d.IsOffDay));
        Assert.Contains("第六条", arrangement.Days.Single(d => d.Date == D("2027-02-10")).Source, StringComparison.Ordinal);
        Assert.Contains(arrangement.Reasons, r => r.RuleId == "K17");
    }

    [Fact]
    public void Loading_the_2027_notice_makes_2028_provisional_and_2027_official()
    {
        var notice = """
            { "year": 2027, "papers": ["https://example.invalid/notice-2027"],
              "days": [ {"date": "2027-01-01", "name": "元旦", "isOffDay": true}, {"date": "2027-02-20", "name": "春节", "isOffDay": false} ] }
            """;

        var calendars = HolidayCalendars.Load([("national-2027.json", notice)]);

        Assert.Equal(2028, calendars.ProvisionalYear);
        Assert.True(calendars.National.IsWorkingDay(D("2027-02-20")));
        Assert.True(calendars.National.IsWorkingDay(D("2027-02-09"))); // the notice, not the rule, decides now
        Assert.False(calendars.National.AddWorkingDaysDetailed(D("2026-12-04"), 20).Provisional);
        Assert.True(calendars.National.AddWorkingDaysDetailed(D("2027-12-20"), 10).Provisional);
    }
}
