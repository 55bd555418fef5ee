using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
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
    RegionCode? TargetRegion = null,
    WithdrawalOnRecord? OnRecord = null);

/// <summary>
/// What the records hold of the applicant on the application day: the recorded death (死亡登记,
/// the status event with its date) and the recorded end of insurance (离职/停保, a leave). Given
/// for an application, where a decision may rest only on facts on record; absent for a policy
/// question about no one in particular (an acceptance case, <c>POST /api/decisions</c>).
/// </summary>
public sealed record WithdrawalOnRecord(DateOnly AppliedOn, DateOnly? DiedOn, DateOnly? LeftOn);

/// <summary>
/// The answer: <see cref="Eligible"/> says whether the reason and the person qualify;
/// <see cref="Complete"/> whether the materials are all there. Only an eligible, complete
/// application pays out (the whole balance) and closes the account. <see cref="MissingMaterials"/>
/// lists the unmet requirements in the pack's order; a requirement with several codes is met by
/// any one of them. <see cref="ReasonCode"/> is the refusal's (or <see cref="Codes.MaterialsMissing"/>), null when paid.
/// </summary>
public sealed record WithdrawalAnswer(
    bool Eligible,
    bool Complete,
    DMoney Payout,
    WithdrawalPayTo PayTo,
    AccountStatusAfter AccountStatusAfter,
    IReadOnlyList<IReadOnlyList<WithdrawalMaterial>> MissingMaterials,
    ResultCode? ReasonCode,
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
            return Refused(Codes.ProvinceWideAccount, why);
        }

        if (!rule.Allowed)
        {
            var code = rule.Refusal!;
            if (why.Enabled)
                why.Because(ruleValue, $"{WithdrawalNames.Zh(reason)}不予支取:{code.MeaningZh}", $"Reason {WithdrawalNames.Code(reason)} is refused: {code.MeaningEn}",
                    ("reason", WithdrawalNames.Code(reason)), ("refusalCode", code.Value));
            return Refused(code, why);
        }
        if (why.Enabled)
            why.Because(ruleValue,
                rule.BeforeRetirementOnly ? $"本地区允许因{WithdrawalNames.Zh(reason)}支取(限退休前)" : $"本地区允许因{WithdrawalNames.Zh(reason)}支取(退休与否均可)",
                rule.BeforeRetirementOnly ? $"The region allows a withdrawal for {WithdrawalNames.Code(reason)}, before retirement only" : $"The region allows a withdrawal for {WithdrawalNames.Code(reason)}, retired or not",
                ("reason", WithdrawalNames.Code(reason)), ("beforeRetirementOnly", rule.BeforeRetirementOnly ? "true" : "false"), ("retired", request.Retired ? "true" : "false"));

        if (rule.BeforeRetirementOnly)
        {
            if (request.Retired)
            {
                if (why.Enabled)
                    why.Because(ruleValue, $"本地区只允许退休前因{WithdrawalNames.Zh(reason)}支取,申请人已退休",
                        $"The region allows {WithdrawalNames.Code(reason)} only before retirement, and the applicant is retired",
                        ("reason", WithdrawalNames.Code(reason)), ("beforeRetirementOnly", "true"), ("retired", "true"));
                return Refused(Codes.AfterRetirement, why);
            }
            if (why.Enabled)
                why.Because(ruleValue, "退休前申请,符合条件", "Applied before retirement, as the rule requires",
                    ("beforeRetirementOnly", "true"), ("retired", "false"));
        }

        if (request.OnRecord is { } record && MissingFact(reason, request.Retired, record, ruleValue, why) is { } missingFact)
            return Refused(missingFact, why);

        if (rule.RequiresWrittenApplication)
        {
            if (!request.WrittenApplication)
            {
                if (why.Enabled)
                    why.Because(ruleValue, "未书面申请终止社会保险关系:个人账户予以保留,回国再参保时累计计算",
                        "No written application to terminate the relationship: the account is kept, and the years add up if the person returns",
                        ("requiresWrittenApplication", "true"), ("writtenApplication", "false"));
                return Refused(Codes.WrittenApplicationMissing, why);
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
                why.Because(ruleValue, $"符合支取条件,但缺少材料:{string.Join("、", missing.Select(ShowZh))}", $"Eligible, but these materials are missing: {list}",
                    ("missingMaterials", list), ("byAgent", request.ByAgent ? "true" : "false"));
            }
            return new WithdrawalAnswer(true, false, DMoney.Zero, WithdrawalPayTo.None, AccountStatusAfter.Open, missing, Codes.MaterialsMissing, why.Reasons);
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
                $"符合因{WithdrawalNames.Zh(reason)}支取的条件,材料齐全:一次性支付全部余额 {request.Balance.ToPlainString()} 元至{PayToZh(payTo)},账户注销",
                $"Eligible under {WithdrawalNames.Code(reason)} with complete materials: the whole balance {request.Balance.ToPlainString()} is paid to the {PayToEn(payTo)} and the account is closed",
                ("reason", WithdrawalNames.Code(reason)), ("balance", request.Balance), ("payTo", WithdrawalNames.Kebab(payTo.ToString())),
                ("heirInsuredInRegion", request.HeirInsuredInRegion ? "true" : "false"));
            why.Because("K11", Provenance.Convention, K11,
                "支取后账户注销;再次参保时另建新账户", "After a withdrawal the account is closed; a later enrolment opens a new one",
                ("accountStatusAfter", "closed"));
        }
        return new WithdrawalAnswer(true, true, request.Balance, payTo, AccountStatusAfter.Closed, [], null, why.Reasons);
    }

    /// <summary>
    /// A reason whose fact the records can hold is decided on the records, never on the claim
    /// (issue 10): a death withdrawal needs the death recorded on or before the application day; a
    /// withdrawal for settling abroad or a foreigner's departure needs the end of insurance here
    /// (a leave) recorded, unless the person is retired and pays no contributions [CONV: the person's
    /// insurance in the region ends before its balance is paid out, 人社部令第16号 art. 5]. Null when
    /// the fact is on record or the reason needs none.
    /// </summary>
    private static ResultCode? MissingFact(WithdrawalReason reason, bool retired, WithdrawalOnRecord record, PolicyValue rule, Explanation why)
    {
        switch (reason)
        {
            case WithdrawalReason.Death when record.DiedOn is not { } died || died > record.AppliedOn:
                if (why.Enabled)
                    why.Because(rule, "参保人死亡尚未登记:须先由经办机构登记死亡(状态事件“死亡”及死亡日期),方可办理死亡支取",
                        "The insured person's death is not on record: the agency records it first (the status event 'die' with its date), then the death withdrawal can be made",
                        ("fact", "death"), ("diedOn", record.DiedOn is { } d ? Time.Dates.Format(d) : ""));
                return Codes.FactNotOnRecord;
            case WithdrawalReason.Emigration or WithdrawalReason.ForeignerLeaving when !retired && (record.LeftOn is not { } left || left > record.AppliedOn):
                if (why.Enabled)
                    why.Because(rule, "参保人在本地区终止参保(离职或停保)尚未登记:须先登记,方可办理支取",
                        "The end of the person's insurance in the region (a leave) is not on record: record it first, then the withdrawal can be made",
                        ("fact", "leave"));
                return Codes.FactNotOnRecord;
            default:
                if (why.Enabled && reason == WithdrawalReason.Death)
                    why.Because(rule, $"已登记死亡({Time.Dates.Format(record.DiedOn!.Value)})", $"The death is on record ({Time.Dates.Format(record.DiedOn!.Value)})",
                        ("fact", "death"), ("diedOn", record.DiedOn!.Value));
                return null;
        }
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

    private static WithdrawalAnswer Refused(ResultCode code, Explanation why) =>
        new(false, false, DMoney.Zero, WithdrawalPayTo.None, AccountStatusAfter.Open, [], code, why.Reasons);

    /// <summary>A requirement as one code, or its alternatives joined by <c>|</c> (any one of them).</summary>
    public static string Show(IReadOnlyList<WithdrawalMaterial> requirement) =>
        requirement.Count == 1 ? WithdrawalNames.Code(requirement[0]) : string.Join("|", requirement.Select(WithdrawalNames.Code));

    /// <summary>A requirement in Chinese: one material, or its alternatives joined by 或.</summary>
    public static string ShowZh(IReadOnlyList<WithdrawalMaterial> requirement) => string.Join("或", requirement.Select(WithdrawalNames.Zh));

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
