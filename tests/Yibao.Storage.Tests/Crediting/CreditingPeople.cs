using System.Globalization;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Crediting;

/// <summary>A status change of a test person (hire, leave, retire, die, rejoin, enrol).</summary>
internal sealed record TestEvent(string Event, string Status, DateOnly On);

/// <summary>
/// Test people written with plain SQL into the issue-5 tables (region, employer, insured,
/// insured_status, contribution), so the crediting tests do not depend on the records layer.
/// </summary>
internal static class CreditingPeople
{
    private static int _sequence;

    public static async Task RegionAsync(YibaoDatabase db, string region, string name = "测试市")
    {
        await db.InTransactionAsync(async s =>
        {
            await using var cmd = s.Command("INSERT INTO region (code, name, created_on) VALUES (@c, @n, @d) ON CONFLICT (code) DO NOTHING")
                .With("c", region).With("n", name).With("d", new DateOnly(1999, 1, 1));
            await cmd.ExecuteNonQueryAsync();
            return 0;
        });
    }

    /// <summary>A valid, unique ID number of someone born on <paramref name="birth"/> in the region.</summary>
    public static string NewId(string region, DateOnly birth, bool male = true, int? sequence = null)
    {
        var n = (sequence ?? Interlocked.Increment(ref _sequence)) % 500;
        return IdNumber.Create(RegionCode.Parse(region), birth, n * 2 + (male ? 1 : 0)).Value;
    }

    public static async Task<long> PersonAsync(
        YibaoDatabase db, string region, string idNumber, string status, DateOnly enrolledOn,
        long? declaredWageFen = null, string scheme = "employee", DateOnly? deathDate = null, params TestEvent[] history)
    {
        return await db.InTransactionAsync(async s =>
        {
            var id = IdNumber.Parse(idNumber);
            long insuredId;
            await using (var cmd = s.Command(
                             "INSERT INTO insured (region_code, id_number, name, sex, birth_date, status, enrolled_on, scheme, declared_wage, death_date) " +
                             "VALUES (@r, @id, @n, @sex, @b, @st, @en, @sc, @w, @dd) RETURNING id")
                         .With("r", region).With("id", idNumber).With("n", "测试" + idNumber[^4..]).With("sex", id.Sex == Sex.Male ? "M" : "F")
                         .With("b", id.BirthDate).With("st", status).With("en", enrolledOn).With("sc", scheme).With("w", declaredWageFen).With("dd", deathDate))
                insuredId = Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            foreach (var e in history)
            {
                await using var ev = s.Command(
                        "INSERT INTO insured_status (insured_id, region_code, event, status, effective_on, recorded_at) VALUES (@i, @r, @e, @s, @on, @at)")
                    .With("i", insuredId).With("r", region).With("e", e.Event).With("s", e.Status).With("on", e.On)
                    .With("at", s.Engine == Engine.Postgres ? DateTimeOffset.UtcNow : DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                await ev.ExecuteNonQueryAsync();
            }
            return insuredId;
        });
    }

    /// <summary>A person with a personal account already opened (as enrolment does).</summary>
    public static async Task<long> PersonWithAccountAsync(
        YibaoDatabase db, string region, string idNumber, string status, DateOnly enrolledOn,
        long? declaredWageFen = null, string scheme = "employee", DateOnly? deathDate = null, params TestEvent[] history)
    {
        var insuredId = await PersonAsync(db, region, idNumber, status, enrolledOn, declaredWageFen, scheme, deathDate, history);
        await new LedgerStore(db, TimeProvider.System).OpenAccountAsync(AccountCode.Personal(RegionCode.Parse(region), idNumber), enrolledOn);
        return insuredId;
    }

    /// <summary>
    /// A contribution month (no employer: the person's own, 8% + 2% of the base), recorded through the
    /// records layer, so its money is in the ledger as any recorded month's is (billed when due,
    /// received into the pooled fund when paid).
    /// </summary>
    public static async Task ContributionAsync(YibaoDatabase db, string region, long insuredId, string month, long baseFen, bool paid)
    {
        var m = Yibao.Domain.Time.YearMonth.Parse(month);
        string idNumber;
        await using (var c = await db.ConnectAsync())
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT id_number FROM insured WHERE id = @i";
            cmd.With("i", insuredId);
            idNumber = (string)(await cmd.ExecuteScalarAsync())!;
        }
        var contribution = new ContributionMonth(m, null, Money.FromFen(baseFen), Money.FromFen(baseFen * 8 / 100), Money.FromFen(baseFen * 2 / 100),
            m.LastDay, paid ? m.LastDay.AddDays(-5) : null);
        // A clock far ahead: the helper records facts of any month; "not in the future" is the edge's check.
        await new RecordsStore(db, Far).RecordContributionsAsync(RegionCode.Parse(region), [new ContributionRow(1, IdNumber.Parse(idNumber), null, contribution)], "test");
    }

    private static readonly TimeProvider Far = new FixedClock(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static async Task<long> ScalarAsync(YibaoDatabase db, string sql, params (string Name, object? Value)[] args)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.With(name, value);
        var v = await cmd.ExecuteScalarAsync();
        return v is null or DBNull ? 0 : Convert.ToInt64(v, CultureInfo.InvariantCulture);
    }

    /// <summary>Every account's balance by segment, for comparing two databases.</summary>
    public static async Task<SortedDictionary<string, long>> BalancesAsync(YibaoDatabase db)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT a.code, b.segment, SUM(b.balance) FROM account_balance b JOIN ledger_account a ON a.id = b.account_id GROUP BY a.code, b.segment";
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) result[$"{r.GetString(0)}/{r.GetString(1)}"] = Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture);
        return result;
    }
}
