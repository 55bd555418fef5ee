using System.Diagnostics.CodeAnalysis;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Identity;

/// <summary>
/// 统一社会信用代码 (GB 32100-2015): registration authority, entity type, 6-character area
/// code, the 9-character organisation code (主体标识码, GB 11714) and a check character
/// (policy-reference A9, K15). Upper case only; I, O, S, V and Z never occur.
/// </summary>
public readonly record struct CreditCode
{
    /// <summary>The 31 characters of GB 32100, valued 0–30 by position.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>W_i = 3^(i−1) mod 31.</summary>
    private static ReadOnlySpan<int> Weights => [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>GB 11714-1997 weights over the first 8 characters of the organisation code.</summary>
    private static ReadOnlySpan<int> InnerWeights => [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>The 18 characters, e.g. <c>91110000600037341L</c>.</summary>
    public string Value { get; }

    private CreditCode(string value) => Value = value;

    /// <summary>登记管理部门代码, character 1 (e.g. 1 机构编制, 5 民政, 9 工商, Y 其他).</summary>
    public char RegistrationAuthority => Value[0];

    /// <summary>机构类别代码, character 2 (e.g. under 9: 1 企业, 2 个体工商户, 3 农民专业合作社).</summary>
    public char EntityType => Value[1];

    /// <summary>登记管理机关行政区划码, characters 3–8; not checked against GB/T 2260.</summary>
    public string AreaCode => Value.Substring(2, 6);

    /// <summary>主体标识码 (组织机构代码, GB 11714), characters 9–17, its own check character last.</summary>
    public string OrganizationCode => Value.Substring(8, 9);

    /// <summary>
    /// Whether the organisation code passes its own GB 11714 check. A failure is only a
    /// warning (K15): the code is still valid, because codes issued from older registers
    /// do not always carry a conforming inner check.
    /// </summary>
    public bool InnerCheckPasses =>
        Value[16] == ComputeInnerCheckCharacter(Value.AsSpan(8, 8));

    /// <summary>Parses the 18 characters; throws <c>invalid-credit-code</c> saying what is wrong.</summary>
    public static CreditCode Parse(string? text) =>
        TryParse(text, out var code, out var error) ? code : throw new YibaoException(error);

    public static bool TryParse(string? text, out CreditCode code) => TryParse(text, out code, out _);

    public static bool TryParse(string? text, out CreditCode code, [NotNullWhen(false)] out Refusal? error)
    {
        code = default;
        var raw = text ?? "";
        var s = raw.Trim();
        error = Check(raw, s);
        if (error is not null) return false;
        code = new CreditCode(s);
        return true;
    }

    /// <summary>
    /// The check character of the first 17 characters:
    /// alphabet[(31 − Σ value_i × W_i mod 31) mod 31] (GB 32100-2015, A9).
    /// </summary>
    /// <exception cref="ArgumentException">Not exactly 17 characters of the alphabet.</exception>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != 17 || FirstOutsideAlphabet(first17) >= 0)
            throw new ArgumentException($"The body of a credit code is exactly 17 characters of \"{Alphabet}\".", nameof(first17));
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        return Alphabet[(31 - sum % 31) % 31];
    }

    /// <summary>Completes 17 characters with their check character, for demo and test data.</summary>
    public static CreditCode WithCheck(ReadOnlySpan<char> first17) =>
        new(string.Concat(first17, [ComputeCheckCharacter(first17)]));

    /// <summary>
    /// Builds a valid code for demo data from its parts; the organisation code is given as
    /// its 8-character body, and both its GB 11714 check and the outer check are computed.
    /// </summary>
    public static CreditCode Create(char registrationAuthority, char entityType, RegionCode area, string organizationBody)
    {
        ArgumentNullException.ThrowIfNull(organizationBody);
        if (organizationBody.Length != 8 || FirstOutsideAlphabet(organizationBody) >= 0)
            throw new ArgumentException($"An organisation-code body is exactly 8 characters of \"{Alphabet}\".", nameof(organizationBody));
        var organization = organizationBody + ComputeInnerCheckCharacter(organizationBody);
        return WithCheck(string.Concat($"{registrationAuthority}{entityType}", area.Value, organization));
    }

    public override string ToString() => Value ?? "";

    private static Refusal? Check(string raw, string s)
    {
        if (s.Length == 0)
            return ErrorCatalog.InvalidCreditCode(raw, "the code is empty", "代码为空");
        if (s.Length != 18)
            return ErrorCatalog.InvalidCreditCode(raw, $"it has {s.Length} characters; a unified social credit code has 18",
                                                       $"代码为 {s.Length} 位,应为 18 位");
        var bad = FirstOutsideAlphabet(s);
        if (bad >= 0)
            return OutsideAlphabet(raw, s[bad], bad + 1);
        var expected = ComputeCheckCharacter(s.AsSpan(0, 17));
        if (s[17] != expected)
            return ErrorCatalog.InvalidCreditCode(raw, $"the check character (18th) is '{s[17]}' but should be '{expected}'",
                                                       $"第 18 位校验码为“{s[17]}”,应为“{expected}”")
                .With("expected", expected.ToString());
        return null;
    }

    private static Refusal OutsideAlphabet(string raw, char c, int position)
    {
        var (why, whyZh) = c switch
        {
            >= 'a' and <= 'z' => ($"character {position} is the lower-case '{c}'; credit codes are upper case",
                                  $"第 {position} 位为小写字母“{c}”,统一社会信用代码只用大写字母"),
            'I' or 'O' or 'S' or 'V' or 'Z' => ($"character {position} is '{c}'; I, O, S, V and Z are never used in credit codes",
                                                $"第 {position} 位为“{c}”,统一社会信用代码不使用 I、O、S、V、Z"),
            _ => ($"character {position} is '{c}', which is not one of {Alphabet}",
                  $"第 {position} 位为“{c}”,不在允许的字符 {Alphabet} 之中"),
        };
        return ErrorCatalog.InvalidCreditCode(raw, why, whyZh)
            .With("position", position.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int FirstOutsideAlphabet(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
            if (!Alphabet.Contains(s[i], StringComparison.Ordinal)) return i;
        return -1;
    }

    /// <summary>GB 11714: c9 = 11 − Σ mod 11, with 10 written X and 11 written 0; letters count A=10 … Z=35.</summary>
    private static char ComputeInnerCheckCharacter(ReadOnlySpan<char> body8)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = body8[i];
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            sum += value * InnerWeights[i];
        }
        return (11 - sum % 11) switch
        {
            10 => 'X',
            11 => '0',
            var d => (char)('0' + d),
        };
    }
}
