using System.Text.Json;

namespace Yibao.Cli.Tests;

/// <summary><c>yibao calendar validate|show|import</c>: the calendars as the server will load them.</summary>
public class CalendarCommandTests
{
    private const string Notice2027 = """
        {
          "year": 2027,
          "papers": ["https://example.invalid/notice-2027"],
          "days": [
            {"date": "2027-01-01", "name": "元旦", "isOffDay": true},
            {"date": "2027-02-20", "name": "春节", "isOffDay": false}
          ]
        }
        """;

    [Fact]
    public async Task The_shipped_calendars_validate_with_2027_provisional()
    {
        var (exit, output, _) = await CliRunner.RunAsync("calendar", "validate");

        Assert.Equal(0, exit);
        Assert.Contains("national-2022.json: 000000 2022", output, StringComparison.Ordinal);
        Assert.Contains("OK published 2022, 2023, 2024, 2025, 2026; provisional 2027", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_file_is_reported_with_its_file_and_line()
    {
        var folder = CliRunner.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "bad.json"), "{\n  \"year\": 2027,\n  \"papers\": [\"x\"],\n  \"days\": [ {\"date\": \"2027-02-30\", \"name\": \"a\", \"isOffDay\": true} ]\n}\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "worse.json"), "{ \"year\": ");

        var (exit, _, error) = await CliRunner.RunAsync("calendar", "validate", folder);

        Assert.Equal(1, exit);
        Assert.Contains($"{Path.Combine(folder, "bad.json")}:4: Holiday calendar file", error, StringComparison.Ordinal);
        Assert.Contains("\"date\" must be YYYY-MM-DD", error, StringComparison.Ordinal);
        Assert.Contains("worse.json:1:", error, StringComparison.Ordinal);
        Assert.Contains("2 problem(s) / 发现 2 处问题", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_placeholder_is_a_warning_not_a_year()
    {
        var folder = CliRunner.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "2027.json"), """{ "year": 2027, "papers": [], "days": [] }""");

        var (exit, output, error) = await CliRunner.RunAsync("calendar", "validate", folder);

        Assert.Equal(0, exit);
        Assert.Contains("placeholder", error, StringComparison.Ordinal);
        Assert.Contains("provisional 2027", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validating_a_missing_folder_is_bad_input()
    {
        var (exit, _, error) = await CliRunner.RunAsync("calendar", "validate", "/no/such/folder");

        Assert.Equal(2, exit);
        Assert.Contains("error invalid-field", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_lists_the_provisional_year_with_its_articles_and_the_missing_overlay()
    {
        var (exit, output, _) = await CliRunner.RunAsync("calendar", "show", "2027", "--region", "540100", "--json");

        Assert.Equal(0, exit);
        var year = JsonDocument.Parse(output).RootElement;
        Assert.True(year.GetProperty("provisional").GetBoolean());
        Assert.True(year.GetProperty("overlayMissing").GetBoolean());
        var days = year.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(19, days.Count);
        Assert.All(days, d => Assert.Equal("provisional", d.GetProperty("status").GetString()));
        var makeUp = days.Single(d => d.GetProperty("date").GetString() == "2027-02-10");
        Assert.True(makeUp.GetProperty("makeUp").GetBoolean());
        Assert.Contains("第六条", makeUp.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Contains(year.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "K5");
    }

    [Fact]
    public async Task Show_marks_an_official_year_with_its_notice_and_working_weekends()
    {
        var (exit, output, _) = await CliRunner.RunAsync("calendar", "show", "2026");

        Assert.Equal(0, exit);
        Assert.Contains("official 已公布", output, StringComparison.Ordinal);
        Assert.Contains("2026-09-20", output, StringComparison.Ordinal);
        Assert.Contains("working 上班", output, StringComparison.Ordinal);
        Assert.Contains("国务院办公厅关于2026年部分节假日安排的通知", output, StringComparison.Ordinal);
        Assert.Contains("6 working weekend day(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_beyond_the_provisional_year_is_refused()
    {
        var (exit, _, error) = await CliRunner.RunAsync("calendar", "show", "2028");

        Assert.Equal(2, exit);
        Assert.Contains("error calendar-year-not-loaded", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_checks_and_copies_a_notice_into_the_agency_folder()
    {
        var folder = Path.Combine(CliRunner.TempFolder(), "calendars");
        var download = Path.Combine(CliRunner.TempFolder(), "2027.json");
        await File.WriteAllTextAsync(download, Notice2027);

        var (exit, output, _) = await CliRunner.RunAsync("calendar", "import", download, "--calendars", folder);

        Assert.Equal(0, exit);
        Assert.Contains("takes effect at the next start", output, StringComparison.Ordinal);
        Assert.Contains("重启服务后生效", output, StringComparison.Ordinal);
        Assert.Equal(Notice2027, await File.ReadAllTextAsync(Path.Combine(folder, "national-2027.json")));
        var (_, shown, _) = await CliRunner.RunAsync("calendar", "show", "2027", "--calendars", folder, "--json");
        Assert.False(JsonDocument.Parse(shown).RootElement.GetProperty("provisional").GetBoolean());

        var (again, repeated, _) = await CliRunner.RunAsync("calendar", "import", download, "--calendars", folder);
        Assert.Equal(0, again);
        Assert.Contains("already imported", repeated, StringComparison.Ordinal);

        var corrected = Path.Combine(CliRunner.TempFolder(), "2027.json");
        await File.WriteAllTextAsync(corrected, Notice2027.Replace("2027-02-20", "2027-02-21", StringComparison.Ordinal));
        var (refused, _, why) = await CliRunner.RunAsync("calendar", "import", corrected, "--calendars", folder);
        Assert.Equal(1, refused);
        Assert.Contains("--replace", why, StringComparison.Ordinal);
        var (replaced, _, _) = await CliRunner.RunAsync("calendar", "import", corrected, "--calendars", folder, "--replace");
        Assert.Equal(0, replaced);
        Assert.Contains("2027-02-21", await File.ReadAllTextAsync(Path.Combine(folder, "national-2027.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_refuses_a_file_that_contradicts_a_shipped_notice_and_writes_nothing()
    {
        var folder = Path.Combine(CliRunner.TempFolder(), "calendars");
        var file = Path.Combine(CliRunner.TempFolder(), "2025.json");
        await File.WriteAllTextAsync(file, """{ "year": 2025, "papers": ["x"], "days": [ {"date": "2025-01-01", "name": "元旦", "isOffDay": true} ] }""");

        var (exit, _, error) = await CliRunner.RunAsync("calendar", "import", file, "--calendars", folder);

        Assert.Equal(1, exit);
        Assert.Contains("national-2025.json also holds the national calendar (000000) 2025", error, StringComparison.Ordinal);
        Assert.Contains("nothing imported / 未导入", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Import_refuses_a_placeholder_and_a_malformed_file()
    {
        var folder = Path.Combine(CliRunner.TempFolder(), "calendars");
        var placeholder = Path.Combine(CliRunner.TempFolder(), "2027.json");
        await File.WriteAllTextAsync(placeholder, """{ "year": 2027, "papers": [], "days": [] }""");
        var malformed = Path.Combine(CliRunner.TempFolder(), "2027.json");
        await File.WriteAllTextAsync(malformed, "{\n \"year\": 2027,\n \"papers\": [\"x\"],\n \"days\": [ {\"date\": \"2027-01-06\", \"name\": \"a\", \"isOffDay\": false} ] }");

        var (first, _, why) = await CliRunner.RunAsync("calendar", "import", placeholder, "--calendars", folder);
        var (second, _, bad) = await CliRunner.RunAsync("calendar", "import", malformed, "--calendars", folder);
        var (third, _, missing) = await CliRunner.RunAsync("calendar", "import", "/no/such/2027.json", "--calendars", folder);

        Assert.Equal(1, first);
        Assert.Contains("not a published notice", why, StringComparison.Ordinal);
        Assert.Equal(1, second);
        Assert.Contains($"{malformed}:4:", bad, StringComparison.Ordinal);
        Assert.Equal(2, third);
        Assert.Contains("error invalid-field", missing, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }
}
