using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Storage.Applications;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Transfer;

/// <summary>
/// 转移接续 in storage: the facts a transfer decision reads, loaded inside the application's
/// transaction, and the transfer-out an approved application orders (the source side of the
/// message exchange, <see cref="TransferExchange"/>). The decision is <see cref="TransferApplication.Decide"/>'s.
/// </summary>
internal static class Transfers
{
    public const string TransferOutReason = "transfer-out";

    public static string EntryKey(ApplicationRecord app) => $"transfer-out/{app.Region.Value}/{app.Id.ToString(CultureInfo.InvariantCulture)}";
    public static string MessageId(ApplicationRecord app) => $"transfer/{app.Region.Value}/{app.Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The facts on record on <paramref name="on"/>: the status, the balance, and whether the
    /// target is a region Yibao knows (its pack) and can deliver to (a database configured for it,
    /// or this one when it serves the region).
    /// </summary>
    public static async Task<TransferFacts> LoadFactsAsync(DbSession s, ApplicantOnRecord person, TransferClaim claim, DateOnly on,
        PolicyBook book, RegionDatabases regions, CancellationToken ct)
    {
        var account = await LedgerStore.GetBalanceForUpdateAsync(s, person.Record.Account, ct).ConfigureAwait(false)
                      ?? throw new YibaoException(ErrorCatalog.UnknownAccount(person.Record.Account.Value));
        if (account.Status == AccountStatus.Closed) throw new YibaoException(ErrorCatalog.AccountClosed(person.Record.Account.Value));
        var target = claim.TargetRegion;
        var known = book.Has(target);
        var reachable = known && await ReachableAsync(s, target, regions, ct).ConfigureAwait(false);
        return new TransferFacts(person.StatusOn(on), account.Total, known, reachable);
    }

    private static async Task<bool> ReachableAsync(DbSession s, RegionCode target, RegionDatabases regions, CancellationToken ct)
    {
        if (regions.IsApart(target)) return true;
        var db = regions.For(target);
        if (ReferenceEquals(db, s.Database)) return await RegionServedAsync(s.Connection, s.Transaction, target, ct).ConfigureAwait(false);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await RegionServedAsync(c, null, target, ct).ConfigureAwait(false);
    }

    private static async Task<bool> RegionServedAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction? tx, RegionCode region, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT COUNT(*) FROM region WHERE code = @r";
        cmd.With("r", region.Value);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    public static ApplicationDecision Decide(ApplicationSubmission submission, DateOnly on, TransferFacts facts, PolicyBook book, HolidayCalendars calendars) =>
        TransferApplication.Decide(submission.Region, on, submission.Transfer!, facts, book, calendars);

    /// <summary>
    /// The transfer-out, by the standing decision's <see cref="TransferMode"/>: within 广东
    /// (<see cref="TransferMode.Stays"/>) nothing moves and the application closes; otherwise the
    /// whole balance, its rows locked, is debited to inter-region clearing (or bank clearing),
    /// the account is closed, the person's membership here ends (a leave, so the source no longer
    /// counts or credits them), and for a balance that moves an outbox message is written for the
    /// target region — all in the caller's transaction. Returns what the audit trail says, and
    /// whether the application closes now (it waits for delivery when a message was written).
    /// </summary>
    public static async Task<(string? EntryKey, string Note, bool ClosesNow)> ExecuteAsync(
        DbSession s, LedgerStore ledger, ApplicationRecord app, string actor, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var answer = app.Standing.Transfer ?? throw new InvalidOperationException($"application {app.Id} has no transfer decision");
        var target = app.Transfer?.TargetRegion ?? throw new YibaoException(ErrorCatalog.MissingField("targetRegion"));
        if (answer.Mode == TransferMode.Stays) return (null, "within the province the account stays usable; nothing moves", true);
        if (answer.Mode is not (TransferMode.MoveBalance or TransferMode.ToBank))
            throw new InvalidOperationException($"application {app.Id} is approved with no transfer mode");

        var clearing = AccountCode.Of(app.Region, answer.Mode == TransferMode.ToBank ? AccountKind.BankClearing : AccountKind.InterRegionClearing);
        await LedgerStore.OpenAccountAsync(s, clearing, AccountCode.SystemOpeningDate, ct).ConfigureAwait(false);
        var account = AccountCode.Personal(app.Region, app.IdNumber.Value);
        var balance = await LedgerStore.GetBalanceForUpdateAsync(s, account, ct).ConfigureAwait(false)
                      ?? throw new YibaoException(ErrorCatalog.UnknownAccount(account.Value));
        if (balance.Status == AccountStatus.Closed) throw new YibaoException(ErrorCatalog.AccountClosed(account.Value));
        var current = balance.Segments.GetValueOrDefault(Segment.CurrentYear);
        var historical = balance.Segments.GetValueOrDefault(Segment.Historical);
        var total = current + historical;
        string? key = null;
        if (total.IsPositive)
        {
            key = EntryKey(app);
            await ledger.PostNewAsync(s, new JournalEntryRequest
            {
                IdempotencyKey = key,
                Region = app.Region,
                ReasonCode = TransferOutReason,
                BusinessDate = today,
                Actor = actor,
                PolicyVersion = app.Standing.PolicyVersion,
                Memo = $"转移接续转出(申请 {app.Id}):全部余额 {total.ToPlainString()} 元转往 {target.Value} / transfer-out (application {app.Id}): the whole balance {total.ToPlainString()} to {target.Value}",
                Postings = [.. PersonalAccountDraw.Lines(account, current, historical, total), new PostingLine(clearing, Segment.Main, total)],
            }, ct).ConfigureAwait(false);
        }
        await LedgerStore.CloseAccountAsync(s, account, today, ct).ConfigureAwait(false);
        await EndMembershipAsync(s, app, today, now, ct).ConfigureAwait(false);

        if (answer.Mode == TransferMode.ToBank) return (key, $"paid {total.ToPlainString()} to the bank account", true);

        string name;
        await using (var find = s.Command("SELECT name FROM insured WHERE region_code = @r AND id_number = @i").With("r", app.Region.Value).With("i", app.IdNumber.Value))
            name = (string)(await find.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        await using (var outbox = s.Command(
                         "INSERT INTO transfer_outbox (message_id, application_id, region_code, target_region, id_number, name, amount, applied_on, accepted_on, " +
                         "transfer_out_deadline, sent_on, created_at) VALUES (@m, @a, @r, @t, @i, @n, @amt, @applied, @accepted, @due, @sent, @at)")
                     .With("m", MessageId(app)).With("a", app.Id).With("r", app.Region.Value).With("t", target.Value).With("i", app.IdNumber.Value).With("n", name)
                     .With("amt", total.Fen).With("applied", app.AppliedOn).With("accepted", app.AcceptedOn ?? app.AppliedOn).With("due", app.DueOn)
                     .With("sent", today).With("at", Timestamp(s.Engine, now)))
            await outbox.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return (key, $"{total.ToPlainString()} sent to {target.Value} (message {MessageId(app)})", false);
    }

    /// <summary>
    /// After the transfer-out the person is no longer insured here: a leave on the execution day
    /// (status suspended, the account closed), unless the records already show them out of
    /// insurance. Monthly crediting and the gaps then leave them alone.
    /// </summary>
    private static async Task EndMembershipAsync(DbSession s, ApplicationRecord app, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var person = await ApplicantOnRecord.LoadAsync(s, app.Region, app.IdNumber, lockRow: false, ct).ConfigureAwait(false);
        if (person.Record.History.Current is not (InsuredState.Employed or InsuredState.FlexibleEmployed)) return;
        var on = today < person.Record.History.Last.EffectiveOn ? person.Record.History.Last.EffectiveOn : today;
        await RecordsStore.AppendEventAsync(s, app.Region, app.IdNumber, StatusEventKind.Leave, on, null, on, now, ct).ConfigureAwait(false);
    }
}
