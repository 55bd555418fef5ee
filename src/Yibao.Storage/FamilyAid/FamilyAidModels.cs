using Yibao.Domain.Errors;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.FamilyAid;

/// <summary>Who agreed to a binding, how and when (被共济人同意 or 共济人授权).</summary>
/// <param name="GivenBy">The relative's own consent, or the owner's authorisation (e.g. as a minor's guardian).</param>
/// <param name="Method">Online with identity verification, in person at a window, or written.</param>
/// <param name="GivenOn">The day it was given: on or before the binding day.</param>
public sealed record FamilyAidConsent(FamilyAidParty GivenBy, ConsentMethod Method, DateOnly GivenOn);

/// <summary>
/// 建立共济关系: the owner (<paramref name="Owner"/>, insured in <paramref name="Region"/>) binds a
/// relative for the window <paramref name="WindowStart"/> … <paramref name="WindowEnd"/> (both
/// inclusive). The binding is stored in the owner's region, wherever the relative is insured.
/// </summary>
/// <param name="Region">The owner's pooling region; its policy on <paramref name="BoundOn"/> decides.</param>
/// <param name="Owner">共济人: an employee-scheme member of the region with a personal account.</param>
/// <param name="Relative">被共济人's ID number.</param>
/// <param name="RelativeName">被共济人's name; must match the record when the relative is insured in the owner's region.</param>
/// <param name="RelativeRegion">The region the relative is insured (or, uninsured, living) in.</param>
/// <param name="RelativeInsured">
/// Whether the relative is insured, as declared (个人承诺制). Needed only for a relative of another
/// region: the owner's region cannot read that region's register. For a relative of the owner's
/// region the records decide, and a declaration that contradicts them is refused.
/// </param>
/// <param name="Relation">The relative's relation to the owner.</param>
/// <param name="RaisingProof">For a step-relation: proof of a raising relationship (民法典 art. 1072).</param>
/// <param name="Proof">How the relation is shown.</param>
/// <param name="ProofReference">The document's number, if any (certificate number, commitment id).</param>
/// <param name="BoundOn">The day the binding is made: not in the future.</param>
/// <param name="WindowStart">First day the relative may spend: not before the binding day.</param>
/// <param name="WindowEnd">Last day: after the start.</param>
/// <param name="Consent">Who consented, how and when.</param>
/// <param name="Actor">Who recorded it (a user id, <c>api</c>).</param>
public sealed record FamilyAidBindingRequest(
    RegionCode Region,
    IdNumber Owner,
    IdNumber Relative,
    string RelativeName,
    RegionCode RelativeRegion,
    bool? RelativeInsured,
    FamilyRelation Relation,
    bool RaisingProof,
    RelationProof Proof,
    string? ProofReference,
    DateOnly BoundOn,
    DateOnly WindowStart,
    DateOnly WindowEnd,
    FamilyAidConsent Consent,
    string Actor);

/// <summary>A stored binding (共济关系).</summary>
public sealed record FamilyAidBindingRecord(
    long Id,
    RegionCode Region,
    string OwnerIdNumber,
    string OwnerName,
    string RelativeIdNumber,
    string RelativeName,
    RegionCode RelativeRegion,
    bool RelativeInsured,
    FamilyRelation Relation,
    bool RaisingProof,
    RelationProof Proof,
    string? ProofReference,
    DateOnly BoundOn,
    DateOnly WindowStart,
    DateOnly WindowEnd,
    FamilyAidParty ConsentBy,
    string ConsentIdNumber,
    ConsentMethod ConsentMethod,
    DateOnly ConsentOn,
    string PolicyVersion,
    DateOnly? RevokedOn,
    FamilyAidParty? RevokedBy)
{
    /// <summary>A spend on <paramref name="day"/> falls in the window and before the revocation (which takes effect on its day).</summary>
    public bool InForceOn(DateOnly day) => WindowStart <= day && day <= WindowEnd && (RevokedOn is not { } revoked || day < revoked);

    /// <summary>The last day a spend is possible, or null when a revocation came before the window opened.</summary>
    public DateOnly? LastDay
    {
        get
        {
            var last = RevokedOn is { } revoked && revoked.AddDays(-1) < WindowEnd ? revoked.AddDays(-1) : WindowEnd;
            return last < WindowStart ? null : last;
        }
    }

    /// <summary>The binding as the decision sees it, with the relative's insurance and the dissolution day as known now.</summary>
    public FamilyAidBinding ForDecision(bool relativeInsured, DateOnly? dissolvedOn) =>
        new(Relation, RaisingProof, BoundOn, WindowStart, WindowEnd, relativeInsured, Region, RelativeRegion, dissolvedOn, RevokedOn);
}

/// <summary>
/// The answer to a binding request: the binding stored (<see cref="Created"/> false when the same
/// binding was already there, a replay) or the decision's refusal, with its reasons.
/// </summary>
public sealed record FamilyAidBindingOutcome(FamilyAidBindingRecord? Binding, bool Created, ResultCode? ReasonCode, IReadOnlyList<Reason> Reasons)
{
    public bool Allowed => Binding is not null;
}

/// <summary>A revocation (解除共济关系) and whether it had already been recorded (a replay).</summary>
public sealed record FamilyAidRevocation(FamilyAidBindingRecord Binding, bool Replayed);

/// <summary>
/// 共济支付: a bound relative's spend to be paid from the owner's account, sent by a designated
/// institution (medical, pharmacy) or the premium collector (resident-premium, ltc-premium).
/// </summary>
/// <param name="Region">The owner's region, where the binding is.</param>
/// <param name="BindingId">The binding the spend rests on.</param>
/// <param name="IdempotencyKey">The caller's id for the spend (a settlement id), unique in the region: a retry returns the first result.</param>
/// <param name="Purpose">What is paid for.</param>
/// <param name="SpendOn">The day of the visit, purchase or premium payment.</param>
/// <param name="Amount">The relative's personal share (or the premium), more than zero.</param>
/// <param name="InstitutionCode">The designated institution's code (定点医药机构编码); required for medical and pharmacy.</param>
/// <param name="InstitutionName">Its name, for the owner's statement.</param>
/// <param name="Designated">Whether the institution is designated (定点); medical and pharmacy spends need it.</param>
/// <param name="RelativeInsured">
/// For a relative of another region: whether they are insured on the spend day, as the settling
/// institution saw it; absent, the binding's declaration stands. Ignored for a relative of the
/// owner's region, whose record decides.
/// </param>
/// <param name="Actor">Who sent it.</param>
public sealed record FamilyAidSpendRequest(
    RegionCode Region,
    long BindingId,
    string IdempotencyKey,
    FamilyAidPurpose Purpose,
    DateOnly SpendOn,
    DMoney Amount,
    string? InstitutionCode,
    string? InstitutionName,
    bool Designated,
    bool? RelativeInsured,
    string Actor);

/// <summary>A stored spend (共济支付记录), with who spent and under which binding.</summary>
public sealed record FamilyAidSpendRecord(
    long Id,
    RegionCode Region,
    long BindingId,
    string IdempotencyKey,
    FamilyAidPurpose Purpose,
    string? InstitutionCode,
    string? InstitutionName,
    bool Designated,
    DateOnly SpendOn,
    DMoney Amount,
    DMoney AccountPays,
    DMoney CashPays,
    DMoney OwnerBalanceAfter,
    string? EntryKey,
    string PolicyVersion,
    string OwnerIdNumber,
    string RelativeIdNumber,
    string RelativeName,
    FamilyRelation Relation);

/// <summary>
/// The answer to a spend. Allowed: the stored spend (<see cref="Replayed"/> when an earlier call
/// with the same key had stored it; then <see cref="Reasons"/> is empty, the figures are the
/// first call's). Refused: nothing was written, the whole amount is cash, and the decision's code
/// and reasons say why.
/// </summary>
public sealed record FamilyAidSpendOutcome(
    FamilyAidSpendRecord? Spend,
    bool Replayed,
    ResultCode? ReasonCode,
    DMoney Amount,
    DMoney AccountPays,
    DMoney CashPays,
    DMoney OwnerBalanceAfter,
    IReadOnlyList<Reason> Reasons)
{
    public bool Allowed => Spend is not null;
}

/// <summary>A person's bindings: as owner (whose account pays) and as relative (who may spend from another's).</summary>
public sealed record FamilyAidBindings(RegionCode Region, string IdNumber, IReadOnlyList<FamilyAidBindingRecord> AsOwner, IReadOnlyList<FamilyAidBindingRecord> AsRelative);

/// <summary>Stable names of family aid in the ledger.</summary>
public static class FamilyAidEntries
{
    /// <summary>Reason code of a spend's journal entry.</summary>
    public const string SpendReason = "family-aid-spend";

    /// <summary>The journal key of a spend: the caller's key, scoped by the feature and the region.</summary>
    public static string Key(RegionCode region, string idempotencyKey) => $"family-aid/{region.Value}/{idempotencyKey}";
}
