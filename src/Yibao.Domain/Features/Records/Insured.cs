using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Records;

/// <summary>
/// 参保登记: what enrolling a person says. Validated once here; the stored record and the
/// first event of the status history follow from it.
/// </summary>
/// <param name="Region">The pooling region (统筹地区) the person is insured in.</param>
/// <param name="IdNumber">公民身份号码; with the region, the person's identity.</param>
/// <param name="Name">姓名.</param>
/// <param name="Scheme">职工医保 or 居民医保.</param>
/// <param name="Status">在职 (with an employer), 退休 or 灵活就业 at enrolment.</param>
/// <param name="Employer">The employer of an employed person.</param>
/// <param name="DeclaredWage">缴费基数 / 申报工资 a month, if known.</param>
/// <param name="EnrolledOn">参保日期: the day the enrolment (and the history) begins.</param>
/// <param name="RetirementDate">退休日期 of a person enrolled as retired (default: the enrolment day).</param>
/// <param name="Nationality">国籍, ISO 3166-1 alpha-3 (CHN unless a foreigner, 社会保险法 art. 97).</param>
public sealed record InsuredEnrolment(
    RegionCode Region,
    IdNumber IdNumber,
    string Name,
    InsuredScheme Scheme,
    InsuredState Status,
    CreditCode? Employer,
    DMoney? DeclaredWage,
    DateOnly EnrolledOn,
    DateOnly? RetirementDate,
    string Nationality)
{
    /// <summary>
    /// Validates an enrolment from its text fields (the API and the import give text): every
    /// field is parsed by its own type, and the dates must be in order (born ≤ retired ≤ enrolled
    /// for a retiree, born ≤ enrolled for everyone).
    /// </summary>
    public static InsuredEnrolment Create(
        RegionCode region, string? idNumber, string? name, string? scheme, string? status, string? employerCreditCode,
        string? declaredWage, string? enrolledOn, string? retirementDate, string? nationality)
    {
        if (string.IsNullOrWhiteSpace(idNumber)) throw new YibaoException(ErrorCatalog.MissingField("idNumber"));
        var id = IdNumber.Parse(idNumber);
        var person = RecordText.Name(name, "name", RecordText.MaxPersonName);
        var sch = string.IsNullOrWhiteSpace(scheme) ? InsuredScheme.Employee : RecordNames.ParseScheme(scheme);
        var state = string.IsNullOrWhiteSpace(status) ? InsuredState.Employed : RecordNames.ParseEnrolmentState(status);
        CreditCode? employer = string.IsNullOrWhiteSpace(employerCreditCode) ? null : CreditCode.Parse(employerCreditCode);
        var wage = string.IsNullOrWhiteSpace(declaredWage) ? (DMoney?)null : Amounts.NotNegative(declaredWage, "declaredWage");
        if (string.IsNullOrWhiteSpace(enrolledOn)) throw new YibaoException(ErrorCatalog.MissingField("enrolledOn"));
        var enrolled = Dates.Parse(enrolledOn);
        DateOnly? retired = string.IsNullOrWhiteSpace(retirementDate) ? null : Dates.Parse(retirementDate);
        return Validated(new InsuredEnrolment(region, id, person, sch, state, employer, wage, enrolled, retired, RecordText.Nationality(nationality)));
    }

    /// <summary>Checks the rules between fields of an enrolment built in code.</summary>
    public static InsuredEnrolment Validated(InsuredEnrolment e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.EnrolledOn < e.IdNumber.BirthDate)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(e.IdNumber.BirthDate), Dates.Format(e.EnrolledOn))
                .With("field", "enrolledOn").With("why", "enrolled before the birth date in the ID number"));
        var retirement = e.RetirementDate;
        if (e.Status == InsuredState.Retired)
        {
            retirement ??= e.EnrolledOn;
            if (retirement > e.EnrolledOn)
                throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(retirement.Value), Dates.Format(e.EnrolledOn))
                    .With("field", "retirementDate").With("why", "a person enrolled as retired retired on or before the enrolment"));
            if (retirement < e.IdNumber.BirthDate)
                throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(e.IdNumber.BirthDate), Dates.Format(retirement.Value))
                    .With("field", "retirementDate").With("why", "retired before the birth date in the ID number"));
        }
        else if (retirement is not null)
        {
            // The retirement date is a fact of the history (the retire event), never a plan: a
            // crediting run reads "retired" from the history, not from a date that may not come.
            throw new YibaoException(ErrorCatalog.InvalidField("retirementDate", "only a person enrolled as retired has a retirement date; record a retire event when they retire"));
        }
        _ = StatusHistory.Enrol(e.EnrolledOn, e.Status, e.Employer); // employer rules of the first status
        return e with { RetirementDate = retirement };
    }

    /// <summary>The first event of the person's history.</summary>
    public StatusHistory History() => StatusHistory.Enrol(EnrolledOn, Status, Employer);

    /// <summary>个人账户 of the person: <c>{region}:personal:{idNumber}</c>.</summary>
    public AccountCode Account => AccountCode.Personal(Region, IdNumber.Value);
}

/// <summary>参保人: the stored record of an insured person, with the status history behind it.</summary>
/// <param name="Region">The pooling region.</param>
/// <param name="IdNumber">公民身份号码.</param>
/// <param name="Name">姓名.</param>
/// <param name="Scheme">职工医保 or 居民医保.</param>
/// <param name="DeclaredWage">缴费基数 / 申报工资, if known.</param>
/// <param name="EnrolledOn">参保日期.</param>
/// <param name="Nationality">ISO 3166-1 alpha-3.</param>
/// <param name="History">Every status change, in order.</param>
/// <param name="Status">The current status (after the last recorded event).</param>
/// <param name="Employer">The current employer, when employed.</param>
/// <param name="RetirementDate">Set by the retire event (or the enrolment of a retiree).</param>
/// <param name="DeathDate">Set by the die event.</param>
public sealed record InsuredRecord(
    RegionCode Region,
    IdNumber IdNumber,
    string Name,
    InsuredScheme Scheme,
    InsuredState Status,
    CreditCode? Employer,
    DMoney? DeclaredWage,
    DateOnly EnrolledOn,
    DateOnly? RetirementDate,
    DateOnly? DeathDate,
    string Nationality,
    StatusHistory History)
{
    public AccountCode Account => AccountCode.Personal(Region, IdNumber.Value);

    public Sex Sex => IdNumber.Sex;
    public DateOnly BirthDate => IdNumber.BirthDate;

    /// <summary>
    /// The first field in which a repeated enrolment differs from this record, or null when it
    /// says the same (a replay). Compared with what was enrolled, not with later events.
    /// </summary>
    public string? DifferenceFrom(InsuredEnrolment e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var first = History.Events[0];
        if (!string.Equals(Name, e.Name, StringComparison.Ordinal)) return "name";
        if (Scheme != e.Scheme) return "scheme";
        if (first.Status != e.Status) return "status";
        if (first.Employer != e.Employer) return "employerCreditCode";
        if (DeclaredWage != e.DeclaredWage) return "declaredWage";
        if (EnrolledOn != e.EnrolledOn) return "enrolledOn";
        if (!string.Equals(Nationality, e.Nationality, StringComparison.Ordinal)) return "nationality";
        if (first.Status == InsuredState.Retired && RetirementDate != e.RetirementDate) return "retirementDate";
        return null;
    }
}

/// <summary>Amounts on records: yuan text with at most two decimals (<see cref="DMoney.Parse"/>), never negative.</summary>
public static class Amounts
{
    public static DMoney NotNegative(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new YibaoException(ErrorCatalog.MissingField(field));
        if (!DMoney.TryParse(text, out var money, out var error)) throw new YibaoException(error!.With("field", field));
        if (money.IsNegative)
            throw new YibaoException(ErrorCatalog.AmountNegative(text, field));
        return money;
    }
}
