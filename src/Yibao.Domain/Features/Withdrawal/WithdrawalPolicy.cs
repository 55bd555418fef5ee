using Yibao.Domain.Errors;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Policy;

namespace Yibao.Domain.Features.Withdrawal;

/// <summary>Why a person asks for the balance to be paid out (提取/支取 的情形; policy-reference A4, K11).</summary>
public enum WithdrawalReason
{
    /// <summary>死亡: the heirs inherit the balance (国发〔1998〕44号; 人社部令第16号 art. 6).</summary>
    Death,
    /// <summary>出境定居: settling abroad (a local rule; 广州 "退休前出境定居", 昆山 "出国定居").</summary>
    Emigration,
    /// <summary>外国人离境: a foreigner leaving China (人社部令第16号 art. 5: on written application).</summary>
    ForeignerLeaving,
    /// <summary>跨统筹地区就业、无法办理转出: a move where the balance cannot be transferred (legacy / local).</summary>
    TransferImpossible,
    /// <summary>长期异地居住 with a 长期异地就医备案 (seed claim; no national basis).</summary>
    LongTermRemote,
    /// <summary>主动放弃职工医保 (seed claim; participation is mandatory).</summary>
    VoluntaryExit,
    /// <summary>"74种大病" (seed claim, fabricated: policy-reference D1).</summary>
    MajorDisease,
    /// <summary>急诊垫付 "自动返还" (seed claim, false: policy-reference D2).</summary>
    EmergencyAdvance,
}

/// <summary>A document presented with an application (codes of acceptance/README.md).</summary>
public enum WithdrawalMaterial
{
    DeathCertificate,
    /// <summary>继承关系证明: a notarial certificate (公证书) or court judgment naming the heirs.</summary>
    HeirProof,
    HeirId,
    PowerOfAttorney,
    AgentId,
    WrittenApplication,
    ApplicantId,
    BankCard,
    /// <summary>《职工基本医疗保险个人账户一次性支取申请表》 (seed 002).</summary>
    ApplicationForm,
    /// <summary>Passport recording 移民.</summary>
    EmigrationPassport,
    /// <summary>公安 proof of settling abroad (离境定居证明).</summary>
    SettlementAbroadProof,
    HkMacauPermit,
    TaiwanPermit,
    HouseholdDeregistration,
    PermanentResidenceCard,
}

/// <summary>Who receives an eligible, complete payout, as a region's rule says.</summary>
public enum WithdrawalPayee
{
    /// <summary>The heir's personal account when the heir is insured in the region, else the heir's bank account (WE-22b).</summary>
    HeirAccountWhenInsured,
    HeirBank,
    ApplicantBank,
}

/// <summary>
/// One withdrawal reason in a region: allowed or refused (with a stable reason code), the
/// conditions, the materials and the payee. <see cref="Materials"/> is a list of requirements,
/// each satisfied by any one of its codes (e.g. emigration: a written application, and one of
/// a 移民 passport, a proof of settling abroad, a 港澳 or 台湾 permit). <see cref="AgentMaterials"/>
/// are required on top when an agent applies.
/// </summary>
public sealed record WithdrawalRule(
    bool Allowed,
    string? RefusalCode = null,
    bool BeforeRetirementOnly = false,
    bool RequiresWrittenApplication = false,
    IReadOnlyList<IReadOnlyList<WithdrawalMaterial>>? Materials = null,
    IReadOnlyList<IReadOnlyList<WithdrawalMaterial>>? AgentMaterials = null,
    WithdrawalPayee? PayTo = null)
{
    public IReadOnlyList<IReadOnlyList<WithdrawalMaterial>> Required => Materials ?? [];
    public IReadOnlyList<IReadOnlyList<WithdrawalMaterial>> RequiredOfAgent => AgentMaterials ?? [];

    /// <summary>The declared code of a refused reason (checked when the pack loads).</summary>
    public ResultCode? Refusal => RefusalCode is null ? null : ResultCode.Find(RefusalCode);
}

/// <summary>
/// Rule keys of withdrawal (提取/支取; policy-reference A4, K11, C1): one key per reason, so a
/// region overrides only the reasons it decides differently from the national default.
/// </summary>
[PolicyKeys]
public static class WithdrawalKeys
{
    public static readonly PolicyKey<WithdrawalRule> Death = Key(WithdrawalReason.Death, "death of the insured: the heirs inherit the balance");
    public static readonly PolicyKey<WithdrawalRule> Emigration = Key(WithdrawalReason.Emigration, "settling abroad (出境定居)");
    public static readonly PolicyKey<WithdrawalRule> ForeignerLeaving = Key(WithdrawalReason.ForeignerLeaving, "a foreigner leaving China (人社部令第16号 art. 5)");
    public static readonly PolicyKey<WithdrawalRule> TransferImpossible = Key(WithdrawalReason.TransferImpossible, "a cross-region move where the balance cannot be transferred");
    public static readonly PolicyKey<WithdrawalRule> LongTermRemote = Key(WithdrawalReason.LongTermRemote, "long-term residence elsewhere with a 长期异地就医备案");
    public static readonly PolicyKey<WithdrawalRule> VoluntaryExit = Key(WithdrawalReason.VoluntaryExit, "voluntarily leaving employee insurance");
    public static readonly PolicyKey<WithdrawalRule> MajorDisease = Key(WithdrawalReason.MajorDisease, "the seed's \"74 major diseases\" claim");
    public static readonly PolicyKey<WithdrawalRule> EmergencyAdvance = Key(WithdrawalReason.EmergencyAdvance, "the seed's \"emergency advance refunded to the account\" claim");

    /// <summary>The key of a reason: <c>withdrawal.&lt;reason&gt;</c>.</summary>
    public static PolicyKey<WithdrawalRule> For(WithdrawalReason reason) => reason switch
    {
        WithdrawalReason.Death => Death,
        WithdrawalReason.Emigration => Emigration,
        WithdrawalReason.ForeignerLeaving => ForeignerLeaving,
        WithdrawalReason.TransferImpossible => TransferImpossible,
        WithdrawalReason.LongTermRemote => LongTermRemote,
        WithdrawalReason.VoluntaryExit => VoluntaryExit,
        WithdrawalReason.MajorDisease => MajorDisease,
        WithdrawalReason.EmergencyAdvance => EmergencyAdvance,
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    private static PolicyKey<WithdrawalRule> Key(WithdrawalReason reason, string meaning) =>
        new($"withdrawal.{WithdrawalNames.Code(reason)}",
            $"Whether {meaning} allows a withdrawal; if so its conditions (beforeRetirementOnly, requiresWrittenApplication), materials (each line any one of its codes), agentMaterials and payTo; if not, refusalCode",
            rule => Check(reason, rule));

    private static string? Check(WithdrawalReason reason, WithdrawalRule rule)
    {
        if (!rule.Allowed)
        {
            if (rule.RefusalCode is null) return "a refused reason needs a refusalCode (see Codes.WithdrawalRefusals)";
            if (!Codes.WithdrawalRefusals.Any(c => c.Value == rule.RefusalCode))
                return $"refusalCode '{rule.RefusalCode}' is not a withdrawal refusal code (expected one of: {string.Join(", ", Codes.WithdrawalRefusals)})";
            if (rule.Required.Count > 0 || rule.RequiredOfAgent.Count > 0 || rule.PayTo is not null || rule.BeforeRetirementOnly || rule.RequiresWrittenApplication)
                return "a refused reason takes no conditions, materials or payTo";
            return null;
        }
        if (rule.RefusalCode is not null) return "an allowed reason has no refusalCode";
        if (rule.PayTo is not { } payTo) return "an allowed reason needs payTo (heir-account-when-insured, heir-bank or applicant-bank)";
        if (reason == WithdrawalReason.Death && payTo == WithdrawalPayee.ApplicantBank)
            return "the balance of a deceased person goes to the heirs (heir-account-when-insured or heir-bank), not to an applicant";
        if (reason != WithdrawalReason.Death && payTo != WithdrawalPayee.ApplicantBank)
            return "only a death pays an heir; this reason pays the applicant (applicant-bank)";
        if (reason == WithdrawalReason.ForeignerLeaving && !rule.RequiresWrittenApplication)
            return "a foreigner's account is kept on leaving unless the person applies in writing to terminate (人社部令第16号 art. 5): requiresWrittenApplication must be true";
        foreach (var requirement in rule.Required.Concat(rule.RequiredOfAgent))
        {
            if (requirement.Count == 0) return "a material requirement lists at least one code";
            if (requirement.Distinct().Count() != requirement.Count) return "a material requirement lists a code twice";
        }
        var codes = rule.Required.Concat(rule.RequiredOfAgent).SelectMany(r => r).ToList();
        if (codes.Distinct().Count() != codes.Count) return "a material code appears in two requirements";
        return null;
    }
}

/// <summary>The typed withdrawal policy of a region on a day: every reason's rule, read once.</summary>
public sealed record WithdrawalPolicy(
    IReadOnlyDictionary<WithdrawalReason, WithdrawalRule> Rules,
    IReadOnlyDictionary<WithdrawalReason, PolicyValue> RuleValues,
    TransferMode WithinProvinceMode,
    PolicyValue WithinProvinceModeRule)
{
    public WithdrawalRule RuleFor(WithdrawalReason reason) => Rules[reason];

    public static WithdrawalPolicy From(ResolvedPolicy policy)
    {
        var rules = new Dictionary<WithdrawalReason, WithdrawalRule>();
        var values = new Dictionary<WithdrawalReason, PolicyValue>();
        foreach (var reason in Enum.GetValues<WithdrawalReason>())
        {
            var key = WithdrawalKeys.For(reason);
            rules[reason] = policy.Get(key);
            values[reason] = policy.Explain(key);
        }
        return new WithdrawalPolicy(rules, values, policy.Get(TransferKeys.WithinProvinceMode), policy.Explain(TransferKeys.WithinProvinceMode));
    }
}

/// <summary>The kebab-case codes of the withdrawal enums, as in acceptance/README.md and the packs.</summary>
public static class WithdrawalNames
{
    public static string Code(WithdrawalReason reason) => Kebab(reason.ToString());
    public static string Code(WithdrawalMaterial material) => Kebab(material.ToString());
    public static string Code(WithdrawalPayTo payTo) => Kebab(payTo.ToString());
    public static string Code(AccountStatusAfter status) => Kebab(status.ToString());

    /// <summary>The reason as a Chinese sentence fragment ("因…支取").</summary>
    public static string Zh(WithdrawalReason reason) => reason switch
    {
        WithdrawalReason.Death => "参保人死亡",
        WithdrawalReason.Emigration => "出境定居",
        WithdrawalReason.ForeignerLeaving => "外国人离境",
        WithdrawalReason.TransferImpossible => "跨统筹地区就业且无法转移",
        WithdrawalReason.LongTermRemote => "长期异地居住",
        WithdrawalReason.VoluntaryExit => "主动退保",
        WithdrawalReason.MajorDisease => "患重大疾病",
        WithdrawalReason.EmergencyAdvance => "急诊垫付",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The material's Chinese name, for a checklist a person reads.</summary>
    public static string Zh(WithdrawalMaterial material) => material switch
    {
        WithdrawalMaterial.DeathCertificate => "死亡证明",
        WithdrawalMaterial.HeirProof => "继承关系证明(公证书或法院判决书)",
        WithdrawalMaterial.HeirId => "继承人身份证件",
        WithdrawalMaterial.PowerOfAttorney => "授权委托书",
        WithdrawalMaterial.AgentId => "代办人身份证件",
        WithdrawalMaterial.WrittenApplication => "终止社会保险关系的书面申请",
        WithdrawalMaterial.ApplicantId => "申请人身份证件",
        WithdrawalMaterial.BankCard => "银行卡",
        WithdrawalMaterial.ApplicationForm => "个人账户一次性支取申请表",
        WithdrawalMaterial.EmigrationPassport => "注明移民的护照",
        WithdrawalMaterial.SettlementAbroadProof => "出境定居证明",
        WithdrawalMaterial.HkMacauPermit => "港澳定居证明",
        WithdrawalMaterial.TaiwanPermit => "台湾定居证明",
        WithdrawalMaterial.HouseholdDeregistration => "户口注销证明",
        WithdrawalMaterial.PermanentResidenceCard => "外国人永久居留身份证",
        _ => throw new ArgumentOutOfRangeException(nameof(material)),
    };

    public static bool TryParseReason(string text, out WithdrawalReason reason) => TryParse(text, out reason);
    public static bool TryParseMaterial(string text, out WithdrawalMaterial material) => TryParse(text, out material);

    private static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Kebab(candidate.ToString()) == text) { value = candidate; return true; }
        }
        value = default;
        return false;
    }

    // The binder's own spelling, so a code reads the same in a pack and in a request.
    internal static string Kebab(string name) => PolicyValueBinder.Kebab(name);
}
