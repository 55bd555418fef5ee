using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Money;
using Yibao.Domain.Time;

namespace Yibao.Server.Hosting;

/// <summary>
/// Query values arrive as text and are parsed here, so a malformed one is refused with the
/// domain's stable code (<c>invalid-date</c>, <c>invalid-amount</c>) instead of a bare 400.
/// </summary>
internal static class QueryValues
{
    /// <summary>An ISO date, or <paramref name="fallback"/> when the value is absent.</summary>
    public static DateOnly DateOr(string? text, DateOnly fallback) =>
        string.IsNullOrEmpty(text) ? fallback : Dates.Parse(text);

    /// <summary>Both dates inclusive; the start may not be after the end.</summary>
    public static void RequireOrdered(DateOnly from, DateOnly to)
    {
        if (from > to) throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(from), Dates.Format(to)));
    }

    /// <summary>An amount in a query string, by the same rule as in a JSON body (<see cref="Money.TryParsePlain"/>); null when absent.</summary>
    public static Money? AmountOrNull(string? text, string field)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return Money.TryParsePlain(text, out var money, out var why, out var whyZh)
            ? money
            : throw new YibaoException(ErrorCatalog.AmountNotPlain(field, text, why!, whyZh!));
    }

}

/// <summary><c>page</c>: a whole number from 1 (default 1); checked before binding (<see cref="TypedValues"/>), a bad one is <c>invalid-paging</c>.</summary>
public readonly record struct PageNumber(int Value) : IParsable<PageNumber>
{
    public static PageNumber First => new(1);

    internal static Refusal? Check(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1
            ? null
            : ErrorCatalog.InvalidPaging("页码是从 1 开始的整数", "page is a whole number starting at 1").With("page", text);

    public static PageNumber Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var page) ? page : throw new YibaoException(Check(s ?? "")!);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out PageNumber result)
    {
        result = default;
        if (s is null || Check(s) is not null) return false;
        result = new PageNumber(int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary><c>pageSize</c>: 1–500 (default 50); checked before binding (<see cref="TypedValues"/>), a bad one is <c>invalid-paging</c>.</summary>
public readonly record struct PageSize(int Value) : IParsable<PageSize>
{
    public const int Max = 500;
    public static PageSize Default => new(50);

    internal static Refusal? Check(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= Max
            ? null
            : ErrorCatalog.InvalidPaging($"每页条数是 1 到 {Max} 之间的整数", $"pageSize is a whole number from 1 to {Max}").With("pageSize", text);

    public static PageSize Parse(string s, IFormatProvider? provider) =>
        TryParse(s, provider, out var size) ? size : throw new YibaoException(Check(s ?? "")!);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out PageSize result)
    {
        result = default;
        if (s is null || Check(s) is not null) return false;
        result = new PageSize(int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
        return true;
    }
}
