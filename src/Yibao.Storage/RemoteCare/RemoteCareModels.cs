using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Features.RemoteCare;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.RemoteCare;

/// <summary>
/// 异地就医备案: a person insured in <paramref name="Region"/> files to be treated in
/// <paramref name="Destination"/> from <paramref name="ValidFrom"/>.
/// </summary>
/// <param name="Region">The insured region, whose policy sets the validity.</param>
/// <param name="IdNumber">The insured person.</param>
/// <param name="Category">Long-term (moved, resident elsewhere, retiree elsewhere) or temporary (referral, emergency, other).</param>
/// <param name="Destination">Where the person will be treated: a province, city or county code other than the insured region.</param>
/// <param name="FiledOn">The day of filing; not in the future.</param>
/// <param name="ValidFrom">The first day covered: not before the filing day, except for an emergency filed afterwards (补办备案).</param>
/// <param name="ValidTo">Temporary filings only: the last day, at least the region's validity (default: start + the region's months − 1 day). Long-term filings are open-ended.</param>
/// <param name="Actor">Who recorded it.</param>
public sealed record RemoteCareFilingRequest(
    RegionCode Region,
    IdNumber IdNumber,
    RemoteCareCategory Category,
    RegionCode Destination,
    DateOnly FiledOn,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    string Actor);

/// <summary>A stored filing.</summary>
public sealed record RemoteCareFilingRecord(
    long Id,
    RegionCode Region,
    string IdNumber,
    RemoteCareCategory Category,
    RegionCode Destination,
    DateOnly FiledOn,
    DateOnly ValidFrom,
    DateOnly? ValidTo,
    string PolicyVersion,
    DateOnly? RevokedOn)
{
    /// <summary>The remote-care input a stay under this filing gets.</summary>
    public RemoteCareKind Kind => Category.Kind();

    /// <summary>The filing as the domain's selection sees it (<see cref="Domain.Features.Inpatient.RemoteCare.InForce"/>).</summary>
    public RemoteCareFiling Filing => new(Kind, ValidFrom, ValidTo, RevokedOn);

    /// <summary>The last day covered, or null while open-ended; earlier than <see cref="ValidFrom"/> when revoked before it began.</summary>
    public DateOnly? LastDay =>
        RevokedOn is { } revoked ? (ValidTo is { } end && end < revoked.AddDays(-1) ? end : revoked.AddDays(-1)) : ValidTo;

    /// <summary>A hospital in <paramref name="hospital"/> is at the destination: the same code, or inside the destination province or city.</summary>
    public bool CoversPlace(RegionCode hospital) =>
        Destination == hospital
        || (Destination.IsProvince && hospital.SameProvinceAs(Destination))
        || (Destination.IsCity && hospital.City == Destination);
}

/// <summary>A filing stored by this call, or found already stored with the same terms (<see cref="Created"/> false).</summary>
public sealed record RemoteCareFilingResult(RemoteCareFilingRecord Filing, bool Created);

/// <summary>A revocation, and whether it was already recorded (a replay).</summary>
public sealed record RemoteCareRevocation(RemoteCareFilingRecord Filing, bool Replayed);

/// <summary>
/// 住院费用测算: an inpatient stay of a person on record. The scheme, the status on the admission
/// day, the account balance and the remote-care input come from the records; the rest is the stay's.
/// </summary>
/// <param name="Region">The insured region.</param>
/// <param name="IdNumber">The insured person.</param>
/// <param name="AdmittedOn">The admission day: selects the policy and the filing in force.</param>
/// <param name="Tier">The hospital's tier, 1–3.</param>
/// <param name="Admission">The stay's number in the insurance year (K13); Yibao does not record stays yet, so the caller says.</param>
/// <param name="PolicyCost">政策范围内费用.</param>
/// <param name="SelfPayCost">目录外自费.</param>
/// <param name="FundPaidThisYear">What the fund already paid this insurance year (the caller's figure, as for <paramref name="Admission"/>).</param>
/// <param name="HospitalRegion">Where the hospital is; null: at the filing's destination when a filing is in force, else at home.</param>
public sealed record InpatientEstimateRequest(
    RegionCode Region,
    IdNumber IdNumber,
    DateOnly AdmittedOn,
    int Tier,
    int Admission,
    DMoney PolicyCost,
    DMoney SelfPayCost,
    DMoney FundPaidThisYear,
    RegionCode? HospitalRegion);

/// <summary>The estimate: the facts it used (scheme, status, balance, remote-care input and the filing that gave it) and the split.</summary>
public sealed record InpatientEstimate(
    RegionCode Region,
    string IdNumber,
    DateOnly AdmittedOn,
    InsuranceScheme Scheme,
    InsuredStatus Status,
    DMoney AccountBalance,
    RemoteCareKind RemoteCare,
    RemoteCareFilingRecord? Filing,
    string PolicyVersion,
    InpatientSplit Split);
