namespace Yibao.Domain.Features.Withdrawal;

/// <summary>
/// Stable reason codes of withdrawal decisions (提取/支取). A code is never renamed or reused;
/// the API lists them with <see cref="All"/>.
/// </summary>
public static class WithdrawalCodes
{
    // Refusals a region's pack may give a reason (refusalCode).
    public const string NotProvidedByRegion = "not-provided-by-region";
    public const string TransferInstead = "transfer-instead";
    public const string LongTermRemoteNotAllowed = "long-term-remote-not-allowed";
    public const string ParticipationMandatory = "participation-mandatory";
    public const string NoLegalBasis = "no-legal-basis";
    public const string NotAWithdrawal = "not-a-withdrawal";

    // Refusals decided from the facts under an allowed reason.
    public const string AfterRetirement = "after-retirement";
    public const string WrittenApplicationMissing = "written-application-missing";
    public const string ProvinceWideAccount = "province-wide-account";

    // Eligible but not yet payable.
    public const string MaterialsMissing = "materials-missing";

    public static IReadOnlyList<(string Code, string Zh, string En)> All { get; } =
    [
        (NotProvidedByRegion, "本统筹地区未规定此种支取情形", "The region's rules do not provide a withdrawal for this reason"),
        (TransferInstead, "个人账户随医保关系转移,应办理转移接续而不是支取(医保办发〔2021〕43号)", "The balance follows the insurance relationship: transfer it instead of withdrawing (L4)"),
        (LongTermRemoteNotAllowed, "长期异地居住不是支取情形,可凭长期异地就医备案直接结算", "Long-term residence elsewhere is not a withdrawal reason; the filing gives direct settlement elsewhere"),
        (ParticipationMandatory, "职工医保依法强制参加(社会保险法第23条),不能主动退保提取", "Employee insurance is mandatory (Social Insurance Law art. 23); quitting does not release the balance"),
        (NoLegalBasis, "没有法律依据(\"74种大病可提现\"的说法不实)", "No legal basis (the \"74 major diseases\" cash-out claim is false)"),
        (NotAWithdrawal, "急诊垫付按零星报销办理,不是个人账户支取,也不会自动返还账户", "An emergency advance is a manual reimbursement claim, not a withdrawal; nothing is refunded to the account"),
        (AfterRetirement, "本地区只允许退休前办理此种支取", "The region allows this withdrawal only before retirement"),
        (WrittenApplicationMissing, "未书面申请终止社会保险关系,个人账户予以保留(人社部令第16号第5条)", "No written application to terminate: the account is kept (MOHRSS Order 16 art. 5)"),
        (ProvinceWideAccount, "省内流动时个人账户不划转、不提现,全省通用", "Within the province the account is neither transferred nor paid out; it is usable province-wide"),
        (MaterialsMissing, "符合支取条件,但材料不全,补齐后办理", "Eligible, but materials are missing; the payout waits for them"),
    ];

    /// <summary>The codes a pack may give a refused reason.</summary>
    public static IReadOnlyList<string> Refusals { get; } =
        [NotProvidedByRegion, TransferInstead, LongTermRemoteNotAllowed, ParticipationMandatory, NoLegalBasis, NotAWithdrawal];

    public static bool IsRefusal(string code) => Refusals.Contains(code);

    public static (string Zh, string En) Describe(string code)
    {
        foreach (var c in All)
        {
            if (c.Code == code) return (c.Zh, c.En);
        }
        throw new ArgumentOutOfRangeException(nameof(code), code, "not a withdrawal code");
    }
}
