using Yibao.Domain.Decisions;
using Yibao.Domain.Policy;

namespace Yibao.Server.Contracts;

/// <summary>One reason of a decision: the rule, the text in both languages, the values compared, provenance and source.</summary>
public sealed record ReasonResponse(string RuleId, string Zh, string En, IReadOnlyDictionary<string, string> Values, string Provenance, string Source)
{
    public static IReadOnlyList<ReasonResponse> From(IReadOnlyList<Reason> reasons) =>
        reasons.Select(r => new ReasonResponse(r.RuleId, r.TextZh, r.TextEn, r.Values, r.Provenance.Code(), r.Source)).ToList();
}
