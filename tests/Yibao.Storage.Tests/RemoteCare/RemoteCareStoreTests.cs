using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.RemoteCare;
using Yibao.Domain.Identity;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Yibao.Storage.RemoteCare;
using Yibao.Storage.Tests.Crediting;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.RemoteCare;

/// <summary>异地就医备案 through storage on each engine (policy-reference A8, K13, WE-60, WE-61).</summary>
public abstract class RemoteCareStoreTests(Engine engine)
{
    private static readonly RegionCode Region = RegionCode.Demo;
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2026, 6, 15, 2, 0, 0, TimeSpan.Zero));
    private static readonly IdNumber Worker = IdNumber.Create(Region, new DateOnly(1985, 6, 1), 71);
    private static readonly IdNumber Retiree = IdNumber.Create(Region, new DateOnly(1955, 1, 9), 81);
    private static readonly RegionCode Guangzhou = RegionCode.Parse("440100");
    private static readonly RegionCode Guangdong = RegionCode.Parse("440000");

    private async Task<TestDatabase> NewDb()
    {
        var t = await TestDatabase.CreateAsync(engine);
        var records = new RecordsStore(t.Db, Clock);
        await records.EnsureRegionAsync(Region, "示例市", new DateOnly(2020, 1, 1));
        foreach (var (id, state) in new[] { (Worker, InsuredState.FlexibleEmployed), (Retiree, InsuredState.Retired) })
            await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(Region, id, "异地" + id.Value[^4..], InsuredScheme.Employee, state, null,
                null, new DateOnly(2020, 1, 1), null, "CHN")));
        return t;
    }

    private static RemoteCareStore Store(YibaoDatabase db) => new(db, new LedgerStore(db, Clock), PolicyPackLoader.Embedded, Clock);

    private static RemoteCareFilingRequest Filing(RemoteCareCategory category, string validFrom, string? validTo = null, IdNumber? who = null,
        RegionCode? destination = null, string? filedOn = null) =>
        new(Region, who ?? Worker, category, destination ?? Guangzhou, Dates.Parse(filedOn ?? validFrom), Dates.Parse(validFrom),
            validTo is null ? null : Dates.Parse(validTo), "test");

    private static InpatientEstimateRequest Stay(string admittedOn, RegionCode? hospital = null, IdNumber? who = null) =>
        new(Region, who ?? Worker, Dates.Parse(admittedOn), 3, 1, Money.Parse("20000.00"), Money.Zero, Money.Zero, hospital);

    private static async Task<long> FilingsAsync(YibaoDatabase db)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM remote_care_filing";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_long_term_filing_is_open_ended_and_a_temporary_one_lasts_the_regions_six_months()
    {
        await using var t = await NewDb();
        var moved = await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Moved, "2025-01-01", destination: Guangdong));
        Assert.True(moved.Created);
        Assert.Equal((RemoteCareKind.LongTerm, (DateOnly?)null), (moved.Filing.Kind, moved.Filing.ValidTo));
        await Store(t.Db).RevokeAsync(Region, Worker, moved.Filing.Id, new DateOnly(2025, 7, 1), "test");

        // WE-61: filed 2025-07-01 for 6 months → valid to 2025-12-31 (start + 6 months − 1 day).
        var temporary = await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Other, "2025-07-01"));
        Assert.Equal((RemoteCareKind.TemporaryOther, (DateOnly?)new DateOnly(2025, 12, 31)), (temporary.Filing.Kind, temporary.Filing.ValidTo));
        Assert.StartsWith("000000@", temporary.Filing.PolicyVersion, StringComparison.Ordinal);

        var mine = await Store(t.Db).ListAsync(Region, Worker);
        Assert.Equal([RemoteCareCategory.Moved, RemoteCareCategory.Other], mine.Select(f => f.Category));
        Assert.Equal(new DateOnly(2025, 7, 1), mine[0].RevokedOn);
    }

    [Fact]
    public async Task The_estimate_takes_the_remote_care_input_from_the_filing_in_force_on_the_admission_day()
    {
        await using var t = await NewDb();
        var filing = (await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Other, "2025-07-01"))).Filing;

        // WE-61 a + WE-60 b: covered on 2025-12-31, temporary without referral → 85% − 10 points.
        var covered = await Store(t.Db).EstimateAsync(Stay("2025-12-31", Guangzhou));
        Assert.Equal((RemoteCareKind.TemporaryOther, filing.Id), (covered.RemoteCare, covered.Filing?.Id));
        Assert.Equal((Money.Parse("14475.00"), Money.Parse("5525.00")), (covered.Split.Fund, covered.Split.Individual));
        Assert.Equal(InsuredStatus.Flexible, covered.Status);

        // WE-61 b: on 2026-01-05 the filing no longer covers; a stay in 广州 needs a renewed filing first.
        var expired = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).EstimateAsync(Stay("2026-01-05", Guangzhou)));
        Assert.Equal("remote-care-filing-required", expired.Error.Code?.Value);
        // Without a hospital region, and with none in force, the stay is local.
        var local = await Store(t.Db).EstimateAsync(Stay("2026-01-05"));
        Assert.Equal((RemoteCareKind.None, (RemoteCareFilingRecord?)null), (local.RemoteCare, local.Filing));
        Assert.Equal(Money.Parse("16405.00"), local.Split.Fund);
    }

    [Fact]
    public async Task A_long_term_filing_keeps_the_home_benefits_there_and_at_home()
    {
        await using var t = await NewDb();
        await Store(t.Db).FileAsync(Filing(RemoteCareCategory.RetireeElsewhere, "2025-01-01", who: Retiree, destination: Guangdong));

        var there = await Store(t.Db).EstimateAsync(Stay("2025-06-01", Guangzhou, Retiree)); // 广州 is inside 广东
        Assert.Equal(RemoteCareKind.LongTerm, there.RemoteCare);
        Assert.Equal(Money.Parse("17563.00"), there.Split.Fund); // WE-52: retiree 91%, no reduction (WE-60 a)
        var home = await Store(t.Db).EstimateAsync(Stay("2025-06-01", Region, Retiree));
        Assert.Equal((RemoteCareKind.None, Money.Parse("17563.00")), (home.RemoteCare, home.Split.Fund));
        var elsewhere = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).EstimateAsync(Stay("2025-06-01", RegionCode.Parse("620100"), Retiree)));
        Assert.Equal("remote-care-filing-required", elsewhere.Error.Code?.Value);
    }

    [Fact]
    public async Task A_revoked_filing_is_not_used_from_its_revocation_day()
    {
        await using var t = await NewDb();
        var filing = (await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Referral, "2025-07-01"))).Filing;
        var revoked = await Store(t.Db).RevokeAsync(Region, Worker, filing.Id, new DateOnly(2025, 10, 1), "test");
        Assert.False(revoked.Replayed);
        Assert.True((await Store(t.Db).RevokeAsync(Region, Worker, filing.Id, new DateOnly(2025, 10, 1), "test")).Replayed);

        Assert.Equal(RemoteCareKind.TemporaryReferral, (await Store(t.Db).EstimateAsync(Stay("2025-09-30"))).RemoteCare);
        Assert.Equal(RemoteCareKind.None, (await Store(t.Db).EstimateAsync(Stay("2025-10-01"))).RemoteCare);
        Assert.Null(await Store(t.Db).InForceAsync(Region, Worker, new DateOnly(2025, 10, 1)));

        // The days it no longer covers may be filed again.
        var next = await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Moved, "2025-10-01"));
        Assert.Equal(next.Filing.Id, (await Store(t.Db).InForceAsync(Region, Worker, new DateOnly(2025, 12, 1)))?.Id);
        var again = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).RevokeAsync(Region, Worker, filing.Id, new DateOnly(2025, 11, 1), "test"));
        Assert.Equal("remote-care-filing-already-revoked", again.Error.Code?.Value);
    }

    [Fact]
    public async Task The_same_filing_again_is_a_replay_and_an_overlapping_one_is_refused()
    {
        await using var t = await NewDb();
        var first = await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Other, "2025-07-01"));
        var again = await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Other, "2025-07-01"));
        Assert.False(again.Created);
        Assert.Equal(first.Filing.Id, again.Filing.Id);

        foreach (var overlapping in new[]
                 {
                     Filing(RemoteCareCategory.Moved, "2025-12-31"),                         // open-ended, from the last day
                     Filing(RemoteCareCategory.Emergency, "2025-06-01", filedOn: "2025-07-02"), // backdated emergency across the start
                     Filing(RemoteCareCategory.Referral, "2025-09-01", destination: RegionCode.Parse("620100")),
                 })
        {
            var e = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).FileAsync(overlapping));
            Assert.Equal("remote-care-filing-overlaps", e.Error.Code?.Value);
        }
        // The day after its end is free.
        Assert.True((await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Moved, "2026-01-01"))).Created);
        Assert.Equal(2, await FilingsAsync(t.Db));
    }

    [Fact]
    public async Task Invalid_dates_and_places_are_named_errors_and_write_nothing()
    {
        await using var t = await NewDb();
        async Task<string> Code(RemoteCareFilingRequest r) => (await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).FileAsync(r))).Error.Code.Value;

        Assert.Equal("invalid-date-range", await Code(Filing(RemoteCareCategory.Other, "2025-07-01", "2025-06-30")));
        Assert.Equal("invalid-field", await Code(Filing(RemoteCareCategory.Other, "2025-07-01", "2025-12-30")));  // shorter than 6 months
        Assert.Equal("invalid-field", await Code(Filing(RemoteCareCategory.Moved, "2025-07-01", "2026-06-30")));  // long-term has no end
        Assert.Equal("invalid-date-range", await Code(Filing(RemoteCareCategory.Referral, "2025-06-01", filedOn: "2025-07-01"))); // backdated
        Assert.Equal("invalid-field", await Code(Filing(RemoteCareCategory.Other, "2026-07-01", filedOn: "2026-07-01")));        // filed ahead of today
        Assert.Equal("invalid-field", await Code(Filing(RemoteCareCategory.Other, "2025-07-01", destination: Region)));
        Assert.Equal("invalid-field", await Code(Filing(RemoteCareCategory.Other, "2025-07-01", destination: RegionCode.Parse("990102"))));
        Assert.Equal("remote-care-filing-not-eligible", await Code(Filing(RemoteCareCategory.RetireeElsewhere, "2025-07-01"))); // not retired
        Assert.Equal("unknown-insured", await Code(Filing(RemoteCareCategory.Other, "2025-07-01", who: IdNumber.Create(Region, new DateOnly(1990, 1, 1), 991))));
        Assert.Equal(0, await FilingsAsync(t.Db));

        // A longer temporary validity may be asked for.
        var longer = await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Referral, "2025-07-01", "2026-03-31"));
        Assert.Equal(new DateOnly(2026, 3, 31), longer.Filing.ValidTo);
        var notFound = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).RevokeAsync(Region, Retiree, longer.Filing.Id, new DateOnly(2025, 8, 1), "test"));
        Assert.Equal("remote-care-filing-not-found", notFound.Error.Code?.Value);
    }

    [Theory]
    [InlineData("999999")]   // issue 10 item 6: six digits, no such region
    [InlineData("123456")]
    [InlineData("990200")]   // the demo province's codes are not places
    [InlineData("110199")]   // a county that Beijing does not have
    [InlineData("320576")]   // 苏州工业园区: a statistics-only zone, not in GB/T 2260
    public async Task A_destination_that_is_no_real_place_is_refused_and_writes_nothing(string destination)
    {
        await using var t = await NewDb();
        var refused = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).FileAsync(Filing(RemoteCareCategory.Other, "2025-07-01", destination: RegionCode.Parse(destination))));
        Assert.Equal("unknown-destination", refused.Error.Code?.Value);
        Assert.Equal(destination, refused.Error.Details["destination"]);
        Assert.Equal(0, await FilingsAsync(t.Db));
    }

    [Theory]
    [InlineData("310000")]   // 上海市 (a province-level municipality)
    [InlineData("440106")]   // 广州市天河区 (a county-level district)
    [InlineData("320583")]   // 昆山市 (a county-level city)
    public async Task A_real_province_city_or_county_is_a_destination(string destination)
    {
        await using var t = await NewDb();
        var filed = await Store(t.Db).FileAsync(Filing(RemoteCareCategory.Other, "2025-07-01", destination: RegionCode.Parse(destination)));
        Assert.True(filed.Created);
        Assert.Equal(destination, filed.Filing.Destination.Value);
    }
}

public sealed class SqliteRemoteCareStoreTests() : RemoteCareStoreTests(Engine.Sqlite);
public sealed class PostgresRemoteCareStoreTests() : RemoteCareStoreTests(Engine.Postgres);
