using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Storage;
using Yibao.Storage.Ledger;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Cli.Tests;

public class LedgerCommandTests
{
    private static async Task<string> LedgerWithOneCreditAsync()
    {
        var path = Path.Combine(CliRunner.TempFolder(), "yibao.db");
        await using var db = YibaoDatabase.Open(path);
        await Migrator.MigrateAsync(db);
        var store = new LedgerStore(db, TimeProvider.System);
        var person = AccountCode.Personal(RegionCode.Demo, "11010519491231002X");
        var fund = AccountCode.Of(RegionCode.Demo, AccountKind.PooledFund);
        await store.OpenAccountAsync(person, new DateOnly(2025, 1, 1));
        await store.OpenAccountAsync(fund, new DateOnly(2025, 1, 1));
        await store.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = "k1", Region = RegionCode.Demo, ReasonCode = "monthly-credit", BusinessDate = new DateOnly(2025, 5, 1),
            Actor = "test", PolicyVersion = "990100@test",
            Postings = [new PostingLine(person, Segment.CurrentYear, Money.Parse("120.00")), new PostingLine(fund, Segment.Main, Money.Parse("-120.00"))],
        });
        return path;
    }

    [Fact]
    public async Task Verify_reports_ok_on_a_consistent_ledger()
    {
        var path = await LedgerWithOneCreditAsync();
        var (exit, output, _) = await CliRunner.RunAsync("ledger", "verify", "--database", path);
        Assert.Equal(0, exit);
        Assert.Contains("OK", output);
        Assert.Contains("1 entries, 2 postings", output);
    }

    [Fact]
    public async Task Verify_finds_a_balance_that_no_longer_matches_its_postings()
    {
        var path = await LedgerWithOneCreditAsync();
        await using (var db = YibaoDatabase.Open(path))
        {
            // Someone edits a balance behind the ledger's back.
            await using var c = await db.ConnectAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE account_balance SET balance = balance + 1 WHERE segment = 'current-year'";
            await cmd.ExecuteNonQueryAsync();
        }
        var (exit, output, _) = await CliRunner.RunAsync("ledger", "verify", "--database", path, "--json");
        Assert.Equal(1, exit);
        Assert.Contains("\"ok\":false", output);
        Assert.Contains("stored-balance-equals-postings", output);
    }

    [Fact]
    public async Task Verify_says_on_stderr_which_database_it_opened_and_json_stays_clean()
    {
        var path = await LedgerWithOneCreditAsync();

        var (exit, output, error) = await CliRunner.RunAsync("ledger", "verify", "--database", path, "--json");

        Assert.Equal(0, exit);
        Assert.Equal($"database: SQLite {Path.GetFullPath(path)}", error.Trim());
        Assert.True(System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("ok").GetBoolean());
        // A PostgreSQL database is named by host, port, database and user: never its password.
        var pg = DatabaseLocation.Describe("Host=db.example;Port=5433;Database=yibao;Username=u;Password=secret");
        Assert.Equal("PostgreSQL db.example:5433/yibao as u", pg);
    }

    [Fact]
    public void The_default_database_is_the_servers_whatever_the_working_directory()
    {
        var option = Cli.DatabaseOption();
        var command = new System.CommandLine.Command("probe") { option };
        var value = command.Parse([]).GetValue(option);

        Assert.Equal(DatabaseLocation.FromEnvironment(), value);
        if (Environment.GetEnvironmentVariable(DatabaseLocation.Variable) is null or "")
        {
            Assert.True(Path.IsPathRooted(value));
            Assert.Equal(DatabaseLocation.DefaultPath, value);
        }
    }
}
