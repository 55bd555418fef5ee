using System.Collections.Frozen;

namespace Yibao.Domain.Regions;

/// <summary>
/// The real 行政区划代码 of GB/T 2260: mainland China's provinces, prefecture-level cities and
/// counties, with their names, shipped as data (<c>Regions/Data/gbt2260.tsv</c>, whose header
/// names its public source). A code that parses (<see cref="RegionCode"/>) is six digits; this
/// says whether it is a place. The demo codes (99xxxx) are not.
/// </summary>
public static class RegionCodes
{
    private const string Resource = "Yibao.Domain.Regions.Data.gbt2260.tsv";

    private static readonly Lazy<FrozenDictionary<string, string>> Names = new(Load);

    /// <summary>How many codes are listed (provinces, cities and counties).</summary>
    public static int Count => Names.Value.Count;

    /// <summary>Whether <paramref name="code"/> is a real province, city or county (GB/T 2260).</summary>
    public static bool IsReal(RegionCode code) => code.Value is { } v && Names.Value.ContainsKey(v);

    /// <summary>The place's own name (东城区, 苏州市, 江苏省), or null when the code is not real.</summary>
    public static string? NameOf(RegionCode code) => code.Value is { } v && Names.Value.TryGetValue(v, out var name) ? name : null;

    /// <summary>
    /// The name with its parents (江苏省 苏州市 昆山市), for a person reading it; the 市辖区 / 县
    /// placeholders of a municipality are left out (北京市 东城区). Null when the code is not real.
    /// </summary>
    public static string? FullNameOf(RegionCode code)
    {
        if (NameOf(code) is not { } own) return null;
        var parts = new List<string>(3);
        if (!code.IsProvince && NameOf(code.Province) is { } province) parts.Add(province);
        if (code.IsCounty && NameOf(code.City) is { } city && !IsPlaceholder(city)) parts.Add(city);
        parts.Add(own);
        return string.Join(' ', parts);
    }

    /// <summary>The groupings a municipality or a province lists in place of a city (市辖区, 县, 省直辖县级行政区划).</summary>
    private static bool IsPlaceholder(string cityName) =>
        cityName is "市辖区" or "县" || cityName.EndsWith("直辖县级行政区划", StringComparison.Ordinal);

    private static FrozenDictionary<string, string> Load()
    {
        using var stream = typeof(RegionCodes).Assembly.GetManifestResourceStream(Resource)
                           ?? throw new InvalidOperationException($"The embedded region list {Resource} is missing.");
        using var reader = new StreamReader(stream);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab != 6 || !RegionCode.TryParse(line[..6], out _))
                throw new InvalidOperationException($"The embedded region list has a malformed line: {line}");
            names.Add(line[..6], line[(tab + 1)..]);
        }
        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
