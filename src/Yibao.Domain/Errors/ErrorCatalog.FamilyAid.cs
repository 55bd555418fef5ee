using Yibao.Domain.Features.FamilyAid;

namespace Yibao.Domain.Errors;

/// <summary>
/// 家庭共济: the refusals of a binding or a spend as errors (the codes are the decision's own,
/// <see cref="FamilyAidCodes"/>, with its messages), and the errors of the stored bindings.
/// One factory per code, so the API's error list names each of them.
/// </summary>
public static partial class ErrorCatalog
{
    // Refusals of the binding decision (policy-reference A3, K12). A window out of order is bad input; the rest are rules.
    public static YibaoError RelationNotNearRelative(string relation) => FamilyAidRule(FamilyAidCodes.RelationNotNearRelative).With("relation", relation);
    public static YibaoError RaisingProofMissing(string relation) => FamilyAidRule(FamilyAidCodes.RaisingProofMissing).With("relation", relation);
    public static YibaoError RelationNotYetAllowed(string relation, string boundOn) => FamilyAidRule(FamilyAidCodes.RelationNotYetAllowed).With("relation", relation).With("boundOn", boundOn);
    public static YibaoError WindowStartBeforeBinding(string windowStart, string boundOn) =>
        FamilyAidRule(FamilyAidCodes.WindowStartBeforeBinding, ErrorKind.Invalid).With("windowStart", windowStart).With("boundOn", boundOn);
    public static YibaoError WindowEndNotAfterStart(string windowStart, string windowEnd) =>
        FamilyAidRule(FamilyAidCodes.WindowEndNotAfterStart, ErrorKind.Invalid).With("windowStart", windowStart).With("windowEnd", windowEnd);

    // Refusals of the spend decision.
    public static YibaoError RelationshipDissolved(string dissolvedOn) => FamilyAidRule(FamilyAidCodes.RelationshipDissolved).With("dissolvedOn", dissolvedOn);
    public static YibaoError BindingRevoked(string revokedOn) => FamilyAidRule(FamilyAidCodes.BindingRevoked).With("revokedOn", revokedOn);
    public static YibaoError OutsideWindow(string spendOn) => FamilyAidRule(FamilyAidCodes.OutsideWindow).With("spendOn", spendOn);
    public static YibaoError PurposeExcluded(string purpose) => FamilyAidRule(FamilyAidCodes.PurposeExcluded).With("purpose", purpose);
    public static YibaoError PurposeNotPayable(string purpose) => FamilyAidRule(FamilyAidCodes.PurposeNotPayable).With("purpose", purpose);
    public static YibaoError NotDesignated(string purpose) => FamilyAidRule(FamilyAidCodes.NotDesignated).With("purpose", purpose);
    public static YibaoError RelativeNotInsured(string purpose) => FamilyAidRule(FamilyAidCodes.RelativeNotInsured).With("purpose", purpose);
    public static YibaoError CrossRegionNotOpen(string relativeRegion) => FamilyAidRule(FamilyAidCodes.CrossRegionNotOpen).With("relativeRegion", relativeRegion);
    public static YibaoError CrossProvinceNotOpen(string relativeRegion) => FamilyAidRule(FamilyAidCodes.CrossProvinceNotOpen).With("relativeRegion", relativeRegion);

    /// <summary>The error for a decision's refusal code; the details are the values the refusing rule compared.</summary>
    public static YibaoError FamilyAidRefusal(string reasonCode, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var kind = reasonCode is FamilyAidCodes.WindowStartBeforeBinding or FamilyAidCodes.WindowEndNotAfterStart ? ErrorKind.Invalid : ErrorKind.Rule;
        var error = FamilyAidRule(reasonCode, kind);
        foreach (var (name, value) in values) error = error.With(name, value);
        return error;
    }

    private static YibaoError FamilyAidRule(string code, ErrorKind kind = ErrorKind.Rule)
    {
        var (zh, en) = FamilyAidCodes.Describe(code);
        return new YibaoError(code, zh, en, kind);
    }

    // Stored bindings and spends
    public static YibaoError FamilyAidBindingNotFound(string region, string binding) =>
        new YibaoError("family-aid-binding-not-found", $"统筹地区 {region} 没有该共济关系:{binding}", $"No family-aid binding {binding} in region {region}", ErrorKind.NotFound)
            .With("region", region).With("binding", binding);
    public static YibaoError FamilyAidOwnerNotEligible(string idNumber, string why, string whyZh) =>
        new YibaoError("family-aid-owner-not-eligible", $"共济人须为有个人账户的职工医保参保人:{whyZh}", $"The owner must be an employee-scheme member with a personal account: {why}", ErrorKind.Rule)
            .With("idNumber", idNumber);
    public static YibaoError FamilyAidSelfBinding(string idNumber) =>
        new YibaoError("family-aid-self-binding", "不能与本人建立共济关系", "An owner cannot bind themself as their own relative", ErrorKind.Invalid)
            .With("idNumber", idNumber);
    public static YibaoError FamilyAidBindingOverlaps(string binding, string windowStart, string windowEnd) =>
        new YibaoError("family-aid-binding-overlaps", $"与该亲属已有授权期重叠的共济关系({binding}:{windowStart} 至 {windowEnd});请先解除或待其结束",
                $"A binding of this relative with an overlapping window already exists ({binding}: {windowStart} … {windowEnd}); revoke it or wait for its end", ErrorKind.Conflict)
            .With("binding", binding).With("windowStart", windowStart).With("windowEnd", windowEnd);
    public static YibaoError FamilyAidBindingAlreadyRevoked(string binding, string revokedOn) =>
        new YibaoError("family-aid-binding-already-revoked", $"该共济关系已于 {revokedOn} 解除", $"The binding was already revoked on {revokedOn}", ErrorKind.Conflict)
            .With("binding", binding).With("revokedOn", revokedOn);
    public static YibaoError FamilyAidRevocationBeforeSpend(string binding, string revokedOn, string lastSpendOn) =>
        new YibaoError("family-aid-revocation-before-spend", $"{lastSpendOn} 已有该共济关系下的支付,解除日不能早于或等于该日",
                $"A spend under this binding is recorded on {lastSpendOn}; the revocation day {revokedOn} must come after it", ErrorKind.Conflict)
            .With("binding", binding).With("revokedOn", revokedOn).With("lastSpendOn", lastSpendOn);
}
