using Microsoft.Extensions.Logging.Abstractions;
using Yibao.Domain.Ledger;
using Yibao.Server.Features.Demo;
using Yibao.Storage;
using Yibao.Storage.Ledger;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Server.Tests;

/// <summary>Seeding, start-up and reads behave the same on SQLite and PostgreSQL.</summary>
public sealed class EngineTests
{
    private static async Task AssertSoundAsync(YibaoDatabase db)
    {
        var report = await LedgerVerifier.VerifyAsync(db);
        Assert.True(report.Ok, string.Join("\n", report.Violations));
    }

    /// <summary>Two processes seed one database at once, as two servers starting together would (fewer people, to stay quick).</summary>
    [Theory]
    [MemberData(nameof(TestEngines.Available), MemberType = typeof(TestEngines))]
    public async Task Two_processes_seeding_at_once_do_not_double_seed(Engine engine)
    {
        const int people = 60;
        await using var database = await TestEngines.CreateAsync(engine);
        await using var first = YibaoDatabase.Open(database.Setting);
        await using var second = database.OpenAnother();
        await Migrator.MigrateAsync(first);
        var seeders = new[] { first, second }.Select(db =>
            new DemoSeeder(db, new LedgerStore(db, new FixedClock(YibaoServer.Now)), NullLogger<DemoSeeder>.Instance, people)).ToList();

        var results = await Task.WhenAll(seeders.Select(s => Task.Run(() => s.SeedAsync())));

        var planned = DemoPopulation.Generate(people).Sum(p => DemoLedgerPlan.For(p).Count);
        Assert.Equal(planned, results.Sum(r => r.EntriesWritten));
        var counts = await DemoSeedingTests.CountsAsync(first);
        Assert.Equal(planned, counts["journal_entry"]);
        Assert.Equal(people, counts["insured"]);
        Assert.Equal(1, counts["region"]);
        await AssertSoundAsync(first);
    }

    /// <summary>A server seeds the demo at start, serves balances that match their statements, and a restart changes nothing.</summary>
    [Theory]
    [MemberData(nameof(TestEngines.Available), MemberType = typeof(TestEngines))]
    public async Task Server_seeds_serves_and_restarts_without_change(Engine engine)
    {
        await using var database = await TestEngines.CreateAsync(engine);
        Dictionary<string, long> before;
        var server = new ServerOn(database.Setting);
        try
        {
            await server.InitializeAsync();
            var page = await server.GetJsonAsync("/api/regions/990100/insured?pageSize=5");
            Assert.Equal(DemoPopulation.DefaultCount, page.GetProperty("total").GetInt64());
            foreach (var person in page.GetProperty("items").EnumerateArray())
            {
                var account = person.GetProperty("account").GetString();
                var balance = await server.GetJsonAsync($"/api/accounts/{account}/balance");
                var statement = await server.GetJsonAsync($"/api/accounts/{account}/statement?from=2000-01-01&to=2030-12-31&pageSize=500");
                var sum = Money.Sum(statement.GetProperty("lines").EnumerateArray().Select(l => Money.Parse(l.GetProperty("amount").GetString())));
                Assert.Equal(Money.Parse(balance.GetProperty("total").GetString()), sum);
            }
            before = await DemoSeedingTests.CountsAsync(server.Service<YibaoDatabase>());
        }
        finally
        {
            await server.StopAsync();
        }

        var again = new ServerOn(database.Setting);
        try
        {
            await again.InitializeAsync();
            Assert.Equal("Healthy", await again.Client.GetStringAsync("/health"));
            Assert.Equal(before, await DemoSeedingTests.CountsAsync(again.Service<YibaoDatabase>()));
            await again.AssertLedgerIsSoundAsync();
        }
        finally
        {
            await again.StopAsync();
        }
    }

    [Fact]
    public async Task Server_starts_when_the_demo_data_came_from_an_older_generator()
    {
        await using var database = await TestEngines.CreateAsync(Engine.Sqlite);
        await using (var db = YibaoDatabase.Open(database.Setting))
        {
            // An entry under the first demo key with other content, as an older generator would have left.
            await Migrator.MigrateAsync(db);
            var person = DemoPopulation.Generate()[0];
            var original = DemoLedgerPlan.For(person)[0];
            var ledger = new LedgerStore(db, TimeProvider.System);
            foreach (var account in original.Postings.Select(p => p.Account).Distinct())
                await ledger.OpenAccountAsync(account, new DateOnly(2020, 1, 1));
            var line = original.Postings[0];
            await ledger.PostAsync(original with
            {
                Postings = [line with { Amount = Money.FromFen(1) }, new PostingLine(original.Postings[1].Account, Segment.Main, -Money.FromFen(1))],
            });
        }

        var server = new ServerOn(database.Setting);
        try
        {
            await server.InitializeAsync();
            Assert.Equal("Healthy", await server.Client.GetStringAsync("/health"));
            await server.AssertLedgerIsSoundAsync();
        }
        finally
        {
            await server.StopAsync();
        }
    }

    /// <summary>A seeded server on a database this test owns (it is dropped by the test, not the server).</summary>
    private sealed class ServerOn(string setting) : YibaoServer(seedDemo: true, databasePath: setting)
    {
        public async Task StopAsync()
        {
            Client?.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
