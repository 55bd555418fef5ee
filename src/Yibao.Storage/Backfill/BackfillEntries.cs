using System.Security.Cryptography;
using System.Text;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Storage.Backfill;

/// <summary>
/// The journal entries of one back-pay (补缴入账). The ledger's sign convention: a positive amount
/// credits an account (a fund or personal account holds more), a negative amount debits it (a
/// receivable grows, money arrives through bank clearing). Three balanced entries, posted together:
/// <list type="number">
/// <item><b>principal</b> (<c>backfill-principal</c>): the payer's receivable (单位应缴 for
///   employer-caused arrears, 个人应缴 otherwise) −principal; the pooled fund (统筹基金) +principal,
///   employer and individual parts alike, as for contributions paid on time.</item>
/// <item><b>late fee</b> (<c>backfill-late-fee</c>, only when there is one): the same receivable
///   −lateFee; 滞纳金收入 +lateFee. Charging it to the payer's receivable is what records who bears it:
///   the employer for its arrears, never the employee (人社部令第20号).</item>
/// <item><b>payment</b> (<c>backfill-payment</c>): bank clearing −total (the money arrived); the
///   receivable +total, which brings it back to where it was.</item>
/// </list>
/// The personal account is then credited for each paid month by that month's own monthly-credit
/// entry (<see cref="BackfillCredits"/>): the pooled fund −credit, the current-year segment (当年)
/// +net, under the key the monthly run uses, so whichever of the two comes first credits the month
/// and the other finds it done (for WE-10: 2 × 160.00 = the quote's <c>accountCredit</c> 320.00).
/// Keeping charge and settlement apart lets the ledger show what was owed, by whom, and that it was paid.
/// </summary>
public static class BackfillEntries
{
    /// <summary>
    /// <c>backfill/{region}/{idNumber}/{paidOn}/{months hash}</c>: one payment of one set of months
    /// by one person on one day. A retry with the same months and day is the same payment.
    /// </summary>
    public static string Key(RegionCode region, string idNumber, DateOnly paidOn, IEnumerable<YearMonth> months) =>
        $"backfill/{region.Value}/{idNumber}/{Dates.Format(paidOn)}/{MonthsHash(months)}";

    /// <summary>The first 12 hex digits of SHA-256 over the ascending, distinct months (<c>2025-03,2025-04</c>).</summary>
    public static string MonthsHash(IEnumerable<YearMonth> months)
    {
        var text = string.Join(",", months.Distinct().Order().Select(m => m.ToString()));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
    }

    public static string PrincipalKey(string key) => key + "/principal";
    public static string LateFeeKey(string key) => key + "/late-fee";
    public static string PaymentKey(string key) => key + "/payment";

    /// <summary>The receivable that carries what the payer owes.</summary>
    public static AccountCode Receivable(RegionCode region, ArrearsCause cause) =>
        AccountCode.Of(region, cause == ArrearsCause.Employer ? AccountKind.EmployerReceivable : AccountKind.InsuredReceivable);

    /// <summary>The entries of a decided back-pay, in posting order (principal, late fee if any, payment).</summary>
    public static IReadOnlyList<JournalEntryRequest> For(
        string key, BackfillPaymentRequest request, BackfillAnswer answer, string policyVersion, string? employerCreditCode)
    {
        var region = request.Region;
        var receivable = Receivable(region, request.Cause);
        var months = string.Join(",", answer.Months.Select(m => m.Month.ToString()));
        var payer = request.Cause == ArrearsCause.Employer
            ? $"单位 employer {employerCreditCode}"
            : $"个人 individual {request.IdNumber}";

        List<PostingLine> principalLines =
        [
            new(receivable, Segment.Main, -answer.Principal),
            new(AccountCode.Of(region, AccountKind.PooledFund), Segment.Main, answer.Principal),
        ];

        var entries = new List<JournalEntryRequest>
        {
            Entry(PrincipalKey(key), BackfillNames.PrincipalReason, request, policyVersion,
                $"补缴本金 back-pay principal {months} of {request.IdNumber}; payer {payer}", principalLines),
        };
        if (answer.LateFee.IsPositive)
        {
            entries.Add(Entry(LateFeeKey(key), BackfillNames.LateFeeReason, request, policyVersion,
                $"滞纳金 late fee {months} of {request.IdNumber}; borne by {payer}",
                [
                    new(receivable, Segment.Main, -answer.LateFee),
                    new(AccountCode.Of(region, AccountKind.LateFeeIncome), Segment.Main, answer.LateFee),
                ]));
        }
        entries.Add(Entry(PaymentKey(key), BackfillNames.PaymentReason, request, policyVersion,
            $"补缴到账 back-pay received {months} of {request.IdNumber}; from {payer}",
            [
                new(AccountCode.Of(region, AccountKind.BankClearing), Segment.Main, -answer.Total),
                new(receivable, Segment.Main, answer.Total),
            ]));
        return entries;
    }

    private static JournalEntryRequest Entry(string key, string reason, BackfillPaymentRequest request, string policyVersion, string memo, IReadOnlyList<PostingLine> lines) => new()
    {
        IdempotencyKey = key,
        Region = request.Region,
        ReasonCode = reason,
        BusinessDate = request.PaidOn,
        Actor = request.Actor,
        PolicyVersion = policyVersion,
        Memo = memo,
        Postings = lines,
    };

}
