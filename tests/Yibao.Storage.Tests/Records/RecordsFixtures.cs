using System.Globalization;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Storage.Records;

namespace Yibao.Storage.Tests.Records;

internal static class RecordsFixtures
{
    public static readonly RegionCode Region = RegionCode.Demo;

    /// <summary>"Now" for the records tests: 2025-11-15 in China.</summary>
    public static readonly TimeProvider Clock = new StillClock(new DateTimeOffset(2025, 11, 15, 2, 0, 0, TimeSpan.Zero));

    public static RecordsStore Store(YibaoDatabase db) => new(db, Clock);

    public static CreditCode EmployerCode(int n) =>
        CreditCode.Create('9', '1', Region, "MA" + n.ToString("D6", CultureInfo.InvariantCulture));

    public static IdNumber Person(int n) =>
        IdNumber.Create(Region, new DateOnly(1980, 1, 1).AddDays(n / 1000), n % 1000);

    public static async Task<RecordsStore> ReadyAsync(YibaoDatabase db, int employers = 2)
    {
        var store = Store(db);
        await store.EnsureRegionAsync(Region, "示例市", new DateOnly(2020, 1, 1));
        for (var i = 1; i <= employers; i++)
            await store.RegisterEmployerAsync(new Employer(EmployerCode(i), Region, $"示例单位{i}"));
        return store;
    }

    public static InsuredEnrolment Employed(int person, int employer, string enrolledOn = "2024-01-01") =>
        InsuredEnrolment.Create(Region, Person(person).Value, $"参保人{person}", null, "employed", EmployerCode(employer).Value, "8000.00", enrolledOn, null, null);

    public static InsuredEnrolment Flexible(int person, string enrolledOn = "2024-01-01") =>
        InsuredEnrolment.Create(Region, Person(person).Value, $"参保人{person}", null, "flexible", null, "6000.00", enrolledOn, null, null);

    /// <summary>A contribution row of 8,000.00 at 8% + 2%, due on the month's last day.</summary>
    public static ContributionRow Row(int person, string month, int? employer = 1, string? paid = null, string basis = "8000.00", long line = 0)
    {
        var ym = Yibao.Domain.Time.YearMonth.Parse(month);
        return new ContributionLine(line, Person(person).Value, null, employer is { } e ? EmployerCode(e).Value : null, month,
            basis, "640.00", "160.00", Yibao.Domain.Time.Dates.Format(ym.LastDay), paid).Parse(new DateOnly(2025, 11, 15));
    }

    public static async Task<long> CountAsync(YibaoDatabase db, string table)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public static async Task<(long Insured, long Events, long Contributions, long Accounts, long Employers)> CountsAsync(YibaoDatabase db) =>
        (await CountAsync(db, "insured"), await CountAsync(db, "insured_status"), await CountAsync(db, "contribution"),
         await CountAsync(db, "ledger_account"), await CountAsync(db, "employer"));

    public static async IAsyncEnumerable<ContributionLine> Lines(IEnumerable<ContributionLine> lines)
    {
        foreach (var l in lines)
        {
            await Task.Yield();
            yield return l;
        }
    }
}

/// <summary>A clock that stands still.</summary>
internal sealed class StillClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
