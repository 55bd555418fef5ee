using Yibao.Domain.Calendars;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using Yibao.Storage.Applications;
using Yibao.Storage.Ledger;
using static Yibao.Storage.Tests.Applications.ApplicationFixtures;

namespace Yibao.Storage.Tests.Applications;

/// <summary>K17: a deadline counted on the provisional 2027 is counted again once the 2027 notice is loaded, with an audit record; nothing else changes.</summary>
public abstract class ProvisionalDeadlineTests(Engine engine)
{
    private static readonly DateOnly December4 = new(2026, 12, 4);

    /// <summary>A made-up 2027 notice that, unlike the statutory rule, also gives 2027-01-04 off (a 元旦 bridge day).</summary>
    private const string Notice2027 = """
        { "year": 2027, "papers": ["https://www.gov.cn/test-notice-2027"], "notice": "测试用 2027 年节假日安排",
          "days": [ {"date": "2027-01-01", "name": "元旦", "isOffDay": true}, {"date": "2027-01-04", "name": "元旦", "isOffDay": true} ] }
        """;

    [Fact]
    public async Task Loading_the_notice_counts_a_provisional_deadline_again_and_records_why()
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        var clock = new DayClock(December4);
        var person = await DeceasedAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);
        var filed = (await store.SubmitAsync(Death(Demo, person), "insured")).OrThrow().Application;
        Assert.True(filed.DeadlinesProvisional);
        Assert.Equal(new DateOnly(2027, 1, 4), filed.DueOn);
        Assert.Contains(filed.Decision.Reasons, r => r.RuleId == "K17");

        // Nothing to do while 2027 is still provisional.
        Assert.Empty(await ProvisionalDeadlines.RecomputeAsync(t.Db, PolicyPackLoader.Embedded, HolidayCalendars.Shipped, clock));

        var published = HolidayCalendars.Load([("national-2027.json", Notice2027)]);
        Assert.True(published.IsPublished(2027));
        var changed = Assert.Single(await ProvisionalDeadlines.RecomputeAsync(t.Db, PolicyPackLoader.Embedded, published, clock));

        Assert.Equal((new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 5)), (changed.Before.DueOn, changed.After.DueOn));
        var app = await store.GetAsync(filed.Id);
        Assert.Equal(new DateOnly(2027, 1, 5), app.DueOn);
        Assert.False(app.DeadlinesProvisional);
        Assert.Equal(new DateOnly(2027, 1, 5), app.Decision.Deadlines.DueOn);
        Assert.Equal(filed.Status, app.Status);
        var audit = app.Events[^1];
        Assert.Equal((ProvisionalDeadlines.Action, filed.Status, filed.Status), (audit.Action, audit.From, audit.To));
        Assert.Contains("2027-01-04 → 2027-01-05", audit.ReasonZh, StringComparison.Ordinal);
        Assert.Contains("2027 年放假安排已公布", audit.ReasonZh, StringComparison.Ordinal);
        Assert.Contains("2027-01-04 → 2027-01-05", audit.ReasonEn, StringComparison.Ordinal);
        Assert.Equal(ApplicationStore.SystemActor, audit.Actor);
        // Once is enough: a second start finds nothing provisional.
        Assert.Empty(await ProvisionalDeadlines.RecomputeAsync(t.Db, PolicyPackLoader.Embedded, published, clock));
        Assert.Equal(Yibao.Domain.Money.Money.Parse("5432.10"), (await new LedgerStore(t.Db, clock).GetBalanceAsync(Yibao.Domain.Ledger.AccountCode.Personal(Demo, person.Value))).Total);
    }

    [Fact]
    public async Task A_deadline_inside_a_published_year_is_not_provisional_and_is_left_alone()
    {
        await using var t = await TestDatabase.CreateAsync(engine);
        var clock = new DayClock(new DateOnly(2026, 11, 2));
        var person = await DeceasedAsync(t.Db, Demo, clock);
        var filed = (await Store(t.Db, clock).SubmitAsync(Death(Demo, person), "insured")).OrThrow().Application;

        Assert.False(filed.DeadlinesProvisional);
        Assert.Empty(await ProvisionalDeadlines.RecomputeAsync(t.Db, PolicyPackLoader.Embedded, HolidayCalendars.Load([("national-2027.json", Notice2027)]), clock));
    }
}

public sealed class SqliteProvisionalDeadlineTests() : ProvisionalDeadlineTests(Engine.Sqlite);
public sealed class PostgresProvisionalDeadlineTests() : ProvisionalDeadlineTests(Engine.Postgres);
