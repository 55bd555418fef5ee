using System.Globalization;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Time;
using Yibao.Server.Features.Demo;
using Yibao.Storage;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;

namespace Yibao.Server.Tests;

/// <summary>The demo seeded as a server starting on 2026-02-15 would: 2025-01 … 2026-01 on record, the 2025 year-end done.</summary>
public sealed class DemoServer() : YibaoServer(seedDemo: true, clock: new FixedClock(Today))
{
    public static readonly DateTimeOffset Today = new(2026, 2, 15, 2, 0, 0, TimeSpan.Zero);
}

public sealed class DemoSeedingTests(DemoServer server) : IClassFixture<DemoServer>
{
    private static readonly YearMonth Through = new(2026, 1);

    private YibaoDatabase Db => server.Service<YibaoDatabase>();

    [Fact]
    public async Task Demo_region_is_seeded_with_300_people_whose_id_numbers_are_valid()
    {
        var page = await server.GetJsonAsync("/api/regions/990100/insured?pageSize=500");
        Assert.Equal("示例市", page.GetProperty("regionName").GetString());
        var people = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(DemoPopulation.DefaultCount, people.Count);
        Assert.Equal(people.Count, page.GetProperty("total").GetInt64());

        var generated = DemoPopulation.Generate().ToDictionary(p => p.Id.Value);
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
            var age = AgeOn(id.BirthDate, DemoRegion.ReferenceDate);
            switch (generated[text!].Status)
            {
                case DemoStatus.Retired: Assert.InRange(age, 60, 85); break;
                default: Assert.InRange(age, 18, 59); break;
            }
        }
        Assert.Equal(people.Count, people.Select(p => p.GetProperty("idNumber").GetString()).Distinct().Count());
        Assert.Equal(["deceased", "employed", "flexible", "retired", "suspended"], people.Select(p => p.GetProperty("status").GetString()).Distinct().Order());
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
    public async Task Every_fen_came_through_the_real_paths_and_the_ledger_proves_it()
    {
        var report = await LedgerVerifier.VerifyAsync(Db);
        Assert.True(report.Ok, string.Join("\n", report.Violations.Select(v => $"{v.Invariant}: {v.Detail}")));
        var reasons = await Scalars(Db, "SELECT DISTINCT reason_code FROM journal_entry WHERE region_code = '990100' ORDER BY reason_code");
        Assert.Equal(["contribution-due", "contribution-paid", "monthly-credit", "pharmacy-spend", "transfer-out", "year-end-carry-over"], reasons);
        // The runs of every month on record, and the year-end of 2025.
        var runs = await Scalars(Db, "SELECT kind || ' ' || period || ' ' || status FROM batch_run WHERE region_code = '990100' ORDER BY kind, period");
        Assert.Equal(13, runs.Count(r => r.StartsWith("monthly-credit", StringComparison.Ordinal) && r.EndsWith("finished", StringComparison.Ordinal)));
        Assert.Contains("year-end 2025 finished", runs);
        // The import recorded the contributions, the late ones paid by the second file, after their due date.
        Assert.Equal(["demo:contributions"], await Scalars(Db, "SELECT DISTINCT source FROM contribution ORDER BY source"));
        Assert.True(long.Parse((await Scalars(Db, "SELECT COUNT(*) FROM contribution WHERE paid_date > due_date"))[0], CultureInfo.InvariantCulture) > 50);
    }

    [Fact]
    public async Task No_employed_month_is_credited_without_a_paid_contribution()
    {
        var records = server.Service<RecordsStore>();
        var credited = await Scalars(Db, "SELECT idempotency_key FROM journal_entry WHERE reason_code = 'monthly-credit' AND region_code = '990100'");
        Assert.True(credited.Count > 2_000, $"only {credited.Count} credits");
        var checkedEmployed = 0;
        foreach (var person in credited.Select(k => k.Split('/')).GroupBy(k => k[3]))
        {
            var record = (await records.GetInsuredAsync(Domain.Regions.RegionCode.Demo, IdNumber.Parse(person.Key)))!;
            var paid = (await records.GetContributionsAsync(Domain.Regions.RegionCode.Demo, record.IdNumber)).Where(c => c.IsPaid).Select(c => c.Month).ToHashSet();
            foreach (var key in person)
            {
                var month = YearMonth.Parse(key[2]);
                var status = record.History.StatusIn(month)!.State;
                Assert.True(status is InsuredState.Employed or InsuredState.Retired, $"{person.Key} credited for {month} as {status}");
                if (status != InsuredState.Employed) continue;
                Assert.True(paid.Contains(month), $"{person.Key} credited for {month} without a paid contribution");
                checkedEmployed++;
            }
        }
        Assert.True(checkedEmployed > 1_500, $"only {checkedEmployed} employed months");
    }

    [Fact]
    public async Task The_pooled_fund_received_the_contributions_and_is_positive()
    {
        var fund = await server.GetJsonAsync("/api/regions/990100/fund");

        var balance = Domain.Money.Money.Parse(fund.GetProperty("balance").GetString());
        Assert.True(balance.IsPositive, $"the fund is {balance}");
        var owed = Domain.Money.Money.Parse(fund.GetProperty("receivables").GetProperty("total").GetString());
        Assert.True(owed.IsPositive, "some employers and workers owe months");
        var months = fund.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal("2025-01", months[0].GetProperty("month").GetString());
        Assert.All(months.Take(12), m => Assert.True(Domain.Money.Money.Parse(m.GetProperty("income").GetString()).IsPositive));
        var income = Domain.Money.Money.Sum(months.Select(m => Domain.Money.Money.Parse(m.GetProperty("income").GetString())));
        var paid = long.Parse((await Scalars(Db, "SELECT SUM(employer_part + individual_part) FROM contribution WHERE region_code = '990100' AND paid_date IS NOT NULL"))[0], CultureInfo.InvariantCulture);
        Assert.Equal(paid, income.Fen);
    }

    [Fact]
    public async Task Each_kind_of_person_is_there_with_their_history()
    {
        var events = await Scalars(Db, "SELECT DISTINCT event FROM insured_status WHERE region_code = '990100' ORDER BY event");
        Assert.Equal(["die", "enrol", "hire", "leave", "rejoin", "retire"], events);
        var people = DemoPopulation.Generate();
        foreach (var life in Enum.GetValues<DemoLife>())
            Assert.Contains(people, p => p.Life == life);
        Assert.Contains(people, p => p.Status == DemoStatus.Flexible);
        Assert.Contains(people, p => p.EnrolledOn > DemoRegion.GoLive);

        // The mover's transfer was executed: the balance left, the account is closed.
        var mover = people.Single(p => p.Life == DemoLife.Moves);
        var account = await server.GetJsonAsync($"/api/accounts/{mover.Account.Value}/balance");
        Assert.Equal("closed", account.GetProperty("status").GetString());
        Assert.Equal(["executed"], await Scalars(Db, $"SELECT CASE WHEN status IN ('executed', 'closed') THEN 'executed' ELSE status END FROM application WHERE kind = 'transfer' AND id_number = '{mover.Id.Value}'"));
        // The heir's death withdrawal waits for a reviewer.
        var deceased = people.First(p => p.Life == DemoLife.Dies);
        Assert.Equal(["submitted"], await Scalars(Db, $"SELECT status FROM application WHERE kind = 'withdrawal' AND id_number = '{deceased.Id.Value}'"));
        var queue = await server.GetJsonAsync("/api/regions/990100/applications");
        Assert.Contains(queue.GetProperty("applications").EnumerateArray(), a => a.GetProperty("idNumber").GetString() == deceased.Id.Value);
    }

    [Fact]
    public async Task A_persons_gaps_are_the_months_they_did_not_pay_and_nothing_before_the_records()
    {
        var today = Dates.TodayInChina(new FixedClock(DemoServer.Today));
        foreach (var person in DemoPopulation.Generate().Take(60))
        {
            var gaps = await server.GetJsonAsync($"/api/insured/990100/{person.Id.Value}/gaps?to={Through}");
            var expected = new List<string>();
            for (var m = DemoRegion.FirstMonth; m <= Through; m = m.AddMonths(1))
            {
                if (DemoContributions.Owed(person, m) is not { } status) continue;
                var payment = DemoContributions.PaymentOf(person, m, status.State);
                if (payment is DemoPayment.Missing or DemoPayment.Unpaid || DemoContributions.PaidOn(person, m, status.State) > today)
                    expected.Add(m.ToString());
            }
            Assert.Equal(expected, gaps.GetProperty("months").EnumerateArray().Select(g => g.GetProperty("month").GetString()!).ToList());
        }
    }

    [Fact]
    public async Task Credits_are_the_packs_a_retiree_gets_62_00_a_month()
    {
        var retiree = DemoPopulation.Generate().First(p => p.Status == DemoStatus.Retired && p.Life == DemoLife.Stays);
        var credits = await server.GetJsonAsync($"/api/insured/990100/{retiree.Id.Value}/credits?year=2025");
        var months = credits.GetProperty("credits").EnumerateArray().ToList();
        Assert.Equal(12, months.Count);
        Assert.All(months, m => Assert.Equal("62.00", m.GetProperty("amount").GetString()));
    }

    [Fact]
    public async Task Seeding_again_changes_nothing()
    {
        var before = await CountsAsync(Db);

        var again = await server.Service<DemoSeeder>().SeedAsync(force: true);
        Assert.Equal(0, again.EntriesWritten);
        var quick = await server.Service<DemoSeeder>().SeedAsync();
        Assert.True(quick.AlreadySeeded);

        Assert.Equal(before, await CountsAsync(Db));
        await server.AssertLedgerIsSoundAsync();
    }

    [Fact]
    public async Task Restarting_the_server_on_the_same_database_changes_nothing()
    {
        var before = await CountsAsync(Db);
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
        Assert.Equal(before, await CountsAsync(Db));
        await server.AssertLedgerIsSoundAsync();
    }

    [Fact]
    public void Demo_people_are_the_same_on_every_run()
    {
        var a = DemoPopulation.Generate();
        var b = DemoPopulation.Generate();
        Assert.Equal(a.Select(p => p.Id.Value), b.Select(p => p.Id.Value));
        Assert.Equal(a.Select(Describe), b.Select(Describe));
        static string Describe(DemoPerson p) =>
            $"{p.Name} {p.Status} {p.Wage} {p.EnrolledOn} {p.Life} {p.PaySeed} " +
            string.Join(",", p.History.Events.Select(e => $"{e.Kind}@{e.EffectiveOn}:{e.Employer}")) + " " +
            string.Join(",", p.Spends.Select(s => $"{s.On}:{s.Amount.Fen}"));
    }

    private static int AgeOn(DateOnly birth, DateOnly day) =>
        day.Year - birth.Year - (day < birth.AddYears(day.Year - birth.Year) ? 1 : 0);

    internal static async Task<Dictionary<string, long>> CountsAsync(YibaoDatabase db)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "region", "employer", "insured", "insured_status", "contribution", "batch_run", "application", "ledger_account", "account_balance", "journal_entry", "posting" })
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

    /// <summary>A second server process on a database another one already seeded, on the same day.</summary>
    private sealed class SameDatabaseServer(string path) : YibaoServer(seedDemo: true, clock: new FixedClock(DemoServer.Today), databasePath: path);
}
