using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Calendars;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Storage.Applications;
using Yibao.Storage.Transfer;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Yibao.Storage.Tests.Crediting;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Applications;

/// <summary>People with balances, and the stores the applications tests use.</summary>
internal static class ApplicationFixtures
{
    public static readonly RegionCode Demo = RegionCode.Demo;
    public static readonly RegionCode Lanzhou = RegionCode.Parse("620100");

    private static int _sequence;

    public static ApplicationStore Store(YibaoDatabase db, TimeProvider clock, RegionDatabases? regions = null) =>
        new(db, new LedgerStore(db, clock), PolicyPackLoader.Embedded, HolidayCalendars.Shipped, clock, regions);

    /// <summary>A person enrolled as <see cref="PersonAsync"/> makes them, whose death the agency has recorded on the clock's day (死亡登记).</summary>
    public static async Task<IdNumber> DeceasedAsync(YibaoDatabase db, RegionCode region, TimeProvider clock, string balance = "5432.10")
    {
        var person = await PersonAsync(db, region, clock, balance);
        await new RecordsStore(db, clock).AppendEventAsync(region, person, StatusEventKind.Die, Yibao.Domain.Time.Dates.TodayInChina(clock), null);
        return person;
    }

    /// <summary>The refusal an action answers, whether returned as a value or thrown (bad input, an unknown application).</summary>
    public static async Task<Refusal> RefusedAsync<T>(Func<Task<Outcome<T>>> act)
    {
        try
        {
            return (await act()).Refusal ?? throw new Xunit.Sdk.XunitException("expected a refusal, got a value");
        }
        catch (YibaoException e)
        {
            return e.Error;
        }
    }

    public static async Task RegionAsync(YibaoDatabase db, RegionCode region, TimeProvider clock) =>
        await new RecordsStore(db, clock).EnsureRegionAsync(region, region == Demo ? "示例市" : "测试市", new DateOnly(2000, 1, 1));

    /// <summary>Enrols a person (employed unless said otherwise) and gives the account a historical balance.</summary>
    public static async Task<IdNumber> PersonAsync(YibaoDatabase db, RegionCode region, TimeProvider clock, string balance = "5432.10",
        InsuredState status = InsuredState.FlexibleEmployed, DateOnly? born = null, IdNumber? id = null, string name = "测试人")
    {
        await RegionAsync(db, region, clock);
        var person = id ?? IdNumber.Create(region, born ?? new DateOnly(1975, 1, 1).AddDays(Interlocked.Increment(ref _sequence)), Interlocked.Increment(ref _sequence) % 900);
        await new RecordsStore(db, clock).EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(region, person, name, InsuredScheme.Employee, status, null,
            status == InsuredState.Retired ? null : Money.Parse("6000.00"), new DateOnly(2015, 1, 1), status == InsuredState.Retired ? new DateOnly(2015, 1, 1) : null, "CHN")));
        if (Money.Parse(balance).IsPositive) await FundAsync(db, region, person, Money.Parse(balance), clock);
        return person;
    }

    /// <summary>Money into a personal account's 历年 segment from the pooled fund (an opening balance).</summary>
    public static async Task FundAsync(YibaoDatabase db, RegionCode region, IdNumber person, Money amount, TimeProvider clock, string? key = null)
    {
        var ledger = new LedgerStore(db, clock);
        await ledger.OpenAccountAsync(AccountCode.Of(region, AccountKind.PooledFund), new DateOnly(1999, 1, 1));
        await ledger.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = key ?? $"opening/{region.Value}/{person.Value}",
            Region = region, ReasonCode = "opening-balance", BusinessDate = new DateOnly(2024, 12, 31), Actor = "test", PolicyVersion = "test",
            Postings = [new PostingLine(AccountCode.Personal(region, person.Value), Segment.Historical, amount),
                        new PostingLine(AccountCode.Of(region, AccountKind.PooledFund), Segment.Main, -amount)],
        });
    }

    public static async Task<AccountBalance> BalanceAsync(YibaoDatabase db, RegionCode region, IdNumber person) =>
        await new LedgerStore(db, TimeProvider.System).GetBalanceAsync(AccountCode.Personal(region, person.Value));

    public static async Task<Money> AccountAsync(YibaoDatabase db, AccountCode code) =>
        (await new LedgerStore(db, TimeProvider.System).GetBalanceAsync(code)).Total;

    public static IReadOnlyList<WithdrawalMaterial> Materials(params string[] codes) =>
        codes.Select(c => WithdrawalNames.TryParseMaterial(c, out var m) ? m : throw new ArgumentException(c)).ToList();

    /// <summary>WE-22: death; the heirs bring the death certificate, the heir proof and their ID.</summary>
    public static ApplicationSubmission Death(RegionCode region, IdNumber person, IdNumber? heir = null, params string[] materials) =>
        new(region, person, ApplicationKind.Withdrawal, Materials(materials.Length > 0 ? materials : ["death-certificate", "heir-proof", "heir-id"]),
            Withdrawal: new WithdrawalClaim(WithdrawalReason.Death, true, heir, heir is null ? null : "继承人", "6222 0000 0000 1234"));

    public static ApplicationSubmission TransferOf(RegionCode region, IdNumber person, RegionCode target) =>
        new(region, person, ApplicationKind.Transfer, [], Transfer: new TransferClaim(target));
}
