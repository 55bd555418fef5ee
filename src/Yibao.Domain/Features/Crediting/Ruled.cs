using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Features.Crediting;

/// <summary>
/// A typed rule value together with the pack entry it came from, read once when a typed policy
/// is built, so that a decision can cite the rule (provenance, source, file and line) without
/// looking the key up again in its hot path.
/// </summary>
public sealed record Ruled<T>(T Value, PolicyValue Rule) where T : notnull;

/// <summary>Reads <see cref="Ruled{T}"/> values from a resolved policy.</summary>
public static class Ruled
{
    /// <summary>A rule every question of the area needs: missing is a <c>policy-rule-missing</c> error.</summary>
    public static Ruled<T> Required<T>(ResolvedPolicy policy, PolicyKey<T> key) where T : notnull =>
        new(policy.Get(key), policy.Explain(key));

    /// <summary>A rule only some questions need, or that a region may leave out.</summary>
    public static Ruled<T>? Optional<T>(ResolvedPolicy policy, PolicyKey<T> key) where T : notnull =>
        policy.Values.TryGetValue(key.Name, out var v) ? new Ruled<T>((T)v.Value, v) : null;

    /// <summary>An optional rule that this question needs after all: missing is a <c>policy-rule-missing</c> error naming the key.</summary>
    public static Ruled<T> Need<T>(Ruled<T>? rule, PolicyKey<T> key, RegionCode region, DateOnly date) where T : notnull =>
        rule ?? throw new YibaoException(ErrorCatalog.PolicyRuleMissing(region.Value, key.Name, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
}
