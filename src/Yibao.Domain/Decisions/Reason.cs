using System.Globalization;
using Yibao.Domain.Policy;

namespace Yibao.Domain.Decisions;

/// <summary>
/// One reason behind a decision: the rule it applied, the values it compared, and where the
/// rule comes from, in Chinese and English, so a reviewer or insured person sees why.
/// </summary>
public sealed record Reason(
    string RuleId,
    string TextZh,
    string TextEn,
    IReadOnlyDictionary<string, string> Values,
    Provenance Provenance,
    string Source);

/// <summary>
/// Collects the reasons of a decision. A disabled explanation records nothing, so the hot path
/// (a hospital's real-time settlement) pays nothing for text it does not show.
/// </summary>
public sealed class Explanation
{
    private readonly List<Reason>? _reasons;

    private Explanation(bool enabled) => _reasons = enabled ? [] : null;

    public static Explanation Build() => new(true);
    public static Explanation None { get; } = new(false);

    public bool Enabled => _reasons is not null;
    public IReadOnlyList<Reason> Reasons => _reasons ?? (IReadOnlyList<Reason>)[];

    /// <summary>A reason resting on a policy value (its key is the rule id; its provenance and source come along).</summary>
    public void Because(PolicyValue rule, string zh, string en, params (string Name, object Value)[] values)
    {
        _reasons?.Add(new Reason(rule.Key, zh, en, Format(values), rule.Provenance, $"{rule.Source} ({rule.DefinedBy.Value} {rule.VersionId}, {rule.File}:{rule.Line})"));
    }

    /// <summary>A reason resting on a convention or law fixed in code (cited by its reference id, e.g. K13).</summary>
    public void Because(string ruleId, Provenance provenance, string source, string zh, string en, params (string Name, object Value)[] values)
    {
        _reasons?.Add(new Reason(ruleId, zh, en, Format(values), provenance, source));
    }

    /// <summary>A reason built elsewhere (e.g. a working-day answer's <see cref="Calendars.WorkingDayAnswer.Reasons"/>).</summary>
    public void Because(Reason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _reasons?.Add(reason);
    }

    private static Dictionary<string, string> Format((string Name, object Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value switch
        {
            Money.Money m => m.ToPlainString(),
            Money.Rate r => r.Value.ToString(CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.Value?.ToString() ?? "",
        }, StringComparer.Ordinal);
}
