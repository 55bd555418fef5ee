using System.Globalization;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.FamilyAid;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Yibao.Storage.Tests.Crediting;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.FamilyAid;

/// <summary>Owner A of D-G (in-service in 990100), the relatives of the worked examples, and the requests they make.</summary>
internal static class FamilyAidFixtures
{
    public static readonly RegionCode Region = RegionCode.Demo;

    /// <summary>"Now" for these tests: 2026-06-15 in China, after every date the examples use.</summary>
    public static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2026, 6, 15, 2, 0, 0, TimeSpan.Zero));

    public static readonly IdNumber Owner = IdNumber.Create(Region, new DateOnly(1980, 3, 2), 11);
    /// <summary>The spouse: insured (resident scheme) in 990100.</summary>
    public static readonly IdNumber Spouse = IdNumber.Create(Region, new DateOnly(1982, 5, 6), 22);
    /// <summary>A brother, insured in 990100.</summary>
    public static readonly IdNumber Brother = IdNumber.Create(Region, new DateOnly(1984, 7, 8), 31);
    /// <summary>A grandson (外孙), not insured anywhere yet (WE-44).</summary>
    public static readonly IdNumber Grandson = IdNumber.Create(Region, new DateOnly(2020, 1, 9), 41);
    /// <summary>A mother insured in 兰州 620100, another province (WE-48).</summary>
    public static readonly IdNumber MotherInLanzhou = IdNumber.Create(RegionCode.Parse("620100"), new DateOnly(1955, 4, 4), 52);

    public static FamilyAidStore Store(YibaoDatabase db) => new(db, new LedgerStore(db, Clock), PolicyPackLoader.Embedded, Clock);

    public static AccountCode OwnerAccount => AccountCode.Personal(Region, Owner.Value);

    /// <summary>The people on record and A's account holding <paramref name="currentYear"/> (当年) and <paramref name="historical"/> (历年), paid in from the pooled fund.</summary>
    public static async Task SeedAsync(YibaoDatabase db, string currentYear = "1000.00", string historical = "2000.00")
    {
        var records = new RecordsStore(db, Clock);
        await records.EnsureRegionAsync(Region, "示例市", new DateOnly(2020, 1, 1));
        await Enrol(records, Owner, "王共济", InsuredScheme.Employee);
        await Enrol(records, Spouse, "李配偶", InsuredScheme.Resident);
        await Enrol(records, Brother, "王兄弟", InsuredScheme.Employee);
        await OpeningBalanceAsync(db, Money.Parse(currentYear), Money.Parse(historical));
    }

    private static Task Enrol(RecordsStore records, IdNumber id, string name, InsuredScheme scheme) =>
        records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(Region, id, name, scheme, InsuredState.FlexibleEmployed, null,
            null, new DateOnly(2020, 1, 1), null, "CHN")));

    private static async Task OpeningBalanceAsync(YibaoDatabase db, Money currentYear, Money historical)
    {
        var ledger = new LedgerStore(db, Clock);
        var fund = AccountCode.Of(Region, AccountKind.PooledFund);
        await ledger.OpenAccountAsync(fund, new DateOnly(2020, 1, 1));
        var lines = new List<PostingLine> { new(fund, Segment.Main, -(currentYear + historical)) };
        if (currentYear.IsPositive) lines.Add(new PostingLine(OwnerAccount, Segment.CurrentYear, currentYear));
        if (historical.IsPositive) lines.Add(new PostingLine(OwnerAccount, Segment.Historical, historical));
        if (lines.Count == 1) return;
        await ledger.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = "test-opening/" + Owner.Value,
            Region = Region,
            ReasonCode = "opening-balance",
            BusinessDate = new DateOnly(2024, 1, 1),
            Actor = "test",
            PolicyVersion = "test",
            Postings = lines,
        });
    }

    public static FamilyAidBindingRequest Binding(IdNumber relative, string name, FamilyRelation relation, string boundOn = "2025-03-01",
        string? windowStart = null, string windowEnd = "2026-02-28", bool raisingProof = false, string? relativeRegion = null, bool? insured = null,
        FamilyAidParty consentBy = FamilyAidParty.Relative) =>
        new(Region, Owner, relative, name, relativeRegion is null ? Region : RegionCode.Parse(relativeRegion), insured, relation, raisingProof,
            RelationProof.HouseholdRegister, null, Dates.Parse(boundOn), Dates.Parse(windowStart ?? boundOn), Dates.Parse(windowEnd),
            new FamilyAidConsent(consentBy, ConsentMethod.Online, Dates.Parse(boundOn)), "test");

    public static FamilyAidBindingRequest SpouseBinding() => Binding(Spouse, "李配偶", FamilyRelation.Spouse);

    public static FamilyAidSpendRequest Spend(long binding, string key, string spendOn = "2025-05-10", string amount = "286.50",
        FamilyAidPurpose purpose = FamilyAidPurpose.Pharmacy, bool designated = true, bool? relativeInsured = null) =>
        new(Region, binding, key, purpose, Dates.Parse(spendOn), Money.Parse(amount),
            purpose is FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy ? "P99010000001" : null,
            purpose is FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy ? "示例大药房" : null, designated, relativeInsured, "test");

    public static async Task<Money> BalanceAsync(YibaoDatabase db, AccountCode code)
    {
        try { return (await new LedgerStore(db, Clock).GetBalanceAsync(code)).Total; }
        catch (Domain.Errors.YibaoException e) when (e.Error.Code.Value == "unknown-account") { return Money.Zero; }
    }

    public static async Task<long> ScalarAsync(YibaoDatabase db, string sql)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Bindings, spends and journal entries: what a refusal must leave unchanged.</summary>
    public static async Task<(long Bindings, long Spends, long Entries)> CountsAsync(YibaoDatabase db) =>
        (await ScalarAsync(db, "SELECT COUNT(*) FROM family_aid_binding"), await ScalarAsync(db, "SELECT COUNT(*) FROM family_aid_spend"),
         await ScalarAsync(db, "SELECT COUNT(*) FROM journal_entry"));
}
