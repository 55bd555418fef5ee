using System.Globalization;
using Yibao.Domain.Decisions;
using Yibao.Domain.Ledger;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Crediting;

/// <summary>The months a pre-credit covers (<see cref="From"/> to the insurance year's last month) and the monthly amounts it was made of.</summary>
public sealed record PreCreditSpan(YearMonth From, int Months, DMoney MonthlyGross, DMoney MonthlyDeduction, DMoney MonthlyNet);

/// <summary>
/// What the run reads, beyond <see cref="CreditingRunPerson"/>, about a person of a region that
/// pre-credits its insurance year: whether the year is already pre-credited, the contribution
/// base of the month before the year (宁波 uses April's base), and the first paid month of the
/// year before the run's month with its base (a member who joined during the year).
/// </summary>
public sealed record PreCreditRunFacts(bool AlreadyPreCredited, DMoney? BaseBeforeYear, YearMonth? FirstPaidMonth, DMoney? FirstPaidBase);

/// <summary>
/// 一次性预划入 (宁波, seed 003, policy-reference A1.3, WE-06) in the monthly run. In such a region
/// the run of a month credits no month by itself: the run of the year's first month pre-credits
/// the whole year to everyone insured on its 1st (continuing members, at the month before's base),
/// and the run of a later month pre-credits a member who joined during the year from the month
/// after their first paid month to the year's end. One entry per person and year, key
/// <c>pre-credit/{region}/{first month}/{idNumber}</c>; unpaid months come back at the year-end
/// settlement (<see cref="PreCreditSettlement"/>).
/// </summary>
public sealed partial class CreditingRunPlan
{
    public const string PreCreditReasonCode = "yearly-pre-credit";

    /// <summary>Whether the region pre-credits the insurance year of this month instead of crediting month by month.</summary>
    public bool PreCredits => Policy.YearlyPreCredit is { Value: true };

    /// <summary>The insurance year (医保年度) of the run's month.</summary>
    public InsuranceYear Year => Policy.InsuranceYearOf(Month);

    /// <summary>The reason code of the run's entries.</summary>
    public string RunReasonCode => PreCredits ? PreCreditReasonCode : ReasonCode;

    /// <summary>The business date of the run's entries: a pre-credit is made on the 1st (seed 003: 5月1日), a monthly credit on the month's last day.</summary>
    public DateOnly RunBusinessDate => PreCredits ? Month.FirstDay : BusinessDate;

    public static string PreCreditKey(Domain.Regions.RegionCode region, InsuranceYear year, string idNumber) => $"pre-credit/{region.Value}/{year.FirstMonth}/{idNumber}";

    /// <summary>The pre-credit a person gets in this month's run, or the reason they get none.</summary>
    public CreditingRunOutcome DecidePreCredit(CreditingRunPerson person, PreCreditRunFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!PreCredits) throw new InvalidOperationException($"{Region} does not pre-credit {Month}'s insurance year");
        if (StatusOnFirst(person, out var skip) is not { } insured) return skip!;
        if (facts.AlreadyPreCredited) return CreditingRunOutcome.Skip(CreditingRunSkips.AlreadyPreCredited);

        var year = Year;
        YearMonth? joined;
        DMoney? wage;
        switch (insured)
        {
            case InsuredStatus.Employed when Month == year.FirstMonth && facts.BaseBeforeYear is { } before:
                (joined, wage) = (null, before);
                break;
            case InsuredStatus.Employed when facts.FirstPaidMonth is { } paid && year.Contains(paid) && paid < Month:
                (joined, wage) = (paid, facts.FirstPaidBase ?? person.DeclaredWage);
                break;
            case InsuredStatus.Employed:
                return CreditingRunOutcome.Skip(CreditingRunSkips.AwaitingFirstContribution);
            default:
                // A retiree pays nothing: on the year's first day the whole year, later from this month.
                (joined, wage) = (Month == year.FirstMonth ? null : Month.AddMonths(-1), person.DeclaredWage);
                break;
        }

        var monthly = Monthly(insured, wage, person.BirthDate);
        if (!monthly.Credited) return monthly;
        var answer = YearlyPreCreditDecision.PreCredit(new PreCreditFacts(Month, monthly.Net, joined), Policy, Explanation.None);
        if (!answer.Allowed) return CreditingRunOutcome.Skip(answer.RefusalCode?.Value ?? CreditingRunSkips.UnknownStatus);
        if (answer.Months == 0 || answer.FromMonth is not { } from) return CreditingRunOutcome.Skip(CreditingRunSkips.NothingToCredit);

        var n = answer.Months;
        var span = new PreCreditSpan(from, n, monthly.Gross, monthly.Deduction, monthly.Net);
        var joinedText = joined is { } j ? $"(年中参保,首次缴费 {j})" : "";
        var memo = string.Create(CultureInfo.InvariantCulture,
            $"{year.FirstMonth.Year} 医保年度一次性预划入 {from}…{year.LastMonth} 共 {n} 个月 × {monthly.Net.ToPlainString()}{joinedText};{monthly.Memo}");
        return new CreditingRunOutcome(null, Times(monthly.Gross, n), Times(monthly.Deduction, n), Times(monthly.Net, n), memo, span);
    }

    private JournalEntryRequest PreCreditEntry(string idNumber, CreditingRunOutcome outcome) =>
        Entry(idNumber, outcome, PreCreditKey(Region, Year, idNumber), PreCreditReasonCode, Month.FirstDay);

    private static DMoney Times(DMoney amount, int months) => amount.MultiplyRoundHalfAwayFromZero((decimal)months);
}

/// <summary>
/// The year-end settlement of a pre-credit (4月30日清算, seed 003, WE-06c): the months of the span
/// in which the person owed a contribution and did not pay it are clawed back at the monthly net.
/// A month counts as paid when its contribution is paid; a retiree's month needs none; a month in
/// which the person was not insured (suspended, deceased, not yet enrolled) is not covered and is
/// clawed back. The claw-back never takes an account below zero: what the account no longer holds
/// is left as a shortfall, said in the memo and recorded with the settlement [CONV: the reference
/// does not say what happens when the pre-credited money was already spent].
/// </summary>
public static class PreCreditSettlement
{
    public const string ReasonCode = "pre-credit-claw-back";

    public static string Key(Domain.Regions.RegionCode region, InsuranceYear year, string idNumber) => $"pre-credit-claw-back/{region.Value}/{year.FirstMonth}/{idNumber}";

    /// <summary>The months of the span to claw back, in order (a pre-credit made under the rule is settled even if a later version dropped it).</summary>
    /// <param name="span">The pre-credit.</param>
    /// <param name="year">Its insurance year.</param>
    /// <param name="statusOnFirst">The person's status on the 1st of a month (<c>employed</c>, <c>retired</c>, …), null when not enrolled then.</param>
    /// <param name="paid">Whether the month's contribution is paid.</param>
    public static IReadOnlyList<YearMonth> Unpaid(PreCreditSpan span, InsuranceYear year, Func<YearMonth, string?> statusOnFirst, Func<YearMonth, bool> paid)
    {
        ArgumentNullException.ThrowIfNull(span);
        ArgumentNullException.ThrowIfNull(statusOnFirst);
        ArgumentNullException.ThrowIfNull(paid);
        var unpaid = new List<YearMonth>();
        for (var m = span.From; m <= year.LastMonth; m = m.AddMonths(1))
        {
            var status = statusOnFirst(m);
            var covered = status == "retired" || (status is "employed" or "flexible" && paid(m));
            if (!covered) unpaid.Add(m);
        }
        return unpaid;
    }

    /// <summary>
    /// The claw-back entry of one account: the personal account gives back the net of the unpaid
    /// months (from 当年账户 first, then 历年账户, never below zero), the long-term-care fund its
    /// deductions, and the pooled fund receives both. Null when nothing is clawed back.
    /// </summary>
    public static (JournalEntryRequest? Entry, DMoney FromCurrent, DMoney FromHistorical, DMoney Shortfall) Entry(
        Domain.Regions.RegionCode region, InsuranceYear year, string policyVersion, string holder,
        PreCreditSpan span, int unpaidMonths, DMoney current, DMoney historical)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (unpaidMonths <= 0) return (null, DMoney.Zero, DMoney.Zero, DMoney.Zero);
        var net = span.MonthlyNet.MultiplyRoundHalfAwayFromZero((decimal)unpaidMonths);
        var deduction = span.MonthlyDeduction.MultiplyRoundHalfAwayFromZero((decimal)unpaidMonths);
        var fromCurrent = DMoney.Min(net, current);
        var fromHistorical = DMoney.Min(net - fromCurrent, historical);
        var shortfall = net - fromCurrent - fromHistorical;
        var back = fromCurrent + fromHistorical + deduction;
        if (!back.IsPositive) return (null, DMoney.Zero, DMoney.Zero, shortfall);

        var account = AccountCode.Personal(region, holder);
        var lines = new List<PostingLine>(4);
        if (fromCurrent.IsPositive) lines.Add(new PostingLine(account, Segment.CurrentYear, -fromCurrent));
        if (fromHistorical.IsPositive) lines.Add(new PostingLine(account, Segment.Historical, -fromHistorical));
        if (deduction.IsPositive) lines.Add(new PostingLine(AccountCode.Of(region, AccountKind.LongTermCareFund), Segment.Main, -deduction));
        lines.Add(new PostingLine(AccountCode.Of(region, AccountKind.PooledFund), Segment.Main, back));
        var shortText = shortfall.IsPositive ? $",账户余额不足,实扣 {(fromCurrent + fromHistorical).ToPlainString()},差额 {shortfall.ToPlainString()}" : "";
        var memo = string.Create(CultureInfo.InvariantCulture,
            $"{year.FirstMonth.Year} 医保年度清算:预划入月份中 {unpaidMonths} 个月未缴费,扣回 {unpaidMonths} × {span.MonthlyNet.ToPlainString()} = {net.ToPlainString()}{shortText}");
        var entry = new JournalEntryRequest
        {
            IdempotencyKey = Key(region, year, holder),
            Region = region,
            ReasonCode = ReasonCode,
            BusinessDate = year.End,
            Actor = YearEndPlan.Actor,
            PolicyVersion = policyVersion,
            Memo = memo,
            Postings = lines,
        };
        return (entry, fromCurrent, fromHistorical, shortfall);
    }
}
