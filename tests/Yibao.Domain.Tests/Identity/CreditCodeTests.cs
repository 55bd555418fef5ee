using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Identity;

/// <summary>GB 32100-2015 unified social credit codes: policy-reference A9, K15, WE-67 … WE-70, acceptance/credit-code.json.</summary>
public class CreditCodeTests
{
    [Fact]
    public void WE_67_stdnum_sample_is_valid_and_splits_into_its_parts()
    {
        var code = CreditCode.Parse("91110000600037341L");

        Assert.Equal("91110000600037341L", code.Value);
        Assert.Equal('9', code.RegistrationAuthority);
        Assert.Equal('1', code.EntityType);
        Assert.Equal("110000", code.AreaCode);
        Assert.Equal("600037341", code.OrganizationCode);
        Assert.True(code.InnerCheckPasses);
        Assert.Equal('L', CreditCode.ComputeCheckCharacter("91110000600037341"));
    }

    [Fact]
    public void WE_68_wrong_check_character_is_refused_and_names_the_expected_one()
    {
        var error = Refusal("91110000600037341M");

        Assert.Contains("is 'M' but should be 'L'", error.MessageEn, StringComparison.Ordinal);
        Assert.Equal("L", error.Details["expected"]);
    }

    [Theory]
    [InlineData("91620102123456788D")]
    [InlineData("91520201MA6DKX3R9B")]
    [InlineData("91320583MA1Q7N2KX6")]
    [InlineData("125401004455667796")]
    public void WE_69_fictional_codes_pass_both_checks(string value)
    {
        var code = CreditCode.Parse(value);

        Assert.True(code.InnerCheckPasses);
    }

    [Fact]
    public void WE_70_letter_O_is_outside_the_alphabet()
    {
        var error = Refusal("9162010212345678OD");

        Assert.Contains("character 17 is 'O'", error.MessageEn, StringComparison.Ordinal);
        Assert.Equal("17", error.Details["position"]);
    }

    // acceptance/credit-code.json, every case (WE-67, WE-69a–d, WE-70).
    [Theory]
    [InlineData("91110000600037341L", true)]
    [InlineData("91620102123456788D", true)]
    [InlineData("91520201MA6DKX3R9B", true)]
    [InlineData("91320583MA1Q7N2KX6", true)]
    [InlineData("125401004455667796", true)]
    [InlineData("9162010212345678OD", false)]
    public void Acceptance_cases_agree(string value, bool valid)
    {
        Assert.Equal(valid, CreditCode.TryParse(value, out _));
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('S')]
    [InlineData('V')]
    [InlineData('Z')]
    public void Excluded_letters_are_never_valid(char letter)
    {
        var error = Refusal("9111000060003734" + letter + "L");

        Assert.Contains("I, O, S, V and Z", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Lower_case_is_refused_because_codes_are_upper_case()
    {
        var error = Refusal("91320583ma1q7n2kx6");

        Assert.Contains("character 9 is the lower-case 'm'", error.MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(null, "empty")]
    [InlineData("91110000600037341", "17 characters")]
    [InlineData("91110000600037341LL", "19 characters")]
    [InlineData("9111000060003734-L", "character 17 is '-'")]
    public void Malformed_code_is_refused_with_a_precise_reason(string? value, string reason)
    {
        var error = Refusal(value);

        Assert.Contains(reason, error.MessageEn, StringComparison.Ordinal);
        Assert.StartsWith("统一社会信用代码无效:", error.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_inner_check_is_only_a_warning()
    {
        // 60003734's GB 11714 check is 1; 2 fails it, yet the outer check makes the code valid (K15).
        var code = CreditCode.WithCheck("91110000600037342");

        Assert.True(CreditCode.TryParse(code.Value, out var parsed));
        Assert.False(parsed.InnerCheckPasses);
    }

    [Fact]
    public void Parse_throws_invalid_credit_code()
    {
        var e = Assert.Throws<YibaoException>(() => CreditCode.Parse("91110000600037341M"));

        Assert.Equal("invalid-credit-code", e.Error.Code?.Value);
    }

    [Fact]
    public void Create_computes_inner_and_outer_check()
    {
        Assert.Equal("91320583MA1Q7N2KX6", CreditCode.Create('9', '1', RegionCode.Parse("320583"), "MA1Q7N2K").Value);

        var code = CreditCode.Create('9', '1', RegionCode.Demo, "MA0DEM01");
        Assert.Equal(code, CreditCode.Parse(code.Value));
        Assert.True(code.InnerCheckPasses);
        Assert.Equal("990100", code.AreaCode);
    }

    [Theory]
    [InlineData("MA0DEM1")]
    [InlineData("MA0DEMO12")]
    [InlineData("MA0DEMOI")]
    public void Create_refuses_an_organisation_body_that_is_not_8_alphabet_characters(string body)
    {
        Assert.Throws<ArgumentException>(() => CreditCode.Create('9', '1', RegionCode.Demo, body));
    }

    [Fact]
    public void Check_character_needs_17_alphabet_characters()
    {
        Assert.Throws<ArgumentException>(() => CreditCode.ComputeCheckCharacter("9111000060003734"));
        Assert.Throws<ArgumentException>(() => CreditCode.ComputeCheckCharacter("9111000060003734O"));
    }

    private static Refusal Refusal(string? value)
    {
        Assert.False(CreditCode.TryParse(value, out _, out var error));
        Assert.Equal("invalid-credit-code", error.Code?.Value);
        return error;
    }
}
