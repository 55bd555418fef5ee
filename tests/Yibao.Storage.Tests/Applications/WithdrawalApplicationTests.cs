using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Ledger;
using Yibao.Domain.Time;
using Yibao.Storage.Applications;
using Yibao.Storage.Ledger;
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
        var person = await PersonAsync(db, Demo, clock);
        var store = Store(db, clock);
        return (clock, person, store, (await store.SubmitAsync(Death(Demo, person), "insured")).Application.Id);
    }

    [Fact]
    public async Task A_complete_death_application_is_accepted_approved_and_paid_to_the_heirs_bank_and_the_account_is_closed()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await PersonAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);

        var submitted = (await store.SubmitAsync(Death(Demo, person), "insured:" + person.Value)).Application;
        Assert.Equal(ApplicationStatus.Submitted, submitted.Status);
        Assert.True(submitted.Decision.Approvable);
        Assert.Equal("5432.10", submitted.Decision.Figure("payout"));
        Assert.Equal("heir-bank", submitted.Decision.Figure("payTo"));
        Assert.Equal(July3, submitted.AcceptedOn);
        Assert.Equal(new DateOnly(2025, 7, 31), submitted.DueOn); // 20 working days after 2025-07-03
        Assert.Contains("applications-national-convention", submitted.Decision.PolicyVersion, StringComparison.Ordinal);

        await store.AcceptAsync(submitted.Id, Reviewer);
        await store.ApproveAsync(submitted.Id, Reviewer);
        var executed = await store.ExecuteAsync(submitted.Id, Reviewer);

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
    public async Task A_posting_to_the_closed_account_is_refused_and_changes_nothing()
    {
        await using var t = await NewDb();
        var (clock, person, store, id) = await SubmittedAsync(t.Db);
        await store.AcceptAsync(id, Reviewer);
        await store.ApproveAsync(id, Reviewer);
        await store.ExecuteAsync(id, Reviewer);
        var entries = await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry");

        var error = await Assert.ThrowsAsync<YibaoException>(() => FundAsync(t.Db, Demo, person, Money.Parse("62.00"), clock, key: "late-credit"));

        Assert.Equal("account-closed", error.Error.Code);
        Assert.Equal(entries, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry"));
    }

    [Fact]
    public async Task An_heir_insured_in_the_region_receives_the_balance_in_their_own_account()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await PersonAsync(t.Db, Demo, clock);
        var heir = await PersonAsync(t.Db, Demo, clock, balance: "100.00");
        var store = Store(t.Db, clock);

        var id = (await store.SubmitAsync(Death(Demo, person, heir), "insured")).Application.Id;
        Assert.Equal("heir-account", (await store.GetAsync(id)).Decision.Figure("payTo"));
        await store.AcceptAsync(id, Reviewer);
        await store.ApproveAsync(id, Reviewer);
        await store.ExecuteAsync(id, Reviewer);

        Assert.Equal(Money.Parse("5532.10"), (await BalanceAsync(t.Db, Demo, heir)).Total);
        Assert.Equal(AccountStatus.Closed, (await BalanceAsync(t.Db, Demo, person)).Status);
    }

    [Fact]
    public async Task Missing_materials_return_it_at_once_and_presenting_them_resubmits_it()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await PersonAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);

        var returned = (await store.SubmitAsync(Death(Demo, person, null, "death-certificate"), "insured")).Application;
        Assert.Equal(ApplicationStatus.Returned, returned.Status);
        Assert.Equal(["heir-proof", "heir-id"], returned.Decision.MissingMaterials);
        Assert.Equal("materials-missing", returned.ReasonCode);
        Assert.Contains("heir-proof", returned.ReasonZh, StringComparison.Ordinal);
        Assert.Equal(ApplicationStore.SystemActor, returned.Events[^1].Actor);
        var accept = await Assert.ThrowsAsync<YibaoException>(() => store.AcceptAsync(returned.Id, Reviewer));
        Assert.Equal("application-wrong-status", accept.Error.Code);

        var still = (await store.ResubmitAsync(returned.Id, Materials("heir-proof"), "insured")).Application;
        Assert.Equal(ApplicationStatus.Returned, still.Status);
        Assert.Equal(["heir-id"], still.Decision.MissingMaterials);

        clock.Set(new DateOnly(2025, 7, 10));
        var complete = (await store.ResubmitAsync(returned.Id, Materials("heir-id"), "insured")).Application;
        Assert.Equal(ApplicationStatus.Submitted, complete.Status);
        Assert.True(complete.Decision.Complete);
        Assert.Equal(new DateOnly(2025, 8, 7), complete.DueOn); // the deadline runs from the complete resubmission
        Assert.Equal(["submit", "return", "resubmit", "return", "resubmit"], complete.Events.Select(e => e.Action));
        await store.AcceptAsync(returned.Id, Reviewer);
    }

    [Fact]
    public async Task The_applicant_withdraws_before_a_decision_and_nothing_moves()
    {
        await using var t = await NewDb();
        var (clock, person, store, id) = await SubmittedAsync(t.Db);
        await store.AcceptAsync(id, Reviewer);

        var withdrawn = (await store.WithdrawAsync(id, "insured")).Application;
        var approve = await Assert.ThrowsAsync<YibaoException>(() => store.ApproveAsync(id, Reviewer));

        Assert.Equal(ApplicationStatus.Withdrawn, withdrawn.Status);
        Assert.Equal("application-wrong-status", approve.Error.Code);
        Assert.Equal(Money.Parse("5432.10"), (await BalanceAsync(t.Db, Demo, person)).Total);
        // Withdrawn, the person may apply again.
        Assert.Equal(ApplicationStatus.Submitted, (await store.SubmitAsync(Death(Demo, person), "insured")).Application.Status);
    }

    [Fact]
    public async Task A_rejection_reason_reaches_the_applicant_in_both_languages()
    {
        await using var t = await NewDb();
        var (clock, person, store, id) = await SubmittedAsync(t.Db);

        await store.RejectAsync(id, Reviewer, "继承权公证书与死亡证明姓名不一致", "The notarial certificate and the death certificate name different people");

        var mine = Assert.Single(await store.ForInsuredAsync(Demo, person));
        Assert.Equal(ApplicationStatus.Rejected, mine.Status);
        Assert.Equal("继承权公证书与死亡证明姓名不一致", mine.ReasonZh);
        Assert.Equal("The notarial certificate and the death certificate name different people", mine.ReasonEn);
        var missing = await Assert.ThrowsAsync<YibaoException>(() => store.RejectAsync(id, Reviewer, "", "x"));
        Assert.Equal("missing-field", missing.Error.Code);
    }

    [Fact]
    public async Task A_refused_reason_is_not_filed_and_says_why()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await PersonAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);
        var submission = new ApplicationSubmission(Demo, person, ApplicationKind.Withdrawal, Materials("written-application"),
            Withdrawal: new WithdrawalFacts(WithdrawalReason.MajorDisease, true));

        var check = await store.CheckAsync(submission);
        var error = await Assert.ThrowsAsync<YibaoException>(() => store.SubmitAsync(submission, "insured"));

        Assert.False(check.Decision.Eligible);
        Assert.Equal("application-ineligible", error.Error.Code);
        Assert.Equal(check.Decision.ReasonCode, error.Error.Details["reasonCode"]);
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application"));
    }

    [Fact]
    public async Task Two_reviewers_acting_at_once_end_with_exactly_one_outcome()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var t = await NewDb();
            var (clock, _, _, id) = await SubmittedAsync(t.Db);
            await Store(t.Db, clock).AcceptAsync(id, Reviewer);
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
        await Store(t.Db, clock).AcceptAsync(id, Reviewer);
        await Store(t.Db, clock).ApproveAsync(id, Reviewer);
        await using var other = t.OpenAnotherHandle();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => Store(i % 2 == 0 ? t.Db : other, clock).ExecuteAsync(id, Reviewer))));
        var again = await Store(t.Db, clock).ExecuteAsync(id, Reviewer);

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
        await store.AcceptAsync(id, Reviewer);
        // A credit lands between submission and approval: the payout changes.
        await FundAsync(t.Db, Demo, person, Money.Parse("62.00"), clock, key: "july-credit");

        var review = await store.ReviewAsync(id);
        var approved = (await store.ApproveAsync(id, Reviewer)).Application;
        await store.ExecuteAsync(id, Reviewer);

        Assert.True(review.Differs);
        Assert.True(approved.DecisionChanged);
        Assert.Equal("5432.10", approved.Decision.Figure("payout"));
        Assert.Equal("5494.10", approved.ApprovalDecision!.Figure("payout"));
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

        Assert.Equal("unknown-application", (await Assert.ThrowsAsync<YibaoException>(() => store.ApproveAsync(id + 99, Reviewer))).Error.Code);
        Assert.Equal("application-wrong-status", (await Assert.ThrowsAsync<YibaoException>(() => store.ExecuteAsync(id, Reviewer))).Error.Code);
        Assert.Equal("application-wrong-status", (await Assert.ThrowsAsync<YibaoException>(() => store.ApproveAsync(id, Reviewer))).Error.Code);
        Assert.Equal("application-already-open", (await Assert.ThrowsAsync<YibaoException>(() => store.SubmitAsync(Death(Demo, person), "insured"))).Error.Code);
        var stranger = Domain.Identity.IdNumber.Create(Demo, new DateOnly(1960, 1, 1), 777);
        Assert.Equal("unknown-insured", (await Assert.ThrowsAsync<YibaoException>(() => store.SubmitAsync(Death(Demo, stranger), "insured"))).Error.Code);

        Assert.Equal(events, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application_event"));
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application"));
        Assert.Equal(0, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM journal_entry WHERE reason_code = 'withdrawal-payout'"));
    }

    [Fact]
    public async Task A_retried_submission_is_a_replay_and_the_same_key_for_another_application_is_refused()
    {
        await using var t = await NewDb();
        var clock = new DayClock(July3);
        var person = await PersonAsync(t.Db, Demo, clock);
        var store = Store(t.Db, clock);
        var submission = Death(Demo, person) with { SubmissionKey = "portal-42" };

        var first = await store.SubmitAsync(submission, "insured");
        var retry = await store.SubmitAsync(submission, "insured");
        var reused = await Assert.ThrowsAsync<YibaoException>(() => store.SubmitAsync(Death(Demo, person, null, "death-certificate") with { SubmissionKey = "portal-42" }, "insured"));

        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Application.Id, retry.Application.Id);
        Assert.Equal("idempotency-key-reused", reused.Error.Code);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM application"));
    }

    private static async Task<string?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (YibaoException e)
        {
            return e.Error.Code;
        }
    }
}

public sealed class SqliteWithdrawalApplicationTests() : WithdrawalApplicationTests(Engine.Sqlite);
public sealed class PostgresWithdrawalApplicationTests() : WithdrawalApplicationTests(Engine.Postgres);
