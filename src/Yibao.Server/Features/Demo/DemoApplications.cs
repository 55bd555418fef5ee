using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Policy;
using Yibao.Server.Hosting;
using Yibao.Storage;
using Yibao.Storage.Applications;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;

namespace Yibao.Server.Features.Demo;

/// <summary>
/// The demo's applications, through <see cref="ApplicationStore"/> as an applicant and a reviewer
/// would make them (kept apart in this file: the applications API may change shape):
/// <list type="bullet">
/// <item>the person who moves (<see cref="DemoLife.Moves"/>) transfers to 兰州 620100 — submitted,
///   accepted, approved and executed today (the balance leaves for inter-region clearing and the
///   account closes); they are enrolled in 620100 too, so the dispatcher delivers and credits it there;</item>
/// <item>the heir of the first deceased person applies for the death withdrawal, which waits in the
///   review queue (accept, approve and execute it to try the flow).</item>
/// </list>
/// Each step reads where the application is and does the next one, so a second process or a restart
/// goes on from there; a refusal (a rule changed, the calendar of the year not loaded) is logged and
/// the rest of the demo goes on.
/// </summary>
internal sealed partial class DemoApplications(YibaoDatabase db, LedgerStore ledger, PolicyBook book, HolidayCalendars calendars, TimeProvider clock, ILogger log)
{
    private const string Reviewer = "reviewer:示例审核员";

    private readonly ApplicationStore _store = new(db, ledger, book, calendars, clock);

    public async Task RunAsync(IReadOnlyList<DemoPerson> people, CancellationToken ct)
    {
        if (people.FirstOrDefault(p => p.Life == DemoLife.Moves) is { } mover)
            await TryAsync("transfer", () => TransferAsync(mover, ct)).ConfigureAwait(false);
        var heir = people.FirstOrDefault(p => p.Life == DemoLife.Stays && p.Status == DemoStatus.Employed);
        if (people.FirstOrDefault(p => p.Life == DemoLife.Dies) is { } deceased && heir is not null)
            await TryAsync("withdrawal", () => WithdrawalAsync(deceased, heir, ct)).ConfigureAwait(false);
    }

    private async Task TransferAsync(DemoPerson mover, CancellationToken ct)
    {
        // Enrolled in 兰州 from the day after leaving 示例市, as a flexible worker there.
        await db.InTransactionAsync(async s =>
        {
            await using (var region = s.Command("INSERT INTO region (code, name, created_on) VALUES (@c, @n, @d) ON CONFLICT (code) DO NOTHING")
                             .With("c", DemoRegion.TransferTarget.Value).With("n", DemoRegion.TransferTargetName).With("d", DemoRegion.SchemeStart))
                await region.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            var leftOn = mover.History.Last.EffectiveOn;
            await RecordsStore.EnrolAsync(s, InsuredEnrolment.Validated(new InsuredEnrolment(DemoRegion.TransferTarget, mover.Id, mover.Name,
                InsuredScheme.Employee, InsuredState.FlexibleEmployed, null, mover.Wage, leftOn, null, "CHN")), clock.GetUtcNow(), ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);

        var submission = new ApplicationSubmission(DemoRegion.Code, mover.Id, ApplicationKind.Transfer, [],
            Transfer: new TransferClaim(DemoRegion.TransferTarget), SubmissionKey: $"{DemoRegion.KeyPrefix}/transfer/{mover.Id.Value}");
        var id = (await _store.SubmitAsync(submission, $"insured:{mover.Id.Value}", ct).ConfigureAwait(false)).OrThrow().Application.Id;
        for (var step = 0; step < 8; step++)
        {
            var app = await _store.GetAsync(id, ct).ConfigureAwait(false);
            var done = app.Status switch
            {
                ApplicationStatus.Submitted => await _store.AcceptAsync(id, Reviewer, ct).ConfigureAwait(false),
                ApplicationStatus.Accepted => await _store.ApproveAsync(id, Reviewer, ct: ct).ConfigureAwait(false),
                ApplicationStatus.Approved => await _store.ExecuteAsync(id, Reviewer, ct).ConfigureAwait(false),
                _ => (Outcome<ApplicationResult>?)null,
            };
            if (done is not { } outcome) return;
            // Another process took the step first: read where it is now and go on.
            if (outcome.Refusal is { } r && !r.Is(Codes.ApplicationConflict) && !r.Is(Codes.ApplicationWrongStatus)) throw new YibaoException(r);
        }
    }

    private async Task WithdrawalAsync(DemoPerson deceased, DemoPerson heir, CancellationToken ct)
    {
        var submission = new ApplicationSubmission(DemoRegion.Code, deceased.Id, ApplicationKind.Withdrawal,
            [WithdrawalMaterial.DeathCertificate, WithdrawalMaterial.HeirProof, WithdrawalMaterial.HeirId],
            Withdrawal: new WithdrawalClaim(WithdrawalReason.Death, WrittenApplication: false, Heir: heir.Id, HeirName: heir.Name),
            SubmissionKey: $"{DemoRegion.KeyPrefix}/withdrawal/{deceased.Id.Value}");
        (await _store.SubmitAsync(submission, $"heir:{heir.Id.Value}", ct).ConfigureAwait(false)).OrThrow();
    }

    private async Task TryAsync(string what, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (YibaoException e)
        {
            LogSkipped(log, DemoRegion.Code.Value, what, e.Error.Code.Value, e.Error.MessageEn);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo region {Region}: the demo {What} application was not made ({Code}: {Message}); the rest of the demo is seeded")]
    private static partial void LogSkipped(ILogger logger, string region, string what, string code, string message);
}
