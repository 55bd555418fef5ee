using System.Globalization;
using Yibao.Domain.Identity;
using Yibao.Server.Features.Demo;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Server.Tests;

public sealed class DemoSeedingTests(YibaoServer server) : IClassFixture<YibaoServer>
{
    [Fact]
    public async Task Demo_region_is_seeded_with_300_people_whose_id_numbers_are_valid()
    {
        var page = await server.GetJsonAsync("/api/regions/990100/insured?pageSize=500");
        Assert.Equal("示例市", page.GetProperty("regionName").GetString());
        var people = page.GetProperty("items").EnumerateArray().ToList();
        Assert.True(people.Count >= 300, $"only {people.Count} people");
        Assert.Equal(people.Count, page.GetProperty("total").GetInt64());

        var reference = new DateOnly(2025, 1, 1);
        foreach (var person in people)
        {
            var text = person.GetProperty("idNumber").GetString();
            Assert.True(IdNumber.TryParse(text, out var id, out var error), $"{text}: {error}");
            Assert.Equal(text, id.Value);
            Assert.StartsWith("9901", id.AreaCode, StringComparison.Ordinal);
            Assert.Equal(id.Sex == Sex.Male ? "M" : "F", person.GetProperty("sex").GetString());
            Assert.Equal(id.BirthDate, DateOnly.Parse(person.GetProperty("birthDate").GetString()!, CultureInfo.InvariantCulture));
            Assert.Equal($"990100:personal:{text}", person.GetProperty("account").GetString());
            Assert.InRange(person.GetProperty("name").GetString()!.Length, 2, 3);

            var age = AgeOn(id.BirthDate, reference);
            var status = person.GetProperty("status").GetString();
            switch (status)
            {
                case "retired": Assert.InRange(age, 60, 85); break;
                case "employed" or "flexible": Assert.InRange(age, 18, 59); break;
                default: Assert.Fail($"unexpected status {status}"); break;
            }
        }
        Assert.Equal(people.Count, people.Select(p => p.GetProperty("idNumber").GetString()).Distinct().Count());
        Assert.Equal(["employed", "flexible", "retired"], people.Select(p => p.GetProperty("status").GetString()).Distinct().Order());
        Assert.Equal(["F", "M"], people.Select(p => p.GetProperty("sex").GetString()).Distinct().Order());
    }

    [Fact]
    public async Task Every_region_account_is_open()
    {
        foreach (var account in DemoSeeder.RegionAccounts)
        {
            var balance = await server.GetJsonAsync($"/api/accounts/{account.Value}/balance");
            Assert.Equal("open", balance.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Seeded_balances_come_from_the_ledger_and_none_is_negative()
    {
        var report = await LedgerVerifier.VerifyAsync(server.Service<YibaoDatabase>());
        Assert.True(report.Ok);
        Assert.True(report.Entries > 3 * 300, $"only {report.Entries} entries");
        var reasons = await Scalars(server.Service<YibaoDatabase>(), "SELECT DISTINCT reason_code FROM journal_entry ORDER BY reason_code");
        Assert.Equal(["monthly-credit", "opening-balance", "pharmacy-spend"], reasons);
        var actors = await Scalars(server.Service<YibaoDatabase>(), "SELECT DISTINCT actor || ' ' || policy_version FROM journal_entry");
        Assert.Equal(["system:demo 990100@demo"], actors);
    }

    [Fact]
    public async Task Seeding_again_changes_nothing()
    {
        var db = server.Service<YibaoDatabase>();
        var before = await CountsAsync(db);

        var again = await server.Service<DemoSeeder>().SeedAsync(force: true);
        Assert.Equal(0, again.EntriesWritten);
        Assert.Equal(before["journal_entry"], again.EntriesReplayed);
        var quick = await server.Service<DemoSeeder>().SeedAsync();
        Assert.True(quick.AlreadySeeded);

        Assert.Equal(before, await CountsAsync(db));
        await server.AssertLedgerIsSoundAsync();
    }

    [Fact]
    public async Task Restarting_the_server_on_the_same_database_changes_nothing()
    {
        var before = await CountsAsync(server.Service<YibaoDatabase>());
        var second = new SameDatabaseServer(server.DatabasePath);
        try
        {
            await second.InitializeAsync();
            Assert.Equal("Healthy", await second.Client.GetStringAsync("/health"));
        }
        finally
        {
            second.Client?.Dispose();
            await second.Factory.DisposeAsync(); // the first server owns (and deletes) the file
        }
        Assert.Equal(before, await CountsAsync(server.Service<YibaoDatabase>()));
        await server.AssertLedgerIsSoundAsync();
    }

    [Fact]
    public void Demo_people_are_the_same_on_every_run()
    {
        var a = DemoPopulation.Generate();
        var b = DemoPopulation.Generate();
        Assert.Equal(a.Select(p => p.Id.Value), b.Select(p => p.Id.Value));
        Assert.Equal(
            a.SelectMany(DemoLedgerPlan.For).Select(e => e.IdempotencyKey + e.ContentHash()),
            b.SelectMany(DemoLedgerPlan.For).Select(e => e.IdempotencyKey + e.ContentHash()));
    }

    [Fact]
    public void Monthly_credit_is_two_percent_of_the_base_or_the_retiree_fixed_amount()
    {
        foreach (var person in DemoPopulation.Generate())
        {
            var credit = DemoLedgerPlan.MonthlyCredit(person);
            if (person.Status == DemoStatus.Retired)
            {
                Assert.Equal("62.00", credit.ToPlainString());
            }
            else
            {
                Assert.InRange(person.Base.Yuan, 4_200m, 21_000m);
                Assert.Equal(decimal.Round(person.Base.Yuan * 0.02m, 2, MidpointRounding.AwayFromZero), credit.Yuan);
            }
        }
    }

    private static int AgeOn(DateOnly birth, DateOnly day) =>
        day.Year - birth.Year - (day < birth.AddYears(day.Year - birth.Year) ? 1 : 0);

    internal static async Task<Dictionary<string, long>> CountsAsync(YibaoDatabase db)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "region", "insured", "ledger_account", "account_balance", "journal_entry", "posting" })
            counts[table] = long.Parse((await Scalars(db, $"SELECT COUNT(*) FROM {table}"))[0], CultureInfo.InvariantCulture);
        counts["balance-sum"] = long.Parse((await Scalars(db, "SELECT COALESCE(SUM(ABS(balance)), 0) FROM account_balance"))[0], CultureInfo.InvariantCulture);
        return counts;
    }

    internal static async Task<List<string>> Scalars(YibaoDatabase db, string sql)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync();
        var values = new List<string>();
        while (await r.ReadAsync()) values.Add(Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)!);
        return values;
    }

    /// <summary>A second server process on a database another one already seeded.</summary>
    private sealed class SameDatabaseServer(string path) : YibaoServer(seedDemo: true, databasePath: path);
}
