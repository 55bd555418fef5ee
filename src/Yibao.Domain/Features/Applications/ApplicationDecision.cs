using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;

namespace Yibao.Domain.Features.Applications;

/// <summary>
/// The working days an application's decision sets on the agencies' calendars: the acceptance
/// day (受理日), the agency's deadline (支取: the region's time limit; 转出: the transfer-out
/// deadline) and, for a transfer, the target's transfer-in deadline counted from it.
/// <see cref="Provisional"/> says a deadline counted a day of a provisional calendar year (K17).
/// </summary>
public sealed record ApplicationDeadlines(DateOnly AcceptedOn, DateOnly DueOn, DateOnly? TargetDueOn, bool Provisional = false);

/// <summary>
/// The decision an application records at submission and again at approval: the typed answer of
/// its kind — <see cref="WithdrawalAnswer"/> or <see cref="TransferAnswer"/>, stored as they are
/// (a serialised record with enums) and executed by switching on them — with the deadlines it
/// sets, the policy version and the day of the facts.
/// </summary>
public sealed record ApplicationDecision(
    ApplicationKind Kind,
    DateOnly DecidedOn,
    string PolicyVersion,
    ApplicationDeadlines Deadlines,
    WithdrawalAnswer? Withdrawal = null,
    TransferAnswer? Transfer = null)
{
    public static ApplicationDecision Of(WithdrawalAnswer answer, string policyVersion, DateOnly on, ApplicationDeadlines deadlines) =>
        new(ApplicationKind.Withdrawal, on, policyVersion, deadlines, Withdrawal: answer ?? throw new ArgumentNullException(nameof(answer)));

    public static ApplicationDecision Of(TransferAnswer answer, string policyVersion, DateOnly on, ApplicationDeadlines deadlines) =>
        new(ApplicationKind.Transfer, on, policyVersion, deadlines, Transfer: answer ?? throw new ArgumentNullException(nameof(answer)));

    /// <summary>The person and the reason qualify (a transfer: it is allowed).</summary>
    public bool Eligible => Kind == ApplicationKind.Withdrawal ? WithdrawalAnswer.Eligible : TransferAnswer.Allowed;

    /// <summary>Every required material is there (a transfer needs none beyond the request).</summary>
    public bool Complete => Kind == ApplicationKind.Withdrawal ? WithdrawalAnswer.Complete : TransferAnswer.Allowed;

    /// <summary>May the agency accept and approve it as it stands.</summary>
    public bool Approvable => Eligible && Complete;

    /// <summary>Why not: the refusal's code, or <see cref="Codes.MaterialsMissing"/>; null when approvable.</summary>
    public ResultCode? ReasonCode => Kind == ApplicationKind.Withdrawal ? WithdrawalAnswer.ReasonCode : TransferAnswer.ReasonCode;

    public IReadOnlyList<Reason> Reasons => Kind == ApplicationKind.Withdrawal ? WithdrawalAnswer.Reasons : TransferAnswer.Reasons;

    /// <summary>Each missing requirement as codes (<c>a|b</c>: either), in the pack's order.</summary>
    public IReadOnlyList<string> MissingMaterials =>
        Kind == ApplicationKind.Withdrawal ? WithdrawalAnswer.MissingMaterials.Select(WithdrawalDecision.Show).ToList() : [];

    /// <summary>The same, in Chinese, for the applicant's checklist.</summary>
    public IReadOnlyList<string> MissingMaterialsZh =>
        Kind == ApplicationKind.Withdrawal ? WithdrawalAnswer.MissingMaterials.Select(WithdrawalDecision.ShowZh).ToList() : [];

    private WithdrawalAnswer WithdrawalAnswer => Withdrawal ?? throw new InvalidOperationException("a withdrawal decision without its answer");
    private TransferAnswer TransferAnswer => Transfer ?? throw new InvalidOperationException("a transfer decision without its answer");

    /// <summary>
    /// Whether another answer says something else — qualifies or not, why, what is missing, what
    /// moves where, the deadlines — not only other wording or another day: what a reviewer must see side by side.
    /// </summary>
    public bool DiffersFrom(ApplicationDecision other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Kind != other.Kind || Eligible != other.Eligible || Complete != other.Complete || !ReferenceEquals(ReasonCode, other.ReasonCode)
            || !MissingMaterials.SequenceEqual(other.MissingMaterials) || Deadlines != other.Deadlines)
            return true;
        if (Kind == ApplicationKind.Withdrawal)
        {
            var (a, b) = (WithdrawalAnswer, other.WithdrawalAnswer);
            return a.Payout != b.Payout || a.PayTo != b.PayTo || a.AccountStatusAfter != b.AccountStatusAfter;
        }
        var (x, y) = (TransferAnswer, other.TransferAnswer);
        return x.Mode != y.Mode || x.SourceBalanceAfter != y.SourceBalanceAfter || x.TargetCredit != y.TargetCredit || x.PaidToBank != y.PaidToBank
               || x.AcceptedOn != y.AcceptedOn || x.TransferOutDeadline != y.TransferOutDeadline || x.TransferInDeadline != y.TransferInDeadline;
    }
}
