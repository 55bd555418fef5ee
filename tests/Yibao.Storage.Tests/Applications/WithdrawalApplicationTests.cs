using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Ledger;
using Yibao.Domain.Time;
using Yibao.Storage.Applications;
using Yibao.Storage.Transfer;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using static Yibao.Storage.Tests.Applications.ApplicationFixtures;
using static Yibao.Storage.Tests.Crediting.CreditingPeople;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Applications;

/// <summary>提取 applications through their lifecycle, on each engine; every test ends with the ledger checker.</summary>
public abstract class WithdrawalApplicationTests(Engine engine)
{
    private const string Reviewer = "reviewer:王审核";
    private static readonly DateOnly July3 = new(2025, 7, 3);

    private Task<TestDatabase> NewDb() => TestDatabase.CreateAsync(engine);

    /// <summary>A person of 990100 with 5,432.10 and their complete death application (WE-22), submitted on 2025-07-03.</summary>
    private static async Task<(DayClock Clock, Domain.Identity.IdNumber Person, ApplicationStore Store, long Id)> SubmittedAsync(YibaoDatabase db)
    {
        var clock = new DayClock(July3);
        var person = await DeceasedAsync(db, Demo, clock);
        var store = Store(db, clock);
        return (clock, person, store, (await store.SubmitAsync(Death(Demo, person), "insured")).OrThrow().Application.Id);
    }

    [Fact]
    public async Task A_complete_death_application_is_accepted_approved_and_paid_to_the_heirs_bank_and_the_account_is_closed()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await DeceasedAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);

        var submitted = (await store.SubmitAsync(Death(Demo, person), "insured:" + person.Value)).OrThrow().Application;
        Assert.Equal(ApplicationStatus.Submitted, submitted.Status);
        Assert.True(submitted.Decision.Approvable);
        Assert.Equal(Money.Parse("5432.10"), submitted.Decision.Withdrawal!.Payout);
        Assert.Equal(WithdrawalPayTo.HeirBank, submitted.Decision.Withdrawal.PayTo);
        Assert.Equal(July3, submitted.AcceptedOn);
        Assert.Equal(new DateOnly(2025, 7, 31), submitted.DueOn); // 20 working days after 2025-07-03
        Assert.Contains("applications-national-convention", submitted.Decision.PolicyVersion, StringComparison.Ordinal);

        (await store.AcceptAsync(submitted.Id, Reviewer)).OrThrow();
        (await store.ApproveAsync(submitted.Id, Reviewer)).OrThrow();
        var executed = (await store.ExecuteAsync(submitted.Id, Reviewer)).OrThrow();

        var app = executed.Application;
        Assert.Equal(ApplicationStatus.Closed, app.Status);
        Assert.Equal(["submit", "accept", "approve", "execute", "close"], app.Events.Select(e => e.Action));
        Assert.Equal([null, ApplicationStatus.Submitted, ApplicationStatus.Accepted, ApplicationStatus.Approved, ApplicationStatus.Executed], app.Events.Select(e => e.From));
        Assert.Equal(Reviewer, app.Events[2].Actor);
        var entry = await new LedgerStore(t.Db, clock).GetEntryByKeyAsync($"withdrawal/990100/{app.Id}");
        Assert.NotNull(entry);
        Assert.Equal(app.EntryKey, entry.IdempotencyKey);
        Assert.Equal("withdrawal-payout", entry.ReasonCode);
        Assert.Contains(entry.Postings, p => p.Account.Kind == AccountKind.BankClearing && p.Amount == Money.Parse("5432.10"));
        var account = await BalanceAsync(t.Db, Demo, person);
        Assert.Equal(AccountStatus.Closed, account.Status);
        Assert.Equal(Money.Zero, account.Total);
    }

    [Fact]
    public async Task A_death_withdrawal_for_a_person_whose_death_is_not_recorded_is_refused_and_names_the_missing_fact()
    {
        // Issue 10 item 1: a living person, a death claim, every material — and no death on record.
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await PersonAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);

        var check = await store.CheckAsync(Death(Demo, person));
        var refused = await RefusedAsync(() => store.SubmitAsync(Death(Demo, person), "insured"));

        Assert.False(check.Eligible);
        Assert.Equal("fact-not-on-record", refused.Code.Value);
        Assert.Contains(refused.Reasons, r => r.Values.TryGetValue("fact", out var f) && f == "death");
        Assert.Contains("死亡", refused.MessageZh, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application"));
        Assert.Equal(Money.Parse("5432.10"), (await BalanceAsync(t.Db, Demo, person)).Total);

        // Recorded, the same application is filed; approval reads the records again.
        await new RecordsStore(t.Db, clock).AppendEventAsync(Demo, person, StatusEventKind.Die, July3, null);
        var filed = (await store.SubmitAsync(Death(Demo, person), "insured")).OrThrow().Application;
        Assert.True(filed.Decision.Approvable);
    }

    [Fact]
    public async Task An_emigration_withdrawal_needs_the_end_of_insurance_on_record()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await PersonAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);
        var emigration = new ApplicationSubmission(Demo, person, ApplicationKind.Withdrawal, Materials("written-application", "emigration-passport"),
            Withdrawal: new WithdrawalClaim(WithdrawalReason.Emigration, true));

        Assert.Equal("fact-not-on-record", (await RefusedAsync(() => store.SubmitAsync(emigration, "insured"))).Code.Value);
        await new RecordsStore(t.Db, clock).AppendEventAsync(Demo, person, StatusEventKind.Leave, July3, null);
        Assert.True((await store.SubmitAsync(emigration, "insured")).OrThrow().Application.Decision.Approvable);
    }

    [Fact]
    public async Task A_posting_to_the_closed_account_is_refused_and_changes_nothing()
    {
        await using var t = await NewDb();
        var (clock, person, store, id) = await SubmittedAsync(t.Db);
        (await store.AcceptAsync(id, Reviewer)).OrThrow();
        (await store.ApproveAsync(id, Reviewer)).OrThrow();
        (await store.ExecuteAsync(id, Reviewer)).OrThrow();
        var entries = await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry");

        var error = await Assert.ThrowsAsync<YibaoException>(() => FundAsync(t.Db, Demo, person, Money.Parse("62.00"), clock, key: "late-credit"));

        Assert.Equal("account-closed", error.Error.Code?.Value);
        Assert.Equal(entries, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry"));
    }

    [Fact]
    public async Task An_heir_insured_in_the_region_receives_the_balance_in_their_own_account()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await DeceasedAsync(t.Db, Demo, clock);
        var heir = await PersonAsync(t.Db, Demo, clock, balance: "100.00");
        var store = Store(t.Db, clock);

        var id = (await store.SubmitAsync(Death(Demo, person, heir), "insured")).OrThrow().Application.Id;
        Assert.Equal(WithdrawalPayTo.HeirAccount, (await store.GetAsync(id)).Decision.Withdrawal!.PayTo);
        (await store.AcceptAsync(id, Reviewer)).OrThrow();
        (await store.ApproveAsync(id, Reviewer)).OrThrow();
        (await store.ExecuteAsync(id, Reviewer)).OrThrow();

        Assert.Equal(Money.Parse("5532.10"), (await BalanceAsync(t.Db, Demo, heir)).Total);
        Assert.Equal(AccountStatus.Closed, (await BalanceAsync(t.Db, Demo, person)).Status);
    }

    [Fact]
    public async Task Missing_materials_return_it_at_once_and_presenting_them_resubmits_it()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await DeceasedAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);

        var returned = (await store.SubmitAsync(Death(Demo, person, null, "death-certificate"), "insured")).OrThrow().Application;
        Assert.Equal(ApplicationStatus.Returned, returned.Status);
        Assert.Equal(["heir-proof", "heir-id"], returned.Decision.MissingMaterials);
        Assert.Equal("materials-missing", returned.ReasonCode);
        Assert.Contains("继承关系证明", returned.ReasonZh, StringComparison.Ordinal);
        Assert.Contains("heir-proof", returned.ReasonEn, StringComparison.Ordinal);
        Assert.Equal(ApplicationStore.SystemActor, returned.Events[^1].Actor);
        var accept = await RefusedAsync(() => store.AcceptAsync(returned.Id, Reviewer));
        Assert.Equal("application-wrong-status", accept.Code.Value);

        var still = (await store.ResubmitAsync(returned.Id, Materials("heir-proof"), "insured")).OrThrow().Application;
        Assert.Equal(ApplicationStatus.Returned, still.Status);
        Assert.Equal(["heir-id"], still.Decision.MissingMaterials);

        clock.Set(new DateOnly(2025, 7, 10));
        var complete = (await store.ResubmitAsync(returned.Id, Materials("heir-id"), "insured")).OrThrow().Application;
        Assert.Equal(ApplicationStatus.Submitted, complete.Status);
        Assert.True(complete.Decision.Complete);
        Assert.Equal(new DateOnly(2025, 8, 7), complete.DueOn); // the deadline runs from the complete resubmission
        Assert.Equal(["submit", "return", "resubmit", "return", "resubmit"], complete.Events.Select(e => e.Action));
        (await store.AcceptAsync(returned.Id, Reviewer)).OrThrow();
    }

    [Fact]
    public async Task The_applicant_withdraws_before_a_decision_and_nothing_moves()
    {
        await using var t = await NewDb();
        var (clock, person, store, id) = await SubmittedAsync(t.Db);
        (await store.AcceptAsync(id, Reviewer)).OrThrow();

        var withdrawn = (await store.WithdrawAsync(id, "insured")).OrThrow().Application;
        var approve = await RefusedAsync(() => store.ApproveAsync(id, Reviewer));

        Assert.Equal(ApplicationStatus.Withdrawn, withdrawn.Status);
        Assert.Equal("application-wrong-status", approve.Code.Value);
        Assert.Equal(Money.Parse("5432.10"), (await BalanceAsync(t.Db, Demo, person)).Total);
        // Withdrawn, the person may apply again.
        Assert.Equal(ApplicationStatus.Submitted, (await store.SubmitAsync(Death(Demo, person), "insured")).OrThrow().Application.Status);
    }

    [Fact]
    public async Task A_rejection_reason_reaches_the_applicant_in_both_languages()
    {
        await using var t = await NewDb();
        var (clock, person, store, id) = await SubmittedAsync(t.Db);

        (await store.RejectAsync(id, Reviewer, "继承权公证书与死亡证明姓名不一致", "The notarial certificate and the death certificate name different people")).OrThrow();

        var mine = Assert.Single(await store.ForInsuredAsync(Demo, person));
        Assert.Equal(ApplicationStatus.Rejected, mine.Status);
        Assert.Equal("继承权公证书与死亡证明姓名不一致", mine.ReasonZh);
        Assert.Equal("The notarial certificate and the death certificate name different people", mine.ReasonEn);
        var missing = await RefusedAsync(() => store.RejectAsync(id, Reviewer, "", "x"));
        Assert.Equal("missing-field", missing.Code.Value);
    }

    [Fact]
    public async Task A_refused_reason_is_not_filed_and_says_why()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await PersonAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);
        var submission = new ApplicationSubmission(Demo, person, ApplicationKind.Withdrawal, Materials("written-application"),
            Withdrawal: new WithdrawalClaim(WithdrawalReason.MajorDisease, true));

        var check = await store.CheckAsync(submission);
        var error = await RefusedAsync(() => store.SubmitAsync(submission, "insured"));

        Assert.False(check.Eligible);
        Assert.Equal("no-legal-basis", error.Code.Value);
        Assert.Same(check.ReasonCode, error.Code);
        Assert.Equal(check.Reasons.Count, error.Reasons.Count);
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application"));
    }

    [Fact]
    public async Task Two_reviewers_acting_at_once_end_with_exactly_one_outcome()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var t = await NewDb();
            var (clock, _, _, id) = await SubmittedAsync(t.Db);
            (await Store(t.Db, clock).AcceptAsync(id, Reviewer)).OrThrow();
            await using var other = t.OpenAnotherHandle();

            var approve = Task.Run(() => Store(t.Db, clock).ApproveAsync(id, "reviewer:甲"));
            var reject = Task.Run(() => Store(other, clock).RejectAsync(id, "reviewer:乙", "材料存疑", "Doubtful materials"));
            var outcomes = await Task.WhenAll(Outcome(approve), Outcome(reject));

            Assert.Single(outcomes, o => o is null);
            var loser = Assert.Single(outcomes, o => o is not null);
            Assert.Contains(loser!, new[] { "application-conflict", "application-wrong-status" });
            var app = await Store(t.Db, clock).GetAsync(id);
            Assert.Contains(app.Status, new[] { ApplicationStatus.Approved, ApplicationStatus.Rejected });
            Assert.Equal(3, app.Events.Count);
        }
    }

    [Fact]
    public async Task Execution_moves_the_money_once_however_often_it_is_retried()
    {
        await using var t = await NewDb();
        var (clock, _, _, id) = await SubmittedAsync(t.Db);
        (await Store(t.Db, clock).AcceptAsync(id, Reviewer)).OrThrow();
        (await Store(t.Db, clock).ApproveAsync(id, Reviewer)).OrThrow();
        await using var other = t.OpenAnotherHandle();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () => (await Store(i % 2 == 0 ? t.Db : other, clock).ExecuteAsync(id, Reviewer)).OrThrow())));
        var again = (await Store(t.Db, clock).ExecuteAsync(id, Reviewer)).OrThrow();

        Assert.Single(results, r => !r.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'withdrawal-payout'"));
        Assert.Equal(Money.Parse("5432.10"), await AccountAsync(t.Db, AccountCode.Of(Demo, AccountKind.BankClearing)));
    }

    [Fact]
    public async Task Approval_decides_again_and_keeps_both_answers_when_they_differ()
    {
        await using var t = await NewDb();
        var (clock, person, store, id) = await SubmittedAsync(t.Db);
        (await store.AcceptAsync(id, Reviewer)).OrThrow();
        // A credit lands between submission and approval: the payout changes.
        await FundAsync(t.Db, Demo, person, Money.Parse("62.00"), clock, key: "july-credit");

        var review = await store.ReviewAsync(id);
        var approved = (await store.ApproveAsync(id, Reviewer)).OrThrow().Application;
        (await store.ExecuteAsync(id, Reviewer)).OrThrow();

        Assert.True(review.Differs);
        Assert.True(approved.DecisionChanged);
        Assert.Equal(Money.Parse("5432.10"), approved.Decision.Withdrawal!.Payout);
        Assert.Equal(Money.Parse("5494.10"), approved.ApprovalDecision!.Withdrawal!.Payout);
        Assert.Contains("decision changed", approved.Events[^1].Note, StringComparison.Ordinal);
        // The whole balance at execution goes out, whatever either answer said.
        Assert.Equal(Money.Parse("5494.10"), await AccountAsync(t.Db, AccountCode.Of(Demo, AccountKind.BankClearing)));
    }

    [Fact]
    public async Task Unknown_applications_wrong_statuses_and_unknown_people_are_clear_errors_that_write_nothing()
    {
        await using var t = await NewDb();
        var (clock, person, store, id) = await SubmittedAsync(t.Db);
        var events = await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application_event");

        Assert.Equal("unknown-application", (await RefusedAsync(() => store.ApproveAsync(id + 99, Reviewer))).Code.Value);
        Assert.Equal("application-wrong-status", (await RefusedAsync(() => store.ExecuteAsync(id, Reviewer))).Code.Value);
        Assert.Equal("application-wrong-status", (await RefusedAsync(() => store.ApproveAsync(id, Reviewer))).Code.Value);
        Assert.Equal("application-already-open", (await RefusedAsync(() => store.SubmitAsync(Death(Demo, person), "insured"))).Code.Value);
        var stranger = Domain.Identity.IdNumber.Create(Demo, new DateOnly(1960, 1, 1), 777);
        Assert.Equal("unknown-insured", (await RefusedAsync(() => store.SubmitAsync(Death(Demo, stranger), "insured"))).Code.Value);

        Assert.Equal(events, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application_event"));
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application"));
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'withdrawal-payout'"));
    }

    [Fact]
    public async Task A_retried_submission_is_a_replay_and_the_same_key_for_another_application_is_refused()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await DeceasedAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);
        var submission = Death(Demo, person) with { SubmissionKey = "portal-42" };

        var first = (await store.SubmitAsync(submission, "insured")).OrThrow();
        var retry = (await store.SubmitAsync(submission, "insured")).OrThrow();
        var reused = await RefusedAsync(() => store.SubmitAsync(Death(Demo, person, null, "death-certificate") with { SubmissionKey = "portal-42" }, "insured"));

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Application.Id, retry.Application.Id);
        Assert.Equal("idempotency-key-reused", reused.Code.Value);
        Assert.Equal("materials", reused.Details["differs"]);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application"));
    }

    private static async Task<string?> Outcome(Task<Outcome<ApplicationResult>> task)
    {
        try
        {
            return (await task).Refusal?.Code.Value;
        }
        catch (YibaoException e)
        {
            return e.Error.Code.Value;
        }
    }
}

public sealed class SqliteWithdrawalApplicationTests() : WithdrawalApplicationTests(Engine.Sqlite);
public sealed class PostgresWithdrawalApplicationTests() : WithdrawalApplicationTests(Engine.Postgres);
