namespace Yibao.Domain.Features.FamilyAid;

/// <summary>
/// Stable reason codes of family-aid decisions (家庭共济). A code is never renamed or reused;
/// the API lists them with <see cref="All"/>.
/// </summary>
public static class FamilyAidCodes
{
    // Binding
    public const string RelationNotNearRelative = "relation-not-near-relative";
    public const string RaisingProofMissing = "raising-proof-missing";
    public const string RelationNotYetAllowed = "relation-not-yet-allowed";
    public const string RelationContradictsBirthDates = "relation-contradicts-birth-dates";
    public const string WindowStartBeforeBinding = "window-start-before-binding";
    public const string WindowEndNotAfterStart = "window-end-not-after-start";

    // Spend
    public const string RelationshipDissolved = "relationship-dissolved";
    public const string BindingRevoked = "binding-revoked";
    public const string OutsideWindow = "outside-window";
    public const string PurposeExcluded = "purpose-excluded";
    public const string PurposeNotPayable = "purpose-not-payable";
    public const string NotDesignated = "not-designated";
    public const string RelativeNotInsured = "relative-not-insured";
    public const string CrossRegionNotOpen = "cross-region-not-open";
    public const string CrossProvinceNotOpen = "cross-province-not-open";

    // Earmarked quota (共济额度)
    public const string QuotaExceedsFreeBalance = "quota-exceeds-free-balance";

    public static IReadOnlyList<(string Code, string Zh, string En)> All { get; } =
    [
        (RelationNotNearRelative, "不是近亲属(民法典第1045条):姻亲和旁系亲属(岳父母、公婆、兄弟姐妹的配偶、堂表亲、侄甥、叔伯姑舅姨)不能共济", "Not a near relative (Civil Code art. 1045): in-laws and collateral relatives beyond siblings cannot be bound"),
        (RaisingProofMissing, "继父母子女须有抚养教育关系证明(民法典第1072条)", "A step-relation counts only with proof of a raising relationship (Civil Code art. 1072)"),
        (RelationNotYetAllowed, "绑定之日本地区尚未将该近亲属纳入共济范围", "On the binding day the region did not yet allow this relative"),
        (RelationContradictsBirthDates, "所填亲属关系与双方身份证号码中的出生日期矛盾:父母、祖父母须早于子女、孙子女出生", "The relation contradicts the birth dates in the two ID numbers: a parent or grandparent is born before the child or grandchild"),
        (WindowStartBeforeBinding, "授权开始时间不得早于绑定时间", "The authorisation window cannot start before the binding day"),
        (WindowEndNotAfterStart, "授权终止时间必须晚于开始时间", "The authorisation window must end after it starts"),
        (RelationshipDissolved, "共济关系已自动解除(一方参保关系终止或跨统筹地区转移)", "The relationship was dissolved (a party's insurance ended or moved to another pooling region)"),
        (BindingRevoked, "共济关系已解除:解除之日起的费用不能由共济账户支付", "The binding was revoked: spends from the revocation day on are not covered"),
        (OutsideWindow, "费用发生日不在授权期内(起止日均含)", "The spend day is outside the authorisation window (both ends inclusive)"),
        (PurposeExcluded, "个人账户不得用于体育健身、养生保健消费(国办发〔2021〕14号)", "The account never pays for fitness or health supplements (L3)"),
        (PurposeNotPayable, "该用途在费用发生日尚不在本地区共济支付范围内", "On the spend day the region's aid does not cover this purpose"),
        (NotDesignated, "只能在定点医药机构使用", "Only at a designated medical institution or pharmacy"),
        (RelativeNotInsured, "就医购药费用只能为已参保的近亲属支付(国办发〔2024〕38号)", "Medical costs are payable only for an insured relative (L5)"),
        (CrossRegionNotOpen, "费用发生日本省尚未开通省内跨统筹地区共济", "On the spend day the province had not opened aid across its pooling regions"),
        (CrossProvinceNotOpen, "跨省共济须双方统筹地区在费用发生日均已开通医保钱包", "Cross-province aid needs both regions to have opened 医保钱包 on the spend day"),
        (QuotaExceedsFreeBalance, "共济额度不得超过账户可用(未圈存)余额", "A quota cannot exceed the account's free (not yet earmarked) balance"),
    ];

    public static (string Zh, string En) Describe(string code)
    {
        foreach (var c in All)
        {
            if (c.Code == code) return (c.Zh, c.En);
        }
        throw new ArgumentOutOfRangeException(nameof(code), code, "not a family-aid code");
    }
}
