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

        Assert.Equal([2025, 2026, 2027], calendars.Years);
        Assert.False(calendars.National.IsWorkingDay(D("2027-01-01")));
        Assert.True(calendars.National.IsWorkingDay(D("2027-01-09")));
        Assert.Equal(D("2027-01-04"), calendars.National.NextWorkingDay(D("2026-12-31")));
        // The shipped calendars are untouched.
        Assert.Throws<YibaoException>(() => HolidayCalendars.Embedded.National.IsWorkingDay(D("2027-01-04")));
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
    public void An_unpublished_year_is_not_loaded_as_plain_weekdays()
    {
        // holiday-cn's 2027.json before the notice is out: no papers, no days.
        var error = Refused("2027.json", """{ "year": 2027, "papers": [], "days": [] }""");

        Assert.Contains("papers", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_region_and_year_twice_is_refused()
    {
        var error = Refused("national-2025-copy.json", National2027.Replace("2027", "2025", StringComparison.Ordinal));

        Assert.Contains("national-2025.json already holds region 000000 for 2025", error.MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "one JSON object")]
    [InlineData("""{ "region": "54", "year": 2027, "papers": ["x"], "days": [ {"date": "2027-01-01", "name": "a", "isOffDay": true} ] }""", "region")]
    [InlineData("""{ "papers": ["x"], "days": [ {"date": "2027-01-01", "name": "a", "isOffDay": true} ] }""", "\"year\"")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2028-01-01", "name": "a", "isOffDay": true} ] }""", "day 1: 2028-01-01 is not in 2027")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2027-02-30", "name": "a", "isOffDay": true} ] }""", "day 1: \"date\"")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2027-01-01", "isOffDay": true} ] }""", "day 1: \"name\"")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2027-01-01", "name": "a", "isOffDay": "yes"} ] }""", "day 1: \"isOffDay\"")]
    [InlineData("""{ "year": 2027, "papers": ["x"], "days": [ {"date": "2027-01-01", "name": "a", "isOffDay": true}, {"date": "2027-01-01", "name": "a", "isOffDay": false} ] }""", "day 2: 2027-01-01 is listed twice")]
    public void A_malformed_file_is_refused_with_the_reason(string json, string reason)
    {
        var error = Refused("bad.json", json);

        Assert.Contains(reason, error.MessageEn, StringComparison.Ordinal);
        Assert.Equal("bad.json", error.Details["file"]);
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
        var calendars = HolidayCalendars.Load([("990100-2027.json", Overlay("990100", ("2027-06-03", true)))]);

        var e = Assert.Throws<YibaoException>(() => calendars.For(RegionCode.Demo).IsWorkingDay(D("2027-06-03")));
        Assert.Equal("calendar-year-not-loaded", e.Error.Code?.Value);
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
