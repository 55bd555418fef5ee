using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Time;

namespace Yibao.Server.Hosting;

/// <summary>
/// Query values arrive as text and are parsed here, so a malformed one is refused with the
/// domain's stable code (<c>invalid-date</c>, <c>invalid-paging</c>) instead of a bare 400.
/// </summary>
internal static class QueryValues
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>An ISO date, or <paramref name="fallback"/> when the value is absent.</summary>
    public static DateOnly DateOr(string? text, DateOnly fallback) =>
        string.IsNullOrEmpty(text) ? fallback : Dates.Parse(text);

    /// <summary>Both dates inclusive; the start may not be after the end.</summary>
    public static void RequireOrdered(DateOnly from, DateOnly to)
    {
        if (from > to) throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(from), Dates.Format(to)));
    }

    /// <summary><c>page</c> starts at 1; <c>pageSize</c> is 1–500 (default 50).</summary>
    public static (int Page, int PageSize) Paging(string? page, string? pageSize)
    {
        var p = 1;
        if (!string.IsNullOrEmpty(page) &&
            (!int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out p) || p < 1))
            throw new YibaoException(ErrorCatalog.InvalidPaging("page is a whole number starting at 1").With("page", page));
        var size = DefaultPageSize;
        if (!string.IsNullOrEmpty(pageSize) &&
            (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
            throw new YibaoException(ErrorCatalog.InvalidPaging($"pageSize is a whole number from 1 to {MaxPageSize}").With("pageSize", pageSize));
        return (p, size);
    }
}
