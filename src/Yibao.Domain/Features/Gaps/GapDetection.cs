using Yibao.Domain.Errors;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.Gaps;

/// <summary>Why a month is a gap: no contribution is recorded for it, or it is recorded and not paid.</summary>
public enum GapReason
{
    /// <summary>未申报: nothing recorded for the month.</summary>
    Missing,
    /// <summary>欠缴: recorded (due) but no paid date.</summary>
    Unpaid,
}

/// <summary>
/// One unpaid month (断缴月份) and who caused it: the employer of an employed person
/// (<see cref="ArrearsCause.Employer"/>, 单位欠缴) or a flexible worker themself
/// (<see cref="ArrearsCause.Individual"/>, 个人断缴). The cause is what back-pay (补缴) needs:
/// it decides the rates and who bears the late fee.
/// </summary>
/// <param name="Month">The contribution month.</param>
/// <param name="Cause">Who owed it.</param>
/// <param name="Employer">The employer that owed the month (employer cause only).</param>
/// <param name="Reason">Missing or recorded unpaid.</param>
/// <param name="Contribution">The recorded but unpaid month, when there is one.</param>
public sealed record GapMonth(YearMonth Month, ArrearsCause Cause, CreditCode? Employer, GapReason Reason, ContributionMonth? Contribution);

/// <summary>The gaps of one person between two months, both inclusive.</summary>
public sealed record GapReport(YearMonth From, YearMonth To, IReadOnlyList<GapMonth> Months)
{
    public int EmployerMonths => Months.Count(m => m.Cause == ArrearsCause.Employer);
    public int IndividualMonths => Months.Count(m => m.Cause == ArrearsCause.Individual);
}

/// <summary>
/// 断缴检测: which months of the employee scheme are owed and unpaid, read from the status
/// history and the recorded contributions. Pure: the same function serves one person (API),
/// a region (a streaming storage query) and the back-pay flow.
/// <list type="bullet">
/// <item>A month counts in the status the person had on its 1st day (<see cref="StatusHistory.StatusIn"/>):
/// hired on the 1st, the month is owed by the employer; hired on the 15th, it is not (the
/// employer owes from the next month). The same rule starts the count at enrolment.</item>
/// <item>Employed on the 1st: the employer owes the month (both parts; the individual part is
/// withheld by the employer), so a missing or unpaid month is the employer's gap.</item>
/// <item>Flexible on the 1st: the person owes it; a missing or unpaid month is their own gap.</item>
/// <item>Retired, deceased, or suspended (after a leave, until hire or rejoin): nobody owes the
/// month, so it is not a gap. A person who left a job and wants to back-pay the months since as
/// a flexible worker is recorded as rejoining (flexible) from the day they left; those months
/// then show as their own gaps.</item>
/// <item>Resident scheme (居民医保): contributions are yearly, in a collection period, not
/// monthly; no monthly gap applies.</item>
/// </list>
/// </summary>
public static class GapDetection
{
    /// <summary>The first month counted for a person enrolled on <paramref name="enrolledOn"/>: that month if on its 1st, else the next.</summary>
    public static YearMonth FirstCountedMonth(DateOnly enrolledOn) =>
        enrolledOn.Day == 1 ? YearMonth.Of(enrolledOn) : YearMonth.Of(enrolledOn).AddMonths(1);

    /// <summary>Who owes <paramref name="month"/>, or null when nobody does.</summary>
    public static (ArrearsCause Cause, CreditCode? Employer)? Owed(InsuredScheme scheme, StatusHistory history, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (scheme != InsuredScheme.Employee) return null;
        return history.StatusIn(month) switch
        {
            { State: InsuredState.Employed } s => (ArrearsCause.Employer, s.Employer),
            { State: InsuredState.FlexibleEmployed } => (ArrearsCause.Individual, null),
            _ => null,
        };
    }

    /// <summary>The gap of one month, or null when the month is paid or owed by nobody.</summary>
    public static GapMonth? ForMonth(InsuredScheme scheme, StatusHistory history, YearMonth month, ContributionMonth? contribution)
    {
        if (Owed(scheme, history, month) is not { } owed) return null;
        if (contribution is { IsPaid: true }) return null;
        return new GapMonth(month, owed.Cause, owed.Employer, contribution is null ? GapReason.Missing : GapReason.Unpaid, contribution);
    }

    /// <summary>
    /// The gaps from <paramref name="from"/> (default and earliest: the first counted month after
    /// enrolment) to <paramref name="to"/>, both inclusive, in month order.
    /// </summary>
    public static GapReport Find(InsuredScheme scheme, StatusHistory history, IEnumerable<ContributionMonth> contributions, YearMonth? from, YearMonth to)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(contributions);
        if (from is { } f && f > to)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(f.ToString(), to.ToString()));
        var first = FirstCountedMonth(history.EnrolledOn);
        var start = from is { } given && given > first ? given : first;
        var byMonth = new Dictionary<YearMonth, ContributionMonth>();
        foreach (var c in contributions) byMonth[c.Month] = c;

        var gaps = new List<GapMonth>();
        for (var m = start; m <= to; m = m.AddMonths(1))
        {
            if (ForMonth(scheme, history, m, byMonth.GetValueOrDefault(m)) is { } gap) gaps.Add(gap);
        }
        return new GapReport(from ?? first, to, gaps);
    }
}
