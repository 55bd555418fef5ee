using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Withdrawal;

/// <summary>Where a payout goes (acceptance/README.md <c>payTo</c>).</summary>
public enum WithdrawalPayTo
{
    None,
    HeirAccount,
    HeirBank,
    ApplicantBank,
}

/// <summary>The personal account after the decision (acceptance/README.md <c>accountStatusAfter</c>).</summary>
public enum AccountStatusAfter
{
    Open,
    Closed,
}

/// <summary>
/// The facts of an application to withdraw. <see cref="Retired"/> is whether the person is
/// retired on the application day; <see cref="TargetRegion"/> is where the person moves, for
/// <see cref="WithdrawalReason.TransferImpossible"/>.
/// </summary>
public sealed record WithdrawalRequest(
    RegionCode Region,
    WithdrawalReason Reason,
    bool Retired,
    DMoney Balance,
    IReadOnlyCollection<WithdrawalMaterial> Materials,
    bool WrittenApplication,
    bool ByAgent = false,
    bool HeirInsuredInRegion = false,
    RegionCode? TargetRegion = null);

/// <summary>
/// The answer: <see cref="Eligible"/> says whether the reason and the person qualify;
/// <see cref="Complete"/> whether the materials are all there. Only an eligible, complete
/// application pays out (the whole balance) and closes the account. <see cref="MissingMaterials"/>
/// lists the unmet requirements in the pack's order; a requirement with several codes is met by
/// any one of them. <see cref="ReasonCode"/> is a <see cref="WithdrawalCodes"/> code, null when paid.
/// </summary>
public sealed record WithdrawalAnswer(
    bool Eligible,
    bool Complete,
    DMoney Payout,
    WithdrawalPayTo PayTo,
    AccountStatusAfter AccountStatusAfter,
    IReadOnlyList<IReadOnlyList<WithdrawalMaterial>> MissingMaterials,
    string? ReasonCode,
    IReadOnlyList<Reason> Reasons);

/// <summary>Can the balance be paid out, to whom, and what is still missing (提取/支取; policy-reference A4, K11, WE-22…WE-30).</summary>
public static class WithdrawalDecision
{
    private const string K11 = "policy-reference K11";

    public static WithdrawalAnswer Decide(WithdrawalRequest request, WithdrawalPolicy policy, Explanation why)
    {
        var reason = request.Reason;
        var rule = policy.RuleFor(reason);
        var ruleValue = policy.RuleValues[reason];

        // 广东: a move inside the province moves nothing, so there is nothing a failed transfer could release (WE-30).
        if (reason == WithdrawalReason.TransferImpossible && request.TargetRegion is { } target
            && target.SameProvinceAs(request.Region) && policy.WithinProvinceMode == TransferMode.Stays)
        {
            if (why.Enabled)
                why.Because(policy.WithinProvinceModeRule,
                    $"{request.Region} 与 {target} 同省,省内流动个人账户不划转、不提现,全省通用",
                    $"{request.Region} and {target} are in the same province, where the account is neither transferred nor paid out and stays usable province-wide",
                    ("region", request.Region.Value), ("targetRegion", target.Value), ("withinProvinceMode", "stays"));
            return Refused(WithdrawalCodes.ProvinceWideAccount, why);
        }

        if (!rule.Allowed)
        {
            var code = rule.RefusalCode!;
            if (why.Enabled)
            {
                var (zh, en) = WithdrawalCodes.Describe(code);
                why.Because(ruleValue, $"支取情形 {WithdrawalNames.Code(reason)} 不予支取:{zh}", $"Reason {WithdrawalNames.Code(reason)} is refused: {en}",
                    ("reason", WithdrawalNames.Code(reason)), ("refusalCode", code));
            }
            return Refused(code, why);
        }
        if (why.Enabled)
            why.Because(ruleValue,
                rule.BeforeRetirementOnly ? $"本地区允许 {WithdrawalNames.Code(reason)} 支取(限退休前)" : $"本地区允许 {WithdrawalNames.Code(reason)} 支取(退休与否均可)",
                rule.BeforeRetirementOnly ? $"The region allows a withdrawal for {WithdrawalNames.Code(reason)}, before retirement only" : $"The region allows a withdrawal for {WithdrawalNames.Code(reason)}, retired or not",
                ("reason", WithdrawalNames.Code(reason)), ("beforeRetirementOnly", rule.BeforeRetirementOnly ? "true" : "false"), ("retired", request.Retired ? "true" : "false"));

        if (rule.BeforeRetirementOnly)
        {
            if (request.Retired)
            {
                if (why.Enabled)
                    why.Because(ruleValue, $"本地区只允许退休前办理 {WithdrawalNames.Code(reason)} 支取,申请人已退休",
                        $"The region allows {WithdrawalNames.Code(reason)} only before retirement, and the applicant is retired",
                        ("reason", WithdrawalNames.Code(reason)), ("beforeRetirementOnly", "true"), ("retired", "true"));
                return Refused(WithdrawalCodes.AfterRetirement, why);
            }
            if (why.Enabled)
                why.Because(ruleValue, "退休前申请,符合条件", "Applied before retirement, as the rule requires",
                    ("beforeRetirementOnly", "true"), ("retired", "false"));
        }

        if (rule.RequiresWrittenApplication)
        {
            if (!request.WrittenApplication)
            {
                if (why.Enabled)
                    why.Because(ruleValue, "未书面申请终止社会保险关系:个人账户予以保留,回国再参保时累计计算",
                        "No written application to terminate the relationship: the account is kept, and the years add up if the person returns",
                        ("requiresWrittenApplication", "true"), ("writtenApplication", "false"));
                return Refused(WithdrawalCodes.WrittenApplicationMissing, why);
            }
            if (why.Enabled)
                why.Because(ruleValue, "已书面申请终止社会保险关系", "A written application to terminate the relationship was made",
                    ("requiresWrittenApplication", "true"), ("writtenApplication", "true"));
        }

        var missing = Missing(rule.Required, request.Materials, null);
        if (request.ByAgent) missing = Missing(rule.RequiredOfAgent, request.Materials, missing);
        if (missing is not null)
        {
            if (why.Enabled)
            {
                var list = string.Join(", ", missing.Select(Show));
                why.Because(ruleValue, $"符合支取条件,但缺少材料:{list}", $"Eligible, but these materials are missing: {list}",
                    ("missingMaterials", list), ("byAgent", request.ByAgent ? "true" : "false"));
            }
            return new WithdrawalAnswer(true, false, DMoney.Zero, WithdrawalPayTo.None, AccountStatusAfter.Open, missing, WithdrawalCodes.MaterialsMissing, why.Reasons);
        }

        var payTo = rule.PayTo switch
        {
            WithdrawalPayee.HeirAccountWhenInsured => request.HeirInsuredInRegion ? WithdrawalPayTo.HeirAccount : WithdrawalPayTo.HeirBank,
            WithdrawalPayee.HeirBank => WithdrawalPayTo.HeirBank,
            _ => WithdrawalPayTo.ApplicantBank,
        };
        if (why.Enabled)
        {
            why.Because(ruleValue,
                $"符合 {WithdrawalNames.Code(reason)} 支取条件,材料齐全:一次性支付全部余额 {request.Balance.ToPlainString()} 元至{PayToZh(payTo)},账户注销",
                $"Eligible under {WithdrawalNames.Code(reason)} with complete materials: the whole balance {request.Balance.ToPlainString()} is paid to the {PayToEn(payTo)} and the account is closed",
                ("reason", WithdrawalNames.Code(reason)), ("balance", request.Balance), ("payTo", WithdrawalNames.Kebab(payTo.ToString())),
                ("heirInsuredInRegion", request.HeirInsuredInRegion ? "true" : "false"));
            why.Because("K11", Provenance.Convention, K11,
                "支取后账户注销;再次参保时另建新账户", "After a withdrawal the account is closed; a later enrolment opens a new one",
                ("accountStatusAfter", "closed"));
        }
        return new WithdrawalAnswer(true, true, request.Balance, payTo, AccountStatusAfter.Closed, [], null, why.Reasons);
    }

    /// <summary>The requirements none of whose codes was presented, appended to <paramref name="missing"/> in order; null when none.</summary>
    private static List<IReadOnlyList<WithdrawalMaterial>>? Missing(
        IReadOnlyList<IReadOnlyList<WithdrawalMaterial>> required, IReadOnlyCollection<WithdrawalMaterial> presented, List<IReadOnlyList<WithdrawalMaterial>>? missing)
    {
        foreach (var requirement in required)
        {
            var met = false;
            foreach (var code in requirement)
            {
                if (presented.Contains(code)) { met = true; break; }
            }
            if (!met) (missing ??= []).Add(requirement);
        }
        return missing;
    }

    private static WithdrawalAnswer Refused(string code, Explanation why) =>
        new(false, false, DMoney.Zero, WithdrawalPayTo.None, AccountStatusAfter.Open, [], code, why.Reasons);

    /// <summary>A requirement as one code, or its alternatives joined by <c>|</c> (any one of them).</summary>
    public static string Show(IReadOnlyList<WithdrawalMaterial> requirement) =>
        requirement.Count == 1 ? WithdrawalNames.Code(requirement[0]) : string.Join("|", requirement.Select(WithdrawalNames.Code));

    private static string PayToZh(WithdrawalPayTo payTo) => payTo switch
    {
        WithdrawalPayTo.HeirAccount => "继承人的个人账户(继承人在本地区参保)",
        WithdrawalPayTo.HeirBank => "继承人的银行账户",
        _ => "申请人的银行账户",
    };

    private static string PayToEn(WithdrawalPayTo payTo) => payTo switch
    {
        WithdrawalPayTo.HeirAccount => "heir's personal account (the heir is insured in the region)",
        WithdrawalPayTo.HeirBank => "heir's bank account",
        _ => "applicant's bank account",
    };
}
