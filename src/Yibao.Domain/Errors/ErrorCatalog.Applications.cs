namespace Yibao.Domain.Errors;

/// <summary>The codes of applications (提取, 转移接续) and of the transfer message exchange.</summary>
public static partial class ErrorCatalog
{
    public static YibaoError UnknownApplication(string id) =>
        new YibaoError("unknown-application", $"申请 {id} 不存在", $"Application {id} does not exist", ErrorKind.NotFound).With("application", id);

    public static YibaoError ApplicationWrongStatus(string id, string status, string action, string allowedFrom) =>
        new YibaoError("application-wrong-status", $"申请 {id} 当前状态为 {status},不能执行 {action}(仅限 {allowedFrom})",
                $"Application {id} is {status}; '{action}' is only possible when it is {allowedFrom}", ErrorKind.Conflict)
            .With("application", id).With("status", status).With("action", action).With("allowedFrom", allowedFrom);

    public static YibaoError ApplicationConflict(string id, string status) =>
        new YibaoError("application-conflict", $"申请 {id} 已被他人同时处理,现为 {status};本次操作未生效", $"Application {id} was changed by someone else at the same time and is now {status}; this action did nothing", ErrorKind.Conflict)
            .With("application", id).With("status", status);

    public static YibaoError ApplicationIneligible(string kind, string reasonCode, string zh, string en) =>
        new YibaoError("application-ineligible", $"不符合办理条件({reasonCode}):{zh};未受理", $"Not eligible ({reasonCode}): {en}; nothing was filed", ErrorKind.Rule)
            .With("kind", kind).With("reasonCode", reasonCode);

    public static YibaoError ApplicationIncomplete(string id, string missing) =>
        new YibaoError("application-incomplete", $"申请 {id} 材料不全:{missing}", $"Application {id} lacks materials: {missing}", ErrorKind.Rule)
            .With("application", id).With("missingMaterials", missing);

    public static YibaoError ApplicationNoLongerEligible(string id, string reasonCode) =>
        new YibaoError("application-no-longer-eligible", $"审核时重新判断,申请 {id} 已不符合条件({reasonCode}):请不予通过", $"Decided again at approval, application {id} no longer qualifies ({reasonCode}): reject it instead", ErrorKind.Rule)
            .With("application", id).With("reasonCode", reasonCode);

    public static YibaoError ApplicationAlreadyOpen(string kind, string id) =>
        new YibaoError("application-already-open", $"已有一件办理中的同类申请 {id}", $"An application of this kind ({kind}) is already in progress: {id}", ErrorKind.Conflict)
            .With("kind", kind).With("application", id);

    public static YibaoError UnknownMaterialCode(string code, string allowed) =>
        new YibaoError("unknown-material-code", $"材料代码 {code} 不存在", $"There is no material code '{code}'", ErrorKind.Invalid)
            .With("code", code).With("allowed", allowed);

    public static YibaoError HeirAccountNotFound(string region, string heir) =>
        new YibaoError("heir-account-not-found", $"继承人 {heir} 在统筹地区 {region} 没有可入账的个人账户", $"The heir {heir} has no open personal account in region {region} to receive the balance", ErrorKind.Rule)
            .With("region", region).With("heir", heir);

    public static YibaoError TransferTargetNotEnrolled(string region, string idNumber) =>
        new YibaoError("transfer-target-not-enrolled", $"转入地 {region} 尚未为 {idNumber} 办理参保登记,暂不能转入", $"{idNumber} is not enrolled in the target region {region} yet; the transfer-in waits", ErrorKind.Rule)
            .With("region", region).With("idNumber", idNumber);
}
