using System.Globalization;
using Yibao.Storage;

namespace Yibao.Cli.Tests;

/// <summary>
/// Exit codes scripts can trust (README): bad input — a missing or malformed option, a region this
/// database does not serve — is 2 with the stable code in both languages, and writes nothing.
/// </summary>
public sealed class ExitCodeTests : IAsyncLifetime
{
    private readonly string _folder = CliRunner.TempFolder();
    private string Database => Path.Combine(_folder, "yibao.db");

    public async Task InitializeAsync()
    {
        // A database that serves 990100 only (the demo generator registers its region).
        var (exit, _, err) = await CliRunner.RunAsync("demo", "generate", "--region", "990100", "--insured", "20", "--months", "2", "--through", "2025-05", "--database", Database);
        Assert.True(exit == 0, err);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var db = YibaoDatabase.Open(Database);
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("applications", "list", "--region", "123456")]                      // issue 10 item 10: printed an empty list, exit 0
    [InlineData("transfers", "list", "--region", "123456")]
    [InlineData("batch", "credit", "--region", "000000", "--month", "2025-05")]        // a pack, but no region of this database
    [InlineData("batch", "year-end", "--region", "620100", "--year", "2024")]
    public async Task A_region_this_database_does_not_serve_is_unknown_region_exit_2(params string[] args)
    {
        var runs = await CountAsync("batch_run");
        var accounts = await CountAsync("ledger_account");
        var (exit, _, err) = await CliRunner.RunAsync([.. args, "--database", Database]);
        Assert.Equal(2, exit);
        Assert.Contains("error unknown-region: 未配置的统筹地区", err, StringComparison.Ordinal);
        Assert.Contains("No such pooling region is configured", err, StringComparison.Ordinal);
        Assert.Equal((runs, accounts), (await CountAsync("batch_run"), await CountAsync("ledger_account")));
    }

    [Theory]
    [InlineData("missing-field", "--region", "applications", "list")]                    // a missing required option exited 1
    [InlineData("missing-field", "--month", "batch", "credit", "--region", "990100")]
    [InlineData("missing-field", "id", "applications", "show")]                         // a missing argument
    [InlineData("invalid-arguments", "--year", "batch", "year-end", "--region", "990100", "--year", "twenty")]
    [InlineData("invalid-arguments", "--no-such-option", "ledger", "verify", "--no-such-option")]
    public async Task A_command_line_the_command_cannot_read_is_exit_2_with_its_code(string code, string named, params string[] args)
    {
        var (exit, _, err) = await CliRunner.RunAsync([.. args, "--database", Database]);
        Assert.Equal(2, exit);
        Assert.Contains($"error {code}: ", err, StringComparison.Ordinal);
        Assert.Contains(named, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_is_not_an_error() => Assert.Equal(0, (await CliRunner.RunAsync("applications", "list", "--help")).Exit);
}
