using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Time;
using DomainMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Demo;

/// <summary>How a demo person's contribution for a month goes.</summary>
public enum DemoPayment
{
    /// <summary>Paid by the due date (the month's last day, C1).</summary>
    OnTime,
    /// <summary>Paid after the due date, in one of the two months after: recorded unpaid with its month, the payment recorded by a later month's file.</summary>
    Late,
    /// <summary>Reported and never paid (欠缴): a gap the employer or the worker owes.</summary>
    Unpaid,
    /// <summary>Not reported at all: a missing month.</summary>
    Missing,
}

/// <summary>
/// The demo's contribution files, as an agency would import them: one line for each person and month
/// they owed (employed or flexible on its 1st day), with the employer of that day, the base within the
/// region's floor and ceiling, the parts at the region's rates, the due date and the paid date if it
/// was paid on time; then the late payments, each month's line again with its paid date. Pure.
/// </summary>
public static class DemoContributions
{
    /// <summary>What becomes of a person's month: most paid on time, some late, a few never paid or never reported.</summary>
    public static DemoPayment PaymentOf(DemoPerson person, YearMonth month, InsuredState state)
    {
        ArgumentNullException.ThrowIfNull(person);
        var roll = Mix(person.PaySeed, month.Year * 12 + month.Month) % 100;
        return state == InsuredState.FlexibleEmployed
            ? roll switch { < 5 => DemoPayment.Missing, < 15 => DemoPayment.Late, _ => DemoPayment.OnTime }
            : roll switch { < 2 => DemoPayment.Missing, < 4 => DemoPayment.Unpaid, < 10 => DemoPayment.Late, _ => DemoPayment.OnTime };
    }

    /// <summary>
    /// The day a month is paid, or null when it never is. Payments arrive on a few days of the month,
    /// as collection does (employers by bank deduction on the 25th or the last day, flexible workers by
    /// the 15th, late ones on the 10th or 20th of a later month), which also keeps the bulk writes of a
    /// month's file few (one per business date).
    /// </summary>
    public static DateOnly? PaidOn(DemoPerson person, YearMonth month, InsuredState state)
    {
        ArgumentNullException.ThrowIfNull(person);
        var spread = Mix(person.PaySeed ^ 0x5bd1e995, month.Year * 12 + month.Month);
        return PaymentOf(person, month, state) switch
        {
            DemoPayment.OnTime when state == InsuredState.FlexibleEmployed => month.FirstDay.AddDays(14),
            DemoPayment.OnTime => spread % 2 == 0 ? month.FirstDay.AddDays(24) : month.LastDay,
            DemoPayment.Late => month.AddMonths(1 + spread % 2).FirstDay.AddDays(spread % 3 == 0 ? 19 : 9),
            _ => null,
        };
    }

    /// <summary>
    /// The months from <paramref name="from"/> to <paramref name="through"/> as they were reported at
    /// each month's end: a line for each person who owed the month (unless it was not reported), paid
    /// when it was paid on time, unpaid otherwise.
    /// </summary>
    public static IEnumerable<ContributionLine> Reported(IReadOnlyList<DemoPerson> people, YearMonth from, YearMonth through, Func<YearMonth, ContributionPolicy> policyOf)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(policyOf);
        long line = 1;
        for (var month = from; month <= through; month = month.AddMonths(1))
        {
            var policy = policyOf(month);
            foreach (var person in people)
            {
                if (Owed(person, month) is not { } status) continue;
                var payment = PaymentOf(person, month, status.State);
                if (payment == DemoPayment.Missing) continue;
                yield return Line(++line, person, month, status, policy, payment == DemoPayment.OnTime ? PaidOn(person, month, status.State) : null);
            }
        }
    }

    /// <summary>The payments that came late, each as its month's line again with the paid date (the import records the payment), up to <paramref name="today"/>.</summary>
    public static IEnumerable<ContributionLine> LatePayments(IReadOnlyList<DemoPerson> people, YearMonth from, YearMonth through, DateOnly today, Func<YearMonth, ContributionPolicy> policyOf)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(policyOf);
        long line = 1;
        for (var month = from; month <= through; month = month.AddMonths(1))
        {
            var policy = policyOf(month);
            foreach (var person in people)
            {
                if (Owed(person, month) is not { } status || PaymentOf(person, month, status.State) != DemoPayment.Late) continue;
                if (PaidOn(person, month, status.State) is { } paid && paid <= today)
                    yield return Line(++line, person, month, status, policy, paid);
            }
        }
    }

    /// <summary>The status a person owes a month in (employed or flexible on its 1st day), or null when nobody owes it.</summary>
    public static StatusOnDate? Owed(DemoPerson person, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(person);
        return person.History.StatusIn(month) is { State: InsuredState.Employed or InsuredState.FlexibleEmployed } s ? s : null;
    }

    private static ContributionLine Line(long line, DemoPerson person, YearMonth month, StatusOnDate status, ContributionPolicy policy, DateOnly? paidOn)
    {
        var flexible = status.State == InsuredState.FlexibleEmployed;
        var wage = person.Wage ?? policy.AverageWage?.Value ?? DomainMoney.FromYuan(7_000m);
        var contributionBase = policy.Base(wage, Explanation.None);
        var employerPart = flexible ? DomainMoney.Zero : contributionBase.MultiplyRoundHalfAwayFromZero(policy.EmployerRate!.Value);
        var individualPart = contributionBase.MultiplyRoundHalfAwayFromZero((flexible ? policy.FlexibleRate : policy.IndividualRate)!.Value);
        return new ContributionLine(line, person.Id.Value, person.Name, status.Employer?.Value, month.ToString(),
            contributionBase.ToPlainString(), employerPart.ToPlainString(), individualPart.ToPlainString(),
            Dates.Format(month.LastDay), paidOn is { } p ? Dates.Format(p) : null);
    }

    /// <summary>A stable mix of two numbers (the same on every machine and run, unlike string hashes).</summary>
    private static int Mix(int a, int b)
    {
        unchecked
        {
            var h = (uint)a * 0x9E3779B1u ^ (uint)b * 0x85EBCA77u;
            h ^= h >> 15;
            h *= 0xC2B2AE3Du;
            h ^= h >> 13;
            return (int)(h & 0x7FFFFFFF);
        }
    }

}
