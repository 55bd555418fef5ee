using Yibao.Domain.Errors;
using Yibao.Domain.Money;

namespace Yibao.Domain.Tests.Money;

public class MoneyTests
{
    [Theory]
    [InlineData("1234.56", 123456)]
    [InlineData("1,234.56", 123456)]
    [InlineData("1,234.56 元", 123456)]
    [InlineData("1234.56元", 123456)]
    [InlineData("0.5", 50)]
    [InlineData("7", 700)]
    [InlineData("-3.00", -300)]
    [InlineData("1,000,000.01", 100000001)]
    [InlineData("  16405.00 ", 1640500)]
    public void Parses_yuan_into_exact_fen(string text, long fen) =>
        Assert.Equal(fen, Yibao.Domain.Money.Money.Parse(text).Fen);

    [Theory]
    [InlineData("1.234", "invalid-amount")]
    [InlineData("0.001", "invalid-amount")]
    [InlineData("12,34.00", "invalid-amount")]
    [InlineData("1,2345.00", "invalid-amount")]
    [InlineData("abc", "invalid-amount")]
    [InlineData("", "invalid-amount")]
    [InlineData("1e5", "invalid-amount")]
    [InlineData("1.", "invalid-amount")]
    [InlineData(".5", "invalid-amount")]
    [InlineData("--1", "invalid-amount")]
    [InlineData("99999999999999999999.00", "amount-out-of-range")]
    public void Malformed_amounts_are_refused_with_a_code(string text, string code)
    {
        Assert.False(Yibao.Domain.Money.Money.TryParse(text, out _, out var error));
        Assert.Equal(code, error!.Code?.Value);
        Assert.NotEmpty(error.MessageZh);
        Assert.NotEmpty(error.MessageEn);
        var thrown = Assert.Throws<YibaoException>(() => Yibao.Domain.Money.Money.Parse(text));
        Assert.Equal(code, thrown.Error.Code?.Value);
    }

    [Theory]
    [InlineData(123456, "1,234.56 元", "1234.56")]
    [InlineData(-5, "-0.05 元", "-0.05")]
    [InlineData(0, "0.00 元", "0.00")]
    [InlineData(100000000, "1,000,000.00 元", "1000000.00")]
    public void Formats_for_people_and_for_machines(long fen, string display, string plain)
    {
        var m = Yibao.Domain.Money.Money.FromFen(fen);
        Assert.Equal(display, m.ToString());
        Assert.Equal(plain, m.ToPlainString());
        Assert.Equal(m, Yibao.Domain.Money.Money.Parse(display));
    }

    [Theory]
    [InlineData("0.005", 1)]
    [InlineData("0.0049", 0)]
    [InlineData("-0.005", -1)]
    [InlineData("2.675", 268)]
    [InlineData("120.125", 12013)]
    public void Rounding_is_half_away_from_zero_to_the_fen(string yuan, long fen) =>
        Assert.Equal(fen, Yibao.Domain.Money.Money.RoundHalfAwayFromZero(decimal.Parse(yuan, System.Globalization.CultureInfo.InvariantCulture)).Fen);

    [Fact]
    public void Base_times_rate_rounds_once_half_away_from_zero()
    {
        // K1: credit = round(base × rate); 6,000.00 × 2% = 120.00; 4,321.25 × 2% = 86.425 → 86.43.
        Assert.Equal("120.00", Yibao.Domain.Money.Money.Parse("6000.00").MultiplyRoundHalfAwayFromZero(Rate.Parse("2%")).ToPlainString());
        Assert.Equal("86.43", Yibao.Domain.Money.Money.Parse("4321.25").MultiplyRoundHalfAwayFromZero(Rate.Parse("0.02")).ToPlainString());
        // A retiree ratio is exact and never rounded: 0.952 stays 0.952 (K1).
        Assert.Equal(0.952m, (Rate.One - new Rate(0.6m) * (Rate.One - new Rate(0.92m))).Value);
    }

    [Fact]
    public void Arithmetic_overflow_is_an_error_not_a_wrap_around()
    {
        var max = Yibao.Domain.Money.Money.FromFen(long.MaxValue);
        Assert.Equal("amount-out-of-range", Assert.Throws<YibaoException>(() => max + Yibao.Domain.Money.Money.FromFen(1)).Error.Code?.Value);
        Assert.Equal("amount-out-of-range", Assert.Throws<YibaoException>(() => -Yibao.Domain.Money.Money.FromFen(long.MinValue)).Error.Code?.Value);
    }

    [Theory]
    [InlineData("-5.00", "amount-not-positive")]
    [InlineData("0.00", "amount-not-positive")]
    [InlineData("0", "amount-not-positive")]
    [InlineData("5.001", "invalid-amount")]
    [InlineData("99999999999999999999", "amount-out-of-range")]
    public void An_amount_to_move_must_be_positive_exact_and_in_range(string text, string code) =>
        Assert.Equal(code, Assert.Throws<YibaoException>(() => Yibao.Domain.Money.Money.ParsePositive(text)).Error.Code?.Value);

    [Fact]
    public void FromYuan_refuses_fractions_of_a_fen() =>
        Assert.Equal("invalid-amount", Assert.Throws<YibaoException>(() => Yibao.Domain.Money.Money.FromYuan(1.001m)).Error.Code?.Value);

    [Theory]
    [InlineData("2%", "0.02")]
    [InlineData("0.952", "0.952")]
    [InlineData("0.0005", "0.0005")]
    public void Rates_parse_as_exact_decimals(string text, string value) =>
        Assert.Equal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Rate.Parse(text).Value);

    [Fact]
    public void Malformed_rate_is_refused() =>
        Assert.Equal("invalid-rate", Assert.Throws<YibaoException>(() => Rate.Parse("two percent")).Error.Code.Value);

    [Theory]
    [InlineData("286.50", 28650)]
    [InlineData("286.5", 28650)]
    [InlineData("286", 28600)]
    [InlineData("0", 0)]
    [InlineData("0.05", 5)]
    [InlineData("-3", -300)]
    [InlineData("92233720368547758.07", long.MaxValue)]
    public void The_API_form_is_yuan_with_at_most_two_decimals(string text, long fen)
    {
        Assert.True(Yibao.Domain.Money.Money.TryParsePlain(text, out var money, out var why, out _), why);
        Assert.Equal(fen, money.Fen);
    }

    [Theory]
    [InlineData("+1.00", "plus")]
    [InlineData(" 1.00", "spaces")]
    [InlineData("1.00 ", "spaces")]
    [InlineData("1,000.00", "thousands")]
    [InlineData("1e3", "exponent")]
    [InlineData("1.234", "two decimals")]
    [InlineData("10.500", "two decimals")]
    [InlineData("01.00", "leading zeros")]
    [InlineData("1.", "not a number")]
    [InlineData(".5", "not a number")]
    [InlineData("", "empty")]
    [InlineData("1.00元", "not a number")]
    [InlineData("-", "not a number")]
    [InlineData("92233720368547758.08", "range")]
    [InlineData("1000000000000000000000000", "range")]
    public void Anything_else_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(Yibao.Domain.Money.Money.TryParsePlain(text, out _, out var why, out var whyZh));
        Assert.Contains(reason, why, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(whyZh));
    }
}
