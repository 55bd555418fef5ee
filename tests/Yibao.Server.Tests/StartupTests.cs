using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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
    public async Task The_server_takes_the_same_database_and_demo_options_as_yibao_serve()
    {
        foreach (var args in new[] { new[] { "--database", "/tmp/elsewhere.db" }, ["--database=/tmp/elsewhere.db"], ["-d", "/tmp/elsewhere.db", "--no-demo"] })
        {
            await using var app = ServerApp.Build(args);
            var options = app.Services.GetRequiredService<IOptions<YibaoOptions>>().Value;
            Assert.Equal("/tmp/elsewhere.db", options.Database);
            Assert.Equal(!args.Contains("--no-demo"), options.SeedDemo);
        }
        Assert.Equal(["--Yibao:Database=Host=db;Database=yibao", "--urls=http://0.0.0.0:5080", "--Logging:LogLevel:Default=Debug"],
            ServerArguments.Translate(["--database", "Host=db;Database=yibao", "--urls", "http://0.0.0.0:5080", "--Logging:LogLevel:Default=Debug"]));
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
