using System.ComponentModel;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Server.Contracts;
using Yibao.Storage.FamilyAid;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.FamilyAid;

/// <summary>Who agreed to a binding (被共济人同意 / 共济人授权), how and when.</summary>
public sealed record ConsentBody(
    [property: Description("`relative` (the relative's own consent) or `owner` (the owner's authorisation, e.g. as a minor's guardian).")] string? GivenBy,
    [property: Description("`online` (identity verified in the app), `in-person` (at a window) or `written` (signed authorisation).")] string? Method,
    [property: Description("YYYY-MM-DD, on or before the binding day (default: the binding day).")] string? GivenOn);

/// <summary>建立共济关系: the owner in the path binds a relative.</summary>
public sealed record BindingBody(
    [property: Description("被共济人's 公民身份号码.")] string? RelativeIdNumber,
    [property: Description("被共济人's name; must match the record when the relative is insured in the owner's region.")] string? RelativeName,
    [property: Description("The pooling region the relative is insured (or lives) in; default the owner's.")] string? RelativeRegion,
    [property: Description("Whether the relative is insured (个人承诺). Required for a relative of another region; for one of the owner's region the records decide and a contradiction is refused.")] bool? RelativeInsured,
    [property: Description("spouse, parent, child, sibling, grandparent, grandchild, stepparent, stepchild, adoptive-parent, adopted-child (in-laws, cousins, nieces/nephews, uncles/aunts are refused).")] string? Relation,
    [property: Description("For a step-relation: proof of a raising relationship (抚养教育关系, 民法典 art. 1072).")] bool? RaisingProof,
    [property: Description("How the relation is shown: household-register, marriage-certificate, birth-certificate, adoption-certificate, kinship-certificate or personal-commitment (个人承诺).")] string? Proof,
    [property: Description("The document's number, if any.")] string? ProofReference,
    [property: Description("The binding day, YYYY-MM-DD (default: today in China); not in the future.")] string? BoundOn,
    [property: Description("授权开始日, YYYY-MM-DD: not before the binding day.")] string? WindowStart,
    [property: Description("授权终止日, YYYY-MM-DD: after the start (both days inclusive).")] string? WindowEnd,
    [property: Description("Who consented, how and when.")] ConsentBody? Consent);

/// <summary>解除共济关系: from <c>revokedOn</c> (default today) on, spends are refused.</summary>
public sealed record RevocationBody([property: Description("YYYY-MM-DD, not before the binding day nor after today; default today in China.")] string? RevokedOn);

/// <summary>The consent as recorded.</summary>
public sealed record ConsentResponse(string GivenBy, string IdNumber, string Method, DateOnly GivenOn);

/// <summary>A binding (共济关系). <c>revokedOn</c>: spends from that day on are refused.</summary>
public sealed record BindingResponse(
    long Id,
    string Region,
    string OwnerIdNumber,
    string OwnerName,
    string RelativeIdNumber,
    string RelativeName,
    string RelativeRegion,
    bool RelativeInsured,
    string Relation,
    bool RaisingProof,
    string Proof,
    string? ProofReference,
    DateOnly BoundOn,
    DateOnly WindowStart,
    DateOnly WindowEnd,
    ConsentResponse Consent,
    string PolicyVersion,
    DateOnly? RevokedOn,
    string? RevokedBy)
{
    public static BindingResponse From(FamilyAidBindingRecord b) =>
        new(b.Id, b.Region.Value, b.OwnerIdNumber, b.OwnerName, b.RelativeIdNumber, b.RelativeName, b.RelativeRegion.Value, b.RelativeInsured,
            FamilyAidNames.Code(b.Relation), b.RaisingProof, FamilyAidNames.Code(b.Proof), b.ProofReference, b.BoundOn, b.WindowStart, b.WindowEnd,
            new ConsentResponse(FamilyAidNames.Code(b.ConsentBy), b.ConsentIdNumber, FamilyAidNames.Code(b.ConsentMethod), b.ConsentOn),
            b.PolicyVersion, b.RevokedOn, b.RevokedBy is { } by ? FamilyAidNames.Code(by) : null);
}

/// <summary>A binding made (201) or found already made (200, <c>created: false</c>), with the decision's reasons.</summary>
public sealed record BindingResultResponse(BindingResponse Binding, bool Created, IReadOnlyList<ReasonResponse> Reasons);

/// <summary>A revocation, and whether it had been recorded already.</summary>
public sealed record RevocationResponse(BindingResponse Binding, bool Replayed);

/// <summary>
/// A person's bindings: <c>asOwner</c> — relatives who may spend from their account;
/// <c>asRelative</c> — owners whose accounts they may spend from. With a <c>date</c>, only those in force that day.
/// </summary>
public sealed record BindingsResponse(string Region, string IdNumber, DateOnly? Date, IReadOnlyList<BindingResponse> AsOwner, IReadOnlyList<BindingResponse> AsRelative)
{
    public static BindingsResponse From(FamilyAidBindings b, DateOnly? date) =>
        new(b.Region.Value, b.IdNumber, date, b.AsOwner.Select(BindingResponse.From).ToList(), b.AsRelative.Select(BindingResponse.From).ToList());
}

/// <summary>共济支付: a spend from the owner's account for a bound relative, sent by the settling institution with its <c>Idempotency-Key</c> header.</summary>
public sealed record SpendBody(
    [property: Description("The binding the spend rests on.")] long? BindingId,
    [property: Description("medical (personal share at a designated medical institution), pharmacy, resident-premium or ltc-premium.")] string? Purpose,
    [property: Description("The day of the visit, purchase or premium payment, YYYY-MM-DD (default today); not in the future.")] string? SpendOn,
    [property: Description("The relative's personal share or the premium, yuan (\"286.50\"), more than zero.")] DMoney? Amount,
    [property: Description("定点医药机构编码; required for medical and pharmacy.")] string? InstitutionCode,
    [property: Description("The institution's name, shown on the owner's statement.")] string? InstitutionName,
    [property: Description("Whether the institution is designated (定点); required for medical and pharmacy.")] bool? Designated,
    [property: Description("For a relative of another region: insured on the spend day, as the institution saw it (default: the binding's declaration).")] bool? RelativeInsured);

/// <summary>
/// A spend the account paid (201), or had already paid for this key (200, <c>replayed: true</c>,
/// the first call's figures, no reasons). <c>accountPays = min(amount, balance)</c>; the rest is cash.
/// </summary>
public sealed record SpendResponse(
    long Id,
    string Region,
    long BindingId,
    string IdempotencyKey,
    string OwnerIdNumber,
    string RelativeIdNumber,
    string RelativeName,
    string Relation,
    string Purpose,
    string? InstitutionCode,
    string? InstitutionName,
    DateOnly SpendOn,
    string Amount,
    string AccountPays,
    string CashPays,
    string OwnerBalanceAfter,
    string? EntryKey,
    string PolicyVersion,
    bool Replayed,
    IReadOnlyList<ReasonResponse> Reasons)
{
    public static SpendResponse From(FamilyAidSpendRecord s, bool replayed, IReadOnlyList<ReasonResponse> reasons) =>
        new(s.Id, s.Region.Value, s.BindingId, s.IdempotencyKey, s.OwnerIdNumber, s.RelativeIdNumber, s.RelativeName, FamilyAidNames.Code(s.Relation),
            FamilyAidNames.Code(s.Purpose), s.InstitutionCode, s.InstitutionName, s.SpendOn, s.Amount.ToPlainString(), s.AccountPays.ToPlainString(),
            s.CashPays.ToPlainString(), s.OwnerBalanceAfter.ToPlainString(), s.EntryKey, s.PolicyVersion, replayed, reasons);
}

/// <summary>The spends a person can see (from their account, or made for them), by day.</summary>
public sealed record SpendsResponse(string Region, string IdNumber, long? BindingId, IReadOnlyList<SpendResponse> Items);
