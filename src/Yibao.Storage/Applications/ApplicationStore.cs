using System.Data.Common;
using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;

namespace Yibao.Storage.Applications;

/// <summary>The outcome of an action on an application: the application after it, and whether the action had been done before (a retry).</summary>
public sealed record ApplicationResult(ApplicationRecord Application, bool Replayed = false);

/// <summary>A reviewer's look before approving: the application and what the decision says today.</summary>
public sealed record ApplicationReview(ApplicationRecord Application, ApplicationDecision Now, bool Differs);

/// <summary>
/// Applications (提取, 转移接续) through their lifecycle, in the region's database. The policy
/// decision runs at submission (the applicant sees at once whether they qualify and what is
/// missing) and again at approval (the reviewer sees both answers when they differ). Every change
/// of status is one conditional update with its audit row; execution moves the money once, in
/// the same transaction as the status (see <see cref="ApplicationExecution"/>).
/// </summary>
public sealed class ApplicationStore(YibaoDatabase db, LedgerStore ledger, PolicyBook book, HolidayCalendars calendars, TimeProvider clock)
{
    public const string SystemActor = "system";

    private readonly ApplicationDecider _decider = new(db, book, calendars, clock);

    public YibaoDatabase Database => db;

    private DateOnly Today => Dates.TodayInChina(clock);

    /// <summary>What the decision says if the person applied today (可否办理、需带材料); nothing is written.</summary>
    public async Task<DecidedApplication> CheckAsync(ApplicationSubmission submission, CancellationToken ct = default)
    {
        Validate(submission);
        return await _decider.DecideAsync(submission, Today, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Files an application. One the decision refuses outright is not filed (<c>application-ineligible</c>,
    /// with the decision's reason code). A filed one missing materials is returned to the applicant
    /// at once by the system, listing them. A retry with the same submission key is a replay.
    /// </summary>
    public async Task<ApplicationResult> SubmitAsync(ApplicationSubmission submission, string actor, CancellationToken ct = default)
    {
        Validate(submission);
        var key = submission.SubmissionKey ?? $"application/{submission.Region.Value}/{submission.IdNumber.Value}/{Guid.NewGuid():N}";
        if (await ReplayAsync(submission, key, ct).ConfigureAwait(false) is { } replay) return replay;

        var decided = await _decider.DecideAsync(submission, Today, ct).ConfigureAwait(false);
        var d = decided.Decision;
        if (!d.Eligible)
        {
            var first = d.Reasons.Count > 0 ? d.Reasons[^1] : null;
            throw new YibaoException(ErrorCatalog.ApplicationIneligible(submission.Kind.Code(), d.ReasonCode ?? "not-eligible", first?.Zh ?? "", first?.En ?? ""));
        }

        try
        {
            return await db.InTransactionAsync(async s =>
            {
                if (await ApplicationRows.InProgressAsync(s, decided.InsuredId, submission.Kind, ct).ConfigureAwait(false) is { } open)
                    throw new YibaoException(ErrorCatalog.ApplicationAlreadyOpen(submission.Kind.Code(), open.ToString(CultureInfo.InvariantCulture)));
                var now = clock.GetUtcNow();
                var id = await ApplicationRows.InsertAsync(s, submission, decided, key, now, ct).ConfigureAwait(false);
                await ApplicationRows.AddEventAsync(s, id, submission.Region, now, actor, ApplicationAction.Submit, null, ApplicationStatus.Submitted,
                    null, null, null, null, ct).ConfigureAwait(false);
                var app = await ReadAsync(s, id, ct).ConfigureAwait(false);
                if (!d.Complete) await ReturnForMaterialsAsync(s, app, d, now, ct).ConfigureAwait(false);
                return new ApplicationResult(await ReadAsync(s, id, ct, withEvents: true).ConfigureAwait(false));
            }, ct).ConfigureAwait(false);
        }
        catch (DbException e) when (LedgerStore.IsUniqueViolation(e))
        {
            // Another submission of the same key, or of the same kind for the same person, committed first.
            if (await ReplayAsync(submission, key, ct).ConfigureAwait(false) is { } raced) return raced;
            throw new YibaoException(ErrorCatalog.ApplicationAlreadyOpen(submission.Kind.Code(), "?"));
        }
    }

    /// <summary>The applicant presents more materials (补正): the decision runs again; still incomplete, it is returned again.</summary>
    public Task<ApplicationResult> ResubmitAsync(long id, IReadOnlyList<WithdrawalMaterial> added, string actor, CancellationToken ct = default) =>
        InTransactionAsync(id, async (s, app) =>
        {
            if (app.Status != ApplicationStatus.Returned) throw ApplicationRows.WrongStatus(app, ApplicationAction.Resubmit);
            var materials = app.Materials.Concat(added).Distinct().ToList();
            var decided = await _decider.DecideAsync(SubmissionOf(app, materials), Today, ct).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            // Incomplete, it stays with the applicant: the resubmission and the return are one step.
            if (!decided.Decision.Eligible)
                throw new YibaoException(ErrorCatalog.ApplicationIneligible(app.Kind.Code(), decided.Decision.ReasonCode ?? "not-eligible",
                    decided.Decision.Reasons.LastOrDefault()?.Zh ?? "", decided.Decision.Reasons.LastOrDefault()?.En ?? ""));
            await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Resubmit, actor, now, new ApplicationRows.Change(
                Materials: ApplicationRows.MaterialsOf(materials), Decision: decided.Decision, AcceptedOn: decided.AcceptedOn, DueOn: decided.DueOn,
                TargetDueOn: decided.TargetDueOn), note: $"materials: {ApplicationRows.MaterialsOf(materials)}", ct).ConfigureAwait(false);
            if (!decided.Decision.Complete) await ReturnForMaterialsAsync(s, await ReadAsync(s, id, ct).ConfigureAwait(false), decided.Decision, now, ct).ConfigureAwait(false);
            return false;
        }, ct);

    /// <summary>The agency sends a submitted application back to the applicant (材料不清晰、需补正), with the reason.</summary>
    public Task<ApplicationResult> ReturnAsync(long id, string reviewer, string reasonZh, string reasonEn, CancellationToken ct = default) =>
        InTransactionAsync(id, async (s, app) =>
        {
            RequireReason(reasonZh, reasonEn);
            await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Return, reviewer, clock.GetUtcNow(),
                new ApplicationRows.Change(ReasonCode: "returned-by-reviewer", ReasonZh: reasonZh, ReasonEn: reasonEn), ct: ct).ConfigureAwait(false);
            return false;
        }, ct);

    /// <summary>受理: a complete application is accepted; the deadlines of the decision run.</summary>
    public Task<ApplicationResult> AcceptAsync(long id, string reviewer, CancellationToken ct = default) =>
        InTransactionAsync(id, async (s, app) =>
        {
            if (app.Status == ApplicationStatus.Submitted && !app.Decision.Complete)
                throw new YibaoException(ErrorCatalog.ApplicationIncomplete(id.ToString(CultureInfo.InvariantCulture), string.Join(", ", app.Decision.MissingMaterials)));
            await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Accept, reviewer, clock.GetUtcNow(), ct: ct).ConfigureAwait(false);
            return false;
        }, ct);

    /// <summary>What the decision says today beside what it said at submission, while no reviewer has decided (nothing is written).</summary>
    public async Task<ApplicationReview> ReviewAsync(long id, CancellationToken ct = default)
    {
        var app = await GetAsync(id, ct).ConfigureAwait(false);
        // Decided (approved or beyond): what approval decided stands; the facts have moved on (the account may be closed).
        if (app.Status is not (ApplicationStatus.Submitted or ApplicationStatus.Returned or ApplicationStatus.Accepted))
            return new ApplicationReview(app, app.ApprovalDecision ?? app.Decision, app.DecisionChanged);
        var now = await _decider.DecideAsync(SubmissionOf(app, app.Materials), Today, ct).ConfigureAwait(false);
        return new ApplicationReview(app, now.Decision, now.Decision.DiffersFrom(app.Decision));
    }

    /// <summary>
    /// 审核通过: the decision runs again on today's facts and policy. If it no longer approves, the
    /// approval is refused (<c>application-no-longer-eligible</c>) and the reviewer rejects; if it
    /// approves with other figures, both answers are kept and shown.
    /// </summary>
    public async Task<ApplicationResult> ApproveAsync(long id, string reviewer, string? note = null, CancellationToken ct = default)
    {
        var before = await GetAsync(id, ct).ConfigureAwait(false);
        if (ApplicationLifecycle.Next(before.Status, ApplicationAction.Approve) is null) throw ApplicationRows.WrongStatus(before, ApplicationAction.Approve);
        var now = await _decider.DecideAsync(SubmissionOf(before, before.Materials), Today, ct).ConfigureAwait(false);
        if (!now.Decision.Approvable)
            throw new YibaoException(ErrorCatalog.ApplicationNoLongerEligible(id.ToString(CultureInfo.InvariantCulture),
                now.Decision.ReasonCode ?? "materials-missing").With("missingMaterials", string.Join(", ", now.Decision.MissingMaterials)));
        return await InTransactionAsync(id, async (s, app) =>
        {
            // Read again inside the transaction: another reviewer may have acted in between.
            if (app.Version != before.Version) throw new YibaoException(ErrorCatalog.ApplicationConflict(id.ToString(CultureInfo.InvariantCulture), app.Status.Code()));
            var changed = now.Decision.DiffersFrom(app.Decision) ? "decision changed since submission; both kept" : null;
            await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Approve, reviewer, clock.GetUtcNow(),
                new ApplicationRows.Change(ApprovalDecision: now.Decision), note: string.Join("; ", new[] { note, changed }.Where(x => x is not null)) is { Length: > 0 } n ? n : null, ct).ConfigureAwait(false);
            return false;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>不予通过, with the reason in Chinese and English: it reaches the applicant as written.</summary>
    public Task<ApplicationResult> RejectAsync(long id, string reviewer, string reasonZh, string reasonEn, string? reasonCode = null, CancellationToken ct = default) =>
        InTransactionAsync(id, async (s, app) =>
        {
            RequireReason(reasonZh, reasonEn);
            await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Reject, reviewer, clock.GetUtcNow(),
                new ApplicationRows.Change(ReasonCode: reasonCode ?? "rejected-by-reviewer", ReasonZh: reasonZh, ReasonEn: reasonEn), ct: ct).ConfigureAwait(false);
            return false;
        }, ct);

    /// <summary>撤回: the applicant takes back an application no reviewer has decided yet.</summary>
    public Task<ApplicationResult> WithdrawAsync(long id, string actor, CancellationToken ct = default) =>
        InTransactionAsync(id, async (s, app) =>
        {
            await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Withdraw, actor, clock.GetUtcNow(), ct: ct).ConfigureAwait(false);
            return false;
        }, ct);

    /// <summary>
    /// Makes the approved movement of money (<see cref="ApplicationExecution"/>). Idempotent: an
    /// application already executed answers as it stands (<c>Replayed</c>), so a retry after a
    /// timeout or a crash moves nothing twice; a crash before the commit leaves it approved.
    /// </summary>
    public Task<ApplicationResult> ExecuteAsync(long id, string actor, CancellationToken ct = default) =>
        InTransactionAsync(id, async (s, app) =>
        {
            if (app.Status is ApplicationStatus.Executed or ApplicationStatus.Closed) return true;
            if (app.Status != ApplicationStatus.Approved) throw ApplicationRows.WrongStatus(app, ApplicationAction.Execute);
            await ApplicationExecution.ExecuteAsync(s, ledger, app, actor, Today, clock.GetUtcNow(), ct).ConfigureAwait(false);
            return false;
        }, ct);

    public async Task<ApplicationRecord> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await ApplicationRows.ReadAsync(c, null, id, forUpdate: false, withEvents: true, ct).ConfigureAwait(false)
               ?? throw new YibaoException(ErrorCatalog.UnknownApplication(id.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The reviewer queue of a region: in progress by default, soonest deadline first (overdue ones first of all).</summary>
    public async Task<IReadOnlyList<ApplicationRecord>> QueueAsync(RegionCode region, ApplicationQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > 1000) throw new YibaoException(ErrorCatalog.InvalidField("limit", "from 1 to 1000"));
        var where = new List<string> { "region_code = @r" };
        var args = new List<(string, object?)> { ("r", region.Value) };
        if (query.Kind is { } kind) { where.Add("kind = @k"); args.Add(("k", kind.Code())); }
        if (query.Status is { } status) { where.Add("status = @s"); args.Add(("s", status.Code())); }
        else if (!query.IncludeFinal) where.Add($"status NOT IN ({ApplicationLifecycle.SqlList(ApplicationLifecycle.Final)})");
        if (query.OverdueOnly) { where.Add($"status IN ({ApplicationLifecycle.SqlList(ApplicationLifecycle.WithAgency)}) AND due_on < @today"); args.Add(("today", Today)); }
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await ApplicationRows.ListAsync(c, string.Join(" AND ", where), args, "due_on, id", query.Limit, ct).ConfigureAwait(false);
    }

    /// <summary>A person's applications, newest first.</summary>
    public async Task<IReadOnlyList<ApplicationRecord>> ForInsuredAsync(RegionCode region, IdNumber idNumber, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await ApplicationRows.ListAsync(c, "region_code = @r AND id_number = @i", [("r", region.Value), ("i", idNumber.Value)], "id DESC", 200, ct).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------

    private async Task<ApplicationResult> InTransactionAsync(long id, Func<DbSession, ApplicationRecord, Task<bool>> work, CancellationToken ct)
    {
        return await db.InTransactionAsync(async s =>
        {
            var app = await ReadAsync(s, id, ct, forUpdate: true).ConfigureAwait(false);
            var replayed = await work(s, app).ConfigureAwait(false);
            return new ApplicationResult(await ReadAsync(s, id, ct, withEvents: true).ConfigureAwait(false), replayed);
        }, ct).ConfigureAwait(false);
    }

    private static async Task<ApplicationRecord> ReadAsync(DbSession s, long id, CancellationToken ct, bool forUpdate = false, bool withEvents = false) =>
        await ApplicationRows.ReadAsync(s.Connection, s.Transaction, id, forUpdate, withEvents, ct).ConfigureAwait(false)
        ?? throw new YibaoException(ErrorCatalog.UnknownApplication(id.ToString(CultureInfo.InvariantCulture)));

    private static async Task ReturnForMaterialsAsync(DbSession s, ApplicationRecord app, ApplicationDecision d, DateTimeOffset now, CancellationToken ct)
    {
        var missing = string.Join(", ", d.MissingMaterials);
        await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Return, SystemActor, now, new ApplicationRows.Change(
            ReasonCode: WithdrawalCodes.MaterialsMissing, ReasonZh: $"材料不全,请补正:{missing}", ReasonEn: $"Materials missing; please present: {missing}"), ct: ct).ConfigureAwait(false);
    }

    private async Task<ApplicationResult?> ReplayAsync(ApplicationSubmission submission, string key, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        if (await ApplicationRows.FindByKeyAsync(c, null, key, ct).ConfigureAwait(false) is not { } found) return null;
        if (found.Hash != ApplicationRows.HashOf(submission)) throw new YibaoException(ErrorCatalog.IdempotencyKeyReused(key));
        var app = await ApplicationRows.ReadAsync(c, null, found.Id, forUpdate: false, withEvents: true, ct).ConfigureAwait(false);
        return new ApplicationResult(app!, Replayed: true);
    }

    private static ApplicationSubmission SubmissionOf(ApplicationRecord app, IReadOnlyList<WithdrawalMaterial> materials) =>
        new(app.Region, app.IdNumber, app.Kind, materials, app.Agent, app.Withdrawal, app.Transfer);

    private static void Validate(ApplicationSubmission s)
    {
        ArgumentNullException.ThrowIfNull(s);
        switch (s.Kind)
        {
            case ApplicationKind.Withdrawal when s.Withdrawal is null:
                throw new YibaoException(ErrorCatalog.MissingField("withdrawal"));
            case ApplicationKind.Withdrawal when s.Withdrawal.Reason == WithdrawalReason.TransferImpossible && s.Withdrawal.TargetRegion is null:
                throw new YibaoException(ErrorCatalog.MissingField("targetRegion"));
            case ApplicationKind.Withdrawal when s.Withdrawal.Heir is { } heir && heir == s.IdNumber:
                throw new YibaoException(ErrorCatalog.InvalidField("heirIdNumber", "the heir is the insured person"));
            case ApplicationKind.Transfer when s.Transfer is null:
                throw new YibaoException(ErrorCatalog.MissingField("transfer"));
            case ApplicationKind.Transfer when s.Transfer.TargetRegion == s.Region:
                throw new YibaoException(ErrorCatalog.InvalidField("targetRegion", "the same region as the source: a transfer is between two pooling regions"));
        }
        if (s.SubmissionKey is { Length: > 200 }) throw new YibaoException(ErrorCatalog.InvalidField("submissionKey", "longer than 200 characters"));
    }

    private static void RequireReason(string zh, string en)
    {
        if (string.IsNullOrWhiteSpace(zh)) throw new YibaoException(ErrorCatalog.MissingField("reasonZh"));
        if (string.IsNullOrWhiteSpace(en)) throw new YibaoException(ErrorCatalog.MissingField("reasonEn"));
        if (zh.Length > 500 || en.Length > 500) throw new YibaoException(ErrorCatalog.InvalidField("reason", "longer than 500 characters"));
    }
}
