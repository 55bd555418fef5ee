using System.Diagnostics.CodeAnalysis;
using Yibao.Domain.Errors;

namespace Yibao.Domain.Regions;

/// <summary>
/// 行政区划代码 (GB/T 2260): six digits. <c>xx0000</c> is a province, <c>xxyy00</c> a
/// prefecture-level city, anything else a county. A pooling region (统筹地区) is usually a
/// city; the demo region is 990100 示例市 in province 990000 示例省.
/// </summary>
public readonly record struct RegionCode : IComparable<RegionCode>, IParsable<RegionCode>
{
    public string Value { get; }

    private RegionCode(string value) => Value = value;

    public static readonly RegionCode National = new("000000");
    public static readonly RegionCode Demo = new("990100");
    public static readonly RegionCode DemoProvince = new("990000");

    public static RegionCode Parse(string? text) =>
        TryParse(text, out var code) ? code : throw new YibaoException(ErrorCatalog.InvalidRegionCode(text ?? ""));

    public static bool TryParse(string? text, out RegionCode code)
    {
        code = default;
        if (text is null) return false;
        var s = text.Trim();
        if (s.Length != 6 || !s.All(char.IsAsciiDigit)) return false;
        code = new RegionCode(s);
        return true;
    }

    // IParsable: the framework binds a route or query value with these (the server validates it first, so a bad one answers invalid-region-code).
    static RegionCode IParsable<RegionCode>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<RegionCode>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out RegionCode result) => TryParse(s, out result);

    public bool IsNational => Value == National.Value;
    public bool IsProvince => !IsNational && Value.EndsWith("0000", StringComparison.Ordinal);
    public bool IsCity => !IsProvince && !IsNational && Value.EndsWith("00", StringComparison.Ordinal);
    public bool IsCounty => !IsNational && !Value.EndsWith("00", StringComparison.Ordinal);

    /// <summary>The province (first two digits + 0000).</summary>
    public RegionCode Province => new(Value[..2] + "0000");

    /// <summary>The prefecture-level city (first four digits + 00); a province is its own city.</summary>
    public RegionCode City => IsProvince ? this : new(Value[..4] + "00");

    /// <summary>The parent in the national → province → city → county chain, or null for the nation.</summary>
    public RegionCode? Parent => IsNational ? null : IsProvince ? National : IsCity ? Province : City;

    public bool SameProvinceAs(RegionCode other) => Value[..2] == other.Value[..2];

    public int CompareTo(RegionCode other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value ?? "";
}
