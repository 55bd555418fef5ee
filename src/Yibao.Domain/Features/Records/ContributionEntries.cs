using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Features.Records;

/// <summary>
/// A recorded contribution is money (缴费入账). The ledger's sign convention: a positive amount
/// credits an account (the pooled fund, a personal account, 应缴待收 hold more), a negative amount
/// debits it (a receivable grows, money has arrived at the bank). Per contribution month, with
/// <c>total</c> = employer part + individual part:
/// <list type="number">
/// <item><b>due</b> (<c>contribution-due</c>, dated the due date, key <c>contribution-due/{region}/{idNumber}/{month}</c>):
///   the payer's receivable −total (单位应缴 when the month has an employer, 个人应缴 for a flexible
///   worker); 应缴待收 (<c>contributions-billed</c>) +total.</item>
/// <item><b>paid</b> (<c>contribution-paid</c>, dated the paid date, key <c>contribution-paid/{region}/{idNumber}/{month}</c>):
///   bank clearing −total (the money arrived) and the receivable +total (settled); 应缴待收 −total and
///   the pooled fund (统筹基金) +total (it is the fund's now).</item>
/// </list>
/// The personal-account part is not split off here: the monthly credit (划入) later moves it from the
/// pooled fund to 当年账户, as the run and back-pay already do. A month of zero total posts nothing.
/// Both keys are the month's, so recording the same month again, from any file or the API, writes
/// nothing twice; adding the paid date of an unpaid month posts its payment once.
/// </summary>
public static class ContributionEntries
{
    public const string DueReason = "contribution-due";
    public const string PaidReason = "contribution-paid";
    /// <summary>A billed month paid by back-pay: the back-pay charges and settles its own receivable, so the month's billing is taken back.</summary>
    public const string BackfilledReason = "contribution-due-backfilled";

    /// <summary>What every contribution entry records as its justification: the agency's record, not a policy rule.</summary>
    public static string PolicyVersion(RegionCode region) => $"{region.Value}@contribution-record";

    public static string DueKey(RegionCode region, IdNumber idNumber, Time.YearMonth month) => $"contribution-due/{region.Value}/{idNumber.Value}/{month}";
    public static string PaidKey(RegionCode region, IdNumber idNumber, Time.YearMonth month) => $"contribution-paid/{region.Value}/{idNumber.Value}/{month}";
    public static string BackfilledKey(RegionCode region, IdNumber idNumber, Time.YearMonth month) => $"contribution-backfilled/{region.Value}/{idNumber.Value}/{month}";

    /// <summary>The receivable that carries the month: the employer's when there is one, the insured person's own otherwise.</summary>
    public static AccountCode Receivable(RegionCode region, ContributionMonth c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return AccountCode.Of(region, c.Employer is null ? AccountKind.InsuredReceivable : AccountKind.EmployerReceivable);
    }

    /// <summary>The entry that bills a month when it falls due, or null when it owes nothing.</summary>
    public static JournalEntryRequest? Due(RegionCode region, IdNumber idNumber, ContributionMonth c, string actor)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!c.Total.IsPositive) return null;
        return Entry(DueKey(region, idNumber, c.Month), DueReason, region, c.DueDate, actor,
            $"{c.Month} 应缴 contribution due: {Payer(idNumber, c)} {Parts(c)}",
            [
                new PostingLine(Receivable(region, c), Segment.Main, -c.Total),
                new PostingLine(AccountCode.Of(region, AccountKind.ContributionsBilled), Segment.Main, c.Total),
            ]);
    }

    /// <summary>The entry that receives a paid month into the pooled fund, or null when it is unpaid or owes nothing.</summary>
    public static JournalEntryRequest? Paid(RegionCode region, IdNumber idNumber, ContributionMonth c, string actor)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.PaidDate is not { } paidOn || !c.Total.IsPositive) return null;
        return Entry(PaidKey(region, idNumber, c.Month), PaidReason, region, paidOn, actor,
            $"{c.Month} 到账入统筹基金 contribution received: {Payer(idNumber, c)} {Parts(c)}",
            [
                new PostingLine(AccountCode.Of(region, AccountKind.BankClearing), Segment.Main, -c.Total),
                new PostingLine(Receivable(region, c), Segment.Main, c.Total),
                new PostingLine(AccountCode.Of(region, AccountKind.ContributionsBilled), Segment.Main, -c.Total),
                new PostingLine(AccountCode.Of(region, AccountKind.PooledFund), Segment.Main, c.Total),
            ]);
    }

    /// <summary>
    /// A billed month that a back-pay pays: its billing is taken back (the receivable +total, 应缴待收
    /// −total), because the back-pay's own entries charge the receivable, put the principal into the
    /// pooled fund and settle it. Null when the month owes nothing.
    /// </summary>
    public static JournalEntryRequest? Backfilled(RegionCode region, IdNumber idNumber, ContributionMonth c, DateOnly paidOn, string backfillKey, string actor)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!c.Total.IsPositive) return null;
        return Entry(BackfilledKey(region, idNumber, c.Month), BackfilledReason, region, paidOn, actor,
            $"{c.Month} 补缴结清应缴 billing settled by back-pay {backfillKey}: {Payer(idNumber, c)} {Parts(c)}",
            [
                new PostingLine(Receivable(region, c), Segment.Main, c.Total),
                new PostingLine(AccountCode.Of(region, AccountKind.ContributionsBilled), Segment.Main, -c.Total),
            ]);
    }

    private static string Payer(IdNumber idNumber, ContributionMonth c) =>
        c.Employer is { } e ? $"单位 employer {e.Value}, 参保人 insured {idNumber.Value}" : $"个人 individual {idNumber.Value}";

    private static string Parts(ContributionMonth c) =>
        $"单位 {c.EmployerPart.ToPlainString()} + 个人 {c.IndividualPart.ToPlainString()} = {c.Total.ToPlainString()}";

    private static JournalEntryRequest Entry(string key, string reason, RegionCode region, DateOnly on, string actor, string memo, IReadOnlyList<PostingLine> lines) => new()
    {
        IdempotencyKey = key,
        Region = region,
        ReasonCode = reason,
        BusinessDate = on,
        Actor = actor,
        PolicyVersion = PolicyVersion(region),
        Memo = memo,
        Postings = lines,
    };
}
