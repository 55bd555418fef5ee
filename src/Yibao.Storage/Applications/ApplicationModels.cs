using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;

namespace Yibao.Storage.Applications;

/// <summary>Someone applying on the insured person's behalf (代办人), with the power of attorney among the materials.</summary>
public sealed record ApplicationAgent(string Name, IdNumber IdNumber);

/// <summary>
/// An application as the insured person (or their agent) submits it: the kind, the materials
/// presented and what the applicant states (<see cref="WithdrawalClaim"/> or
/// <see cref="TransferClaim"/>). The status, balance, death and retirement come from the records
/// and the ledger, never from here. <see cref="SubmissionKey"/> is the caller's idempotency key (a
/// retried submission is a replay; the same key with other content is <c>idempotency-key-reused</c>);
/// one is made when absent.
/// </summary>
public sealed record ApplicationSubmission(
    RegionCode Region,
    IdNumber IdNumber,
    ApplicationKind Kind,
    IReadOnlyList<WithdrawalMaterial> Materials,
    ApplicationAgent? Agent = null,
    WithdrawalClaim? Withdrawal = null,
    TransferClaim? Transfer = null,
    string? SubmissionKey = null);

/// <summary>One change of status of an application (the audit trail): who, when, from which status, why.</summary>
public sealed record ApplicationEvent(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    ApplicationStatus? From,
    ApplicationStatus To,
    string? ReasonCode,
    string? ReasonZh,
    string? ReasonEn,
    string? Note);

/// <summary>
/// An application as stored: what was submitted, the typed decision at the last submission (and
/// at approval), its deadlines, the outcome's reason, the ledger key of its execution, and its
/// audit trail (filled by <see cref="ApplicationStore.GetAsync"/>, empty in lists).
/// </summary>
public sealed record ApplicationRecord(
    long Id,
    RegionCode Region,
    ApplicationKind Kind,
    IdNumber IdNumber,
    ApplicationStatus Status,
    DateOnly AppliedOn,
    DateOnly? AcceptedOn,
    DateOnly DueOn,
    DateOnly? TargetDueOn,
    bool DeadlinesProvisional,
    ApplicationAgent? Agent,
    IReadOnlyList<WithdrawalMaterial> Materials,
    WithdrawalClaim? Withdrawal,
    TransferClaim? Transfer,
    ApplicationDecision Decision,
    ApplicationDecision? ApprovalDecision,
    string? ReasonCode,
    string? ReasonZh,
    string? ReasonEn,
    string? EntryKey,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ApplicationEvent> Events)
{
    /// <summary>Still with the agency and past its deadline on <paramref name="today"/> (an application returned for materials waits on the applicant, not the agency).</summary>
    public bool OverdueOn(DateOnly today) =>
        ApplicationLifecycle.WithAgency.Contains(Status) && today > DueOn;

    /// <summary>The submission and approval decisions say different things: the reviewer sees both.</summary>
    public bool DecisionChanged => ApprovalDecision is not null && ApprovalDecision.DiffersFrom(Decision);

    /// <summary>The decision that stands: the approval's once approved, else the submission's.</summary>
    public ApplicationDecision Standing => ApprovalDecision ?? Decision;

    /// <summary>What was submitted, as it would be submitted again (for deciding anew on today's facts).</summary>
    public ApplicationSubmission Submission(IReadOnlyList<WithdrawalMaterial>? materials = null) =>
        new(Region, IdNumber, Kind, materials ?? Materials, Agent, Withdrawal, Transfer);
}

/// <summary>What a reviewer's queue shows: filters and paging.</summary>
public sealed record ApplicationQuery(
    ApplicationKind? Kind = null,
    ApplicationStatus? Status = null,
    bool OverdueOnly = false,
    bool IncludeFinal = false,
    int Limit = 100);
