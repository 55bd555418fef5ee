using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Policy;

/// <summary>One rule value as it stands in a pack, with where it came from.</summary>
public sealed record PolicyValue(
    string Key,
    object Value,
    Provenance Provenance,
    string Source,
    string? Note,
    RegionCode DefinedBy,
    string VersionId,
    DateOnly From,
    DateOnly? To,
    string File,
    int Line)
{
    public bool InForceOn(DateOnly date) => From <= date && (To is null || date <= To.Value);
}

/// <summary>A dated set of rule values of one region (a 政策版本).</summary>
public sealed record PolicyVersion(string Id, DateOnly From, DateOnly? To, string? Note, IReadOnlyList<PolicyValue> Rules, int Line);

/// <summary>A region's pack: its versions, and the region it inherits from.</summary>
public sealed record PolicyPack(RegionCode Region, string Name, RegionCode? Parent, RegionCode CalendarRegion, string File, IReadOnlyList<PolicyVersion> Versions);

/// <summary>
/// Every region's policy, loaded and validated once; <see cref="For"/> merges national →
/// province → city for a day. A rule value comes from the most specific region that defines
/// it on that day; within a region, the version in force on that day.
/// </summary>
public sealed class PolicyBook
{
    private readonly Dictionary<RegionCode, PolicyPack> _packs;

    internal PolicyBook(IEnumerable<PolicyPack> packs) => _packs = packs.ToDictionary(p => p.Region);

    public IReadOnlyCollection<PolicyPack> Packs => _packs.Values;

    public bool Has(RegionCode region) => _packs.ContainsKey(region);

    public PolicyPack Pack(RegionCode region) =>
        _packs.TryGetValue(region, out var pack) ? pack : throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));

    /// <summary>The packs from this region up to the national one, most specific first.</summary>
    public IReadOnlyList<PolicyPack> Chain(RegionCode region)
    {
        var chain = new List<PolicyPack>();
        for (RegionCode? r = region; r is not null; r = chain[^1].Parent)
        {
            chain.Add(Pack(r.Value));
        }
        return chain;
    }

    /// <summary>The merged, typed-on-demand policy of a region on a day (the day a question is asked, K16).</summary>
    public ResolvedPolicy For(RegionCode region, DateOnly date)
    {
        var chain = Chain(region);
        var values = new Dictionary<string, PolicyValue>(StringComparer.Ordinal);
        var versionParts = new List<string>();
        foreach (var pack in chain)
        {
            // Within a region the version that started last wins, rule by rule.
            var inForce = pack.Versions.Where(v => v.From <= date && (v.To is null || date <= v.To.Value))
                .OrderByDescending(v => v.From).ToList();
            if (inForce.Count > 0)
                versionParts.Add($"{pack.Region.Value}@{string.Join("+", inForce.Select(v => v.Id))}");
            foreach (var version in inForce)
            {
                foreach (var rule in version.Rules)
                    values.TryAdd(rule.Key, rule);
            }
        }
        return new ResolvedPolicy(region, chain[0].Name, date, string.Join(";", versionParts), chain[0].CalendarRegion, values);
    }
}

/// <summary>
/// The policy in force for one region on one day. <see cref="VersionId"/> names every pack
/// version that contributed, so a ledger entry can record exactly what justified it.
/// </summary>
public sealed class ResolvedPolicy(RegionCode region, string regionName, DateOnly date, string versionId, RegionCode calendarRegion, IReadOnlyDictionary<string, PolicyValue> values)
{
    public RegionCode Region { get; } = region;
    public string RegionName { get; } = regionName;
    public DateOnly Date { get; } = date;
    public string VersionId { get; } = versionId;
    public RegionCode CalendarRegion { get; } = calendarRegion;
    public IReadOnlyDictionary<string, PolicyValue> Values { get; } = values;

    public bool Has(PolicyKey key) => Values.ContainsKey(key.Name);

    public T Get<T>(PolicyKey<T> key) where T : notnull =>
        Values.TryGetValue(key.Name, out var v)
            ? (T)v.Value
            : throw new YibaoException(ErrorCatalog.PolicyRuleMissing(Region.Value, key.Name, Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    public T? GetOrDefault<T>(PolicyKey<T> key) where T : notnull =>
        Values.TryGetValue(key.Name, out var v) ? (T)v.Value : default;

    /// <summary>The value with its provenance and source, for a decision's reasons.</summary>
    public PolicyValue Explain(PolicyKey key) =>
        Values.TryGetValue(key.Name, out var v)
            ? v
            : throw new YibaoException(ErrorCatalog.PolicyRuleMissing(Region.Value, key.Name, Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));

    /// <summary>
    /// The policy version a movement records: only the versions that gave a rule under one of
    /// <paramref name="prefixes"/> (an entry records what justified it, not every rule area of the
    /// region: the full id of 990100 is about 440 characters, which a million entries would carry
    /// for nothing), or the full <see cref="VersionId"/> when none of them did.
    /// </summary>
    public string VersionOf(params string[] prefixes) =>
        UsedVersions(key => prefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))) is { Length: > 0 } used ? used : VersionId;

    /// <summary>Only the versions that gave a rule whose key <paramref name="uses"/> accepts; empty when none did.</summary>
    public string UsedVersions(Func<string, bool> uses)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var used = Values.Values
            .Where(v => uses(v.Key))
            .Select(v => (v.DefinedBy, v.VersionId, v.From))
            .Distinct()
            .ToList();
        // Most specific region first (the order of the full id); within one, the latest version first.
        var regions = VersionId.Split(';').Select(part => part.Split('@')[0]).ToList();
        return string.Join(";", used
            .GroupBy(u => u.DefinedBy.Value)
            .OrderBy(g => regions.IndexOf(g.Key) is var i && i >= 0 ? i : int.MaxValue)
            .Select(g => $"{g.Key}@{string.Join("+", g.OrderByDescending(u => u.From).ThenBy(u => u.VersionId, StringComparer.Ordinal).Select(u => u.VersionId))}"));
    }
}
