using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Identity;

/// <summary>GB 11643-1999 resident ID numbers: policy-reference A9, K15, WE-64 … WE-66, acceptance/id-number.json.</summary>
public class IdNumberTests
{
    [Fact]
    public void WE_64_standard_sample_is_valid_with_check_X()
    {
        var id = IdNumber.Parse("11010519491231002X");

        Assert.Equal("11010519491231002X", id.Value);
        Assert.Equal(new DateOnly(1949, 12, 31), id.BirthDate);
        Assert.Equal(Sex.Female, id.Sex);
        Assert.Equal("110105", id.AreaCode);
        Assert.Equal('X', IdNumber.ComputeCheckCharacter("11010519491231002"));
    }

    [Fact]
    public void WE_65_wrong_check_character_is_refused_and_names_the_expected_one()
    {
        Assert.False(IdNumber.TryParse("110105194912310021", out _, out var error));

        Assert.Equal("invalid-id-number", error.Code?.Value);
        Assert.Contains("should be 'X'", error.MessageEn, StringComparison.Ordinal);
        Assert.Contains("应为“X”", error.MessageZh, StringComparison.Ordinal);
        Assert.Equal("X", error.Details["expected"]);
    }

    // acceptance/id-number.json, every case (WE-64, WE-65, WE-66a–d).
    [Theory]
    [InlineData("11010519491231002X", true, "1949-12-31", "F")]
    [InlineData("110105194912310021", false, null, null)]
    [InlineData("620102198003020016", true, "1980-03-02", "M")]
    [InlineData("520201196307150027", true, "1963-07-15", "F")]
    [InlineData("540102199001010038", true, "1990-01-01", "M")]
    [InlineData("320583198512240040", true, "1985-12-24", "F")]
    public void Acceptance_cases_agree(string value, bool valid, string? birthDate, string? sex)
    {
        Assert.Equal(valid, IdNumber.TryParse(value, out var id));
        if (!valid) return;
        Assert.Equal(DateOnly.Parse(birthDate!, System.Globalization.CultureInfo.InvariantCulture), id.BirthDate);
        Assert.Equal(sex == "M" ? Sex.Male : Sex.Female, id.Sex);
    }

    [Fact]
    public void Lower_case_x_is_normalised()
    {
        var id = IdNumber.Parse("11010519491231002x");

        Assert.Equal("11010519491231002X", id.Value);
        Assert.Equal(IdNumber.Parse("11010519491231002X"), id);
    }

    [Fact]
    public void Surrounding_spaces_are_ignored()
    {
        Assert.Equal("620102198003020016", IdNumber.Parse(" 620102198003020016\t").Value);
    }

    [Fact]
    public void Legacy_15_digit_number_is_upgraded()
    {
        var id = IdNumber.Parse("110105491231002");

        Assert.Equal("11010519491231002X", id.Value);
        Assert.Equal(new DateOnly(1949, 12, 31), id.BirthDate);
        Assert.Equal(Sex.Female, id.Sex);
    }

    [Fact]
    public void Legacy_number_takes_sex_from_its_last_digit()
    {
        Assert.Equal(Sex.Male, IdNumber.Parse("620102800302001").Sex);
        Assert.Equal(Sex.Female, IdNumber.Parse("620102800302002").Sex);
    }

    [Fact]
    public void Legacy_number_with_impossible_date_is_refused()
    {
        var error = Refusal("110105490230002");

        Assert.Contains("19490230", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_number_with_a_letter_is_refused()
    {
        var error = Refusal("11010549123100X");

        Assert.Contains("character 15 is 'X'", error.MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(null, "empty")]
    [InlineData("11010519491231002", "17 characters")]
    [InlineData("11010519491231002XX", "19 characters")]
    [InlineData("1101051949123100", "16 characters")]
    [InlineData("11010A19491231002X", "character 6 is 'A'")]
    [InlineData("abcdefghijklmnopqr", "character 1 is 'a'")]
    [InlineData("110105194902300021", "birth date 19490230")]
    [InlineData("110105200102290021", "birth date 20010229")]
    [InlineData("110105194913010021", "birth date 19491301")]
    [InlineData("110105000001010021", "birth date 00000101")]
    [InlineData("11010519491231002A", "should be 'X'")]
    [InlineData("620102198003020017", "should be '6'")]
    public void Malformed_number_is_refused_with_a_precise_reason(string? value, string reason)
    {
        var error = Refusal(value);

        Assert.Contains(reason, error.MessageEn, StringComparison.Ordinal);
        Assert.StartsWith("身份证号码无效:", error.MessageZh, StringComparison.Ordinal);
    }

    [Fact]
    public void Leap_day_birth_date_is_accepted()
    {
        var id = IdNumber.Create(RegionCode.Parse("110105"), new DateOnly(2000, 2, 29), 11);

        Assert.Equal(new DateOnly(2000, 2, 29), IdNumber.Parse(id.Value).BirthDate);
    }

    [Fact]
    public void Parse_throws_invalid_id_number()
    {
        var e = Assert.Throws<YibaoException>(() => IdNumber.Parse("110105194912310021"));

        Assert.Equal("invalid-id-number", e.Error.Code?.Value);
        Assert.Equal("110105194912310021", e.Error.Details["value"]);
    }

    [Fact]
    public void Create_builds_a_number_that_parses_back()
    {
        var id = IdNumber.Create(RegionCode.Parse("990102"), new DateOnly(1985, 3, 2), 123);

        Assert.Equal(id, IdNumber.Parse(id.Value));
        Assert.StartsWith("99010219850302123", id.Value, StringComparison.Ordinal);
        Assert.Equal("990102", id.AreaCode);
        Assert.Equal(Sex.Male, id.Sex);
    }

    [Fact]
    public void Create_reproduces_the_standard_sample()
    {
        Assert.Equal("11010519491231002X", IdNumber.Create(RegionCode.Parse("110105"), new DateOnly(1949, 12, 31), 2).Value);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1000)]
    public void Create_refuses_a_sequence_outside_three_digits(int sequence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IdNumber.Create(RegionCode.Demo, new DateOnly(1990, 1, 1), sequence));
    }

    [Theory]
    [InlineData("1101051949123100")]
    [InlineData("11010519491231002X")]
    [InlineData("1101051949123100A")]
    public void Check_character_needs_exactly_17_digits(string body)
    {
        Assert.Throws<ArgumentException>(() => IdNumber.ComputeCheckCharacter(body));
    }

    [Fact]
    public void Every_remainder_maps_to_its_check_character()
    {
        // A9: S mod 11 → 0→1, 1→0, 2→X, 3→9, … 10→2; walking the sequence hits every remainder.
        var seen = new HashSet<char>();
        for (var sequence = 0; sequence < 60; sequence++)
        {
            var id = IdNumber.Create(RegionCode.Demo, new DateOnly(1990, 1, 1), sequence);
            Assert.True(IdNumber.TryParse(id.Value, out _));
            seen.Add(id.Value[17]);
        }
        Assert.Equal("0123456789X".ToHashSet(), seen);
    }

    private static Refusal Refusal(string? value)
    {
        Assert.False(IdNumber.TryParse(value, out _, out var error));
        Assert.Equal("invalid-id-number", error.Code?.Value);
        return error;
    }
}
