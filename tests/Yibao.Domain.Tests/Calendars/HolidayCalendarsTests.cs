using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Calendars;

/// <summary>Loading calendars: one file per region and year, and adding a year is adding a file (part (e)).</summary>
public sealed class HolidayCalendarsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("yibao-calendars-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // A made-up 2027 notice for the tests; the real one is not published yet.
    private const string National2027 = """
        {
          "region": "000000",
          "year": 2027,
          "papers": ["https://example.invalid/notice-2027"],
          "days": [
            {"date": "2027-01-01", "name": "元旦", "isOffDay": true},
            {"date": "2027-01-09", "name": "元旦", "isOffDay": false}
          ]
        }
        """;

    [Fact]
    public void Adding_a_year_is_adding_a_file()
    {
        File.WriteAllText(Path.Combine(folder, "national-2027.json"), National2027);

        var calendars = HolidayCalendars.Load(folder);

        Assert.Equal([2022, 2023, 2024, 2025, 2026, 2027], calendars.Years);
        Assert.Equal(2028, calendars.ProvisionalYear);
        Assert.False(calendars.National.IsWorkingDay(D("2027-01-01")));
        Assert.True(calendars.National.IsWorkingDay(D("2027-01-09")));
        Assert.Equal(D("2027-01-04"), calendars.National.NextWorkingDay(D("2026-12-31")));
        // The shipped calendars are untouched: 2027 is still provisional there, without 调休.
        Assert.Equal(2027, HolidayCalendars.Shipped.ProvisionalYear);
        Assert.False(HolidayCalendars.Shipped.National.IsWorkingDay(D("2027-01-09")));
    }

    [Fact]
    public void A_missing_operator_folder_adds_nothing()
    {
        var calendars = HolidayCalendars.Load(Path.Combine(folder, "not-there"));

        Assert.Equal(HolidayCalendars.Shipped.Years, calendars.Years);
    }

    [Fact]
    public void A_holiday_cn_file_without_region_is_national()
    {
        var holidayCn = """
            {
              "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
              "year": 2027,
              "papers": ["https://example.invalid/notice-2027"],
              "days": [ {"name": "元旦", "date": "2027-01-01", "isOffDay": true} ]
            }
            """;

        var calendars = HolidayCalendars.Load([("2027.json", holidayCn)]);

        Assert.False(calendars.National.IsWorkingDay(D("2027-01-01")));
    }

    [Fact]
    public void An_empty_holiday_cn_placeholder_is_not_taken_as_a_published_year()
    {
        // holiday-cn's 2027.json before the notice is out: no papers, no days.
        File.WriteAllText(Path.Combine(folder, "2027.json"), """
            {
                "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
                "year": 2027,
                "papers": [],
                "days": []
            }
            """);

        var calendars = HolidayCalendars.Load(folder);

        Assert.DoesNotContain(2027, calendars.Years);
        Assert.Equal(2027, calendars.ProvisionalYear);
        var warning = Assert.Single(calendars.Warnings);
        Assert.EndsWith("2027.json", warning.File, StringComparison.Ordinal);
        Assert.Contains("placeholder", warning.En, StringComparison.Ordinal);
        Assert.Contains("不计为已公布年份", warning.Zh, StringComparison.Ordinal);
        // The provisional rule still decides 2027, not plain weekdays.
        Assert.False(calendars.National.IsWorkingDay(D("2027-02-09")));
    }

    [Fact]
    public void A_notice_without_papers_is_refused()
    {
        var error = Refused("2027.json", """{ "year": 2027, "papers": [], "days": [ {"date": "2027-01-01", "name": "元旦", "isOffDay": true} ] }""");

        Assert.Contains("\"papers\" must cite the notice", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_region_and_year_twice_must_agree_day_by_day()
    {
        var copy = File.ReadAllText(Path.Combine(HolidayCalendars.ShippedFolder, "national-2025.json"));
        var changed = copy.Replace("""{"date": "2025-10-08", "name": "国庆节、中秋节", "isOffDay": true},""", "", StringComparison.Ordinal);
        Assert.NotEqual(copy, changed);

        // An identical copy (another name, the same days) is harmless.
        Assert.Equal(HolidayCalendars.Shipped.Years, HolidayCalendars.Load([("copy-2025.json", copy)]).Years);

        var error = Refused("mine-2025.json", changed);
        Assert.Contains("national-2025.json also holds the national calendar (000000) 2025", error.MessageEn, StringComparison.Ordinal);
        Assert.Contains("disagree on 2025-10-08", error.MessageEn, StringComparison.Ordinal);
        Assert.Equal("mine-2025.json", error.Details["file"]);
        Assert.Contains("national-2025.json 也载有", error.MessageZh, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", 1, "not valid JSON")]
    [InlineData("[]", 1, "one JSON object")]
    [InlineData("{\n \"region\": \"54\", \"year\": 2027, \"papers\": [\"x\"], \"days\": [ {\"date\": \"2027-01-01\", \"name\": \"a\", \"isOffDay\": true} ] }", 2, "region")]
    [InlineData("""{ "papers": ["x"], "days": [ {"date": "2027-01-01", "name": "a", "isOffDay": true} ] }""", 1, "\"year\"")]
    [InlineData("{ \"year\": 2027, \"papers\": [\"x\"], \"days\": [\n {\"date\": \"2028-01-01\", \"name\": \"a\", \"isOffDay\": true} ] }", 2, "2028-01-01 is not in 2027")]
    [InlineData("{ \"year\": 2027, \"papers\": [\"x\"], \"days\": [\n\n {\"date\": \"2027-02-30\", \"name\": \"a\", \"isOffDay\": true} ] }", 3, "\"date\" must be YYYY-MM-DD")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2027-01-01", "isOffDay": true} ] }""", 1, "2027-01-01: \"name\"")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2027-01-01", "name": "a", "isOffDay": "yes"} ] }""", 1, "2027-01-01: \"isOffDay\"")]
    [InlineData("{ \"year\": 2027, \"papers\": [\"x\"], \"days\": [\n {\"date\": \"2027-01-01\", \"name\": \"a\", \"isOffDay\": true},\n {\"date\": \"2027-01-01\", \"name\": \"a\", \"isOffDay\": false} ] }", 3, "2027-01-01 is listed twice (first on line 2)")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2027-01-06", "name": "a", "isOffDay": false} ] }""", 1, "2027-01-06 is a Wednesday: a make-up working day")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2026-12-30", "name": "元旦", "isOffDay": true}, {"date": "2027-01-01", "name": "元旦", "isOffDay": true} ] }""", 1, "2026-12-30 is not in 2027: only a run of days off")]
    [InlineData("{ \"year\": 2027,\n \"year\": 2028 }", 2, "\"year\" is given twice")]
    public void A_malformed_calendar_file_is_refused_with_the_file_and_the_line(string json, int line, string reason)
    {
        var error = Refused("bad.json", json);

        Assert.Contains(reason, error.MessageEn, StringComparison.Ordinal);
        Assert.Equal("bad.json", error.Details["file"]);
        Assert.Equal(line.ToString(CultureInfo.InvariantCulture), error.Details["line"]);
        Assert.StartsWith($"Holiday calendar file bad.json:{line} is invalid", error.MessageEn, StringComparison.Ordinal);
        Assert.StartsWith($"节假日安排文件 bad.json:{line} 无效", error.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void A_JSON_syntax_error_names_its_line_and_keeps_the_Chinese_message_Chinese()
    {
        // The comma after "papers" is missing: the reader stops on line 4.
        var error = Refused("national-2027.json", "{\n  \"year\": 2027,\n  \"papers\": [\"x\"]\n  \"days\": []\n}");

        Assert.Equal("4", error.Details["line"]);
        Assert.Contains("not valid JSON", error.MessageEn, StringComparison.Ordinal);
        Assert.DoesNotMatch("[A-Za-z]{3,}", error.MessageZh.Replace("national-2027.json", "", StringComparison.Ordinal).Replace("JSON", "", StringComparison.Ordinal));
    }

    [Fact]
    public void A_year_end_spill_that_contradicts_the_previous_notice_is_refused()
    {
        var previous = """{ "region": "990100", "year": 2026, "papers": ["x"], "days": [ {"date": "2026-12-31", "name": "t", "isOffDay": false} ] }""";
        var next = """{ "region": "990100", "year": 2027, "papers": ["y"], "days": [ {"date": "2026-12-31", "name": "元旦", "isOffDay": true}, {"date": "2027-01-01", "name": "元旦", "isOffDay": true} ] }""";

        var error = Assert.Throws<YibaoException>(() => HolidayCalendars.Load([("990100-2026.json", previous), ("990100-2027.json", next)])).Error;

        Assert.Equal("990100-2027.json", error.Details["file"]);
        Assert.Contains("2026-12-31 is a day off here but a working day in 990100-2026.json", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Checking_reports_every_bad_file_not_only_the_first()
    {
        var check = HolidayCalendars.Check([
            CalendarSource.FromText("a.json", "nope"),
            CalendarSource.FromText("b.json", """{ "year": 2027, "papers": ["x"], "days": [ {"date": "2027-13-01", "name": "a", "isOffDay": true} ] }"""),
            CalendarSource.FromText("c.json", National2027),
        ]);

        Assert.False(check.Ok);
        Assert.Equal(["a.json", "b.json"], check.Problems.Select(p => p.Details["file"]));
        Assert.Null(check.Calendars);
    }

    [Fact]
    public void Overlays_apply_nearest_region_first()
    {
        // A province overlay, overridden for one county by its own notice.
        var province = Overlay("990000", ("2025-06-03", true), ("2025-06-04", true));
        var county = Overlay("990102", ("2025-06-04", false));

        var calendars = HolidayCalendars.Load([("990000-2025.json", province), ("990102-2025.json", county)]);

        Assert.False(calendars.For(RegionCode.Demo).IsWorkingDay(D("2025-06-03")));
        Assert.False(calendars.For(RegionCode.Demo).IsWorkingDay(D("2025-06-04")));
        Assert.True(calendars.For(RegionCode.Parse("990102")).IsWorkingDay(D("2025-06-04")));
        Assert.False(calendars.For(RegionCode.Parse("990102")).IsWorkingDay(D("2025-06-03")));
        Assert.True(calendars.National.IsWorkingDay(D("2025-06-03")));
    }

    [Fact]
    public void An_overlay_does_not_make_its_year_loaded()
    {
        var calendars = HolidayCalendars.Load([("990100-2028.json", Overlay("990100", ("2028-06-06", true)))]);

        var e = Assert.Throws<YibaoException>(() => calendars.For(RegionCode.Demo).IsWorkingDay(D("2028-06-06")));
        Assert.Equal("calendar-year-not-loaded", e.Error.Code?.Value);
        Assert.Contains(calendars.Warnings, w => w.En.Contains("not used until", StringComparison.Ordinal));
    }

    [Fact]
    public void A_published_overlay_applies_over_the_provisional_year()
    {
        // A region's own notice for the provisional year is not a guess: it is used.
        var calendars = HolidayCalendars.Load([("990100-2027.json", Overlay("990100", ("2027-06-03", true)))]);

        Assert.False(calendars.For(RegionCode.Demo).IsWorkingDay(D("2027-06-03")));
        var answer = calendars.For(RegionCode.Demo).AddWorkingDaysDetailed(D("2027-06-02"), 1);
        Assert.Equal(D("2027-06-04"), answer.Date);
        Assert.True(answer.Provisional);
        Assert.False(answer.OverlayMissing);
    }

    private static Refusal Refused(string name, string json)
    {
        var e = Assert.Throws<YibaoException>(() => HolidayCalendars.Load([(name, json)]));
        Assert.Equal("invalid-calendar-file", e.Error.Code?.Value);
        return e.Error;
    }

    private static string Overlay(string region, params (string Date, bool Off)[] days)
    {
        var year = days[0].Date[..4];
        var listed = string.Join(",", days.Select(d => $$"""{"date": "{{d.Date}}", "name": "test", "isOffDay": {{(d.Off ? "true" : "false")}}}"""));
        return $$"""{ "region": "{{region}}", "year": {{year}}, "papers": ["https://example.invalid/{{region}}"], "days": [{{listed}}] }""";
    }
}
