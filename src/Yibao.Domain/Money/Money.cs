using System.Globalization;
using System.Text;
using Yibao.Domain.Errors;

namespace Yibao.Domain.Money;

/// <summary>
/// An amount of renminbi in integer fen (分). Arithmetic is checked: an overflow is an
/// <c>amount-out-of-range</c> error, never a wrap-around. There is no conversion from
/// <see cref="double"/>; decimals enter only through <see cref="Parse"/> or a named rounding.
/// </summary>
public readonly record struct Money : IComparable<Money>
{
    public long Fen { get; }

    private Money(long fen) => Fen = fen;

    public static Money Zero => default;

    public static Money FromFen(long fen) => new(fen);

    /// <summary>An exact yuan amount; more than two decimals is an error, not a rounding.</summary>
    public static Money FromYuan(decimal yuan)
    {
        var fen = yuan * 100m;
        if (fen != decimal.Truncate(fen))
            throw new YibaoException(ErrorCatalog.InvalidAmount(yuan.ToString(CultureInfo.InvariantCulture), "more than two decimal places"));
        if (fen > long.MaxValue || fen < long.MinValue)
            throw new YibaoException(ErrorCatalog.AmountOutOfRange(yuan.ToString(CultureInfo.InvariantCulture)));
        return new Money((long)fen);
    }

    /// <summary>
    /// Rounds a yuan amount to the fen, half away from zero (K1): 0.005 → 0.01, −0.005 → −0.01.
    /// The only place where a fraction of a fen is dropped; callers name why they round.
    /// </summary>
    public static Money RoundHalfAwayFromZero(decimal yuan)
    {
        var fen = Math.Round(yuan * 100m, 0, MidpointRounding.AwayFromZero);
        if (fen > long.MaxValue || fen < long.MinValue)
            throw new YibaoException(ErrorCatalog.AmountOutOfRange(yuan.ToString(CultureInfo.InvariantCulture)));
        return new Money((long)fen);
    }

    /// <summary><c>round(this × rate)</c> to the fen, half away from zero (K1).</summary>
    public Money MultiplyRoundHalfAwayFromZero(Rate rate) => RoundHalfAwayFromZero(Yuan * rate.Value);

    /// <summary><c>round(this × factor)</c> to the fen, half away from zero, for a plain factor such as a day count × daily rate.</summary>
    public Money MultiplyRoundHalfAwayFromZero(decimal factor) => RoundHalfAwayFromZero(Yuan * factor);

    public decimal Yuan => Fen / 100m;
    public bool IsZero => Fen == 0;
    public bool IsNegative => Fen < 0;
    public bool IsPositive => Fen > 0;

    // Checked arithmetic without closures: money arithmetic sits on hot paths (settlement).
    public static Money operator +(Money a, Money b)
    {
        try { return new Money(checked(a.Fen + b.Fen)); }
        catch (OverflowException) { throw Overflow(a, "+", b); }
    }

    public static Money operator -(Money a, Money b)
    {
        try { return new Money(checked(a.Fen - b.Fen)); }
        catch (OverflowException) { throw Overflow(a, "-", b); }
    }

    public static Money operator -(Money a)
    {
        try { return new Money(checked(-a.Fen)); }
        catch (OverflowException) { throw Overflow(Zero, "-", a); }
    }

    public static bool operator <(Money a, Money b) => a.Fen < b.Fen;
    public static bool operator >(Money a, Money b) => a.Fen > b.Fen;
    public static bool operator <=(Money a, Money b) => a.Fen <= b.Fen;
    public static bool operator >=(Money a, Money b) => a.Fen >= b.Fen;

    public static Money Min(Money a, Money b) => a <= b ? a : b;
    public static Money Max(Money a, Money b) => a >= b ? a : b;

    public static Money Sum(IEnumerable<Money> amounts)
    {
        var total = Zero;
        foreach (var m in amounts) total += m;
        return total;
    }

    public int CompareTo(Money other) => Fen.CompareTo(other.Fen);

    private static YibaoException Overflow(Money a, string op, Money b) =>
        new(ErrorCatalog.AmountOutOfRange($"{a.ToPlainString()} {op} {b.ToPlainString()}"));

    /// <summary>Plain machine form: <c>-1234.56</c>, two decimals, no grouping (the case and API format).</summary>
    public string ToPlainString()
    {
        var abs = Fen < 0 ? -(decimal)Fen : Fen;
        var s = (abs / 100m).ToString("0.00", CultureInfo.InvariantCulture);
        return Fen < 0 ? "-" + s : s;
    }

    /// <summary>Display form: <c>1,234.56 元</c>.</summary>
    public override string ToString()
    {
        var abs = Fen < 0 ? -(decimal)Fen : Fen;
        var s = (abs / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
        return (Fen < 0 ? "-" : "") + s + " 元";
    }

    /// <summary>
    /// Parses <c>1234.56</c>, <c>1,234.56</c>, <c>1,234.56 元</c>, <c>-3</c>, <c>0.5</c>.
    /// Grouping commas must be in groups of three; at most two decimals; no exponent.
    /// </summary>
    public static Money Parse(string? text) =>
        TryParse(text, out var money, out var error) ? money : throw new YibaoException(error!);

    /// <summary>
    /// An amount a person or a system asks to move (a spend, a payout): more than zero, at most
    /// two decimals, within range. Used at the edges; the ledger itself works in signed postings.
    /// </summary>
    public static Money ParsePositive(string? text, string field = "amount")
    {
        var money = Parse(text);
        if (!money.IsPositive) throw new YibaoException(ErrorCatalog.AmountNotPositive(text ?? "").With("field", field));
        return money;
    }

    public static bool TryParse(string? text, out Money money, out Refusal? error)
    {
        money = Zero;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = ErrorCatalog.InvalidAmount(text ?? "", "empty");
            return false;
        }
        var s = text.Trim();
        if (s.EndsWith('元')) s = s[..^1].TrimEnd();
        var negative = false;
        if (s.StartsWith('-')) { negative = true; s = s[1..]; }
        else if (s.StartsWith('+')) s = s[1..];

        var dot = s.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? s : s[..dot];
        var fracPart = dot < 0 ? "" : s[(dot + 1)..];
        if (intPart.Length == 0 || (dot >= 0 && fracPart.Length == 0))
        {
            error = ErrorCatalog.InvalidAmount(text, "not a number");
            return false;
        }
        if (fracPart.Length > 2)
        {
            error = ErrorCatalog.InvalidAmount(text, "more than two decimal places (amounts are in fen)");
            return false;
        }
        if (!fracPart.All(char.IsAsciiDigit))
        {
            error = ErrorCatalog.InvalidAmount(text, "not a number");
            return false;
        }
        var digits = new StringBuilder();
        if (intPart.Contains(','))
        {
            var groups = intPart.Split(',');
            if (groups[0].Length is < 1 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                error = ErrorCatalog.InvalidAmount(text, "misplaced thousands separator");
                return false;
            }
            foreach (var g in groups) digits.Append(g);
        }
        else
        {
            digits.Append(intPart);
        }
        if (!digits.ToString().All(char.IsAsciiDigit))
        {
            error = ErrorCatalog.InvalidAmount(text, "not a number");
            return false;
        }
        var fenText = digits.ToString() + fracPart.PadRight(2, '0');
        if (!long.TryParse(fenText, NumberStyles.None, CultureInfo.InvariantCulture, out var fen))
        {
            error = ErrorCatalog.AmountOutOfRange(text);
            return false;
        }
        money = new Money(negative ? -fen : fen);
        return true;
    }
}
