using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.Applications;

/// <summary>One reason of a decision as an application keeps it: rule, both languages, the values compared, provenance and source.</summary>
public sealed record DecisionReason(string RuleId, string Zh, string En, IReadOnlyDictionary<string, string> Values, string Provenance, string Source)
{
    public static IReadOnlyList<DecisionReason> From(IReadOnlyList<Reason> reasons) =>
        reasons.Select(r => new DecisionReason(r.RuleId, r.TextZh, r.TextEn, r.Values, r.Provenance.Code(), r.Source)).ToList();
}

/// <summary>
/// The answer of a policy decision (提取 or 转移接续) as an application records it, at submission
/// and again at approval: whether the applicant qualifies (<see cref="Eligible"/>) and has
/// presented everything (<see cref="Complete"/>), the refusal or incompleteness code, the
/// missing materials, the figures the decision gives (payout, payee, mode, deadlines, …, as
/// text) and its reasons, with the policy version and the day it was decided.
/// </summary>
public sealed record ApplicationDecision(
    bool Eligible,
    bool Complete,
    string? ReasonCode,
    IReadOnlyList<string> MissingMaterials,
    IReadOnlyDictionary<string, string> Figures,
    IReadOnlyList<DecisionReason> Reasons,
    string PolicyVersion,
    DateOnly DecidedOn)
{
    /// <summary>May the agency accept and approve it as it stands.</summary>
    public bool Approvable => Eligible && Complete;

    public static ApplicationDecision Of(WithdrawalAnswer answer, string policyVersion, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var figures = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["payout"] = answer.Payout.ToPlainString(),
            ["payTo"] = WithdrawalNames.Kebab(answer.PayTo.ToString()),
            ["accountStatusAfter"] = WithdrawalNames.Kebab(answer.AccountStatusAfter.ToString()),
        };
        return new ApplicationDecision(answer.Eligible, answer.Complete, answer.ReasonCode,
            answer.MissingMaterials.Select(WithdrawalDecision.Show).ToList(), figures, DecisionReason.From(answer.Reasons), policyVersion, on);
    }

    public static ApplicationDecision Of(TransferAnswer answer, string policyVersion, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var figures = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["sourceBalanceAfter"] = answer.SourceBalanceAfter.ToPlainString(),
            ["targetCredit"] = answer.TargetCredit.ToPlainString(),
        };
        if (answer.Mode is { } mode) figures["mode"] = TransferNames.Code(mode);
        if (answer.AcceptedOn is { } accepted) figures["acceptedOn"] = Dates.Format(accepted);
        if (answer.TransferOutDeadline is { } outDeadline) figures["transferOutDeadline"] = Dates.Format(outDeadline);
        if (answer.TransferInDeadline is { } inDeadline) figures["transferInDeadline"] = Dates.Format(inDeadline);
        if (answer.PaidToBank.IsPositive) figures["paidToBank"] = answer.PaidToBank.ToPlainString();
        // K17: only a provisional day is marked, so answers on published calendars keep their figures.
        if (answer.AcceptedOnProvisional) figures["acceptedOnProvisional"] = "true";
        if (answer.TransferOutDeadlineProvisional) figures["transferOutDeadlineProvisional"] = "true";
        if (answer.TransferInDeadlineProvisional) figures["transferInDeadlineProvisional"] = "true";
        return new ApplicationDecision(answer.Allowed, answer.Allowed, answer.ReasonCode, [], figures, DecisionReason.From(answer.Reasons), policyVersion, on);
    }

    /// <summary>Whether another answer says something else (not only other wording or another day): what a reviewer must see side by side.</summary>
    public bool DiffersFrom(ApplicationDecision other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Eligible != other.Eligible || Complete != other.Complete || ReasonCode != other.ReasonCode
               || !MissingMaterials.SequenceEqual(other.MissingMaterials)
               || Figures.Count != other.Figures.Count
               || Figures.Any(f => !other.Figures.TryGetValue(f.Key, out var v) || v != f.Value);
    }

    public string Figure(string name) => Figures.TryGetValue(name, out var v) ? v : "";
}
