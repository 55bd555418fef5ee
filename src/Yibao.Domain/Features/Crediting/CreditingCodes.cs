namespace Yibao.Domain.Features.Crediting;

/// <summary>Stable codes of the crediting decisions' refusals (listed by the API; never renamed or reused).</summary>
public static class CreditingCodes
{
    /// <summary>The reference defines no personal-account crediting for flexible workers (K3): refused rather than invented.</summary>
    public const string FlexibleNotCredited = "flexible-not-credited";

    /// <summary>The region does not pre-credit a year's credits (一次性预划入), so there is nothing to pre-credit or claw back.</summary>
    public const string NoYearlyPreCredit = "no-yearly-pre-credit";

    public static IReadOnlyList<(string Code, string Zh, string En)> All { get; } =
    [
        (FlexibleNotCredited, "政策依据未规定灵活就业人员的个人账户划入,不予计算", "The reference defines no personal-account credit for flexible workers; none is computed"),
        (NoYearlyPreCredit, "本地区不实行医保年度一次性预划入", "The region does not pre-credit the insurance year's credits"),
    ];
}
