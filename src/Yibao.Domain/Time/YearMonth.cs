using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Yibao.Domain.Errors;

namespace Yibao.Domain.Time;

/// <summary>A calendar month (e.g. a contribution or credit month, 2025-05).</summary>
public readonly record struct YearMonth(int Year, int Month) : IComparable<YearMonth>, IParsable<YearMonth>
{
    public static YearMonth Of(DateOnly date) => new(date.Year, date.Month);

    public static YearMonth Parse(string? text) =>
        TryParse(text, out var ym) ? ym : throw new YibaoException(ErrorCatalog.InvalidMonth(text ?? ""));

    public static bool TryParse(string? text, out YearMonth value)
    {
        value = default;
        if (text is null || text.Length != 7 || text[4] != '-') return false;
        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return false;
        if (!int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (y < 1 || m is < 1 or > 12) return false;
        value = new YearMonth(y, m);
        return true;
    }

    // IParsable: the framework binds a route value with these (the server validates it first, so a bad one answers invalid-month).
    static YearMonth IParsable<YearMonth>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<YearMonth>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out YearMonth result) => TryParse(s, out result);

    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    public YearMonth AddMonths(int months)
    {
        var index = Year * 12 + (Month - 1) + months;
        return new YearMonth(index / 12, index % 12 + 1);
    }

    /// <summary>Whole months from this to <paramref name="other"/> (2025-02 → 2025-06 is 4).</summary>
    public int MonthsUntil(YearMonth other) => (other.Year * 12 + other.Month) - (Year * 12 + Month);

    public int CompareTo(YearMonth other) => (Year, Month).CompareTo((other.Year, other.Month));
    public static bool operator <(YearMonth a, YearMonth b) => a.CompareTo(b) < 0;
    public static bool operator >(YearMonth a, YearMonth b) => a.CompareTo(b) > 0;
    public static bool operator <=(YearMonth a, YearMonth b) => a.CompareTo(b) <= 0;
    public static bool operator >=(YearMonth a, YearMonth b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
