using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Records;

/// <summary>
/// 月度缴费记录: one person's contribution for one month — the base (缴费基数), the employer
/// part (单位缴费) and the individual part (个人缴费, withheld by the employer for an employee,
/// paid by a flexible worker themself), when it fell due and when it was paid. Unpaid while
/// <see cref="PaidDate"/> is null.
/// </summary>
/// <param name="Month">The contribution month (缴费月份).</param>
/// <param name="Employer">The employer that owes it; null for a flexible worker.</param>
/// <param name="Base">缴费基数 of the month.</param>
/// <param name="EmployerPart">单位缴费.</param>
/// <param name="IndividualPart">个人缴费.</param>
/// <param name="DueDate">应缴日期: when it falls due.</param>
/// <param name="PaidDate">到账日期, null while unpaid.</param>
public sealed record ContributionMonth(
    YearMonth Month,
    CreditCode? Employer,
    DMoney Base,
    DMoney EmployerPart,
    DMoney IndividualPart,
    DateOnly DueDate,
    DateOnly? PaidDate)
{
    public DMoney Total => EmployerPart + IndividualPart;
    public bool IsPaid => PaidDate is not null;

    /// <summary>
    /// Validates a contribution from its text fields (API, CSV). <paramref name="today"/> is the
    /// day in China, passed in: a payment cannot be recorded as made in the future.
    /// </summary>
    public static ContributionMonth Create(
        string? month, string? employerCreditCode, string? contributionBase, string? employerPart, string? individualPart,
        string? dueDate, string? paidDate, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(month)) throw new YibaoException(ErrorCatalog.MissingField("month"));
        var ym = YearMonth.Parse(month.Trim());
        CreditCode? employer = string.IsNullOrWhiteSpace(employerCreditCode) ? null : CreditCode.Parse(employerCreditCode);
        var b = Amounts.NotNegative(contributionBase, "base");
        var e = Amounts.NotNegative(employerPart, "employerPart");
        var i = Amounts.NotNegative(individualPart, "individualPart");
        if (string.IsNullOrWhiteSpace(dueDate)) throw new YibaoException(ErrorCatalog.MissingField("dueDate"));
        var due = Dates.Parse(dueDate.Trim());
        DateOnly? paid = string.IsNullOrWhiteSpace(paidDate) ? null : Dates.Parse(paidDate.Trim());
        return Validated(new ContributionMonth(ym, employer, b, e, i, due, paid), today);
    }

    /// <summary>The rules between fields: parts within the base, due no earlier than the month, paid no later than today.</summary>
    public static ContributionMonth Validated(ContributionMonth c, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(c);
        foreach (var (field, amount) in new[] { ("base", c.Base), ("employerPart", c.EmployerPart), ("individualPart", c.IndividualPart) })
        {
            if (amount.IsNegative)
                throw new YibaoException(ErrorCatalog.AmountNegative(amount.ToPlainString(), field));
        }
        // A part larger than the base means swapped columns or a typo; no rate is 100%.
        if (c.EmployerPart > c.Base || c.IndividualPart > c.Base)
            throw new YibaoException(ErrorCatalog.InvalidField(c.EmployerPart > c.Base ? "employerPart" : "individualPart", "larger than the contribution base")
                .With("base", c.Base.ToPlainString()));
        if (c.DueDate < c.Month.FirstDay)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(c.Month.FirstDay), Dates.Format(c.DueDate))
                .With("field", "dueDate").With("why", "a month cannot fall due before it begins"));
        if (c.PaidDate is { } paid && paid > today)
            throw new YibaoException(ErrorCatalog.InvalidField("paidDate", "a payment cannot be dated in the future")
                .With("value", Dates.Format(paid)).With("today", Dates.Format(today)));
        return c;
    }
}

/// <summary>What recording a contribution month did.</summary>
public enum ContributionOutcome
{
    /// <summary>A new month was recorded.</summary>
    Recorded,
    /// <summary>The same month with the same figures was already there; nothing changed.</summary>
    Unchanged,
    /// <summary>The month was recorded unpaid; now its payment date is set.</summary>
    PaymentRecorded,
}

/// <summary>
/// Re-recording a month that is already recorded (a re-sent file, a retried request). The figures
/// are facts: the same figures are a replay; other figures are <c>contribution-conflict</c>,
/// because a correction of a recorded month is an adjustment to be reviewed, not an overwrite.
/// The one change allowed is the payment of an unpaid month (paid date set later, 到账).
/// A payment is never withdrawn: re-sending the month without a paid date after it was paid
/// changes nothing.
/// </summary>
public static class ContributionReconciliation
{
    public static ContributionOutcome Reconcile(IdNumber idNumber, ContributionMonth stored, ContributionMonth given)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(given);
        var month = stored.Month.ToString();
        if (stored.Employer != given.Employer)
            throw Conflict("employerCreditCode", stored.Employer?.Value ?? "(none)", given.Employer?.Value ?? "(none)");
        if (stored.Base != given.Base) throw Conflict("base", stored.Base.ToPlainString(), given.Base.ToPlainString());
        if (stored.EmployerPart != given.EmployerPart) throw Conflict("employerPart", stored.EmployerPart.ToPlainString(), given.EmployerPart.ToPlainString());
        if (stored.IndividualPart != given.IndividualPart) throw Conflict("individualPart", stored.IndividualPart.ToPlainString(), given.IndividualPart.ToPlainString());
        if (stored.DueDate != given.DueDate) throw Conflict("dueDate", Dates.Format(stored.DueDate), Dates.Format(given.DueDate));
        return (stored.PaidDate, given.PaidDate) switch
        {
            (null, null) => ContributionOutcome.Unchanged,
            (null, not null) => ContributionOutcome.PaymentRecorded,
            (not null, null) => ContributionOutcome.Unchanged,
            ({ } a, { } b) when a == b => ContributionOutcome.Unchanged,
            ({ } a, { } b) => throw Conflict("paidDate", Dates.Format(a), Dates.Format(b)),
        };

        YibaoException Conflict(string field, string was, string now) =>
            new(ErrorCatalog.ContributionConflict(idNumber.Value, month, field, was, now));
    }
}
