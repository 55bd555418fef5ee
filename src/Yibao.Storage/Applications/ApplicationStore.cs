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
using Yibao.Storage.Transfer;
using Yibao.Storage.Withdrawal;

namespace Yibao.Storage.Applications;

/// <summary>The outcome of an action on an application: the application after it, and whether the action had been done before (a retry).</summary>
public sealed record ApplicationResult(ApplicationRecord Application, bool Replayed = false);

/// <summary>A reviewer's look before approving: the application and what the decision says today.</summary>
public sealed record ApplicationReview(ApplicationRecord Application, ApplicationDecision Now, bool Differs);

/// <summary>
/// Applications — <see cref="ApplicationKind.Withdrawal"/> (提取, <see cref="Withdrawals"/>) and
/// <see cref="ApplicationKind.Transfer"/> (转移接续, <see cref="Transfers"/>) — through their one
/// lifecycle, in the region's database. Every request is one transaction in three steps: load
/// the facts (the application row and the applicant's records locked where the answer depends on
/// them), call the pure decision (<see cref="WithdrawalApplication"/>, <c>TransferApplication</c>,
/// <see cref="ApplicationLifecycle"/>), write its consequences — a conditional status change with
/// its audit row and, on execution, the money. A refusal comes back as a value and writes nothing.
/// </summary>
public sealed class ApplicationStore(YibaoDatabase db, LedgerStore ledger, PolicyBook book, HolidayCalendars calendars, TimeProvider clock,
    RegionDatabases? regions = null)
{
    public const string SystemActor = "system";

    private readonly RegionDatabases _regions = regions ?? new RegionDatabases(db);

    public YibaoDatabase Database => db;

    private DateOnly Today => Dates.TodayInChina(clock);

    /// <summary>What the decision says if the person applied today (可否办理、需带材料), on the facts as they stand; nothing is written.</summary>
    public async Task<ApplicationDecision> CheckAsync(ApplicationSubmission submission, CancellationToken ct = default)
    {
        Validate(submission);
        return await db.ReadAsync(async s =>
        {
            var person = await ApplicantOnRecord.LoadAsync(s, submission.Region, submission.IdNumber, lockRow: false, ct).ConfigureAwait(false);
            return await DecideAsync(s, submission, person, Today, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Files an application. One the decision refuses is not filed: the refusal carries the
    /// decision's own code (<c>retiree-not-transferable</c>, <c>fact-not-on-record</c>, …) and its
    /// reasons. A filed one missing materials is returned to the applicant at once by the system,
    /// listing them. A retry with the same submission key is a replay; the same key with other
    /// content is <c>idempotency-key-reused</c>, naming what differs.
    /// </summary>
    public Task<Outcome<ApplicationResult>> SubmitAsync(ApplicationSubmission submission, string actor, CancellationToken ct = default)
    {
        Validate(submission);
        var key = submission.SubmissionKey ?? $"application/{submission.Region.Value}/{submission.IdNumber.Value}/{Guid.NewGuid():N}";
        return db.RunAsync<ApplicationResult>(async s =>
        {
            if (await ReplayAsync(s, submission, key, ct).ConfigureAwait(false) is { } replay) return replay;
            var person = await ApplicantOnRecord.LoadAsync(s, submission.Region, submission.IdNumber, lockRow: true, ct).ConfigureAwait(false);
            var decision = await DecideAsync(s, submission, person, Today, ct).ConfigureAwait(false);
            if (!decision.Eligible) return Refusal(decision);
            if (await ApplicationRows.InProgressAsync(s, person.InsuredId, submission.Kind, ct).ConfigureAwait(false) is { } open)
                return ErrorCatalog.ApplicationAlreadyOpen(submission.Kind.Code(), open.ToString(CultureInfo.InvariantCulture));
            var now = clock.GetUtcNow();
            var app = await ApplicationRows.InsertAsync(s, submission, person.InsuredId, decision, key, actor, now, ct).ConfigureAwait(false);
            if (!decision.Complete) app = await ReturnForMaterialsAsync(s, app, decision, now, ct).ConfigureAwait(false);
            return new ApplicationResult(app);
        }, ct);
    }

    /// <summary>The applicant presents more materials (补正): the decision runs again; still incomplete, it is returned again.</summary>
    public Task<Outcome<ApplicationResult>> ResubmitAsync(long id, IReadOnlyList<WithdrawalMaterial> added, string actor, CancellationToken ct = default) =>
        ActAsync(id, async (s, app) =>
        {
            if (app.Status != ApplicationStatus.Returned) return ApplicationRows.WrongStatus(app, ApplicationAction.Resubmit).Error;
            var materials = app.Materials.Concat(added).Distinct().ToList();
            var submission = app.Submission(materials);
            var person = await ApplicantOnRecord.LoadAsync(s, app.Region, app.IdNumber, lockRow: true, ct).ConfigureAwait(false);
            var decision = await DecideAsync(s, submission, person, Today, ct).ConfigureAwait(false);
            if (!decision.Eligible) return Refusal(decision);
            var now = clock.GetUtcNow();
            var resubmitted = await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Resubmit, actor, now,
                new ApplicationRows.Change(Materials: materials, Decision: decision),
                note: $"materials: {ApplicationRows.MaterialsOf(materials)}", ct).ConfigureAwait(false);
            // Incomplete, it stays with the applicant: the resubmission and the return are one step.
            return Done(decision.Complete ? resubmitted : await ReturnForMaterialsAsync(s, resubmitted, decision, now, ct).ConfigureAwait(false));
        }, ct);

    /// <summary>The agency sends a submitted application back to the applicant (材料不清晰、需补正), with the reason.</summary>
    public Task<Outcome<ApplicationResult>> ReturnAsync(long id, string reviewer, string reasonZh, string reasonEn, CancellationToken ct = default) =>
        ActAsync(id, async (s, app) =>
        {
            if (RequireReason(reasonZh, reasonEn) is { } bad) return bad;
            return Done(await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Return, reviewer, clock.GetUtcNow(),
                new ApplicationRows.Change(ReasonCode: "returned-by-reviewer", ReasonZh: reasonZh, ReasonEn: reasonEn), ct: ct).ConfigureAwait(false));
        }, ct);

    /// <summary>受理: a complete application is accepted; the deadlines of the decision run.</summary>
    public Task<Outcome<ApplicationResult>> AcceptAsync(long id, string reviewer, CancellationToken ct = default) =>
        ActAsync(id, async (s, app) =>
        {
            if (app.Status == ApplicationStatus.Submitted && !app.Decision.Complete)
                return ErrorCatalog.ApplicationIncomplete(id.ToString(CultureInfo.InvariantCulture), app.Decision.Withdrawal?.MissingMaterials ?? []);
            return Done(await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Accept, reviewer, clock.GetUtcNow(), ct: ct).ConfigureAwait(false));
        }, ct);

    /// <summary>What the decision says today beside what it said at submission, while no reviewer has decided (nothing is written).</summary>
    public async Task<ApplicationReview> ReviewAsync(long id, CancellationToken ct = default) =>
        await db.ReadAsync(async s =>
        {
            var app = await ReadAsync(s, id, ct, withEvents: true).ConfigureAwait(false);
            // Decided (approved or beyond): what approval decided stands; the facts have moved on (the account may be closed).
            if (app.Status is not (ApplicationStatus.Submitted or ApplicationStatus.Returned or ApplicationStatus.Accepted))
                return new ApplicationReview(app, app.Standing, app.DecisionChanged);
            var person = await ApplicantOnRecord.LoadAsync(s, app.Region, app.IdNumber, lockRow: false, ct).ConfigureAwait(false);
            var now = await DecideAsync(s, app.Submission(), person, Today, ct).ConfigureAwait(false);
            return new ApplicationReview(app, now, now.DiffersFrom(app.Decision));
        }, ct).ConfigureAwait(false);

    /// <summary>
    /// 审核通过: the decision runs again, in the same transaction, on today's facts and policy. If
    /// it no longer approves, the approval is refused (<c>application-no-longer-eligible</c>, with
    /// its reasons) and the reviewer rejects; if it approves with other figures, both answers are kept and shown.
    /// </summary>
    public Task<Outcome<ApplicationResult>> ApproveAsync(long id, string reviewer, string? note = null, CancellationToken ct = default) =>
        ActAsync(id, async (s, app) =>
        {
            if (ApplicationLifecycle.Next(app.Status, ApplicationAction.Approve) is null) return ApplicationRows.WrongStatus(app, ApplicationAction.Approve).Error;
            var person = await ApplicantOnRecord.LoadAsync(s, app.Region, app.IdNumber, lockRow: true, ct).ConfigureAwait(false);
            var now = await DecideAsync(s, app.Submission(), person, Today, ct).ConfigureAwait(false);
            if (!now.Approvable)
                return ErrorCatalog.ApplicationNoLongerEligible(id.ToString(CultureInfo.InvariantCulture), now.ReasonCode ?? Codes.MaterialsMissing)
                    .With("missingMaterials", string.Join(", ", now.MissingMaterials)).Because(now.Reasons);
            var changed = now.DiffersFrom(app.Decision) ? "decision changed since submission; both kept" : null;
            return Done(await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Approve, reviewer, clock.GetUtcNow(),
                new ApplicationRows.Change(ApprovalDecision: now),
                note: string.Join("; ", new[] { note, changed }.Where(x => x is not null)) is { Length: > 0 } n ? n : null, ct).ConfigureAwait(false));
        }, ct);

    /// <summary>不予通过, with the reason in Chinese and English: it reaches the applicant as written.</summary>
    public Task<Outcome<ApplicationResult>> RejectAsync(long id, string reviewer, string reasonZh, string reasonEn, string? reasonCode = null, CancellationToken ct = default) =>
        ActAsync(id, async (s, app) =>
        {
            if (RequireReason(reasonZh, reasonEn) is { } bad) return bad;
            return Done(await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Reject, reviewer, clock.GetUtcNow(),
                new ApplicationRows.Change(ReasonCode: reasonCode ?? "rejected-by-reviewer", ReasonZh: reasonZh, ReasonEn: reasonEn), ct: ct).ConfigureAwait(false));
        }, ct);

    /// <summary>撤回: the applicant takes back an application no reviewer has decided yet.</summary>
    public Task<Outcome<ApplicationResult>> WithdrawAsync(long id, string actor, CancellationToken ct = default) =>
        ActAsync(id, async (s, app) =>
        {
            return Done(await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Withdraw, actor, clock.GetUtcNow(), ct: ct).ConfigureAwait(false));
        }, ct);

    /// <summary>
    /// Makes the approved movement of money, in the transaction that marks the application
    /// executed (switching on the standing decision's kind and its enums). Idempotent: an
    /// application already executed answers as it stands (<c>Replayed</c>), so a retry after a
    /// timeout or a crash moves nothing twice; a crash before the commit leaves it approved.
    /// </summary>
    public Task<Outcome<ApplicationResult>> ExecuteAsync(long id, string actor, CancellationToken ct = default) =>
        ActAsync(id, async (s, app) =>
        {
            if (app.Status is ApplicationStatus.Executed or ApplicationStatus.Closed) return new Acted(app, Replayed: true);
            if (app.Status != ApplicationStatus.Approved) return ApplicationRows.WrongStatus(app, ApplicationAction.Execute).Error;
            var (today, now) = (Today, clock.GetUtcNow());
            var (entryKey, note, closesNow) = app.Kind switch
            {
                ApplicationKind.Withdrawal => await WithdrawalExecutionAsync(s, app, actor, today, ct).ConfigureAwait(false),
                ApplicationKind.Transfer => await Transfers.ExecuteAsync(s, ledger, app, actor, today, now, ct).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"no execution for {app.Kind}"),
            };
            var executed = await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Execute, actor, now,
                new ApplicationRows.Change(EntryKey: entryKey), note, ct).ConfigureAwait(false);
            // Nothing left to do (a payout made, nothing to deliver): closed by the system in the same transaction.
            return Done(closesNow ? await ApplicationRows.TransitionAsync(s, executed, ApplicationAction.Close, SystemActor, now, ct: ct).ConfigureAwait(false) : executed);
        }, ct);

    private async Task<(string? EntryKey, string Note, bool ClosesNow)> WithdrawalExecutionAsync(DbSession s, ApplicationRecord app, string actor, DateOnly today, CancellationToken ct)
    {
        var (key, note) = await Withdrawals.ExecuteAsync(s, ledger, app, actor, today, ct).ConfigureAwait(false);
        return (key, note, true);
    }

    public async Task<ApplicationRecord> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await ApplicationRows.ReadAsync(c, id, ct).ConfigureAwait(false)
               ?? throw new YibaoException(ErrorCatalog.UnknownApplication(id.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The reviewer queue of a region: in progress by default, soonest deadline first (overdue ones first of all).</summary>
    public async Task<IReadOnlyList<ApplicationRecord>> QueueAsync(RegionCode region, ApplicationQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > 1000) throw new YibaoException(ErrorCatalog.InvalidField("limit", "须为 1 至 1000", "from 1 to 1000"));
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

    /// <summary>The decision of the submission's kind on the facts on record on <paramref name="on"/>, read in <paramref name="s"/>.</summary>
    private async Task<ApplicationDecision> DecideAsync(DbSession s, ApplicationSubmission submission, ApplicantOnRecord person, DateOnly on, CancellationToken ct)
    {
        if (!book.Has(submission.Region)) throw new YibaoException(ErrorCatalog.UnknownRegion(submission.Region.Value));
        return submission.Kind switch
        {
            ApplicationKind.Withdrawal => Withdrawals.Decide(submission, on,
                await Withdrawals.LoadFactsAsync(s, person, submission.Withdrawal!, on, ct).ConfigureAwait(false), book, calendars),
            ApplicationKind.Transfer => Transfers.Decide(submission, on,
                await Transfers.LoadFactsAsync(s, person, submission.Transfer!, on, book, _regions, ct).ConfigureAwait(false), book, calendars),
            _ => throw new InvalidOperationException($"no decision for {submission.Kind}"),
        };
    }

    /// <summary>A refused decision as the one refusal type: its own code, its reasons.</summary>
    private static Refusal Refusal(ApplicationDecision decision)
    {
        var code = decision.ReasonCode ?? Codes.MaterialsMissing;
        var last = decision.Reasons.Count > 0 ? decision.Reasons[^1] : null;
        return code.Refuse(last?.TextZh ?? code.MeaningZh, last?.TextEn ?? code.MeaningEn)
            .With("kind", decision.Kind.Code()).Because(decision.Reasons);
    }

    /// <summary>
    /// One reviewer or applicant action: in one transaction, the application row locked and read
    /// with its events (one round trip), the action decided and written (a refusal rolls back and
    /// changes nothing). <paramref name="work"/> answers the record as it now stands — built from
    /// what it wrote, not read back — and whether it found the action already done (a replay).
    /// </summary>
    private Task<Outcome<ApplicationResult>> ActAsync(long id, Func<DbSession, ApplicationRecord, Task<Outcome<Acted>>> work, CancellationToken ct) =>
        db.RunAsync<ApplicationResult>(async s =>
        {
            var app = await ReadAsync(s, id, ct, forUpdate: true, withEvents: true).ConfigureAwait(false);
            var done = await work(s, app).ConfigureAwait(false);
            if (done.IsRefused) return done.Refusal!;
            return new ApplicationResult(done.Value.After, done.Value.Replayed);
        }, ct);

    /// <summary>What an action leaves: the record as it stands after it, and whether it had been done already.</summary>
    private sealed record Acted(ApplicationRecord After, bool Replayed = false);

    private static Outcome<Acted> Done(ApplicationRecord after) => new Acted(after);

    private static async Task<ApplicationRecord> ReadAsync(DbSession s, long id, CancellationToken ct, bool forUpdate = false, bool withEvents = false) =>
        await ApplicationRows.ReadAsync(s, id, forUpdate, withEvents, ct).ConfigureAwait(false)
        ?? throw new YibaoException(ErrorCatalog.UnknownApplication(id.ToString(CultureInfo.InvariantCulture)));

    private static async Task<ApplicationRecord> ReturnForMaterialsAsync(DbSession s, ApplicationRecord app, ApplicationDecision d, DateTimeOffset now, CancellationToken ct)
    {
        return await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Return, SystemActor, now, new ApplicationRows.Change(
            ReasonCode: Codes.MaterialsMissing.Value,
            ReasonZh: $"材料不全,请补正:{string.Join("、", d.MissingMaterialsZh)}",
            ReasonEn: $"Materials missing; please present: {string.Join(", ", d.MissingMaterials)}"), ct: ct).ConfigureAwait(false);
    }

    /// <summary>The stored submission under the key, as a replay; with other content, <c>idempotency-key-reused</c> naming what differs.</summary>
    private static async Task<ApplicationResult?> ReplayAsync(DbSession s, ApplicationSubmission submission, string key, CancellationToken ct)
    {
        if (await ApplicationRows.FindByKeyAsync(s.Connection, s.Transaction, key, ct).ConfigureAwait(false) is not { } found) return null;
        var app = await ReadAsync(s, found.Id, ct, withEvents: true).ConfigureAwait(false);
        if (found.Hash != ApplicationRows.HashOf(submission)) throw new YibaoException(ErrorCatalog.IdempotencyKeyReused(key, Differences(app, submission)));
        return new ApplicationResult(app, Replayed: true);
    }

    private static List<string> Differences(ApplicationRecord stored, ApplicationSubmission given)
    {
        var differs = new List<string>();
        if (stored.Region != given.Region || stored.IdNumber != given.IdNumber) differs.Add("idNumber");
        if (stored.Kind != given.Kind) differs.Add("kind");
        if (!stored.Materials.Order().SequenceEqual(given.Materials.Order())) differs.Add("materials");
        if (stored.Agent != given.Agent) differs.Add("agent");
        if (stored.Withdrawal != given.Withdrawal) differs.Add("withdrawal");
        if (stored.Transfer != given.Transfer) differs.Add("transfer");
        return differs;
    }

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
                throw new YibaoException(ErrorCatalog.InvalidField("heirIdNumber", "继承人不能是参保人本人", "the heir is the insured person"));
            case ApplicationKind.Transfer when s.Transfer is null:
                throw new YibaoException(ErrorCatalog.MissingField("transfer"));
            case ApplicationKind.Transfer when s.Transfer.TargetRegion == s.Region:
                throw new YibaoException(ErrorCatalog.TransferTargetSameRegion(s.Region.Value));
        }
        if (s.SubmissionKey is { Length: > 200 }) throw new YibaoException(ErrorCatalog.InvalidField("submissionKey", "不能超过 200 个字符", "longer than 200 characters"));
    }

    private static Refusal? RequireReason(string zh, string en)
    {
        if (string.IsNullOrWhiteSpace(zh)) return ErrorCatalog.MissingField("reasonZh");
        if (string.IsNullOrWhiteSpace(en)) return ErrorCatalog.MissingField("reasonEn");
        if (zh.Length > 500 || en.Length > 500) return ErrorCatalog.InvalidField("reason", "不能超过 500 个字符", "longer than 500 characters");
        return null;
    }
}
