using System.ComponentModel;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Server.Features.Backfill;
using Yibao.Storage.Applications;

namespace Yibao.Server.Features.Applications;

/// <summary>The agent (代办人) applying on the person's behalf; the power of attorney and the agent's ID are then required materials.</summary>
public sealed record AgentBody(
    [property: Description("代办人姓名.")] string? Name,
    [property: Description("代办人公民身份号码.")] string? IdNumber);

/// <summary>What a withdrawal (提取/支取) application says beyond the records.</summary>
public sealed record WithdrawalBody(
    [property: Description("`death`, `emigration`, `foreigner-leaving`, `transfer-impossible`, `long-term-remote`, `voluntary-exit`, `major-disease` or `emergency-advance`.")] string? Reason,
    [property: Description("A written application to terminate the insurance relationship was made (default: the materials include `written-application`).")] bool? WrittenApplication,
    [property: Description("死亡: the heir's 公民身份号码; when the heir is insured in the region the balance goes to their personal account.")] string? HeirIdNumber,
    [property: Description("死亡: the heir's name.")] string? HeirName,
    [property: Description("The bank account the payout goes to (shown masked).")] string? BankAccount,
    [property: Description("`transfer-impossible`: the pooling region the person moves to.")] string? TargetRegion);

/// <summary>What a transfer (转移接续) application says: where the person moves.</summary>
public sealed record TransferBody([property: Description("转入地: the six-digit code of the target pooling region.")] string? TargetRegion);

/// <summary>An application to submit (or to check before submitting).</summary>
public sealed record ApplicationBody(
    [property: Description("`withdrawal` or `transfer`.")] string? Kind,
    [property: Description("Material codes presented (acceptance/README.md): `death-certificate`, `heir-proof`, `heir-id`, `power-of-attorney`, `agent-id`, `written-application`, `applicant-id`, `bank-card`, `application-form`, `emigration-passport`, `settlement-abroad-proof`, `hk-macau-permit`, `taiwan-permit`, `household-deregistration`, `permanent-residence-card`.")] IReadOnlyList<string>? Materials,
    [property: Description("The agent, when someone else applies.")] AgentBody? Agent,
    [property: Description("For `withdrawal`.")] WithdrawalBody? Withdrawal,
    [property: Description("For `transfer`.")] TransferBody? Transfer,
    [property: Description("Your idempotency key: a retry with the same key answers the first submission; the same key with other content is `idempotency-key-reused`.")] string? SubmissionKey)
{
    internal ApplicationSubmission ToSubmission(RegionCode region, IdNumber idNumber)
    {
        var kind = ApplicationLifecycle.ParseKind(Kind ?? throw new YibaoException(ErrorCatalog.MissingField("kind")));
        var materials = ApplicationContracts.Materials(Materials);
        ApplicationAgent? agent = null;
        if (Agent is not null)
        {
            if (string.IsNullOrWhiteSpace(Agent.Name)) throw new YibaoException(ErrorCatalog.MissingField("agent.name"));
            agent = new ApplicationAgent(Agent.Name.Trim(), IdNumber.Parse(Agent.IdNumber ?? throw new YibaoException(ErrorCatalog.MissingField("agent.idNumber"))));
        }
        WithdrawalFacts? withdrawal = null;
        TransferFacts? transfer = null;
        if (kind == ApplicationKind.Withdrawal)
        {
            var w = Withdrawal ?? throw new YibaoException(ErrorCatalog.MissingField("withdrawal"));
            var reasonText = w.Reason ?? throw new YibaoException(ErrorCatalog.MissingField("withdrawal.reason"));
            if (!WithdrawalNames.TryParseReason(reasonText, out var reason))
                throw new YibaoException(ErrorCatalog.InvalidField("withdrawal.reason",
                    $"unknown reason '{reasonText}' (expected one of: {string.Join(", ", Enum.GetValues<WithdrawalReason>().Select(WithdrawalNames.Code))})"));
            if (w.BankAccount is { Length: > 40 }) throw new YibaoException(ErrorCatalog.InvalidField("withdrawal.bankAccount", "longer than 40 characters"));
            withdrawal = new WithdrawalFacts(reason, w.WrittenApplication ?? materials.Contains(WithdrawalMaterial.WrittenApplication),
                string.IsNullOrWhiteSpace(w.HeirIdNumber) ? null : IdNumber.Parse(w.HeirIdNumber), w.HeirName?.Trim(), w.BankAccount?.Trim(),
                string.IsNullOrWhiteSpace(w.TargetRegion) ? null : RegionCode.Parse(w.TargetRegion));
        }
        else
        {
            var t = Transfer ?? throw new YibaoException(ErrorCatalog.MissingField("transfer"));
            transfer = new TransferFacts(RegionCode.Parse(t.TargetRegion ?? throw new YibaoException(ErrorCatalog.MissingField("transfer.targetRegion"))));
        }
        return new ApplicationSubmission(region, idNumber, kind, materials, agent, withdrawal, transfer, string.IsNullOrWhiteSpace(SubmissionKey) ? null : SubmissionKey.Trim());
    }
}

/// <summary>More materials presented for a returned application (补正材料).</summary>
public sealed record MaterialsBody([property: Description("Material codes to add to those already presented.")] IReadOnlyList<string>? Materials);

/// <summary>A reviewer's action: who, and for a return or a rejection the reason in both languages.</summary>
public sealed record ReviewBody(
    [property: Description("The reviewer (经办人) taking the action, e.g. a staff number or name; recorded in the audit trail.")] string? Reviewer,
    [property: Description("Return / reject: the reason in Chinese, as the applicant will read it.")] string? ReasonZh,
    [property: Description("Return / reject: the reason in English.")] string? ReasonEn,
    [property: Description("A note for the audit trail.")] string? Note);

/// <summary>A decision as the application recorded it.</summary>
/// <param name="Eligible">The person and the reason qualify.</param>
/// <param name="Complete">Every required material was presented.</param>
/// <param name="ReasonCode">Why not (a refusal or <c>materials-missing</c>).</param>
/// <param name="MissingMaterials">Each missing requirement; <c>a|b</c> means either.</param>
/// <param name="Figures">payout, payTo, accountStatusAfter (withdrawal); mode, acceptedOn, transferOutDeadline, transferInDeadline, sourceBalanceAfter, targetCredit (transfer).</param>
/// <param name="Reasons">The reasons, rule by rule.</param>
/// <param name="PolicyVersion">The pack versions the decision was made under.</param>
/// <param name="DecidedOn">The day of the facts and rules.</param>
public sealed record DecisionResponse(
    bool Eligible, bool Complete, string? ReasonCode, IReadOnlyList<string> MissingMaterials, IReadOnlyDictionary<string, string> Figures,
    IReadOnlyList<ReasonResponse> Reasons, string PolicyVersion, DateOnly DecidedOn)
{
    public static DecisionResponse From(ApplicationDecision d) => new(d.Eligible, d.Complete, d.ReasonCode, d.MissingMaterials, d.Figures,
        ReasonResponse.From(d.Reasons), d.PolicyVersion, d.DecidedOn);
}

/// <summary>What the decision says if the person applied today (可否办理、需带材料); nothing was written.</summary>
public sealed record CheckResponse(string Kind, string Balance, DateOnly AcceptedOn, DateOnly DueOn, DateOnly? TargetDueOn, DecisionResponse Decision);

/// <summary>One change of status: who, when, from which status to which, why.</summary>
public sealed record ApplicationEventResponse(DateTimeOffset At, string Actor, string Action, string? From, string To, string? ReasonCode, string? ReasonZh, string? ReasonEn, string? Note);

/// <summary>The outcome's reason (returned, rejected) in both languages, as the applicant reads it.</summary>
public sealed record OutcomeReasonResponse(string? Code, string? Zh, string? En);

/// <summary>An application: status, deadlines (working days on the region's calendar), facts, the decision(s) and the audit trail.</summary>
public sealed record ApplicationResponse(
    long Id,
    string Region,
    string Kind,
    string IdNumber,
    string Status,
    string StatusZh,
    bool Replayed,
    DateOnly AppliedOn,
    DateOnly? AcceptedOn,
    DateOnly DueOn,
    DateOnly? TargetDueOn,
    bool Overdue,
    AgentBody? Agent,
    IReadOnlyList<string> Materials,
    string? WithdrawalReason,
    string? HeirIdNumber,
    string? BankAccount,
    string? TargetRegion,
    DecisionResponse Decision,
    DecisionResponse? ApprovalDecision,
    bool DecisionChanged,
    OutcomeReasonResponse? Outcome,
    string? EntryKey,
    IReadOnlyList<ApplicationEventResponse> Events)
{
    public static ApplicationResponse From(ApplicationRecord a, DateOnly today, bool replayed = false) => new(
        a.Id, a.Region.Value, a.Kind.Code(), a.IdNumber.Value, a.Status.Code(), a.Status.Zh(), replayed, a.AppliedOn, a.AcceptedOn, a.DueOn, a.TargetDueOn,
        a.OverdueOn(today), a.Agent is null ? null : new AgentBody(a.Agent.Name, a.Agent.IdNumber.Value),
        a.Materials.Select(WithdrawalNames.Code).ToList(),
        a.Withdrawal is { } w ? WithdrawalNames.Code(w.Reason) : null, a.Withdrawal?.Heir?.Value, Mask(a.Withdrawal?.BankAccount),
        a.Transfer?.TargetRegion.Value ?? a.Withdrawal?.TargetRegion?.Value,
        DecisionResponse.From(a.Decision), a.ApprovalDecision is null ? null : DecisionResponse.From(a.ApprovalDecision), a.DecisionChanged,
        a.ReasonCode is null && a.ReasonZh is null ? null : new OutcomeReasonResponse(a.ReasonCode, a.ReasonZh, a.ReasonEn),
        a.EntryKey,
        a.Events.Select(e => new ApplicationEventResponse(e.At, e.Actor, e.Action, e.From?.Code(), e.To.Code(), e.ReasonCode, e.ReasonZh, e.ReasonEn, e.Note)).ToList());

    /// <summary>A bank account shows its last four characters only.</summary>
    private static string? Mask(string? account)
    {
        if (account is null) return null;
        var plain = account.Replace(" ", "", StringComparison.Ordinal);
        return plain.Length <= 4 ? plain : new string('*', plain.Length - 4) + plain[^4..];
    }
}

/// <summary>A list of applications.</summary>
public sealed record ApplicationListResponse(string Region, int Count, IReadOnlyList<ApplicationResponse> Applications);

/// <summary>A reviewer's look: the application and the decision on today's facts, with whether they differ.</summary>
public sealed record ReviewResponse(ApplicationResponse Application, DecisionResponse Now, bool Differs);

/// <summary>A transfer in a region's queue: outgoing (<c>out</c>, not yet delivered) or incoming (<c>in</c>, not yet credited), with its deadline.</summary>
public sealed record TransferItemResponse(
    string Direction, string MessageId, string Source, string Target, string IdNumber, string Name, string Amount, DateOnly AppliedOn,
    DateOnly Deadline, string Status, DateOnly? ReceivedOn, DateOnly? CreditedOn, string? LastError, bool Overdue)
{
    public static TransferItemResponse From(TransferItem t) => new(t.Direction, t.MessageId, t.Source.Value, t.Target.Value, t.IdNumber.Value, t.Name,
        t.Amount.ToPlainString(), t.AppliedOn, t.Deadline, t.Status, t.ReceivedOn, t.CreditedOn, t.LastError, t.Overdue);
}

/// <summary>A region's transfers.</summary>
public sealed record TransferListResponse(string Region, IReadOnlyList<TransferItemResponse> Transfers);

/// <summary>What one dispatch round did.</summary>
public sealed record DispatchResponse(int Delivered, int Redelivered, int Failed, int Credited, int Waiting, IReadOnlyList<string> Errors)
{
    public static DispatchResponse From(DispatchRound r) => new(r.Delivered, r.Redelivered, r.Failed, r.Credited, r.Waiting, r.Errors);
}

internal static class ApplicationContracts
{
    public static IReadOnlyList<WithdrawalMaterial> Materials(IReadOnlyList<string>? codes)
    {
        var list = new List<WithdrawalMaterial>();
        foreach (var code in codes ?? [])
        {
            if (!WithdrawalNames.TryParseMaterial(code?.Trim() ?? "", out var material))
                throw new YibaoException(ErrorCatalog.UnknownMaterialCode(code ?? "", string.Join(", ", Enum.GetValues<WithdrawalMaterial>().Select(WithdrawalNames.Code))));
            if (!list.Contains(material)) list.Add(material);
        }
        return list;
    }

    public static string Reviewer(ReviewBody? body)
    {
        var name = body?.Reviewer?.Trim();
        if (string.IsNullOrEmpty(name)) throw new YibaoException(ErrorCatalog.MissingField("reviewer"));
        if (name.Length > 100) throw new YibaoException(ErrorCatalog.InvalidField("reviewer", "longer than 100 characters"));
        return $"reviewer:{name}";
    }
}
