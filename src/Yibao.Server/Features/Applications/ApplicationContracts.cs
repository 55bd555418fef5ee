using System.ComponentModel;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Server.Contracts;
using Yibao.Storage.Applications;

namespace Yibao.Server.Features.Applications;

/// <summary>The agent (代办人) applying on the person's behalf; the power of attorney and the agent's ID are then required materials.</summary>
public sealed record AgentBody(
    [property: Description("代办人姓名.")] string? Name,
    [property: Description("代办人公民身份号码.")] string? IdNumber);

/// <summary>More materials presented for a returned application (补正材料).</summary>
public sealed record MaterialsBody([property: Description("Material codes to add to those already presented.")] IReadOnlyList<string>? Materials);

/// <summary>A reviewer's action: who, and for a return or a rejection the reason in both languages.</summary>
public sealed record ReviewBody(
    [property: Description("The reviewer (经办人) taking the action, e.g. a staff number or name; recorded in the audit trail.")] string? Reviewer,
    [property: Description("Return / reject: the reason in Chinese, as the applicant will read it.")] string? ReasonZh,
    [property: Description("Return / reject: the reason in English.")] string? ReasonEn,
    [property: Description("A note for the audit trail.")] string? Note);

/// <summary>What a withdrawal decision gives: the payout, where it goes, and the account after.</summary>
public sealed record WithdrawalFiguresResponse(
    [property: Description("The whole balance paid out (0.00 when not payable).")] string Payout,
    [property: Description("`heir-account`, `heir-bank`, `applicant-bank` or `none`.")] string PayTo,
    [property: Description("`open` or `closed`.")] string AccountStatusAfter)
{
    public static WithdrawalFiguresResponse From(WithdrawalAnswer a) =>
        new(a.Payout.ToPlainString(), WithdrawalNames.Code(a.PayTo), WithdrawalNames.Code(a.AccountStatusAfter));
}

/// <summary>What a transfer decision gives: how the balance moves and the deadlines on both calendars.</summary>
public sealed record TransferFiguresResponse(
    [property: Description("`move-balance`, `stays` or `to-bank`; absent when refused.")] string? Mode,
    DateOnly? AcceptedOn, DateOnly? TransferOutDeadline, DateOnly? TransferInDeadline,
    string SourceBalanceAfter, string TargetCredit, string PaidToBank)
{
    public static TransferFiguresResponse From(TransferAnswer a) =>
        new(a.Mode is { } m ? TransferNames.Code(m) : null, a.AcceptedOn, a.TransferOutDeadline, a.TransferInDeadline,
            a.SourceBalanceAfter.ToPlainString(), a.TargetCredit.ToPlainString(), a.PaidToBank.ToPlainString());
}

/// <summary>A decision as the application recorded it (or as it stands today).</summary>
/// <param name="Kind"><c>withdrawal</c> or <c>transfer</c>.</param>
/// <param name="Eligible">The person and the reason qualify.</param>
/// <param name="Complete">Every required material was presented.</param>
/// <param name="ReasonCode">Why not (the refusal's code, or <c>materials-missing</c>).</param>
/// <param name="MissingMaterials">Each missing requirement; <c>a|b</c> means either.</param>
/// <param name="MissingMaterialsZh">The same, in Chinese, for the checklist.</param>
/// <param name="AcceptedOn">受理日: the first working day on or after the application day.</param>
/// <param name="DueOn">The agency's deadline.</param>
/// <param name="TargetDueOn">转入: the target's deadline.</param>
/// <param name="Provisional">A deadline counted a day of a provisional calendar year (K17).</param>
/// <param name="Withdrawal">A withdrawal's figures.</param>
/// <param name="Transfer">A transfer's figures.</param>
/// <param name="Reasons">The reasons, rule by rule.</param>
/// <param name="PolicyVersion">The pack versions the decision was made under.</param>
/// <param name="DecidedOn">The day of the facts and rules.</param>
public sealed record DecisionResponse(
    string Kind, bool Eligible, bool Complete, string? ReasonCode, IReadOnlyList<string> MissingMaterials, IReadOnlyList<string> MissingMaterialsZh,
    DateOnly AcceptedOn, DateOnly DueOn, DateOnly? TargetDueOn, bool Provisional,
    WithdrawalFiguresResponse? Withdrawal, TransferFiguresResponse? Transfer,
    IReadOnlyList<ReasonResponse> Reasons, string PolicyVersion, DateOnly DecidedOn)
{
    public static DecisionResponse From(ApplicationDecision d) => new(
        d.Kind.Code(), d.Eligible, d.Complete, d.ReasonCode?.Value, d.MissingMaterials, d.MissingMaterialsZh,
        d.Deadlines.AcceptedOn, d.Deadlines.DueOn, d.Deadlines.TargetDueOn, d.Deadlines.Provisional,
        d.Withdrawal is { } w ? WithdrawalFiguresResponse.From(w) : null, d.Transfer is { } t ? TransferFiguresResponse.From(t) : null,
        ReasonResponse.From(d.Reasons), d.PolicyVersion, d.DecidedOn);
}

/// <summary>One change of status: who, when, from which status to which, why.</summary>
public sealed record ApplicationEventResponse(DateTimeOffset At, string Actor, string Action, string? From, string To, string? ReasonCode, string? ReasonZh, string? ReasonEn, string? Note);

/// <summary>The outcome's reason (returned, rejected) in both languages, as the applicant reads it.</summary>
public sealed record OutcomeReasonResponse(string? Code, string? Zh, string? En);

/// <summary>An application: status, deadlines (working days on the region's calendar), what was submitted, the decision(s) and the audit trail.</summary>
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
    bool DeadlinesProvisional,
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
        a.DeadlinesProvisional, a.OverdueOn(today), a.Agent is null ? null : new AgentBody(a.Agent.Name, a.Agent.IdNumber.Value),
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

/// <summary>What the decision says if the person applied today (可否办理、需带材料); nothing was written.</summary>
public sealed record CheckResponse(string Kind, string Balance, DecisionResponse Decision);

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

    public static ApplicationAgent? Agent(AgentBody? agent)
    {
        if (agent is null) return null;
        if (string.IsNullOrWhiteSpace(agent.Name)) throw new YibaoException(ErrorCatalog.MissingField("agent.name"));
        return new ApplicationAgent(agent.Name.Trim(), IdNumber.Parse(agent.IdNumber ?? throw new YibaoException(ErrorCatalog.MissingField("agent.idNumber"))));
    }

    public static string Reviewer(ReviewBody? body)
    {
        var name = body?.Reviewer?.Trim();
        if (string.IsNullOrEmpty(name)) throw new YibaoException(ErrorCatalog.MissingField("reviewer"));
        if (name.Length > 100) throw new YibaoException(ErrorCatalog.InvalidField("reviewer", "不能超过 100 个字符", "longer than 100 characters"));
        return $"reviewer:{name}";
    }

    /// <summary>Who acts for the applicant, as the audit trail names them.</summary>
    public static string Applicant(ApplicationAgent? agent, IdNumber id) =>
        agent is null ? $"insured:{id.Value}" : $"agent:{agent.IdNumber.Value} for insured:{id.Value}";
}
