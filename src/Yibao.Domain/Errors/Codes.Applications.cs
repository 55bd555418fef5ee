namespace Yibao.Domain.Errors;

/// <summary>Applications (提取, 转移接续), the decisions behind them, and the transfer message exchange.</summary>
public static partial class Codes
{
    // The lifecycle
    public static readonly ResultCode UnknownApplication = ResultCode.NotFound("unknown-application", "申请不存在", "No such application");
    public static readonly ResultCode ApplicationWrongStatus = ResultCode.Conflict("application-wrong-status", "申请当前状态不允许该操作", "The application's status does not allow this action");
    public static readonly ResultCode ApplicationConflict = ResultCode.Conflict("application-conflict",
        "申请已被他人同时处理,本次操作未生效", "The application was changed by someone else at the same time; this action did nothing");
    public static readonly ResultCode ApplicationIncomplete = ResultCode.Rule("application-incomplete", "申请材料不全", "The application lacks materials");
    public static readonly ResultCode ApplicationNoLongerEligible = ResultCode.Rule("application-no-longer-eligible",
        "审核时重新判断,申请已不符合条件:请不予通过", "Decided again at approval, the application no longer qualifies: reject it instead");
    public static readonly ResultCode ApplicationAlreadyOpen = ResultCode.Conflict("application-already-open", "已有一件办理中的同类申请", "An application of this kind is already in progress");
    public static readonly ResultCode UnknownMaterialCode = ResultCode.Invalid("unknown-material-code", "材料代码不存在", "No such material code");
    public static readonly ResultCode HeirAccountNotFound = ResultCode.Rule("heir-account-not-found",
        "继承人在本统筹地区没有可入账的个人账户", "The heir has no open personal account in the region to receive the balance");
    public static readonly ResultCode TransferTargetNotEnrolled = ResultCode.Rule("transfer-target-not-enrolled",
        "转入地尚未办理参保登记,暂不能转入", "The person is not enrolled in the target region yet; the transfer-in waits");
    public static readonly ResultCode TransferTargetUnknown = ResultCode.Rule("transfer-target-unknown",
        "转入地不是本系统已知且可送达的统筹地区", "The target is not a pooling region Yibao knows and can reach");
    public static readonly ResultCode TransferTargetSameRegion = ResultCode.Invalid("transfer-target-same-region",
        "转入地与转出地相同:转移接续发生在两个统筹地区之间", "The target is the source region: a transfer is between two pooling regions");

    // Withdrawal decisions (提取/支取; policy-reference A4, K11): refusals a region's pack may give a reason
    public static readonly ResultCode NotProvidedByRegion = ResultCode.Rule("not-provided-by-region",
        "本统筹地区未规定此种支取情形", "The region's rules do not provide a withdrawal for this reason");
    public static readonly ResultCode TransferInstead = ResultCode.Rule("transfer-instead",
        "个人账户随医保关系转移,应办理转移接续而不是支取(医保办发〔2021〕43号)", "The balance follows the insurance relationship: transfer it instead of withdrawing (NHSA Office notice [2021] No. 43)");
    public static readonly ResultCode LongTermRemoteNotAllowed = ResultCode.Rule("long-term-remote-not-allowed",
        "长期异地居住不是支取情形,可凭长期异地就医备案直接结算", "Long-term residence elsewhere is not a withdrawal reason; the filing gives direct settlement elsewhere");
    public static readonly ResultCode ParticipationMandatory = ResultCode.Rule("participation-mandatory",
        "职工医保依法强制参加(社会保险法第二十三条),不能主动退保提取", "Employee insurance is mandatory (Social Insurance Law art. 23); quitting does not release the balance");
    public static readonly ResultCode NoLegalBasis = ResultCode.Rule("no-legal-basis",
        "没有法律依据(“74种大病可提现”的说法不实)", "No legal basis (the \"74 major diseases\" cash-out claim is false)");
    public static readonly ResultCode NotAWithdrawal = ResultCode.Rule("not-a-withdrawal",
        "急诊垫付按零星报销办理,不是个人账户支取,也不会自动返还账户", "An emergency advance is a manual reimbursement claim, not a withdrawal; nothing is refunded to the account");
    // … decided from the facts under an allowed reason
    public static readonly ResultCode AfterRetirement = ResultCode.Rule("after-retirement", "本地区只允许退休前办理此种支取", "The region allows this withdrawal only before retirement");
    public static readonly ResultCode WrittenApplicationMissing = ResultCode.Rule("written-application-missing",
        "未书面申请终止社会保险关系,个人账户予以保留(人社部令第16号第五条)", "No written application to terminate: the account is kept (MOHRSS Order 16 art. 5)");
    public static readonly ResultCode ProvinceWideAccount = ResultCode.Rule("province-wide-account",
        "省内流动时个人账户不划转、不提现,全省通用", "Within the province the account is neither transferred nor paid out; it is usable province-wide");
    public static readonly ResultCode FactNotOnRecord = ResultCode.Rule("fact-not-on-record",
        "支取所依据的事实尚未登记(如死亡、退休、终止参保),须先登记", "The fact the withdrawal rests on is not on record (a death, a retirement, leaving); record it first");
    // … eligible but not yet payable
    public static readonly ResultCode MaterialsMissing = ResultCode.Rule("materials-missing", "符合支取条件,但材料不全,补齐后办理", "Eligible, but materials are missing; the payout waits for them");

    // Transfer decisions (转移接续; K6, K7)
    public static readonly ResultCode RetireeNotTransferable = ResultCode.Rule("retiree-not-transferable",
        "退休人员的医保关系不转移(医保办发〔2021〕43号第二条:不含退休人员),可办理异地安置备案", "A retiree's insurance relationship does not transfer (NHSA Office notice [2021] No. 43, art. 2); file for long-term remote care instead");

    /// <summary>The codes a pack may give a refused withdrawal reason (<c>refusalCode</c>).</summary>
    public static IReadOnlyList<ResultCode> WithdrawalRefusals => [NotProvidedByRegion, TransferInstead, LongTermRemoteNotAllowed, ParticipationMandatory, NoLegalBasis, NotAWithdrawal];
}
