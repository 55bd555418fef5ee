using System.Globalization;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Backfill;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Money = Yibao.Domain.Money.Money;
using Rate = Yibao.Domain.Money.Rate;

namespace Yibao.Storage.Tests.Backfill;

/// <summary>People, employers and contributions on record for back-pay tests.</summary>
internal static class BackfillFixtures
{
    public static readonly RegionCode Region = RegionCode.Demo;
    public static readonly CreditCode EmployerCode = CreditCode.Create('9', '1', Region, "BF000001");

    /// <summary>张先生 of WE-10 (employed) and 李女士 of WE-08 (flexible), and a retiree.</summary>
    public static readonly string Zhang = IdNumber.Create(Region, new DateOnly(1985, 6, 1), 11).Value;
    public static readonly string Li = IdNumber.Create(Region, new DateOnly(1988, 2, 3), 22).Value;
    public static readonly string Wang = IdNumber.Create(Region, new DateOnly(1955, 1, 9), 31).Value;
    public static readonly string Zhao = IdNumber.Create(Region, new DateOnly(1990, 7, 7), 41).Value;

    public static BackfillPoster Poster(YibaoDatabase db) =>
        new(db, new LedgerStore(db, TimeProvider.System), PolicyPackLoader.Embedded, TimeProvider.System);

    public static RecordsStore Records(YibaoDatabase db) => new(db, TimeProvider.System);

    /// <summary>Through the records service, as the server records people; 赵先生 as the demo seeder wrote people (employed, no employer, no history).</summary>
    public static async Task SeedAsync(YibaoDatabase db)
    {
        var records = Records(db);
        await records.EnsureRegionAsync(Region, "示例市", new DateOnly(2020, 1, 1));
        await records.RegisterEmployerAsync(new Employer(EmployerCode, Region, "示例市补缴测试有限公司"));
        await Enrol(records, Zhang, "张先生", InsuredState.Employed, EmployerCode, "8000.00");
        await Enrol(records, Li, "李女士", InsuredState.FlexibleEmployed, null, "7000.00");
        await Enrol(records, Wang, "王老师", InsuredState.Retired, null, null);
        await db.InTransactionAsync(async s =>
        {
            var zhao = IdNumber.Parse(Zhao);
            await using var cmd = s.Command(
                    "INSERT INTO insured (region_code, id_number, name, sex, birth_date, status, enrolled_on, declared_wage) " +
                    "VALUES (@r, @id, '赵先生', 'M', @b, 'employed', @e, 600000)")
                .With("r", Region.Value).With("id", Zhao).With("b", zhao.BirthDate).With("e", new DateOnly(2020, 1, 1));
            await cmd.ExecuteNonQueryAsync();
            await LedgerStore.OpenAccountAsync(s, AccountCode.Personal(Region, Zhao), new DateOnly(2020, 1, 1));
            return 0;
        });
    }

    private static Task Enrol(RecordsStore records, string id, string name, InsuredState state, CreditCode? employer, string? wage) =>
        records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(Region, IdNumber.Parse(id), name, InsuredScheme.Employee, state, employer,
            wage is null ? null : Money.Parse(wage), new DateOnly(2020, 1, 1), null, "CHN")));

    /// <summary>Records 李女士's months at base 7,000.00 and 10% as paid (normal contributions) or owed (paid date empty).</summary>
    public static async Task ContributionsAsync(YibaoDatabase db, string id, bool paid, params string[] months)
    {
        var rows = months.Select((m, i) =>
        {
            var month = YearMonth.Parse(m);
            return new ContributionRow(i + 1, IdNumber.Parse(id), null, new ContributionMonth(
                month, null, Money.Parse("7000.00"), Money.Zero, Money.Parse("700.00"), month.LastDay, paid ? month.LastDay : null));
        }).ToList();
        await Records(db).RecordContributionsAsync(Region, rows, "test");
    }

    public static BackfillPaymentRequest Request(string id, ArrearsCause cause, string paidOn, string? baseYuan, string? rate, params string[] months) =>
        new(Region, id, cause, months.Select(YearMonth.Parse).ToList(), Dates.Parse(paidOn),
            baseYuan is null ? null : Money.Parse(baseYuan), rate is null ? null : Rate.Parse(rate), "test");

    /// <summary>WE-10: 张先生's employer missed 2025-03 and 2025-04 (base 8,000.00) and paid on 2025-05-20.</summary>
    public static BackfillPaymentRequest We10() => Request(Zhang, ArrearsCause.Employer, "2025-05-20", "8000.00", null, "2025-03", "2025-04");

    /// <summary>WE-08/09: 李女士 back-pays 2025-01…04 on a base of 7,000.00 at 10% on 2025-06-16.</summary>
    public static BackfillPaymentRequest We09(string rate = "0.10") =>
        Request(Li, ArrearsCause.Individual, "2025-06-16", "7000.00", rate, "2025-01", "2025-02", "2025-03", "2025-04");

    public static async Task<Money> BalanceAsync(YibaoDatabase db, AccountCode code) =>
        (await new LedgerStore(db, TimeProvider.System).GetBalanceAsync(code)).Total;

    public static AccountCode Account(AccountKind kind) => AccountCode.Of(Region, kind);

    public static async Task<long> ScalarAsync(YibaoDatabase db, string sql)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
