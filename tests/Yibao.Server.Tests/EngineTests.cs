using Microsoft.Extensions.Logging.Abstractions;
using Yibao.Domain.Ledger;
using Yibao.Server.Features.Demo;
using Yibao.Server.Hosting;
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

    private static DemoSeeder Seeder(YibaoDatabase db, int people)
    {
        var clock = new FixedClock(YibaoServer.Now);
        return new DemoSeeder(db, new LedgerStore(db, clock), Yibao.Domain.Policy.PolicyPackLoader.Embedded, Yibao.Domain.Calendars.HolidayCalendars.Shipped,
            clock, NullLogger<DemoSeeder>.Instance, people);
    }

    /// <summary>Records and entries by kind: what two seedings must agree on (pharmacy spends are decided on the balance of the moment, so only bounded).</summary>
    private static async Task<Dictionary<string, long>> ShapeAsync(YibaoDatabase db)
    {
        var shape = new Dictionary<string, long>();
        foreach (var table in new[] { "region", "employer", "insured", "insured_status", "contribution", "batch_run", "application", "ledger_account" })
            shape[table] = long.Parse((await DemoSeedingTests.Scalars(db, $"SELECT COUNT(*) FROM {table}"))[0], System.Globalization.CultureInfo.InvariantCulture);
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT reason_code, COUNT(*) FROM journal_entry WHERE reason_code NOT IN ('pharmacy-spend', 'year-end-carry-over') GROUP BY reason_code";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) shape[r.GetString(0)] = Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        return shape;
    }

    /// <summary>Two processes seed one database at once, as two servers starting together would (fewer people, to stay quick).</summary>
    [Theory]
    [MemberData(nameof(TestEngines.Available), MemberType = typeof(TestEngines))]
    public async Task Two_processes_seeding_at_once_do_not_double_seed(Engine engine)
    {
        const int people = 60;
        await using var alone = await TestEngines.CreateAsync(engine);
        await using (var db = YibaoDatabase.Open(alone.Setting))
        {
            await Migrator.MigrateAsync(db);
            await Seeder(db, people).SeedAsync();
        }
        await using var database = await TestEngines.CreateAsync(engine);
        await using var first = YibaoDatabase.Open(database.Setting);
        await using var second = database.OpenAnother();
        await Migrator.MigrateAsync(first);

        await Task.WhenAll(new[] { first, second }.Select(db => Task.Run(() => Seeder(db, people).SeedAsync())));

        await using var reference = YibaoDatabase.Open(alone.Setting);
        Assert.Equal(await ShapeAsync(reference), await ShapeAsync(first));
        Assert.Equal(people, (await ShapeAsync(first))["insured"] - 1); // and the mover, enrolled in 兰州 too
        var spends = long.Parse((await DemoSeedingTests.Scalars(first, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'pharmacy-spend'"))[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(spends, 1, DemoPopulation.Generate(people).Sum(p => p.Spends.Count));
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
            var page = await server.GetJsonAsync("/api/regions/990100/insured?pageSize=8");
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
            // The first demo person as the first demo seeder wrote people: other facts, no history, an opening balance.
            await Migrator.MigrateAsync(db);
            var person = DemoPopulation.Generate()[0];
            await db.InTransactionAsync(async s =>
            {
                await using (var region = s.Command("INSERT INTO region (code, name, created_on) VALUES ('990100', '示例市', @d)").With("d", new DateOnly(1999, 1, 1)))
                    await region.ExecuteNonQueryAsync();
                await using var insured = s.Command(
                        "INSERT INTO insured (region_code, id_number, name, sex, birth_date, status, enrolled_on) VALUES ('990100', @id, '旧数据', @sex, @b, 'employed', @e)")
                    .With("id", person.Id.Value).With("sex", person.Sex == Yibao.Domain.Identity.Sex.Male ? "M" : "F").With("b", person.BirthDate).With("e", new DateOnly(2005, 3, 1));
                return await insured.ExecuteNonQueryAsync();
            });
            var ledger = new LedgerStore(db, TimeProvider.System);
            var fund = AccountCode.Of(DemoRegion.Code, AccountKind.PooledFund);
            await ledger.OpenAccountAsync(person.Account, new DateOnly(2005, 3, 1));
            await ledger.OpenAccountAsync(fund, new DateOnly(1999, 1, 1));
            await ledger.PostAsync(new JournalEntryRequest
            {
                IdempotencyKey = $"demo/990100/opening-balance/{person.Id.Value}", Region = DemoRegion.Code, ReasonCode = "opening-balance",
                BusinessDate = new DateOnly(2025, 1, 1), Actor = "system:demo", PolicyVersion = "990100@demo",
                Postings = [new PostingLine(person.Account, Segment.Historical, Money.Parse("100.00")), new PostingLine(fund, Segment.Main, Money.Parse("-100.00"))],
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
