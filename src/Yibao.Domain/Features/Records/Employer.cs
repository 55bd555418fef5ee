using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Features.Records;

/// <summary>
/// 用人单位: an employer registered in one pooling region. The credit code is its identity
/// across the whole database (one registration per code), so registering it again is a replay.
/// </summary>
/// <param name="CreditCode">统一社会信用代码, validated (GB 32100-2015).</param>
/// <param name="Region">The pooling region it pays contributions in.</param>
/// <param name="Name">单位名称.</param>
public sealed record Employer(CreditCode CreditCode, RegionCode Region, string Name)
{
    /// <summary>Validates a registration from the edge: the code, and a name that is not empty.</summary>
    public static Employer Create(string? creditCode, RegionCode region, string? name) =>
        new(CreditCode.Parse(creditCode), region, RecordText.Name(name, "name", RecordText.MaxEmployerName));
}

/// <summary>Free text on records: trimmed, not empty, bounded, no control characters.</summary>
public static class RecordText
{
    public const int MaxPersonName = 100;
    public const int MaxEmployerName = 200;

    public static string Name(string? text, string field, int maxLength)
    {
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s)) throw new YibaoException(ErrorCatalog.MissingField(field));
        if (s.Length > maxLength)
            throw new YibaoException(ErrorCatalog.InvalidField(field, $"longer than {maxLength} characters"));
        if (s.Any(char.IsControl))
            throw new YibaoException(ErrorCatalog.InvalidField(field, "contains a control character"));
        return s;
    }

    /// <summary>
    /// 国籍 as ISO 3166-1 alpha-3 (CHN by default): foreigners insured under 社会保险法 art. 97
    /// carry their own. Only the shape is checked; the list of countries is not kept here.
    /// </summary>
    public static string Nationality(string? text)
    {
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s)) return "CHN";
        if (s.Length != 3 || !s.All(char.IsAsciiLetter))
            throw new YibaoException(ErrorCatalog.InvalidField("nationality", "expected a three-letter ISO 3166-1 code such as CHN").With("value", s));
        return s.ToUpperInvariant();
    }
}
