using Yibao.Domain.Errors;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Gaps;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using static Yibao.Storage.Tests.Records.RecordsFixtures;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Records;

/// <summary>Employers, insured people, status history, contributions and gaps: written once, run on each engine.</summary>
public abstract class RecordsStoreTests(Engine engine)
{
    private Task<TestDatabase> NewDb() => TestDatabase.CreateAsync(engine);

    private static async Task<Refusal> Refused(Func<Task> act) =>
        (await Assert.ThrowsAsync<YibaoException>(act)).Error;

    private static DateOnly D(string s) => Dates.Parse(s);
    private static YearMonth M(string s) => YearMonth.Parse(s);

    [Fact]
    public async Task Employer_registration_is_idempotent_and_other_facts_are_refused()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db, employers: 0);
        var employer = new Employer(EmployerCode(1), Region, "示例单位");

        Assert.True((await store.RegisterEmployerAsync(employer)).Created);
        Assert.False((await store.RegisterEmployerAsync(employer)).Created);
        Assert.Equal("employer-exists-different", (await Refused(() => store.RegisterEmployerAsync(employer with { Name = "别的单位" }))).Code?.Value);
        Assert.Equal("unknown-region", (await Refused(() => store.RegisterEmployerAsync(new Employer(EmployerCode(2), Yibao.Domain.Regions.RegionCode.Parse("990200"), "x")))).Code?.Value);

        Assert.Equal(1, await CountAsync(t.Db, "employer"));
        Assert.Equal("示例单位", (await store.GetEmployerAsync(EmployerCode(1)))!.Employer.Name);
    }

    [Fact]
    public async Task Enrolment_records_the_person_their_first_event_and_opens_their_personal_account()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);

        var result = await store.EnrolAsync(Employed(1, 1, "2024-03-01"));

        Assert.True(result.Created);
        var record = (await store.GetInsuredAsync(Region, Person(1)))!;
        Assert.Equal(InsuredState.Employed, record.Status);
        Assert.Equal(EmployerCode(1), record.Employer);
        Assert.Equal(Money.Parse("8000.00"), record.DeclaredWage);
        Assert.Equal("CHN", record.Nationality);
        var first = Assert.Single(record.History.Events);
        Assert.Equal(StatusEventKind.Enrol, first.Kind);
        Assert.Equal(D("2024-03-01"), first.EffectiveOn);

        var balance = await new LedgerStore(t.Db, Clock).GetBalanceAsync(record.Account);
        Assert.Equal(Money.Zero, balance.Total);
    }

    [Fact]
    public async Task Enrolling_again_is_a_replay_and_other_facts_are_refused_writing_nothing()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));
        var before = await CountsAsync(t.Db);

        Assert.False((await store.EnrolAsync(Employed(1, 1))).Created);
        var error = await Refused(() => store.EnrolAsync(Employed(1, 2)));
        Assert.Equal("insured-exists-different", error.Code?.Value);
        Assert.Equal("employerCreditCode", error.Details["field"]);

        Assert.Equal(before, await CountsAsync(t.Db));
    }

    [Fact]
    public async Task Enrolling_with_an_unknown_employer_writes_nothing()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        var before = await CountsAsync(t.Db);

        Assert.Equal("unknown-employer", (await Refused(() => store.EnrolAsync(Employed(1, 9)))).Code?.Value);

        Assert.Equal(before, await CountsAsync(t.Db));
    }

    [Fact]
    public async Task Status_events_are_appended_and_the_current_status_follows_them()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));

        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Leave, D("2024-06-15"), null);
        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Rejoin, D("2024-08-01"), null);
        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Leave, D("2024-10-01"), null);
        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Hire, D("2024-10-01"), EmployerCode(2));
        var last = await store.AppendEventAsync(Region, Person(1), StatusEventKind.Retire, D("2025-03-01"), null);

        Assert.Equal(InsuredState.Retired, last.Insured.Status);
        var record = (await store.GetInsuredAsync(Region, Person(1)))!;
        Assert.Equal(InsuredState.Retired, record.Status);
        Assert.Null(record.Employer);
        Assert.Equal(D("2025-03-01"), record.RetirementDate);
        Assert.Equal(
            ["enrol", "leave", "rejoin", "leave", "hire", "retire"],
            record.History.Events.Select(e => e.Kind.Code()).ToArray());
        Assert.Equal(InsuredState.FlexibleEmployed, record.History.StatusOn(D("2024-09-30"))!.State);
        Assert.Equal(EmployerCode(2), record.History.StatusOn(D("2025-02-28"))!.Employer);
    }

    [Fact]
    public async Task Events_out_of_order_are_refused_with_their_reason_and_write_nothing()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));
        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Retire, D("2025-01-01"), null);
        var before = await CountsAsync(t.Db);

        Assert.Equal("status-event-not-allowed", (await Refused(() => store.AppendEventAsync(Region, Person(1), StatusEventKind.Retire, D("2025-02-01"), null))).Code?.Value);
        Assert.Equal("status-event-not-allowed", (await Refused(() => store.AppendEventAsync(Region, Person(1), StatusEventKind.Rejoin, D("2025-02-01"), null))).Code?.Value);
        Assert.Equal("status-event-out-of-order", (await Refused(() => store.AppendEventAsync(Region, Person(1), StatusEventKind.Die, D("2024-12-31"), null))).Code?.Value);
        Assert.Equal("invalid-field", (await Refused(() => store.AppendEventAsync(Region, Person(1), StatusEventKind.Die, D("2025-12-01"), null))).Code?.Value);
        Assert.Equal("unknown-insured", (await Refused(() => store.AppendEventAsync(Region, Person(2), StatusEventKind.Die, D("2025-02-01"), null))).Code?.Value);
        Assert.Equal(before, await CountsAsync(t.Db));

        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Die, D("2025-05-01"), null);
        Assert.Equal("status-event-after-death", (await Refused(() => store.AppendEventAsync(Region, Person(1), StatusEventKind.Leave, D("2025-06-01"), null))).Code?.Value);
        var record = (await store.GetInsuredAsync(Region, Person(1)))!;
        Assert.Equal(InsuredState.Deceased, record.Status);
        Assert.Equal(D("2025-05-01"), record.DeathDate);
    }

    [Fact]
    public async Task The_same_event_again_is_a_replay()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));
        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Leave, D("2024-06-15"), null);

        var again = await store.AppendEventAsync(Region, Person(1), StatusEventKind.Leave, D("2024-06-15"), null);

        Assert.True(again.Replayed);
        Assert.Equal(2, await CountAsync(t.Db, "insured_status"));
    }

    [Fact]
    public async Task A_record_without_stored_history_keeps_its_implied_enrolment_when_an_event_follows()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        // As the demo seeder writes people: a record and no history.
        await using (var s = await t.Db.BeginAsync())
        {
            await using var cmd = s.Connection.CreateCommand();
            cmd.Transaction = s.Transaction;
            cmd.CommandText = "INSERT INTO insured (region_code, id_number, name, sex, birth_date, status, enrolled_on) " +
                              $"VALUES ('990100', '{Person(1).Value}', '甲', 'M', '1980-01-01', 'flexible', '2023-01-01')";
            await cmd.ExecuteNonQueryAsync();
            await s.CommitAsync();
        }

        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Hire, D("2024-01-01"), EmployerCode(1));

        var record = (await store.GetInsuredAsync(Region, Person(1)))!;
        Assert.Equal(["enrol", "hire"], record.History.Events.Select(e => e.Kind.Code()).ToArray());
        Assert.Equal(InsuredState.FlexibleEmployed, record.History.StatusOn(D("2023-06-01"))!.State);
    }

    [Fact]
    public async Task Concurrent_retirements_of_one_person_let_exactly_one_in()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));
        await using var other = t.OpenAnotherHandle();
        var second = Store(other);

        var attempts = await Task.WhenAll(
            Attempt(() => store.AppendEventAsync(Region, Person(1), StatusEventKind.Retire, D("2025-01-01"), null)),
            Attempt(() => second.AppendEventAsync(Region, Person(1), StatusEventKind.Retire, D("2025-02-01"), null)));

        Assert.Equal(1, attempts.Count(ok => ok));
        Assert.Equal(2, await CountAsync(t.Db, "insured_status"));

        static async Task<bool> Attempt(Func<Task> act)
        {
            try { await act(); return true; }
            // The loser sees the winner's retirement: "retires only once", or, when the later date won, "before the last change".
            catch (YibaoException e) when (e.Error.Is(Codes.StatusEventNotAllowed) || e.Error.Is(Codes.StatusEventOutOfOrder)) { return false; }
        }
    }

    [Fact]
    public async Task Contributions_are_idempotent_and_a_later_payment_is_recorded()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));

        var first = await store.RecordContributionsAsync(Region, [Row(1, "2025-01"), Row(1, "2025-02", paid: "2025-02-20")]);
        var again = await store.RecordContributionsAsync(Region, [Row(1, "2025-01"), Row(1, "2025-02", paid: "2025-02-20")]);
        var paid = await store.RecordContributionsAsync(Region, [Row(1, "2025-01", paid: "2025-03-05")]);
        var unpaidAgain = await store.RecordContributionsAsync(Region, [Row(1, "2025-01")]);

        Assert.All(first, r => Assert.Equal(ContributionOutcome.Recorded, r.Outcome));
        Assert.All(again, r => Assert.Equal(ContributionOutcome.Unchanged, r.Outcome));
        Assert.Equal(ContributionOutcome.PaymentRecorded, Assert.Single(paid).Outcome);
        Assert.Equal(ContributionOutcome.Unchanged, Assert.Single(unpaidAgain).Outcome);
        var months = await store.GetContributionsAsync(Region, Person(1));
        Assert.Equal([M("2025-01"), M("2025-02")], months.Select(m => m.Month).ToArray());
        Assert.Equal(D("2025-03-05"), months[0].PaidDate);
        Assert.Equal(Money.Parse("800.00"), months[0].Total);
    }

    [Fact]
    public async Task A_list_with_one_refused_item_writes_nothing_and_names_the_item()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1));
        await store.RecordContributionsAsync(Region, [Row(1, "2025-01")]);
        var before = await CountsAsync(t.Db);

        var conflict = await Refused(() => store.RecordContributionsAsync(Region,
            [Row(1, "2025-02", line: 0), Row(1, "2025-01", basis: "9000.00", line: 1), Row(2, "2025-01", line: 2)]));
        Assert.Equal("contribution-conflict", conflict.Code?.Value);
        Assert.Equal("base", conflict.Details["field"]);
        Assert.Equal("1", conflict.Details["item"]);
        Assert.Equal("2", conflict.Details["refusedItems"]);

        Assert.Equal("unknown-employer", (await Refused(() => store.RecordContributionsAsync(Region, [Row(1, "2025-03", employer: 7)]))).Code?.Value);
        Assert.Equal(before, await CountsAsync(t.Db));

        // Paid once, a month does not take a second, different payment date.
        await store.RecordContributionsAsync(Region, [Row(1, "2025-01", paid: "2025-03-01")]);
        var twice = await Refused(() => store.RecordContributionsAsync(Region, [Row(1, "2025-01", paid: "2025-03-02")]));
        Assert.Equal("contribution-conflict", twice.Code?.Value);
        Assert.Equal("paidDate", twice.Details["field"]);
    }

    [Fact]
    public async Task Gaps_of_a_person_follow_the_history_with_their_cause()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        await store.EnrolAsync(Employed(1, 1, "2024-01-15"));              // first counted month: 2024-02
        await store.RecordContributionsAsync(Region, [
            Row(1, "2024-02", paid: "2024-02-28"),
            Row(1, "2024-03"),                                             // employer's, unpaid
            Row(1, "2024-05", paid: "2024-05-28"),                         // 2024-04 missing: employer's
            Row(1, "2024-07", employer: null),                             // flexible month, unpaid
        ]);
        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Leave, D("2024-05-20"), null);   // 2024-06: suspended, owed by nobody
        await store.AppendEventAsync(Region, Person(1), StatusEventKind.Rejoin, D("2024-07-01"), null);  // flexible from 2024-07

        var report = await store.GetGapsAsync(Region, Person(1), null, M("2024-08"));

        Assert.Equal(
            [("2024-03", ArrearsCause.Employer, GapReason.Unpaid), ("2024-04", ArrearsCause.Employer, GapReason.Missing),
             ("2024-07", ArrearsCause.Individual, GapReason.Unpaid), ("2024-08", ArrearsCause.Individual, GapReason.Missing)],
            report.Months.Select(g => (g.Month.ToString(), g.Cause, g.Reason)).ToArray());
        Assert.Equal(EmployerCode(1), report.Months[0].Employer);
        Assert.Equal(2, report.EmployerMonths);
        Assert.Equal(2, report.IndividualMonths);
    }

    [Fact]
    public async Task Gaps_of_a_region_not_served_here_are_unknown_region()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        var other = Yibao.Domain.Regions.RegionCode.Parse("000000");

        var person = await Refused(() => store.GetGapsAsync(other, Person(1), null, M("2025-04")));
        var region = await Refused(async () => { await foreach (var _ in store.StreamRegionGapsAsync(other, M("2025-04"))) { } });

        Assert.Equal("unknown-region", person.Code.Value);
        Assert.Equal("unknown-region", region.Code.Value);
    }

    [Fact]
    public async Task Region_gaps_stream_over_several_batches_and_match_each_person()
    {
        await using var t = await NewDb();
        var store = await ReadyAsync(t.Db);
        // More people than one batch of the region query, enrolled by an import (names given).
        var count = RecordsStore.GapBatchSize + 30;
        var lines = Enumerable.Range(1, count).Select(n => new ContributionLine(n + 1, Person(n).Value, $"参保人{n}",
            n % 3 == 0 ? null : EmployerCode(1 + n % 2).Value, "2025-04", "5000.00", "400.00", "100.00", "2025-04-30",
            n % 5 == 0 ? null : "2025-04-25"));
        var summary = await new ContributionImporter(t.Db, Clock).ImportAsync(Region, Lines(lines), "test");
        Assert.True(summary.Committed);
        Assert.Equal(count, summary.PeopleEnrolled);

        var gaps = new List<RegionGap>();
        await foreach (var g in store.StreamRegionGapsAsync(Region, M("2025-05"))) gaps.Add(g);
        var april = new List<RegionGap>();
        await foreach (var g in store.StreamRegionGapsAsync(Region, M("2025-04"))) april.Add(g);

        // May: nobody has paid, everyone owes (employer or themself).
        Assert.Equal(count, gaps.Count);
        Assert.Equal(count / 3, gaps.Count(g => g.Gap.Cause == ArrearsCause.Individual));
        Assert.All(gaps, g => Assert.Equal(GapReason.Missing, g.Gap.Reason));
        // April: exactly the unpaid rows (every fifth person).
        Assert.Equal(count / 5, april.Count);
        Assert.All(april, g => Assert.Equal(GapReason.Unpaid, g.Gap.Reason));
        Assert.Equal(april.Count, april.Select(g => g.IdNumber).Distinct().Count());
        var one = april[0];
        var personal = await store.GetGapsAsync(Region, one.IdNumber, M("2025-04"), M("2025-04"));
        Assert.Equal(one.Gap, Assert.Single(personal.Months));
    }
}

public sealed class SqliteRecordsStoreTests() : RecordsStoreTests(Engine.Sqlite);
public sealed class PostgresRecordsStoreTests() : RecordsStoreTests(Engine.Postgres);
