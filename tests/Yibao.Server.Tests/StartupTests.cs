using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yibao.Domain.Errors;
using Yibao.Server.Hosting;

namespace Yibao.Server.Tests;

/// <summary>How <see cref="ServerApp.Build"/> reads its settings (the same for Program and <c>yibao serve</c>).</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Empty_database_setting_refuses_to_start()
    {
        // Built directly, not through WebApplicationFactory, whose deferred host races a failed start.
        await using var app = ServerApp.Build(["--Yibao:Database= ", "--urls=http://127.0.0.1:0"]);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Yibao:Database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_url_is_localhost_5080_and_urls_overrides_it()
    {
        if (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null && Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") is null)
        {
            await using var plain = ServerApp.Build([]);
            Assert.Equal("http://localhost:5080", plain.Configuration["urls"]);
        }
        await using var chosen = ServerApp.Build(["--urls=http://127.0.0.1:6123"]);
        Assert.Equal("http://127.0.0.1:6123", chosen.Configuration["urls"]);
    }

    [Fact]
    public async Task Database_defaults_to_a_sqlite_file_and_the_environment_overrides_it()
    {
        await using var plain = ServerApp.Build([]);
        var options = plain.Services.GetRequiredService<IOptions<YibaoOptions>>().Value;
        // The per-user file the CLI opens too, whatever the working directory.
        Assert.Equal(Yibao.Storage.DatabaseLocation.DefaultPath, options.Database);
        Assert.True(Path.IsPathRooted(options.Database));
        Assert.EndsWith(Path.Combine("yibao", "yibao.db"), options.Database, StringComparison.Ordinal);
        Assert.True(options.SeedDemo);

        // Yibao__Database in the environment is the same key; the command line stands in for it here.
        await using var chosen = ServerApp.Build(["--Yibao:Database=/tmp/elsewhere.db", "--Yibao:SeedDemo=false"]);
        var other = chosen.Services.GetRequiredService<IOptions<YibaoOptions>>().Value;
        Assert.Equal("/tmp/elsewhere.db", other.Database);
        Assert.False(other.SeedDemo);
    }

    [Fact]
    public async Task A_bad_calendar_file_refuses_to_start_naming_the_file_and_the_line()
    {
        var folder = Directory.CreateTempSubdirectory("yibao-calendars-").FullName;
        var bad = Path.Combine(folder, "national-2027.json");
        await File.WriteAllTextAsync(bad, "{\n  \"year\": 2027,\n  \"papers\": [\"https://example.invalid/2027\"],\n  \"days\": [ {\"date\": \"2027-02-30\", \"name\": \"春节\", \"isOffDay\": true} ]\n}\n");
        try
        {
            await using var app = ServerApp.Build(["--Yibao:Database=" + YibaoServer.NewDatabasePath(), "--Yibao:SeedDemo=false", "--Yibao:Calendars=" + folder, "--urls=http://127.0.0.1:0"]);

            var error = await Assert.ThrowsAsync<YibaoException>(() => app.StartAsync());

            Assert.Equal("invalid-calendar-file", error.Error.Code?.Value);
            Assert.Contains($"{bad}:4", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_calendar_folder_that_does_not_exist_refuses_to_start()
    {
        await using var app = ServerApp.Build(["--Yibao:Calendars=/no/such/calendars", "--urls=http://127.0.0.1:0"]);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("Yibao:Calendars", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_agency_calendar_folder_adds_a_year_to_the_shipped_ones()
    {
        var folder = Directory.CreateTempSubdirectory("yibao-calendars-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "2027.json"), """
            { "year": 2027, "papers": ["https://example.invalid/2027"], "days": [ {"date": "2027-01-01", "name": "元旦", "isOffDay": true} ] }
            """);
        try
        {
            await using var plain = ServerApp.Build([]);
            Assert.Equal("data/calendars", plain.Services.GetRequiredService<IOptions<YibaoOptions>>().Value.Calendars);

            await using var app = ServerApp.Build(["--Yibao:Calendars=" + folder]);
            var calendars = app.Services.GetRequiredService<Yibao.Domain.Calendars.HolidayCalendars>();
            Assert.Equal([2022, 2023, 2024, 2025, 2026, 2027], calendars.Years);
            Assert.Equal(2028, calendars.ProvisionalYear);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_server_takes_the_same_database_and_demo_options_as_yibao_serve()
    {
        foreach (var args in new[] { new[] { "--database", "/tmp/elsewhere.db" }, ["--database=/tmp/elsewhere.db"], ["-d", "/tmp/elsewhere.db", "--no-demo"] })
        {
            await using var app = ServerApp.Build(args);
            var options = app.Services.GetRequiredService<IOptions<YibaoOptions>>().Value;
            Assert.Equal("/tmp/elsewhere.db", options.Database);
            Assert.Equal(!args.Contains("--no-demo"), options.SeedDemo);
        }
        Assert.Equal(["--Yibao:Database=Host=db;Database=yibao", "--Yibao:Calendars=/srv/calendars", "--urls=http://0.0.0.0:5080", "--Logging:LogLevel:Default=Debug"],
            ServerArguments.Translate(["--database", "Host=db;Database=yibao", "--calendars", "/srv/calendars", "--urls", "http://0.0.0.0:5080", "--Logging:LogLevel:Default=Debug"]));
    }

    [Theory]
    [InlineData("--databse", "/tmp/x.db")]
    [InlineData("--seed-demo", "false")]
    [InlineData("--database")]
    public void An_option_the_server_does_not_have_is_refused_instead_of_ignored(params string[] args)
    {
        var error = Assert.Throws<ServerArgumentException>(() => ServerArguments.Translate(args));
        Assert.Contains(args[0], error.Message, StringComparison.Ordinal);
        Assert.Contains("Usage:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://[::]:8080", "http://localhost:8080")]
    [InlineData("http://0.0.0.0:5080/", "http://localhost:5080")]
    [InlineData("http://127.0.0.1:5081", "http://127.0.0.1:5081")]
    public void Start_up_line_shows_a_clickable_address(string bound, string shown) =>
        Assert.Equal(shown, StartupTasks.DisplayUrl([bound]));
}
