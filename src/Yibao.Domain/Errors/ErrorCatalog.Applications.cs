using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Withdrawal;

namespace Yibao.Domain.Errors;

/// <summary>The codes of applications (提取, 转移接续) and of the transfer message exchange.</summary>
public static partial class ErrorCatalog
{
    public static Refusal UnknownApplication(string id) =>
        Codes.UnknownApplication.Refuse($"申请 {id} 不存在", $"Application {id} does not exist").With("application", id);

    public static Refusal ApplicationWrongStatus(string id, ApplicationStatus status, ApplicationAction action)
    {
        var from = ApplicationLifecycle.From(action);
        var allowedFrom = string.Join(" | ", from.Select(x => x.Code()));
        return Codes.ApplicationWrongStatus.Refuse($"申请 {id} 当前状态为{status.Zh()},不能{action.Zh()}(仅限{string.Join("或", from.Select(x => x.Zh()))}时)",
                $"Application {id} is {status.Code()}; '{action.Code()}' is only possible when it is {allowedFrom}")
            .With("application", id).With("status", status.Code()).With("action", action.Code()).With("allowedFrom", allowedFrom);
    }

    public static Refusal ApplicationConflict(string id, ApplicationStatus? status) =>
        Codes.ApplicationConflict.Refuse($"申请 {id} 已被他人同时处理,现为{status?.Zh() ?? "未知状态"};本次操作未生效",
                $"Application {id} was changed by someone else at the same time and is now {status?.Code() ?? "unknown"}; this action did nothing")
            .With("application", id).With("status", status?.Code() ?? "unknown");

    /// <summary>Materials still missing; each requirement is one material or a choice of several.</summary>
    public static Refusal ApplicationIncomplete(string id, IReadOnlyList<IReadOnlyList<WithdrawalMaterial>> missing) =>
        Codes.ApplicationIncomplete.Refuse($"申请 {id} 材料不全:{string.Join("、", missing.Select(WithdrawalDecision.ShowZh))}",
                $"Application {id} lacks materials: {string.Join(", ", missing.Select(WithdrawalDecision.Show))}")
            .With("application", id).With("missingMaterials", string.Join(", ", missing.Select(WithdrawalDecision.Show)));

    public static Refusal ApplicationNoLongerEligible(string id, ResultCode reason) =>
        Codes.ApplicationNoLongerEligible.Refuse($"审核时重新判断,申请 {id} 已不符合条件({reason.MeaningZh}):请不予通过",
                $"Decided again at approval, application {id} no longer qualifies ({reason.MeaningEn}): reject it instead")
            .With("application", id).With("reasonCode", reason.Value);

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
