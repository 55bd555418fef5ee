using System.Globalization;
using Yibao.Domain.Errors;

namespace Yibao.Domain.Time;

/// <summary>Parsing and formatting of calendar dates at the edges (ISO <c>YYYY-MM-DD</c> only).</summary>
public static class Dates
{
    public static DateOnly Parse(string? text) =>
        TryParse(text, out var d) ? d : throw new YibaoException(ErrorCatalog.InvalidDate(text ?? ""));

    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Today in China Standard Time (UTC+8, no DST) from the given clock; domain code never reads the wall clock.</summary>
    public static DateOnly TodayInChina(TimeProvider clock) =>
        DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8));
}
