using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Crediting;
using static Yibao.Storage.Tests.Crediting.CreditingPeople;

namespace Yibao.Storage.Tests.Crediting;

/// <summary><c>yibao demo generate</c>'s population, on each engine (subclasses at the end).</summary>
public abstract class DemoPopulationTests(Engine engine)
{
    private static readonly RegionCode Demo = RegionCode.Parse("990100");
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2025, 11, 15, 2, 0, 0, TimeSpan.Zero));

    private static DemoGenerateOptions Options(int insured = 600) => new()
    {
        Region = Demo, Insured = insured, Months = 6, Through = new YearMonth(2025, 5), ChunkSize = 250,
    };

    [Fact]
    public async Task Generated_people_are_valid_varied_and_have_accounts_and_contributions_with_gaps()
    {
        await using var t = await TestDatabase.CreateAsync(engine);

        var result = await new DemoPopulationGenerator(t.Db, PolicyPackLoader.Embedded).GenerateAsync(Options());

        Assert.Equal(600, result.Insured);
        Assert.Equal(600, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM insured WHERE region_code = '990100'"));
        Assert.Equal(600, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM ledger_account WHERE kind = 'personal'"));
        Assert.Equal(1200, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM account_balance b JOIN ledger_account a ON a.id = b.account_id WHERE a.kind = 'personal'"));
        Assert.Equal(result.Contributions, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM contribution"));
        Assert.Equal(result.StatusEvents, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM insured_status"));
        Assert.True(await ScalarAsync(t.Db, "SELECT COUNT(*) FROM contribution WHERE paid_date IS NULL") > 0, "some months are unpaid");
        foreach (var status in new[] { "employed", "retired", "flexible" })
            Assert.True(await ScalarAsync(t.Db, "SELECT COUNT(*) FROM insured WHERE status = @s", ("s", status)) > 0, status);
        // Wages between the 990100 floor and ceiling (4,200.00–21,000.00).
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM insured WHERE declared_wage < 420000 OR declared_wage > 2100000"));

        await using var c = await t.Db.ConnectAsync();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT id_number, sex, birth_date FROM insured";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                Assert.True(IdNumber.TryParse(r.GetString(0), out var id), r.GetString(0));
                Assert.Equal(id.Sex == Sex.Male ? "M" : "F", r.GetString(1));
                Assert.Equal(id.BirthDate, r.GetFieldValue<DateOnly>(2));
                Assert.StartsWith("9901", id.AreaCode, StringComparison.Ordinal);
            }
        }
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT credit_code FROM employer";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) Assert.True(CreditCode.TryParse(r.GetString(0), out _), r.GetString(0));
        }
    }

    [Fact]
    public async Task A_region_that_has_people_is_refused_and_nothing_is_written()
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        var generator = new DemoPopulationGenerator(t.Db, PolicyPackLoader.Embedded);
        await generator.GenerateAsync(Options(50));

        var error = (await Assert.ThrowsAsync<YibaoException>(() => generator.GenerateAsync(Options(50)))).Error;

        Assert.Equal("region-not-empty", error.Code?.Value);
        Assert.Equal("50", error.Details["insured"]);
        Assert.Equal(50, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM insured"));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_people()
    {
        await using var one = await TestDatabase.CreateAsync(engine);
        await using var two = await TestDatabase.CreateAsync(engine);
        await new DemoPopulationGenerator(one.Db, PolicyPackLoader.Embedded).GenerateAsync(Options(100));
        await new DemoPopulationGenerator(two.Db, PolicyPackLoader.Embedded).GenerateAsync(Options(100));

        Assert.Equal(await PeopleAsync(one.Db), await PeopleAsync(two.Db));
    }

    [Fact]
    public async Task A_monthly_run_over_a_generated_population_credits_every_eligible_account()
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        await new DemoPopulationGenerator(t.Db, PolicyPackLoader.Embedded).GenerateAsync(Options());

        var run = (await new CreditingRunner(t.Db, PolicyPackLoader.Embedded, Clock, new BatchRunOptions { ChunkSize = 128 }).RunAsync(Demo, new YearMonth(2025, 5))).Run;

        Assert.Equal(600, run.AccountsDone + run.AccountsSkipped);
        Assert.True(run.AccountsDone > 300, $"{run.AccountsDone} credited");
        Assert.Equal(run.AccountsDone, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'monthly-credit'"));
        Assert.Equal(-run.SumCredited, await ScalarAsync(t.Db, "SELECT SUM(balance) FROM account_balance b JOIN ledger_account a ON a.id = b.account_id WHERE a.kind = 'pooled-fund'"));
        // Every employed person credited had that month paid; the retirees got 62.00 each.
        Assert.Equal(0, await ScalarAsync(t.Db,
            "SELECT COUNT(*) FROM journal_entry e JOIN ledger_account a ON a.code = '990100:personal:' || substr(e.idempotency_key, 23) " +
            "JOIN insured i ON i.id_number = a.holder JOIN contribution c ON c.insured_id = i.id AND c.month = '2025-05' " +
            "WHERE e.reason_code = 'monthly-credit' AND i.status = 'employed' AND c.paid_date IS NULL"));
    }

    private static async Task<List<string>> PeopleAsync(YibaoDatabase db)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id_number, name, status, declared_wage FROM insured ORDER BY id";
        var people = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            people.Add(string.Join("|", r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? "" : Convert.ToString(r.GetValue(3), CultureInfo.InvariantCulture)));
        return people;
    }
}

public sealed class SqliteDemoPopulationTests() : DemoPopulationTests(Engine.Sqlite);
public sealed class PostgresDemoPopulationTests() : DemoPopulationTests(Engine.Postgres);
