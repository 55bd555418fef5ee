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
            throw new YibaoException(ErrorCatalog.InvalidAmount(yuan.ToString(CultureInfo.InvariantCulture), "小数超过两位", "more than two decimal places"));
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

    /// <summary>
    /// The one form amounts take in the API's JSON (the form <see cref="ToPlainString"/> writes): yuan,
    /// an optional minus, digits without leading zeros, at most two decimals — <c>286.50</c>, <c>286.5</c>,
    /// <c>0.05</c>, <c>-3</c>. Nothing else: no plus sign, spaces, thousands separators, exponent or 元
    /// (those are for people, <see cref="Parse"/>). <paramref name="why"/> / <paramref name="whyZh"/> say what is wrong.
    /// </summary>
    public static bool TryParsePlain(ReadOnlySpan<char> text, out Money money, out string? why, out string? whyZh)
    {
        money = Zero;
        why = null;
        whyZh = null;
        var s = text;
        var negative = s.StartsWith('-');
        if (negative) s = s[1..];
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var fraction = dot < 0 ? [] : s[(dot + 1)..];
        if (whole.IsEmpty || whole.ContainsAnyExceptInRange('0', '9') || fraction.ContainsAnyExceptInRange('0', '9') || (dot >= 0 && fraction.IsEmpty))
        {
            (why, whyZh) = text.IsEmpty ? ("it is empty", "为空")
                : text.ContainsAny('e', 'E') ? ("an exponent is not allowed", "不能用科学计数法")
                : text.ContainsAny(',', '，') ? ("thousands separators are not allowed", "不能有千分位分隔符")
                : text.ContainsAny(' ', '\t') || text.Contains('\u00A0') ? ("spaces are not allowed", "不能有空格")
                : text.StartsWith('+') ? ("a plus sign is not allowed", "不能带加号")
                : ("it is not a number of yuan", "不是以元为单位的数字");
            return false;
        }
        if (whole.Length > 1 && whole[0] == '0')
        {
            (why, whyZh) = ("leading zeros are not allowed", "整数部分不能有前导零");
            return false;
        }
        if (fraction.Length > 2)
        {
            (why, whyZh) = ("more than two decimals (amounts are in fen)", "小数超过两位(金额以分为单位)");
            return false;
        }
        // long.MaxValue fen has 19 digits: anything longer is out of range (and is not copied to the stack).
        if (whole.Length > 17)
        {
            (why, whyZh) = ("it is out of the representable range", "超出可表示的范围");
            return false;
        }
        Span<char> fen = stackalloc char[whole.Length + 2];
        whole.CopyTo(fen);
        fen[whole.Length] = fraction.Length > 0 ? fraction[0] : '0';
        fen[whole.Length + 1] = fraction.Length > 1 ? fraction[1] : '0';
        if (!long.TryParse(fen, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            (why, whyZh) = ("it is out of the representable range", "超出可表示的范围");
            return false;
        }
        money = new Money(negative ? -value : value);
        return true;
    }

    public static bool TryParse(string? text, out Money money, out Refusal? error)
    {
        money = Zero;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = ErrorCatalog.InvalidAmount(text ?? "", "为空", "empty");
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
            error = ErrorCatalog.InvalidAmount(text, "不是数字", "not a number");
            return false;
        }
        if (fracPart.Length > 2)
        {
            error = ErrorCatalog.InvalidAmount(text, "小数超过两位(金额精确到分)", "more than two decimal places (amounts are in fen)");
            return false;
        }
        if (!fracPart.All(char.IsAsciiDigit))
        {
            error = ErrorCatalog.InvalidAmount(text, "不是数字", "not a number");
            return false;
        }
        var digits = new StringBuilder();
        if (intPart.Contains(','))
        {
            var groups = intPart.Split(',');
            if (groups[0].Length is < 1 or > 3 || groups.Skip(1).Any(g => g.Length != 3))
            {
                error = ErrorCatalog.InvalidAmount(text, "千位分隔符位置不对", "misplaced thousands separator");
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
            error = ErrorCatalog.InvalidAmount(text, "不是数字", "not a number");
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
