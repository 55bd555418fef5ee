using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Server.Tests;

/// <summary>A clock the tests move from day to day (10:00 in China on the day set).</summary>
public sealed class MovableClock : TimeProvider
{
    private DateTimeOffset now = new(2025, 11, 15, 2, 0, 0, TimeSpan.Zero);

    public void Set(DateOnly chinaDay) => now = new DateTimeOffset(chinaDay.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => now;
}

public sealed class CalendarServer() : YibaoServerWithClock(CalendarTests.Clock);

/// <summary>Deadlines over HTTP on the calendars the server loaded: 2022–2024 notices, the provisional 2027 (K17).</summary>
public sealed class CalendarTests(CalendarServer server) : IClassFixture<CalendarServer>
{
    internal static readonly MovableClock Clock = new();
    private static int _next;

    private async Task<string> PersonAsync(bool died = false)
    {
        var region = RegionCode.Demo;
        var records = server.Service<RecordsStore>();
        var id = IdNumber.Create(region, new DateOnly(1979, 4, 4), 300 + Interlocked.Increment(ref _next));
        await records.EnsureRegionAsync(region, "示例市", new DateOnly(2020, 1, 1));
        await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(region, id, "吴先生", InsuredScheme.Employee, InsuredState.FlexibleEmployed,
            null, Money.Parse("6000.00"), new DateOnly(2020, 1, 1), null, "CHN")));
        var ledger = server.Service<LedgerStore>();
        await ledger.OpenAccountAsync(AccountCode.Of(region, AccountKind.PooledFund), new DateOnly(1999, 1, 1));
        await ledger.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = $"opening/{id.Value}", Region = region, ReasonCode = "opening-balance", BusinessDate = new DateOnly(2020, 1, 1),
            Actor = "test", PolicyVersion = "test",
            Postings = [new PostingLine(AccountCode.Personal(region, id.Value), Segment.Historical, Money.Parse("1000.00")),
                        new PostingLine(AccountCode.Of(region, AccountKind.PooledFund), Segment.Main, -Money.Parse("1000.00"))],
        });
        // A death withdrawal rests on the death on record.
        if (died) await records.AppendEventAsync(region, id, StatusEventKind.Die, Dates.TodayInChina(Clock), null);
        return id.Value;
    }

    private static readonly object Withdrawal = new
    {
        reason = "death",
        materials = new[] { "death-certificate", "heir-proof", "heir-id" },
        writtenApplication = true,
        bankAccount = "6222 0000 1111 2345",
    };

    private static readonly object Transfer = new { targetRegion = "620100" };

    /// <summary>The decision a check answers (withdrawal or transfer, by the body).</summary>
    private async Task<JsonElement> CheckAsync(string id, object body)
    {
        var kind = ReferenceEquals(body, Transfer) ? "transfers" : "withdrawals";
        // 620100 must be a region this database serves for a balance to be sent there.
        await server.Service<RecordsStore>().EnsureRegionAsync(RegionCode.Parse("620100"), "兰州市", new DateOnly(2020, 1, 1));
        using var response = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/{kind}/check", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"check answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision");
    }

    [Fact]
    public async Task Withdrawal_and_transfer_deadlines_of_2024_fall_on_their_real_dates()
    {
        Clock.Set(new DateOnly(2024, 9, 27));
        var id = await PersonAsync(died: true);

        var withdrawal = await CheckAsync(id, Withdrawal);
        Assert.False(withdrawal.GetProperty("provisional").GetBoolean());
        Assert.Equal("2024-09-27", withdrawal.GetProperty("acceptedOn").GetString());
        Assert.Equal("2024-10-30", withdrawal.GetProperty("dueOn").GetString());

        // 国庆 2024: 09-29 (Sun) and 10-12 (Sat) worked, 10-01 … 10-07 off.
        var transfer = await CheckAsync(await PersonAsync(), Transfer);
        Assert.Equal("2024-10-16", transfer.GetProperty("dueOn").GetString());
        Assert.Equal("2024-10-23", transfer.GetProperty("targetDueOn").GetString());
    }

    [Fact]
    public async Task Checks_in_December_2026_reach_into_the_provisional_2027_instead_of_failing()
    {
        Clock.Set(new DateOnly(2026, 12, 4));
        var id = await PersonAsync(died: true);

        var withdrawal = await CheckAsync(id, Withdrawal);
        Assert.Equal("2027-01-04", withdrawal.GetProperty("dueOn").GetString());
        Assert.True(withdrawal.GetProperty("provisional").GetBoolean());
        Assert.Contains(withdrawal.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "K17");

        // A transfer's 10 working days from 12-04 end on 12-18; from 12-24 they reach 2027.
        Clock.Set(new DateOnly(2026, 12, 24));
        var decision = await CheckAsync(await PersonAsync(), Transfer);
        Assert.Equal("2027-01-08", decision.GetProperty("dueOn").GetString());
        Assert.True(decision.GetProperty("provisional").GetBoolean());
        Assert.Contains(decision.GetProperty("reasons").EnumerateArray(), r =>
            r.GetProperty("ruleId").GetString() == "K17" &&
            r.GetProperty("zh").GetString()!.Contains("2027 年放假安排尚未公布，按《全国年节及纪念日放假办法》暂定", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deadline_beyond_the_provisional_year_is_refused_with_its_code()
    {
        Clock.Set(new DateOnly(2027, 12, 20));
        var id = await PersonAsync();

        await server.Service<RecordsStore>().EnsureRegionAsync(RegionCode.Parse("620100"), "兰州市", new DateOnly(2020, 1, 1));
        using var response = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/transfers/check", Transfer);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("calendar-year-not-loaded", problem.GetProperty("code").GetString());
    }

    [Fact]
    public void The_server_loads_the_shipped_calendars_with_2027_provisional()
    {
        var calendars = server.Service<HolidayCalendars>();

        Assert.Equal([2022, 2023, 2024, 2025, 2026], calendars.Years);
        Assert.Equal(2027, calendars.ProvisionalYear);
    }
}
