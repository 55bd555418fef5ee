using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Features.Crediting;

/// <summary>Rule keys of the year-end settlement of personal accounts (年终结转).</summary>
[PolicyKeys]
public static class YearEndKeys
{
    public static readonly PolicyKey<DRate> InterestRate = new(
        "crediting.year-end-interest-rate",
        "个人账户年终计息: yearly rate on the account's balance at the end of the insurance year, credited to 历年账户 (0 = no interest)",
        r => r.Value < 0m || r.Value >= 1m ? $"{r} is not a rate from 0 (inclusive) to 1 (exclusive)" : null);
}

/// <summary>
/// The year-end settlement (年终结转) of one region's insurance year, as pure rules: each personal
/// account's current-year segment (当年账户) is rolled into the historical one (历年账户), with the
/// year's interest where the region pays it, in one entry per account dated the year's last day.
/// <para>
/// <c>year</c> names the insurance year that starts in it: 2025 is 2025-01-01…2025-12-31 in a
/// calendar-year region and 2025-05-01…2026-04-30 in 宁波 (<c>crediting.insurance-year-start-month</c>).
/// Interest is <c>round(rate × (current + historical))</c> on the balance the run finds, a
/// convention until a region's own rule (rate base, 当年/历年 rates) is known; every pack has 0.
/// </para>
/// </summary>
public sealed class YearEndPlan
{
    public const string ReasonCode = "year-end-carry-over";
    public const string Actor = "system:batch";

    public RegionCode Region { get; }
    public int Label { get; }
    public InsuranceYear Year { get; }
    public DRate InterestRate { get; }
    public string PolicyVersion { get; }
    /// <summary>The versions behind a pre-credit's settlement (<see cref="PreCreditSettlement"/>): the pre-credit rule and the insurance year.</summary>
    public string ClawBackPolicyVersion { get; }
    public DateOnly BusinessDate => Year.End;
    public AccountCode InterestExpense { get; }

    public YearEndPlan(PolicyBook book, RegionCode region, int year)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (year is < 1999 or > 9998) throw new Errors.YibaoException(Errors.ErrorCatalog.InvalidField("year", "is not a year from 1999 to 9998"));
        Region = region;
        Label = year;
        // The start month in force at the end of the calendar year names the insurance year that starts in it.
        var startMonth = book.For(region, new DateOnly(year, 12, 31)).GetOrDefault(CreditingKeys.InsuranceYearStartMonth);
        Year = new InsuranceYear(new YearMonth(year, startMonth is >= 1 and <= 12 ? startMonth : 1));
        var atEnd = book.For(region, Year.End);
        InterestRate = atEnd.Has(YearEndKeys.InterestRate) ? atEnd.Get(YearEndKeys.InterestRate) : DRate.Zero;
        PolicyVersion = atEnd.VersionOf(CreditingKeys.InsuranceYearStartMonth.Name, YearEndKeys.InterestRate.Name);
        ClawBackPolicyVersion = atEnd.VersionOf(CreditingKeys.InsuranceYearStartMonth.Name, CreditingKeys.YearlyPreCredit.Name);
        InterestExpense = AccountCode.Of(region, AccountKind.InterestExpense);
    }

    public static string Key(RegionCode region, int year, string holder) => $"year-end/{region.Value}/{year}/{holder}";

    public string Key(string holder) => Key(Region, Label, holder);

    public DMoney Interest(DMoney current, DMoney historical) =>
        InterestRate.Value == 0m ? DMoney.Zero : (current + historical).MultiplyRoundHalfAwayFromZero(InterestRate);

    /// <summary>
    /// The current-year segment (当年账户) as it stood at the end of the insurance year, which is
    /// what the carry-over moves, whatever was credited to it later (a credit of the next year's
    /// first month, a mid-year joiner's next pre-credit, a back-pay). Postings are dated by business
    /// date, so the balance at the end is the sum of the segment's postings dated on or before the
    /// year's last day (<c>B</c>).
    /// <para>
    /// [CONV] A spend after the year end that drew from 当年 consumes the old money first (first in,
    /// first out): carry = max(0, B − debits dated after the end). The reference says when 当年 rolls
    /// into 历年, not whose money a January spend took before the run; FIFO is how the segment is
    /// spent anyway (a spend takes 当年 before 历年, the oldest money first), and it never carries
    /// more than the segment still holds. Since now = B + credits after − debits after, the same
    /// figure is max(0, now − credits dated after the end), which needs only the few postings after
    /// the end.
    /// </para>
    /// </summary>
    /// <param name="currentNow">The current-year segment's balance now (read with its rows locked).</param>
    /// <param name="creditedAfterEnd">The sum of the segment's positive postings dated after the year's last day.</param>
    public static DMoney CurrentAtYearEnd(DMoney currentNow, DMoney creditedAfterEnd)
    {
        if (currentNow.IsNegative || creditedAfterEnd.IsNegative) throw new ArgumentException("A personal account is never negative, nor a sum of credits.", nameof(currentNow));
        return DMoney.Max(DMoney.Zero, currentNow - creditedAfterEnd);
    }

    /// <summary>The carry-over entry of one account, or null when there is nothing to move and no interest.</summary>
    /// <param name="holder">The personal account's holder.</param>
    /// <param name="current">The current-year segment at the end of the year (<see cref="CurrentAtYearEnd"/>): what is moved.</param>
    /// <param name="historical">The historical segment.</param>
    /// <param name="stays">What stays in 当年 because it came after the year (said in the memo).</param>
    public JournalEntryRequest? Entry(string holder, DMoney current, DMoney historical, DMoney stays = default)
    {
        var interest = Interest(current, historical);
        if (current.IsNegative || interest.IsNegative) throw new ArgumentException("A personal account is never negative.", nameof(current));
        if (current.IsZero && interest.IsZero) return null;
        var account = AccountCode.Personal(Region, holder);
        var lines = new List<PostingLine>(3);
        if (current.IsPositive) lines.Add(new PostingLine(account, Segment.CurrentYear, -current));
        lines.Add(new PostingLine(account, Segment.Historical, current + interest));
        if (interest.IsPositive) lines.Add(new PostingLine(InterestExpense, Segment.Main, -interest));
        if (lines.Count < 2) return null;
        var memo = interest.IsPositive
            ? $"{Label} 医保年度结转:当年账户 {current.ToPlainString()} 转入历年账户,计息 {interest.ToPlainString()}"
            : $"{Label} 医保年度结转:当年账户 {current.ToPlainString()} 转入历年账户";
        if (stays.IsPositive) memo += $"(年度结束后记入的 {stays.ToPlainString()} 留在当年账户)";
        return new JournalEntryRequest
        {
            IdempotencyKey = Key(holder),
            Region = Region,
            ReasonCode = ReasonCode,
            BusinessDate = BusinessDate,
            Actor = Actor,
            PolicyVersion = PolicyVersion,
            Memo = memo,
            Postings = lines,
        };
    }
}
