namespace Yibao.Domain.Errors;

/// <summary>The codes of applications (提取, 转移接续) and of the transfer message exchange.</summary>
public static partial class ErrorCatalog
{
    public static Refusal UnknownApplication(string id) =>
        Codes.UnknownApplication.Refuse($"申请 {id} 不存在", $"Application {id} does not exist").With("application", id);

    public static Refusal ApplicationWrongStatus(string id, string status, string action, string allowedFrom) =>
        Codes.ApplicationWrongStatus.Refuse($"申请 {id} 当前状态为 {status},不能执行 {action}(仅限 {allowedFrom})", $"Application {id} is {status}; '{action}' is only possible when it is {allowedFrom}")
            .With("application", id).With("status", status).With("action", action).With("allowedFrom", allowedFrom);

    public static Refusal ApplicationConflict(string id, string status) =>
        Codes.ApplicationConflict.Refuse($"申请 {id} 已被他人同时处理,现为 {status};本次操作未生效", $"Application {id} was changed by someone else at the same time and is now {status}; this action did nothing")
            .With("application", id).With("status", status);

    public static Refusal ApplicationIncomplete(string id, string missing) =>
        Codes.ApplicationIncomplete.Refuse($"申请 {id} 材料不全:{missing}", $"Application {id} lacks materials: {missing}")
            .With("application", id).With("missingMaterials", missing);

    public static Refusal ApplicationNoLongerEligible(string id, string reasonCode) =>
        Codes.ApplicationNoLongerEligible.Refuse($"审核时重新判断,申请 {id} 已不符合条件({reasonCode}):请不予通过", $"Decided again at approval, application {id} no longer qualifies ({reasonCode}): reject it instead")
            .With("application", id).With("reasonCode", reasonCode);

    public static Refusal ApplicationAlreadyOpen(string kind, string id) =>
        Codes.ApplicationAlreadyOpen.Refuse($"已有一件办理中的同类申请 {id}", $"An application of this kind ({kind}) is already in progress: {id}")
            .With("kind", kind).With("application", id);

    public static Refusal UnknownMaterialCode(string code, string allowed) =>
        Codes.UnknownMaterialCode.Refuse($"材料代码 {code} 不存在", $"There is no material code '{code}'")
            .With("code", code).With("allowed", allowed);

    public static Refusal HeirAccountNotFound(string region, string heir) =>
        Codes.HeirAccountNotFound.Refuse($"继承人 {heir} 在统筹地区 {region} 没有可入账的个人账户", $"The heir {heir} has no open personal account in region {region} to receive the balance")
            .With("region", region).With("heir", heir);

    public static Refusal TransferTargetUnknown(string target, string whyZh, string whyEn) =>
        Codes.TransferTargetUnknown.Refuse($"转入地 {target} 不能办理转移接续:{whyZh}", $"Cannot transfer to {target}: {whyEn}").With("targetRegion", target);

    public static Refusal TransferTargetSameRegion(string region) =>
        Codes.TransferTargetSameRegion.Refuse().With("targetRegion", region);

    public static Refusal TransferTargetNotEnrolled(string region, string idNumber) =>
        Codes.TransferTargetNotEnrolled.Refuse($"转入地 {region} 尚未为 {idNumber} 办理参保登记,暂不能转入", $"{idNumber} is not enrolled in the target region {region} yet; the transfer-in waits")
            .With("region", region).With("idNumber", idNumber);
}
