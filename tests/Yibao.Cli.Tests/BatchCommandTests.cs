using System.Text.Json;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Cli.Tests;

/// <summary><c>yibao demo generate</c>, <c>yibao batch credit</c> and <c>yibao batch year-end</c> on a temporary SQLite file.</summary>
public sealed class BatchCommandTests : IAsyncLifetime
{
    private readonly string _folder = CliRunner.TempFolder();
    private string Database => Path.Combine(_folder, "yibao.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (File.Exists(Database))
        {
            await using var db = YibaoDatabase.Open(Database);
            var report = await LedgerVerifier.VerifyAsync(db);
            Assert.True(report.Ok, string.Join("\n", report.Violations.Select(v => $"{v.Invariant}: {v.Detail}")));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private Task<(int Exit, string Out, string Err)> GenerateAsync(int insured = 300, params string[] more) =>
        CliRunner.RunAsync(["demo", "generate", "--region", "990100", "--insured", insured.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--months", "3", "--through", "2025-05", "--database", Database, .. more]);

    [Fact]
    public async Task Generate_then_credit_then_credit_again_changes_nothing()
    {
        var (genExit, genOut, genErr) = await GenerateAsync();
        Assert.True(genExit == 0, genErr);
        Assert.Contains("insured / 参保人", genOut, StringComparison.Ordinal);
        Assert.Contains("300", genOut, StringComparison.Ordinal);

        var (exit, output, err) = await CliRunner.RunAsync("batch", "credit", "--region", "990100", "--month", "2025-05", "--database", Database);
        Assert.True(exit == 0, err);
        Assert.Contains("credited / 已划入", output, StringComparison.Ordinal);
        Assert.Contains("policy version / 政策版本", output, StringComparison.Ordinal);
        Assert.Contains("990100@crediting", output, StringComparison.Ordinal);
        Assert.Contains("flexible-not-credited", output, StringComparison.Ordinal);
        Assert.Contains("finished", output, StringComparison.Ordinal);

        var (againExit, again, _) = await CliRunner.RunAsync("batch", "credit", "--region", "990100", "--month", "2025-05", "--database", Database, "--json");
        Assert.Equal(0, againExit);
        var json = JsonDocument.Parse(again).RootElement;
        Assert.True(json.GetProperty("alreadyFinished").GetBoolean());
        Assert.Equal(0, json.GetProperty("doneNow").GetInt64());
        Assert.Equal(300, json.GetProperty("done").GetInt64() + json.GetProperty("skipped").GetInt64());
        Assert.NotEqual("0.00", json.GetProperty("sumCredited").GetString());
    }

    [Fact]
    public async Task Year_end_after_crediting_rolls_the_year_over_once()
    {
        Assert.Equal(0, (await GenerateAsync(100)).Exit);
        Assert.Equal(0, (await CliRunner.RunAsync("batch", "credit", "-r", "990100", "-m", "2025-05", "-d", Database)).Exit);

        var (exit, output, err) = await CliRunner.RunAsync("batch", "year-end", "--region", "990100", "--year", "2025", "--database", Database, "--json");
        Assert.True(exit == 0, err);
        var first = JsonDocument.Parse(output).RootElement;
        Assert.Equal("finished", first.GetProperty("status").GetString());
        Assert.True(first.GetProperty("done").GetInt64() > 0);
        var (_, againOut, _) = await CliRunner.RunAsync("batch", "year-end", "--region", "990100", "--year", "2025", "--database", Database);
        Assert.Contains("already finished", againOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("credit", "--month", "2025-13", "invalid-month")]
    [InlineData("credit", "--month", "2999-01", "crediting-month-in-future")]
    [InlineData("year-end", "--year", "2999", "insurance-year-not-ended")]
    public async Task Bad_input_is_refused_with_its_code_and_exit_2(string command, string option, string value, string code)
    {
        // The region must be one this database serves (else unknown-region comes first).
        await using (var db = YibaoDatabase.Open(Database))
        {
            await Migrator.MigrateAsync(db);
            await new Yibao.Storage.Records.RecordsStore(db, TimeProvider.System).EnsureRegionAsync(Yibao.Domain.Regions.RegionCode.Demo, "示例市", new DateOnly(2020, 1, 1));
        }
        var (exit, _, err) = await CliRunner.RunAsync("batch", command, "--region", "990100", option, value, "--database", Database);
        Assert.Equal(2, exit);
        Assert.Contains($"error {code}", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generating_into_a_region_with_people_is_refused()
    {
        Assert.Equal(0, (await GenerateAsync(20)).Exit);

        var (exit, _, err) = await GenerateAsync(20);

        Assert.Equal(2, exit);
        Assert.Contains("error region-not-empty", err, StringComparison.Ordinal);
    }
}
