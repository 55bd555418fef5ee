namespace Yibao.Domain.Errors;

/// <summary>家庭共济: the refusals of a binding or a spend, and of the stored bindings.</summary>
public static partial class ErrorCatalog
{
    /// <summary>The refusal for a decision's code; the details are the values the refusing rule compared.</summary>
    public static Refusal FamilyAidRefusal(ResultCode code, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(values);
        var refusal = code.Refuse();
        foreach (var (name, value) in values) refusal = refusal.With(name, value);
        return refusal;
    }

    // Stored bindings and spends
    public static Refusal FamilyAidBindingNotFound(string region, string binding) =>
        Codes.FamilyAidBindingNotFound.Refuse($"统筹地区 {region} 没有该共济关系:{binding}", $"No family-aid binding {binding} in region {region}")
            .With("region", region).With("binding", binding);
    public static Refusal FamilyAidOwnerNotEligible(string idNumber, string why, string whyZh) =>
        Codes.FamilyAidOwnerNotEligible.Refuse($"共济人须为有个人账户的职工医保参保人:{whyZh}", $"The owner must be an employee-scheme member with a personal account: {why}")
            .With("idNumber", idNumber);
    public static Refusal FamilyAidSelfBinding(string idNumber) =>
        Codes.FamilyAidSelfBinding.Refuse("不能与本人建立共济关系", "An owner cannot bind themself as their own relative")
            .With("idNumber", idNumber);
    public static Refusal FamilyAidBindingOverlaps(string binding, string windowStart, string windowEnd) =>
        Codes.FamilyAidBindingOverlaps.Refuse($"与该亲属已有授权期重叠的共济关系({binding}:{windowStart} 至 {windowEnd});请先解除或待其结束", $"A binding of this relative with an overlapping window already exists ({binding}: {windowStart} … {windowEnd}); revoke it or wait for its end")
            .With("binding", binding).With("windowStart", windowStart).With("windowEnd", windowEnd);
    public static Refusal FamilyAidBindingAlreadyRevoked(string binding, string revokedOn) =>
        Codes.FamilyAidBindingAlreadyRevoked.Refuse($"该共济关系已于 {revokedOn} 解除", $"The binding was already revoked on {revokedOn}")
            .With("binding", binding).With("revokedOn", revokedOn);
    public static Refusal FamilyAidRevocationBeforeSpend(string binding, string revokedOn, string lastSpendOn) =>
        Codes.FamilyAidRevocationBeforeSpend.Refuse($"{lastSpendOn} 已有该共济关系下的支付,解除日不能早于或等于该日", $"A spend under this binding is recorded on {lastSpendOn}; the revocation day {revokedOn} must come after it")
            .With("binding", binding).With("revokedOn", revokedOn).With("lastSpendOn", lastSpendOn);
}
