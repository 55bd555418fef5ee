using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Identity;

/// <summary>
/// 公民身份号码 / 居民身份证号码 (GB 11643-1999): 6-digit area code, 8-digit birth date,
/// 3-digit sequence (odd = male) and a check character (policy-reference A9, K15).
/// Always held in its normalised 18-character form with an upper-case <c>X</c>;
/// a 15-digit legacy number is upgraded on parsing.
/// </summary>
public readonly record struct IdNumber : IParsable<IdNumber>
{
    /// <summary>W_i = 2^(18−i) mod 11 (GB 11643-1999 §7).</summary>
    private static ReadOnlySpan<int> Weights => [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>The check character indexed by S mod 11 (A9).</summary>
    private const string CheckCharacters = "10X98765432";

    /// <summary>The normalised 18 characters, e.g. <c>11010519491231002X</c>.</summary>
    public string Value { get; }

    private IdNumber(string value) => Value = value;

    /// <summary>行政区划代码 of the place of first registration; not checked against GB/T 2260 (K15).</summary>
    public string AreaCode => Value[..6];

    /// <summary>出生日期, characters 7–14.</summary>
    public DateOnly BirthDate => ParseBirthDate(Value.AsSpan(6, 8))!.Value;

    /// <summary>性别 from the 17th character, the last digit of the sequence: odd male, even female.</summary>
    public Sex Sex => (Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>Parses an 18-character number or a 15-digit legacy one; throws <c>invalid-id-number</c> saying what is wrong.</summary>
    public static IdNumber Parse(string? text) =>
        TryParse(text, out var id, out var error) ? id : throw new YibaoException(error);

    public static bool TryParse(string? text, out IdNumber id) => TryParse(text, out id, out _);

    public static bool TryParse(string? text, out IdNumber id, [NotNullWhen(false)] out Refusal? error)
    {
        id = default;
        var raw = text ?? "";
        var s = raw.Trim();
        error = s.Length switch
        {
            0 => Invalid(raw, "the number is empty", "号码为空"),
            18 => Check18(raw, s),
            15 => Check15(raw, s),
            _ => Invalid(raw, $"it has {s.Length} characters; a resident ID number has 18 (or 15 for a legacy number)",
                              $"号码为 {s.Length} 位,应为 18 位(旧号码为 15 位)"),
        };
        if (error is not null) return false;

        id = s.Length == 15 ? Upgrade(s) : new IdNumber(s.ToUpperInvariant());
        return true;
    }

    // IParsable: the framework binds a route or query value with these (the server validates it first, so a bad one answers invalid-id-number).
    static IdNumber IParsable<IdNumber>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<IdNumber>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out IdNumber result) => TryParse(s, out result);

    /// <summary>
    /// The check character of the first 17 digits: S = Σ a_i × W_i, check = "10X98765432"[S mod 11] (A9).
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly 17 ASCII digits.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17 || first17.ContainsAnyExceptInRange('0', '9'))
            throw new ArgumentException("The body of a resident ID number is exactly 17 digits.", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckCharacters[sum % 11];
    }

    /// <summary>
    /// Builds a valid number for demo and test people: area, birth date, the 3-digit
    /// sequence (its parity gives the sex) and the computed check character.
    /// </summary>
    public static IdNumber Create(RegionCode area, DateOnly birthDate, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 999);
        var body = string.Create(CultureInfo.InvariantCulture, $"{area.Value}{birthDate:yyyyMMdd}{sequence:D3}");
        return new IdNumber(body + ComputeCheckCharacter(body));
    }

    public override string ToString() => Value ?? "";

    private static Refusal? Check18(string raw, string s)
    {
        var bad = s.AsSpan(0, 17).IndexOfAnyExceptInRange('0', '9');
        if (bad >= 0)
            return Invalid(raw, $"character {bad + 1} is '{s[bad]}'; the first 17 characters must be digits",
                                $"第 {bad + 1} 位为“{s[bad]}”,前 17 位必须是数字");
        if (ParseBirthDate(s.AsSpan(6, 8)) is null)
            return Invalid(raw, $"the birth date {s.Substring(6, 8)} (characters 7–14) is not a real calendar date",
                                $"第 7–14 位的出生日期 {s.Substring(6, 8)} 不是有效日期");
        var expected = ComputeCheckCharacter(s.AsSpan(0, 17));
        // K15: a lower-case x is the same check character as X.
        var actual = char.ToUpperInvariant(s[17]);
        if (actual != expected)
            return Invalid(raw, $"the check character (18th) is '{s[17]}' but should be '{expected}'",
                                $"第 18 位校验码为“{s[17]}”,应为“{expected}”")
                .With("expected", expected.ToString());
        return null;
    }

    /// <summary>K15: a 15-digit legacy number is valid when all digits and 19YY-MM-DD is a real date.</summary>
    private static Refusal? Check15(string raw, string s)
    {
        var bad = s.AsSpan().IndexOfAnyExceptInRange('0', '9');
        if (bad >= 0)
            return Invalid(raw, $"character {bad + 1} is '{s[bad]}'; a 15-character legacy number is all digits",
                                $"第 {bad + 1} 位为“{s[bad]}”,15 位旧号码必须全部是数字");
        if (ParseBirthDate("19" + s.Substring(6, 6)) is null)
            return Invalid(raw, $"the birth date 19{s.Substring(6, 6)} (characters 7–12 of the legacy number) is not a real calendar date",
                                $"旧号码第 7–12 位的出生日期 19{s.Substring(6, 6)} 不是有效日期");
        return null;
    }

    /// <summary>A9: insert "19" before the 2-digit year, then compute the check character.</summary>
    private static IdNumber Upgrade(string legacy)
    {
        var body = string.Concat(legacy.AsSpan(0, 6), "19", legacy.AsSpan(6));
        return new IdNumber(body + ComputeCheckCharacter(body));
    }

    private static DateOnly? ParseBirthDate(ReadOnlySpan<char> yyyymmdd) =>
        DateOnly.TryParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    private static Refusal Invalid(string raw, string why, string whyZh) => ErrorCatalog.InvalidIdNumber(raw, why, whyZh);
}
