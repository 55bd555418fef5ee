using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Time;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Storage.Applications;
using Yibao.Storage.Transfer;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using static Yibao.Storage.Tests.Applications.ApplicationFixtures;
using static Yibao.Storage.Tests.Crediting.CreditingPeople;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Applications;

/// <summary>
/// 转移接续 from 990100 to 620100 as a message exchange, with both regions in one database and with
/// each in its own (two SQLite files; SQLite and PostgreSQL): nothing needs a shared transaction.
/// WE-39: the whole balance 3,456.78 moves, no fee.
/// </summary>
public abstract class TransferApplicationTests(Engine source, Engine? apart)
{
    private const string Reviewer = "reviewer:李审核";
    private static readonly DateOnly October9 = new(2025, 10, 9);
    private const string Balance = "3456.78";

    private sealed class Regions(TestDatabase sourceDb, TestDatabase? targetDb) : IAsyncDisposable
    {
        public YibaoDatabase Source => sourceDb.Db;
        public YibaoDatabase Target => targetDb?.Db ?? sourceDb.Db;
        public RegionDatabases Map => new(Source, targetDb is null ? null : new Dictionary<RegionCode, YibaoDatabase> { [Lanzhou] = targetDb.Db });

        public async ValueTask DisposeAsync()
        {
            if (targetDb is not null) await targetDb.DisposeAsync();
            await sourceDb.DisposeAsync();
        }
    }

    private async Task<Regions> NewRegionsAsync() =>
        new(await TestDatabase.CreateAsync(source), apart is { } e ? await TestDatabase.CreateAsync(e) : null);

    private static TransferExchange Exchange(Regions r, TimeProvider clock, Func<TransferMessage, Task>? afterDelivery = null) =>
        new(r.Map, PolicyPackLoader.Embedded, HolidayCalendars.Shipped, clock) { AfterDelivery = afterDelivery };

    /// <summary>The person insured in 990100 with the balance, and already enrolled in 620100 (a new job there).</summary>
    private static async Task<IdNumber> MoverAsync(Regions r, TimeProvider clock, bool enrolledInTarget = true)
    {
        var person = await PersonAsync(r.Source, Demo, clock, Balance);
        if (enrolledInTarget) await PersonAsync(r.Target, Lanzhou, clock, "0.00", id: person);
        else await RegionAsync(r.Target, Lanzhou, clock);
        return person;
    }

    private static async Task<long> ApprovedAsync(Regions r, TimeProvider clock, IdNumber person)
    {
        var store = Store(r.Source, clock, r.Map);
        var id = (await store.SubmitAsync(TransferOf(Demo, person, Lanzhou), "insured")).OrThrow().Application.Id;
        (await store.AcceptAsync(id, Reviewer)).OrThrow();
        (await store.ApproveAsync(id, Reviewer)).OrThrow();
        return id;
    }

    [Fact]
    public async Task The_whole_balance_moves_once_through_outbox_and_inbox()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);
        var id = await ApprovedAsync(r, clock, person);
        var app = await Store(r.Source, clock, r.Map).GetAsync(id);
        Assert.Equal(new DateOnly(2025, 10, 9), app.AcceptedOn);
        Assert.Equal(new DateOnly(2025, 10, 22), app.DueOn);             // 10 working days on 990100's calendar (WE-38: 10-11 is a make-up working day)
        Assert.Equal(Domain.Features.Transfer.TransferMode.MoveBalance, app.Decision.Transfer!.Mode);

        var executed = (await Store(r.Source, clock, r.Map).ExecuteAsync(id, Reviewer)).OrThrow().Application;
        Assert.Equal(ApplicationStatus.Executed, executed.Status);
        Assert.Equal(Money.Zero, (await BalanceAsync(r.Source, Demo, person)).Total);
        Assert.Equal(AccountStatus.Closed, (await BalanceAsync(r.Source, Demo, person)).Status);
        Assert.Equal(Money.Parse(Balance), await AccountAsync(r.Source, AccountCode.Of(Demo, AccountKind.InterRegionClearing)));
        Assert.Equal(1, await ScalarAsync(r.Source, "SELECT COUNT(*) FROM transfer_outbox WHERE delivered_at IS NULL"));
        // Issue 10 item 3: the person has left the source region; it no longer counts or credits them.
        var left = (await new RecordsStore(r.Source, clock).GetInsuredAsync(Demo, person))!;
        Assert.Equal(InsuredState.Suspended, left.Status);
        Assert.Equal((StatusEventKind.Leave, October9), (left.History.Last.Kind, left.History.Last.EffectiveOn));

        clock.Set(new DateOnly(2025, 10, 14));
        var round = await Exchange(r, clock).RoundAsync();

        Assert.Equal((1, 0, 0, 1, 0), (round.Delivered, round.Redelivered, round.Failed, round.Credited, round.Waiting));
        var target = await BalanceAsync(r.Target, Lanzhou, person);
        Assert.Equal(Money.Parse(Balance), target.Segments[Segment.Historical]);
        Assert.Equal(-Money.Parse(Balance), await AccountAsync(r.Target, AccountCode.Of(Lanzhou, AccountKind.InterRegionClearing)));
        Assert.Equal(ApplicationStatus.Closed, (await Store(r.Source, clock, r.Map).GetAsync(id)).Status);
        Assert.Equal(1, await ScalarAsync(r.Target, "SELECT COUNT(*) FROM transfer_inbox WHERE status = 'credited' AND received_on = @d AND transfer_in_deadline = @due",
            ("d", new DateOnly(2025, 10, 14)), ("due", new DateOnly(2025, 10, 21))));

        var quiet = await Exchange(r, clock).RoundAsync();
        Assert.Equal((0, 0, 0, 0), (quiet.Delivered, quiet.Redelivered, quiet.Credited, quiet.Waiting));
    }

    [Fact]
    public async Task A_message_delivered_twice_is_credited_once()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);
        var id = await ApprovedAsync(r, clock, person);
        (await Store(r.Source, clock, r.Map).ExecuteAsync(id, Reviewer)).OrThrow();
        var exchange = Exchange(r, clock);
        var message = new TransferMessage($"transfer/990100/{id}", Demo, Lanzhou, person, "测试人", Money.Parse(Balance), October9, October9, new DateOnly(2025, 10, 23), October9);

        Assert.True(await exchange.ReceiveAsync(r.Target, message));
        Assert.False(await exchange.ReceiveAsync(r.Target, message));
        var round = await exchange.RoundAsync();
        await exchange.CreditInboxAsync(r.Target);

        Assert.Equal((0, 1, 1), (round.Delivered, round.Redelivered, round.Credited));
        Assert.Equal(Money.Parse(Balance), (await BalanceAsync(r.Target, Lanzhou, person)).Total);
        Assert.Equal(1, await ScalarAsync(r.Target, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'transfer-in'"));
    }

    [Fact]
    public async Task Killed_between_the_target_accepting_and_the_source_marking_it_the_next_round_completes_exactly_once()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);
        var id = await ApprovedAsync(r, clock, person);
        (await Store(r.Source, clock, r.Map).ExecuteAsync(id, Reviewer)).OrThrow();

        var crashing = Exchange(r, clock, _ => throw new InvalidOperationException("killed after the inbox committed"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.RoundAsync());
        Assert.Equal(1, await ScalarAsync(r.Target, "SELECT COUNT(*) FROM transfer_inbox WHERE status = 'received'"));
        Assert.Equal(1, await ScalarAsync(r.Source, "SELECT COUNT(*) FROM transfer_outbox WHERE delivered_at IS NULL"));
        Assert.Equal(ApplicationStatus.Executed, (await Store(r.Source, clock, r.Map).GetAsync(id)).Status);

        var restart = await Exchange(r, clock).RoundAsync();

        Assert.Equal((0, 1, 1), (restart.Delivered, restart.Redelivered, restart.Credited));
        Assert.Equal(Money.Parse(Balance), (await BalanceAsync(r.Target, Lanzhou, person)).Total);
        Assert.Equal(ApplicationStatus.Closed, (await Store(r.Source, clock, r.Map).GetAsync(id)).Status);
        Assert.Equal(0, await ScalarAsync(r.Source, "SELECT COUNT(*) FROM transfer_outbox WHERE delivered_at IS NULL"));
    }

    [Fact]
    public async Task Rounds_running_at_once_deliver_and_credit_exactly_once()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);
        var id = await ApprovedAsync(r, clock, person);
        (await Store(r.Source, clock, r.Map).ExecuteAsync(id, Reviewer)).OrThrow();

        var rounds = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Exchange(r, clock).RoundAsync())));

        Assert.Equal(1, rounds.Sum(x => x.Delivered));
        Assert.Equal(1, rounds.Sum(x => x.Credited));
        Assert.All(rounds, x => Assert.Empty(x.Errors));
        Assert.Equal(Money.Parse(Balance), (await BalanceAsync(r.Target, Lanzhou, person)).Total);
        Assert.Equal(1, await ScalarAsync(r.Target, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'transfer-in'"));
        Assert.Equal(ApplicationStatus.Closed, (await Store(r.Source, clock, r.Map).GetAsync(id)).Status);
    }

    [Fact]
    public async Task Killed_after_the_debit_and_before_any_delivery_the_next_round_delivers_it()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);
        var id = await ApprovedAsync(r, clock, person);
        // The execution's transaction (debit + outbox) committed; the process died before dispatching.
        (await Store(r.Source, clock, r.Map).ExecuteAsync(id, Reviewer)).OrThrow();
        Assert.Equal(0, await ScalarAsync(r.Target, "SELECT COUNT(*) FROM transfer_inbox"));

        var round = await Exchange(r, clock).RoundAsync();

        Assert.Equal((1, 1), (round.Delivered, round.Credited));
        Assert.Equal(Money.Parse(Balance), (await BalanceAsync(r.Target, Lanzhou, person)).Total);
    }

    [Fact]
    public async Task A_person_not_yet_enrolled_in_the_target_waits_overdue_in_its_queue_until_enrolled()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock, enrolledInTarget: false);
        var id = await ApprovedAsync(r, clock, person);
        (await Store(r.Source, clock, r.Map).ExecuteAsync(id, Reviewer)).OrThrow();

        var first = await Exchange(r, clock).RoundAsync();
        Assert.Equal((1, 0, 1), (first.Delivered, first.Credited, first.Waiting));
        Assert.Contains(first.Errors, e => e.Contains("transfer-target-not-enrolled", StringComparison.Ordinal));

        // Issue 10 item 3: the source still sees it, waiting on its target, with the target's reason.
        var outgoing = Assert.Single(await Exchange(r, clock).QueueAsync(Demo), i => i.Direction == "out");
        Assert.Equal("waiting", outgoing.Status);
        Assert.Contains("transfer-target-not-enrolled", outgoing.LastError, StringComparison.Ordinal);

        clock.Set(new DateOnly(2025, 10, 31));
        var incoming = Assert.Single(await Exchange(r, clock).QueueAsync(Lanzhou), i => i.Direction == "in");
        Assert.True(incoming.Overdue);
        Assert.Equal(new DateOnly(2025, 10, 15), incoming.Deadline);
        Assert.Contains("transfer-target-not-enrolled", incoming.LastError, StringComparison.Ordinal);

        await PersonAsync(r.Target, Lanzhou, clock, "0.00", id: person);
        var second = await Exchange(r, clock).RoundAsync();
        Assert.Equal(1, second.Credited);
        Assert.Equal(Money.Parse(Balance), (await BalanceAsync(r.Target, Lanzhou, person)).Total);
        Assert.Empty(await Exchange(r, clock).QueueAsync(Lanzhou));
        Assert.Empty(await Exchange(r, clock).QueueAsync(Demo));
        Assert.Equal("credited", Assert.Single(await Exchange(r, clock).QueueAsync(Demo, includeDone: true)).Status);
    }

    [Fact]
    public async Task A_target_Yibao_does_not_serve_is_refused_at_check_and_submission_and_nothing_moves()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);
        var store = Store(r.Source, clock, r.Map);
        foreach (var target in new[] { "999999", "123456", "000000", "330200" })
        {
            var submission = TransferOf(Demo, person, RegionCode.Parse(target));
            var check = await store.CheckAsync(submission);
            Assert.False(check.Eligible);
            Assert.Same(Codes.TransferTargetUnknown, check.ReasonCode);
            var refused = await RefusedAsync(() => store.SubmitAsync(submission, "insured"));
            Assert.Equal("transfer-target-unknown", refused.Code.Value);
        }
        Assert.Equal(0, await ScalarAsync(r.Source, "SELECT COUNT(*) FROM application"));
        Assert.Equal(Money.Parse(Balance), (await BalanceAsync(r.Source, Demo, person)).Total);
    }

    [Fact]
    public async Task An_approved_transfer_not_executed_by_its_deadline_is_overdue_in_the_source_queue()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);
        var id = await ApprovedAsync(r, clock, person);

        clock.Set(new DateOnly(2025, 10, 24));
        var overdue = await Store(r.Source, clock, r.Map).QueueAsync(Demo, new ApplicationQuery(OverdueOnly: true));

        var app = Assert.Single(overdue);
        Assert.Equal(id, app.Id);
        Assert.True(app.OverdueOn(new DateOnly(2025, 10, 24)));
        Assert.Empty(await Store(r.Source, clock, r.Map).QueueAsync(Demo, new ApplicationQuery(Kind: ApplicationKind.Withdrawal)));
    }

    [Fact]
    public async Task A_retiree_is_refused_and_nothing_is_filed()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await PersonAsync(r.Source, Demo, clock, "2100.00", InsuredState.Retired, born: new DateOnly(1955, 5, 5));

        var error = await RefusedAsync(() => Store(r.Source, clock, r.Map).SubmitAsync(TransferOf(Demo, person, Lanzhou), "insured"));

        Assert.Equal("retiree-not-transferable", error.Code.Value);
        Assert.NotEmpty(error.Reasons);
        Assert.Equal(0, await ScalarAsync(r.Source, "SELECT COUNT(*) FROM application"));
    }

    [Fact]
    public async Task Retiring_after_submission_makes_approval_refuse()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);
        var store = Store(r.Source, clock, r.Map);
        var id = (await store.SubmitAsync(TransferOf(Demo, person, Lanzhou), "insured")).OrThrow().Application.Id;
        (await store.AcceptAsync(id, Reviewer)).OrThrow();
        clock.Set(new DateOnly(2025, 10, 15));
        await new RecordsStore(r.Source, clock).AppendEventAsync(Demo, person, StatusEventKind.Retire, new DateOnly(2025, 10, 15), null);

        var error = await RefusedAsync(() => store.ApproveAsync(id, Reviewer));

        Assert.Equal("application-no-longer-eligible", error.Code.Value);
        Assert.Equal("retiree-not-transferable", error.Details["reasonCode"]);
        Assert.Equal(ApplicationStatus.Accepted, (await store.GetAsync(id)).Status);
    }

    [Fact]
    public async Task Within_Guangdong_the_account_stays_and_nothing_moves()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(new DateOnly(2025, 6, 3));
        var guangzhou = RegionCode.Parse("440100");
        var person = await PersonAsync(r.Source, guangzhou, clock, "4000.00");
        var store = Store(r.Source, clock, r.Map);
        var id = (await store.SubmitAsync(TransferOf(guangzhou, person, RegionCode.Parse("440300")), "insured")).OrThrow().Application.Id;
        (await store.AcceptAsync(id, Reviewer)).OrThrow();
        (await store.ApproveAsync(id, Reviewer)).OrThrow();

        var done = (await store.ExecuteAsync(id, Reviewer)).OrThrow().Application;

        Assert.Equal(ApplicationStatus.Closed, done.Status);
        Assert.Equal(Domain.Features.Transfer.TransferMode.Stays, done.Decision.Transfer!.Mode);
        var account = await BalanceAsync(r.Source, guangzhou, person);
        Assert.Equal((Money.Parse("4000.00"), AccountStatus.Open), (account.Total, account.Status));
        Assert.Equal(0, await ScalarAsync(r.Source, "SELECT COUNT(*) FROM transfer_outbox"));
    }

    [Fact]
    public async Task A_transfer_to_the_same_region_is_a_clear_error()
    {
        await using var r = await NewRegionsAsync();
        var clock = new DayClock(October9);
        var person = await MoverAsync(r, clock);

        var error = await RefusedAsync(() => Store(r.Source, clock, r.Map).SubmitAsync(TransferOf(Demo, person, Demo), "insured"));

        Assert.Equal("transfer-target-same-region", error.Code.Value);
        Assert.Equal(0, await ScalarAsync(r.Source, "SELECT COUNT(*) FROM application"));
    }
}

public sealed class SqliteTransferApplicationTests() : TransferApplicationTests(Engine.Sqlite, null);
public sealed class PostgresTransferApplicationTests() : TransferApplicationTests(Engine.Postgres, null);
/// <summary>Each region in its own SQLite file.</summary>
public sealed class TwoSqliteFilesTransferApplicationTests() : TransferApplicationTests(Engine.Sqlite, Engine.Sqlite);
/// <summary>The source on SQLite, the target on PostgreSQL.</summary>
public sealed class SqliteToPostgresTransferApplicationTests() : TransferApplicationTests(Engine.Sqlite, Engine.Postgres);
