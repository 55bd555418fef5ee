using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Storage.Applications;
using Yibao.Storage.Ledger;

namespace Yibao.Storage.Withdrawal;

/// <summary>
/// 提取/支取 in storage: the facts a withdrawal decision reads, loaded inside the application's
/// transaction, and the movement of money an approved withdrawal orders. The decision itself is
/// <see cref="WithdrawalApplication.Decide"/>'s (pure); the lifecycle is <see cref="ApplicationStore"/>'s.
/// </summary>
internal static class Withdrawals
{
    public const string PayoutReason = "withdrawal-payout";

    public static string EntryKey(ApplicationRecord app) => $"withdrawal/{app.Region.Value}/{app.Id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The facts on record on <paramref name="on"/>: status, recorded death and leave, the balance, the heir's open account in the region.</summary>
    public static async Task<WithdrawalFacts> LoadFactsAsync(DbSession s, ApplicantOnRecord person, WithdrawalClaim claim, DateOnly on, CancellationToken ct)
    {
        var account = await LedgerStore.GetBalanceForUpdateAsync(s, person.Record.Account, ct).ConfigureAwait(false)
                      ?? throw new YibaoException(ErrorCatalog.UnknownAccount(person.Record.Account.Value));
        if (account.Status == AccountStatus.Closed) throw new YibaoException(ErrorCatalog.AccountClosed(person.Record.Account.Value));
        var heirInsured = claim.Heir is { } heir && await IsOpenAsync(s, AccountCode.Personal(person.Record.Region, heir.Value), ct).ConfigureAwait(false);
        return new WithdrawalFacts(person.StatusOn(on), person.DiedOn(on), person.LeftOn(on), account.Total, heirInsured);
    }

    public static ApplicationDecision Decide(ApplicationSubmission submission, DateOnly on, WithdrawalFacts facts, PolicyBook book, HolidayCalendars calendars)
    {
        var policy = book.For(submission.Region, on);
        return WithdrawalApplication.Decide(submission.Region, on, submission.Withdrawal!, submission.Materials, submission.Agent is not null, facts,
            policy, calendars.For(policy.CalendarRegion));
    }

    /// <summary>
    /// Pays out the whole balance as it stands now, its rows locked (never the figure seen at
    /// submission): to the heir's personal account in the region or to bank clearing, by the
    /// standing decision's <see cref="WithdrawalPayTo"/>; then closes the account (注销), so any
    /// later posting to it is <c>account-closed</c>. Returns the entry key (null when nothing was there to pay).
    /// </summary>
    public static async Task<(string? EntryKey, string Note)> ExecuteAsync(DbSession s, LedgerStore ledger, ApplicationRecord app, string actor, DateOnly today, CancellationToken ct)
    {
        var answer = app.Standing.Withdrawal ?? throw new InvalidOperationException($"application {app.Id} has no withdrawal decision");
        var account = AccountCode.Personal(app.Region, app.IdNumber.Value);
        AccountCode counter;
        AccountBalance balance;
        switch (answer.PayTo)
        {
            case WithdrawalPayTo.HeirAccount:
            {
                counter = AccountCode.Personal(app.Region, app.Withdrawal?.Heir?.Value ?? throw new YibaoException(ErrorCatalog.MissingField("heirIdNumber")));
                // Both balances locked in the ledger's order (account code), as every writer takes them.
                var locked = new Dictionary<AccountCode, AccountBalance?>();
                foreach (var code in new[] { account, counter }.OrderBy(c => c.Value, StringComparer.Ordinal))
                    locked[code] = await LedgerStore.GetBalanceForUpdateAsync(s, code, ct).ConfigureAwait(false);
                if (locked[counter] is not { Status: AccountStatus.Open })
                    throw new YibaoException(ErrorCatalog.HeirAccountNotFound(app.Region.Value, counter.Holder!));
                balance = locked[account] ?? throw new YibaoException(ErrorCatalog.UnknownAccount(account.Value));
                break;
            }
            case WithdrawalPayTo.HeirBank or WithdrawalPayTo.ApplicantBank:
                counter = AccountCode.Of(app.Region, AccountKind.BankClearing);
                await LedgerStore.OpenAccountAsync(s, counter, AccountCode.SystemOpeningDate, ct).ConfigureAwait(false);
                balance = await LedgerStore.GetBalanceForUpdateAsync(s, account, ct).ConfigureAwait(false)
                          ?? throw new YibaoException(ErrorCatalog.UnknownAccount(account.Value));
                break;
            default:
                throw new InvalidOperationException($"application {app.Id} is approved with nowhere to pay ({answer.PayTo})");
        }
        if (balance.Status == AccountStatus.Closed) throw new YibaoException(ErrorCatalog.AccountClosed(account.Value));

        var current = balance.Segments.GetValueOrDefault(Segment.CurrentYear);
        var historical = balance.Segments.GetValueOrDefault(Segment.Historical);
        var total = current + historical;
        string? key = null;
        if (total.IsPositive)
        {
            key = EntryKey(app);
            var counterSegment = counter.Kind == AccountKind.Personal ? Segment.CurrentYear : Segment.Main;
            var lines = new List<PostingLine>(PersonalAccountDraw.Lines(account, current, historical, total)) { new(counter, counterSegment, total) };
            var claim = app.Withdrawal!;
            await ledger.PostNewAsync(s, new JournalEntryRequest
            {
                IdempotencyKey = key,
                Region = app.Region,
                ReasonCode = PayoutReason,
                BusinessDate = today,
                Actor = actor,
                PolicyVersion = app.Standing.PolicyVersion,
                Memo = $"个人账户支取(申请 {app.Id},因{WithdrawalNames.Zh(claim.Reason)}):全部余额 {total.ToPlainString()} 元支付至{PayeeZh(answer.PayTo)}" +
                       $" / withdrawal (application {app.Id}, {WithdrawalNames.Code(claim.Reason)}): the whole balance {total.ToPlainString()} to the {PayeeEn(answer.PayTo)}",
                Postings = lines,
            }, ct).ConfigureAwait(false);
        }
        await LedgerStore.CloseAccountAsync(s, account, today, ct).ConfigureAwait(false);
        return (key, $"paid {total.ToPlainString()} to the {PayeeEn(answer.PayTo)}; account closed");
    }

    private static async Task<bool> IsOpenAsync(DbSession s, AccountCode code, CancellationToken ct)
    {
        await using var cmd = s.Command("SELECT status FROM ledger_account WHERE code = @c").With("c", code.Value);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is string status && status == "open";
    }

    private static string PayeeZh(WithdrawalPayTo payTo) => payTo switch
    {
        WithdrawalPayTo.HeirAccount => "继承人的个人账户",
        WithdrawalPayTo.HeirBank => "继承人的银行账户",
        _ => "申请人的银行账户",
    };

    private static string PayeeEn(WithdrawalPayTo payTo) => payTo switch
    {
        WithdrawalPayTo.HeirAccount => "heir's personal account",
        WithdrawalPayTo.HeirBank => "heir's bank account",
        _ => "applicant's bank account",
    };
}
