using Yibao.Domain.Calendars;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Applications;

/// <summary>A decision on an application's facts as the records and the ledger hold them on a day, with the deadlines it sets.</summary>
/// <param name="Decision">The decision's answer as the application keeps it.</param>
/// <param name="InsuredId">The person's row.</param>
/// <param name="Name">The person's name on record.</param>
/// <param name="AcceptedOn">受理日: the first working day on or after the application day.</param>
/// <param name="DueOn">The agency's deadline (支取: the region's time limit; 转出: the transfer-out deadline).</param>
/// <param name="TargetDueOn">转入: the target's deadline counted from the transfer-out deadline.</param>
/// <param name="Balance">The account's balance the decision saw.</param>
public sealed record DecidedApplication(
    ApplicationDecision Decision,
    long InsuredId,
    string Name,
    DateOnly AcceptedOn,
    DateOnly DueOn,
    DateOnly? TargetDueOn,
    DMoney Balance);

/// <summary>
/// Runs the policy decision of an application (<see cref="WithdrawalDecision"/>,
/// <see cref="TransferDecision"/>) on the facts of the day: the person's status on that day from
/// the status history, the personal account's balance now, the heir's account, the region's pack
/// in force on that day and the agencies' working-day calendars. Reads only; nothing is written.
/// </summary>
public sealed class ApplicationDecider(YibaoDatabase db, PolicyBook book, HolidayCalendars calendars, TimeProvider clock)
{
    public async Task<DecidedApplication> DecideAsync(ApplicationSubmission submission, DateOnly on, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var region = submission.Region;
        if (!book.Has(region)) throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));
        var records = new RecordsStore(db, clock);
        var insured = await records.GetInsuredAsync(region, submission.IdNumber, ct).ConfigureAwait(false)
                      ?? throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, submission.IdNumber.Value));
        var retired = (insured.History.StatusOn(on)?.State ?? insured.Status) == InsuredState.Retired;
        var ledger = new LedgerStore(db, clock);
        var account = await ledger.GetBalanceAsync(insured.Account, ct).ConfigureAwait(false);
        if (account.Status == AccountStatus.Closed) throw new YibaoException(ErrorCatalog.AccountClosed(insured.Account.Value));
        var balance = account.Total;
        var insuredId = await InsuredIdAsync(region, submission.IdNumber.Value, ct).ConfigureAwait(false);
        var resolved = book.For(region, on);
        var calendar = calendars.For(resolved.CalendarRegion);
        var accepted = calendar.NextWorkingDayOnOrAfter(on);

        if (submission.Kind == ApplicationKind.Withdrawal)
        {
            var facts = submission.Withdrawal ?? throw new YibaoException(ErrorCatalog.MissingField("withdrawal"));
            var policy = WithdrawalPolicy.From(resolved);
            var heirInsured = facts.Heir is { } heir && await HasOpenAccountAsync(ledger, AccountCode.Personal(region, heir.Value), ct).ConfigureAwait(false);
            var request = new WithdrawalRequest(region, facts.Reason, retired, balance, submission.Materials, facts.WrittenApplication,
                ByAgent: submission.Agent is not null, HeirInsuredInRegion: heirInsured, TargetRegion: facts.TargetRegion);
            var answer = WithdrawalDecision.Decide(request, policy, Explanation.Build());
            var version = Versions(resolved, "withdrawal.", "transfer.within-province-mode", "applications.");
            var days = resolved.Has(ApplicationKeys.WithdrawalWorkingDays) ? resolved.Get(ApplicationKeys.WithdrawalWorkingDays) : 20;
            return new DecidedApplication(ApplicationDecision.Of(answer, version, on), insuredId, insured.Name, accepted,
                calendar.AddWorkingDays(accepted, days), null, balance);
        }

        var transfer = submission.Transfer ?? throw new YibaoException(ErrorCatalog.MissingField("transfer"));
        var target = transfer.TargetRegion;
        if (target == region)
            throw new YibaoException(ErrorCatalog.InvalidField("targetRegion", "the same region as the source: a transfer is between two pooling regions"));
        var targetPolicy = book.For(TransferCase.NearestConfigured(book, target), on);
        var transferAnswer = TransferDecision.Decide(new TransferRequest(region, target, retired, on, null, balance),
            TransferPolicy.From(resolved), TransferPolicy.From(targetPolicy),
            calendar, calendars.For(TransferCase.CalendarOf(targetPolicy, target)), Explanation.Build());
        var transferVersion = Versions(resolved, "transfer.");
        var decision = ApplicationDecision.Of(transferAnswer, transferVersion, on);
        return new DecidedApplication(decision, insuredId, insured.Name,
            transferAnswer.AcceptedOn ?? accepted, transferAnswer.TransferOutDeadline ?? accepted, transferAnswer.TransferInDeadline, balance);
    }

    private static string Versions(ResolvedPolicy resolved, params string[] prefixes) =>
        CreditingRunVersions.Of(resolved, prefixes) is { Length: > 0 } used ? used : resolved.VersionId;

    private static async Task<bool> HasOpenAccountAsync(LedgerStore ledger, AccountCode code, CancellationToken ct)
    {
        try
        {
            return (await ledger.GetBalanceAsync(code, ct).ConfigureAwait(false)).Status == AccountStatus.Open;
        }
        catch (YibaoException e) when (e.Error.Code == "unknown-account")
        {
            return false;
        }
    }

    private async Task<long> InsuredIdAsync(RegionCode region, string idNumber, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM insured WHERE region_code = @r AND id_number = @i";
        cmd.With("r", region.Value).With("i", idNumber);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}
