using System.Globalization;
using Yibao.Domain.Errors;

namespace Yibao.Domain.Money;

/// <summary>
/// A rate or ratio (比例), kept exact as a decimal and never rounded (K1: 0.952 stays 0.952).
/// Applied to money only through <see cref="Money.MultiplyRoundHalfAwayFromZero(Rate)"/>.
/// </summary>
public readonly record struct Rate(decimal Value) : IComparable<Rate>
{
    public static Rate Zero => default;
    public static Rate One => new(1m);

    /// <summary>Parses <c>0.02</c> or <c>2%</c>.</summary>
    public static Rate Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new YibaoException(ErrorCatalog.InvalidRate(text ?? "", "为空", "empty"));
        var s = text.Trim();
        var percent = s.EndsWith('%');
        if (percent) s = s[..^1];
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            throw new YibaoException(ErrorCatalog.InvalidRate(text, "不是数字", "not a number"));
        return new Rate(percent ? v / 100m : v);
    }

    public static Rate FromPercent(decimal percent) => new(percent / 100m);

    public static Rate operator +(Rate a, Rate b) => new(a.Value + b.Value);
    public static Rate operator -(Rate a, Rate b) => new(a.Value - b.Value);
    public static Rate operator *(Rate a, Rate b) => new(a.Value * b.Value);

    public int CompareTo(Rate other) => Value.CompareTo(other.Value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
