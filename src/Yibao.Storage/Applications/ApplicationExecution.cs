using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Ledger;
using Yibao.Storage.Ledger;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Applications;

/// <summary>
/// The movement of money an approved application orders, inside the caller's transaction (with
/// the application's status change): the whole balance as it stands now, read with its rows
/// locked, never the figure seen at submission.
/// <list type="bullet">
/// <item>提取: paid to the heir's personal account in the region, or to bank clearing for the
/// heir's or applicant's bank account; the account is closed (注销), so any later posting to it is
/// refused with <c>account-closed</c>. Executed and closed in one step.</item>
/// <item>转移接续, balance moving: debited to the inter-region clearing account and an outbox
/// message written in the same transaction; the account is closed. Executed now, closed when the
/// target region has accepted the message (<see cref="TransferExchange"/>).</item>
/// <item>转移接续 within 广东 (the account stays usable province-wide): nothing moves; executed and closed.</item>
/// </list>
/// Each entry's key is the application's (<c>withdrawal/{region}/{id}</c>, <c>transfer-out/{region}/{id}</c>).
/// </summary>
internal static class ApplicationExecution
{
    public const string WithdrawalReason = "withdrawal-payout";
    public const string TransferOutReason = "transfer-out";

    public static string WithdrawalKey(ApplicationRecord app) => $"withdrawal/{app.Region.Value}/{app.Id.ToString(CultureInfo.InvariantCulture)}";
    public static string TransferOutKey(ApplicationRecord app) => $"transfer-out/{app.Region.Value}/{app.Id.ToString(CultureInfo.InvariantCulture)}";
    public static string MessageId(ApplicationRecord app) => $"transfer/{app.Region.Value}/{app.Id.ToString(CultureInfo.InvariantCulture)}";

    public static async Task ExecuteAsync(DbSession s, LedgerStore ledger, ApplicationRecord app, string actor, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var decision = app.ApprovalDecision ?? app.Decision;
        var account = AccountCode.Personal(app.Region, app.IdNumber.Value);
        var balance = await LedgerStore.GetBalanceForUpdateAsync(s, account, ct).ConfigureAwait(false)
                      ?? throw new YibaoException(ErrorCatalog.UnknownAccount(account.Value));
        if (balance.Status == AccountStatus.Closed) throw new YibaoException(ErrorCatalog.AccountClosed(account.Value));
        var current = balance.Segments.GetValueOrDefault(Segment.CurrentYear);
        var historical = balance.Segments.GetValueOrDefault(Segment.Historical);
        var total = current + historical;

        if (app.Kind == ApplicationKind.Withdrawal)
        {
            var payTo = decision.Figure("payTo");
            PostingLine counter;
            if (payTo == "heir-account")
            {
                var heir = AccountCode.Personal(app.Region, app.Withdrawal?.Heir?.Value ?? throw new YibaoException(ErrorCatalog.MissingField("heirIdNumber")));
                var heirBalance = await LedgerStore.GetBalanceForUpdateAsync(s, heir, ct).ConfigureAwait(false);
                if (heirBalance is null || heirBalance.Status == AccountStatus.Closed)
                    throw new YibaoException(ErrorCatalog.HeirAccountNotFound(app.Region.Value, heir.Holder!));
                counter = new PostingLine(heir, Segment.CurrentYear, total);
            }
            else
            {
                var bank = AccountCode.Of(app.Region, AccountKind.BankClearing);
                await LedgerStore.OpenAccountAsync(s, bank, new DateOnly(1999, 1, 1), ct).ConfigureAwait(false);
                counter = new PostingLine(bank, Segment.Main, total);
            }
            var key = WithdrawalKey(app);
            var reason = app.Withdrawal is { } w ? WithdrawalNames.Code(w.Reason) : "";
            await PayOutAsync(s, ledger, app, account, current, historical, counter, key, WithdrawalReason, decision.PolicyVersion, actor, today,
                $"个人账户支取(申请 {app.Id},{reason}):全部余额 {total.ToPlainString()} 支付至 {payTo}", ct).ConfigureAwait(false);
            await LedgerStore.CloseAccountAsync(s, account, today, ct).ConfigureAwait(false);
            await ExecuteAndCloseAsync(s, app, actor, now, new ApplicationRows.Change(EntryKey: total.IsPositive ? key : null), $"paid {total.ToPlainString()} to {payTo}; account closed", ct).ConfigureAwait(false);
            return;
        }

        var mode = decision.Figure("mode");
        if (mode == "stays")
        {
            await ExecuteAndCloseAsync(s, app, actor, now, null, "within the province the account stays usable; nothing moves", ct).ConfigureAwait(false);
            return;
        }

        var target = app.Transfer?.TargetRegion ?? throw new YibaoException(ErrorCatalog.MissingField("targetRegion"));
        var clearing = AccountCode.Of(app.Region, mode == "to-bank" ? AccountKind.BankClearing : AccountKind.InterRegionClearing);
        await LedgerStore.OpenAccountAsync(s, clearing, new DateOnly(1999, 1, 1), ct).ConfigureAwait(false);
        var outKey = TransferOutKey(app);
        await PayOutAsync(s, ledger, app, account, current, historical, new PostingLine(clearing, Segment.Main, total), outKey, TransferOutReason,
            decision.PolicyVersion, actor, today, $"转移接续转出(申请 {app.Id}):全部余额 {total.ToPlainString()} 转往 {target.Value}", ct).ConfigureAwait(false);
        await LedgerStore.CloseAccountAsync(s, account, today, ct).ConfigureAwait(false);
        if (mode == "to-bank")
        {
            await ExecuteAndCloseAsync(s, app, actor, now, new ApplicationRows.Change(EntryKey: total.IsPositive ? outKey : null), $"paid {total.ToPlainString()} to the bank account", ct).ConfigureAwait(false);
            return;
        }

        string name;
        await using (var find = s.Command("SELECT name FROM insured WHERE region_code = @r AND id_number = @i").With("r", app.Region.Value).With("i", app.IdNumber.Value))
            name = (string)(await find.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        await using (var outbox = s.Command(
                         "INSERT INTO transfer_outbox (message_id, application_id, region_code, target_region, id_number, name, amount, applied_on, accepted_on, " +
                         "transfer_out_deadline, sent_on, created_at) VALUES (@m, @a, @r, @t, @i, @n, @amt, @applied, @accepted, @due, @sent, @at)")
                     .With("m", MessageId(app)).With("a", app.Id).With("r", app.Region.Value).With("t", target.Value).With("i", app.IdNumber.Value).With("n", name)
                     .With("amt", total.Fen).With("applied", app.AppliedOn).With("accepted", app.AcceptedOn ?? app.AppliedOn).With("due", app.DueOn)
                     .With("sent", today).With("at", StorageValues.Timestamp(s.Engine, now)))
            await outbox.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Execute, actor, now,
            new ApplicationRows.Change(EntryKey: total.IsPositive ? outKey : null), note: $"{total.ToPlainString()} sent to {target.Value} (message {MessageId(app)})", ct).ConfigureAwait(false);
    }

    /// <summary>Executed and, nothing being left to do, closed by the system in the same transaction.</summary>
    private static async Task ExecuteAndCloseAsync(DbSession s, ApplicationRecord app, string actor, DateTimeOffset now, ApplicationRows.Change? change, string note, CancellationToken ct)
    {
        var executed = await ApplicationRows.TransitionAsync(s, app, ApplicationAction.Execute, actor, now, change, note, ct).ConfigureAwait(false);
        await ApplicationRows.TransitionAsync(s, app with { Status = executed, Version = app.Version + 1 }, ApplicationAction.Close, ApplicationStore.SystemActor, now, ct: ct).ConfigureAwait(false);
    }

    private static async Task PayOutAsync(DbSession s, LedgerStore ledger, ApplicationRecord app, AccountCode account, DMoney current, DMoney historical,
        PostingLine counter, string key, string reasonCode, string policyVersion, string actor, DateOnly today, string memo, CancellationToken ct)
    {
        var total = current + historical;
        if (!total.IsPositive) return;
        var lines = new List<PostingLine>(PersonalAccountDraw.Lines(account, current, historical, total)) { counter };
        await ledger.PostAsync(s, new JournalEntryRequest
        {
            IdempotencyKey = key,
            Region = app.Region,
            ReasonCode = reasonCode,
            BusinessDate = today,
            Actor = actor,
            PolicyVersion = policyVersion,
            Memo = memo,
            Postings = lines,
        }, ct).ConfigureAwait(false);
    }
}
