using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.WaitingPeriod;

/// <summary>What happens to a bill incurred while the employer was in arrears.</summary>
public enum ArrearsCoverStatus
{
    /// <summary>暂停/待补缴: the employer has not paid yet; fund settlement is deferred.</summary>
    Deferred,
    /// <summary>The employer has paid and the region covers the arrears period retroactively.</summary>
    Eligible,
    /// <summary>The employer has paid but the region does not cover the arrears period.</summary>
    NotEligible,
}

/// <summary>
/// A bill incurred on <see cref="ServiceDate"/> during employer-caused arrears; the employer paid on
/// <see cref="EmployerPaidOn"/> (null: not yet); the question is asked on <see cref="AsOf"/>.
/// </summary>
public sealed record EmployerArrearsFacts(DateOnly ServiceDate, DateOnly? EmployerPaidOn, DateOnly AsOf);

/// <summary>The bill's status, and the employee's late fee, which is always 0.00 (人社部令第20号).</summary>
public sealed record EmployerArrearsAnswer(ArrearsCoverStatus Status, ResultCode? Code, DMoney EmployeeLateFee, IReadOnlyList<Reason> Reasons);

/// <summary>
/// Employer-caused arrears, same region (WE-15): until the employer pays, fund settlement of a
/// bill in the arrears period is deferred; once it pays, the bill is settled normally where the
/// region covers the arrears period retroactively (<c>waiting-period.employer-arrears-retroactive</c>).
/// The employee never bears the late fee.
/// </summary>
public static class EmployerArrearsDecision
{
    public static EmployerArrearsAnswer Decide(EmployerArrearsFacts facts, WaitingPeriodPolicy policy, Explanation why)
    {
        if (facts.ServiceDate > facts.AsOf)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(facts.ServiceDate), Dates.Format(facts.AsOf)).With("field", "serviceDate"));
        if (why.Enabled)
            why.Because("A6", Provenance.Official, "人社部令第20号 (policy-reference A6, L8)",
                "单位欠费的滞纳金由单位承担,职工不承担", "The employer bears the late fee on its arrears; the employee pays none",
                ("employeeLateFee", DMoney.Zero));

        if (facts.EmployerPaidOn is not { } paid || paid > facts.AsOf)
        {
            if (why.Enabled)
                why.Because("WE-15", Provenance.Example, "policy-reference WE-15",
                    "单位尚未补缴欠费:欠费期间的费用暂缓统筹基金结算(待补缴)",
                    "The employer has not paid the arrears yet: fund settlement of the bill is deferred",
                    ("serviceDate", facts.ServiceDate), ("asOf", facts.AsOf));
            return new EmployerArrearsAnswer(ArrearsCoverStatus.Deferred, Codes.EmployerArrearsUnpaid, DMoney.Zero, why.Reasons);
        }

        var retroactive = policy.Need(policy.EmployerArrearsRetroactive, WaitingPeriodKeys.EmployerArrearsRetroactive);
        if (retroactive.Value)
        {
            if (why.Enabled)
                why.Because(retroactive.Rule,
                    $"单位已于 {Dates.Format(paid)} 补缴:欠费期间 {Dates.Format(facts.ServiceDate)} 的费用按规定结算",
                    $"The employer paid on {Dates.Format(paid)}: the bill of {Dates.Format(facts.ServiceDate)} in the arrears period is settled under the normal rules",
                    ("employerPaidOn", paid), ("serviceDate", facts.ServiceDate));
            return new EmployerArrearsAnswer(ArrearsCoverStatus.Eligible, null, DMoney.Zero, why.Reasons);
        }
        if (why.Enabled)
            why.Because(retroactive.Rule,
                $"单位已于 {Dates.Format(paid)} 补缴,但本地区不追溯欠费期间的待遇",
                $"The employer paid on {Dates.Format(paid)}, but the region does not cover the arrears period retroactively",
                ("employerPaidOn", paid), ("serviceDate", facts.ServiceDate));
        return new EmployerArrearsAnswer(ArrearsCoverStatus.NotEligible, Codes.ArrearsPeriodNotCovered, DMoney.Zero, why.Reasons);
    }
}
