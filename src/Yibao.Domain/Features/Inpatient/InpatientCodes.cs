namespace Yibao.Domain.Features.Inpatient;

/// <summary>Stable reason codes of the inpatient split (the API lists them with these descriptions).</summary>
public static class InpatientCodes
{
    /// <summary>The region's policy does not set a rule the split needs; the answer names the key.</summary>
    public const string RuleNotInPolicy = "rule-not-in-policy";

    public static IReadOnlyList<(string Code, string Zh, string En)> All { get; } =
    [
        (RuleNotInPolicy,
            "该统筹地区政策未设定本次住院结算所需的规则(如无锡未设定退休人员统筹支付比例),只给出已能确定的部分",
            "The region's policy does not set a rule this inpatient split needs (e.g. 无锡 sets no retiree ratio); only what can be determined is given"),
    ];
}
