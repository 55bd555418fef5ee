using System.ComponentModel;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Features.RemoteCare;
using Yibao.Server.Contracts;
using Yibao.Storage.RemoteCare;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.RemoteCare;

/// <summary>异地就医备案: a filing of the person in the path.</summary>
public sealed record FilingBody(
    [property: Description("Long-term: `moved` (异地长期居住), `resident-elsewhere` (常驻异地工作), `retiree-elsewhere` (异地安置退休, retirees only); temporary: `referral` (转诊转院), `emergency` (急诊抢救), `other` (其他临时外出).")] string? Category,
    [property: Description("Where the person will be treated: a real province, city or county code (GB/T 2260) outside the insured region, e.g. `440100` 广州市.")] string? Destination,
    [property: Description("The filing day, YYYY-MM-DD (default today in China); not in the future.")] string? FiledOn,
    [property: Description("The first day covered, YYYY-MM-DD (default the filing day); not before the filing day except for an emergency filed afterwards.")] string? ValidFrom,
    [property: Description("Temporary filings only: the last day covered, at least the region's validity (default: start + the region's months − 1 day, 6 months nationally). A long-term filing is open-ended (A8) and takes no end.")] string? ValidTo);

/// <summary>撤销备案: from <c>revokedOn</c> (default today) on, the filing covers nothing.</summary>
public sealed record FilingRevocationBody([property: Description("YYYY-MM-DD, not before the filing day nor after today; default today in China.")] string? RevokedOn);

/// <summary>A filing. <c>remoteCare</c> is the inpatient decision's input it selects; <c>validTo</c> null: open-ended.</summary>
public sealed record FilingResponse(
    long Id, string Region, string IdNumber, string Category, string RemoteCare, string Destination, DateOnly FiledOn, DateOnly ValidFrom, DateOnly? ValidTo,
    DateOnly? RevokedOn, string PolicyVersion)
{
    public static FilingResponse From(RemoteCareFilingRecord f) =>
        new(f.Id, f.Region.Value, f.IdNumber, f.Category.Code(), f.Kind.Code(), f.Destination.Value, f.FiledOn, f.ValidFrom, f.ValidTo, f.RevokedOn, f.PolicyVersion);
}

/// <summary>A filing made (201) or already there with the same terms (200, <c>created: false</c>).</summary>
public sealed record FilingResultResponse(FilingResponse Filing, bool Created);

/// <summary>A revocation, and whether it had been recorded already.</summary>
public sealed record FilingRevocationResponse(FilingResponse Filing, bool Replayed);

/// <summary>A person's filings, by start.</summary>
public sealed record FilingsResponse(string Region, string IdNumber, IReadOnlyList<FilingResponse> Items);

/// <summary>住院费用测算 for the person in the path; nothing is written.</summary>
public sealed record InpatientEstimateBody(
    [property: Description("The admission day, YYYY-MM-DD: selects the policy and the filing in force.")] string? AdmittedOn,
    [property: Description("The hospital's tier: 1, 2 or 3.")] int? Tier,
    [property: Description("The stay's number in the insurance year, across tiers (default 1).")] int? Admission,
    [property: Description("政策范围内费用, yuan.")] DMoney? PolicyCost,
    [property: Description("目录外自费, yuan (default 0.00).")] DMoney? SelfPayCost,
    [property: Description("What the fund already paid this insurance year, yuan (default 0.00).")] DMoney? FundPaidThisYear,
    [property: Description("Where the hospital is (optional). At home: local. Elsewhere: a filing in force that covers the place is required. Absent: at the filing's destination when one is in force.")] string? HospitalRegion);

/// <summary>
/// The estimate: the facts used (scheme, status on the admission day, balance now, the remote-care
/// input and the filing that gave it) and the split. <c>settled</c> false: the region lacks a rule
/// (<c>reasonCode</c>, <c>missingRule</c>).
/// </summary>
public sealed record InpatientEstimateResponse(
    string Region,
    string IdNumber,
    DateOnly AdmittedOn,
    string Scheme,
    string Status,
    string AccountBalance,
    string RemoteCare,
    FilingResponse? Filing,
    bool Settled,
    string? ReasonCode,
    string? MissingRule,
    string? Deductible,
    string? Ratio,
    string? Fund,
    string? Individual,
    string? AccountPays,
    string? Cash,
    string? CapLeft,
    string PolicyVersion,
    IReadOnlyList<ReasonResponse> Reasons)
{
    public static InpatientEstimateResponse From(InpatientEstimate e)
    {
        var s = e.Split;
        return new InpatientEstimateResponse(e.Region.Value, e.IdNumber, e.AdmittedOn, e.Scheme == InsuranceScheme.Resident ? "resident" : "employee",
            e.Scheme == InsuranceScheme.Resident ? "resident" : e.Status switch { InsuredStatus.Retired => "retired", InsuredStatus.Flexible => "flexible", _ => "employed" },
            e.AccountBalance.ToPlainString(), e.RemoteCare.Code(), e.Filing is null ? null : FilingResponse.From(e.Filing),
            s.Settled, s.RefusalCode?.Value, s.MissingRule, s.Deductible?.ToPlainString(),
            s.Settled ? InpatientDecision.Show(s.Ratio) : null,
            s.Settled ? s.Fund.ToPlainString() : null, s.Settled ? s.Individual.ToPlainString() : null,
            s.Settled ? s.AccountPays.ToPlainString() : null, s.Settled ? s.Cash.ToPlainString() : null, s.Settled ? s.CapLeft.ToPlainString() : null,
            e.PolicyVersion, ReasonResponse.From(s.Reasons));
    }
}
