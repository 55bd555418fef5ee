namespace Yibao.Domain.Errors;

/// <summary>家庭共济: the refusals of a binding or a spend (policy-reference A3, K12), and the stored bindings.</summary>
public static partial class Codes
{
    // Binding decision. A window out of order is bad input; the rest are rules.
    public static readonly ResultCode RelationNotNearRelative = ResultCode.Rule("relation-not-near-relative",
        "不是近亲属(民法典第一千零四十五条):姻亲和旁系亲属(岳父母、公婆、兄弟姐妹的配偶、堂表亲、侄甥、叔伯姑舅姨)不能共济",
        "Not a near relative (Civil Code art. 1045): in-laws and collateral relatives beyond siblings cannot be bound");
    public static readonly ResultCode RaisingProofMissing = ResultCode.Rule("raising-proof-missing",
        "继父母子女须有抚养教育关系证明(民法典第一千零七十二条)", "A step-relation counts only with proof of a raising relationship (Civil Code art. 1072)");
    public static readonly ResultCode RelationNotYetAllowed = ResultCode.Rule("relation-not-yet-allowed", "绑定之日本地区尚未将该近亲属纳入共济范围", "On the binding day the region did not yet allow this relative");
    public static readonly ResultCode RelationContradictsBirthDates = ResultCode.Rule("relation-contradicts-birth-dates",
        "所填亲属关系与双方身份证号码中的出生日期矛盾:父母、祖父母须早于子女、孙子女出生",
        "The relation contradicts the birth dates in the two ID numbers: a parent or grandparent is born before the child or grandchild");
    public static readonly ResultCode WindowStartBeforeBinding = ResultCode.Invalid("window-start-before-binding", "授权开始时间不得早于绑定时间", "The authorisation window cannot start before the binding day");
    public static readonly ResultCode WindowEndNotAfterStart = ResultCode.Invalid("window-end-not-after-start", "授权终止时间必须晚于开始时间", "The authorisation window must end after it starts");

    // Spend decision
    public static readonly ResultCode RelationshipDissolved = ResultCode.Rule("relationship-dissolved",
        "共济关系已自动解除(一方参保关系终止或跨统筹地区转移)", "The relationship was dissolved (a party's insurance ended or moved to another pooling region)");
    public static readonly ResultCode BindingRevoked = ResultCode.Rule("binding-revoked",
        "共济关系已解除:解除之日起的费用不能由共济账户支付", "The binding was revoked: spends from the revocation day on are not covered");
    public static readonly ResultCode OutsideWindow = ResultCode.Rule("outside-window", "费用发生日不在授权期内(起止日均含)", "The spend day is outside the authorisation window (both ends inclusive)");
    public static readonly ResultCode PurposeExcluded = ResultCode.Rule("purpose-excluded",
        "个人账户不得用于体育健身、养生保健消费(国办发〔2021〕14号)", "The account never pays for fitness or health supplements (State Council General Office [2021] No. 14)");
    public static readonly ResultCode PurposeNotPayable = ResultCode.Rule("purpose-not-payable", "该用途在费用发生日尚不在本地区共济支付范围内", "On the spend day the region's aid does not cover this purpose");
    public static readonly ResultCode NotDesignated = ResultCode.Rule("not-designated", "只能在定点医药机构使用", "Only at a designated medical institution or pharmacy");
    public static readonly ResultCode RelativeNotInsured = ResultCode.Rule("relative-not-insured",
        "就医购药费用只能为已参保的近亲属支付(国办发〔2024〕38号)", "Medical costs are payable only for an insured relative (State Council General Office [2024] No. 38)");
    public static readonly ResultCode CrossRegionNotOpen = ResultCode.Rule("cross-region-not-open", "费用发生日本省尚未开通省内跨统筹地区共济", "On the spend day the province had not opened aid across its pooling regions");
    public static readonly ResultCode CrossProvinceNotOpen = ResultCode.Rule("cross-province-not-open",
        "跨省共济须双方统筹地区在费用发生日均已开通医保钱包", "Cross-province aid needs both regions to have opened the medical-insurance wallet on the spend day");
    public static readonly ResultCode QuotaExceedsFreeBalance = ResultCode.Rule("quota-exceeds-free-balance", "共济额度不得超过账户可用(未圈存)余额", "A quota cannot exceed the account's free (not yet earmarked) balance");

    // Stored bindings and spends
    public static readonly ResultCode FamilyAidBindingNotFound = ResultCode.NotFound("family-aid-binding-not-found", "没有该共济关系", "No such family-aid binding");
    public static readonly ResultCode FamilyAidOwnerNotEligible = ResultCode.Rule("family-aid-owner-not-eligible",
        "共济人须为有个人账户的职工医保参保人", "The owner must be an employee-scheme member with a personal account");
    public static readonly ResultCode FamilyAidSelfBinding = ResultCode.Invalid("family-aid-self-binding", "不能与本人建立共济关系", "An owner cannot bind themself as their own relative");
    public static readonly ResultCode FamilyAidBindingOverlaps = ResultCode.Conflict("family-aid-binding-overlaps",
        "与该亲属已有授权期重叠的共济关系;请先解除或待其结束", "A binding of this relative with an overlapping window exists; revoke it or wait for its end");
    public static readonly ResultCode FamilyAidBindingAlreadyRevoked = ResultCode.Conflict("family-aid-binding-already-revoked", "该共济关系已解除", "The binding was already revoked");
    public static readonly ResultCode FamilyAidRevocationBeforeSpend = ResultCode.Conflict("family-aid-revocation-before-spend",
        "解除日不能早于或等于已有支付的日期", "The revocation day must come after the last recorded spend");
}
