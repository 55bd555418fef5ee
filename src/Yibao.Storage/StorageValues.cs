using System.Data.Common;
using System.Globalization;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage;

/// <summary>How values cross the two engines: timestamps (timestamptz on PostgreSQL, ISO-8601 text on SQLite), integers and fen read back.</summary>
internal static class StorageValues
{
    public static object Timestamp(Engine engine, DateTimeOffset at) =>
        engine == Engine.Postgres ? at.ToUniversalTime() : at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// A time as both engines keep it (PostgreSQL's timestamptz holds microseconds), so a row built
    /// in memory after a write says exactly what reading it back would.
    /// </summary>
    public static DateTimeOffset Stored(DateTimeOffset at) =>
        new DateTimeOffset(at.UtcTicks - at.UtcTicks % (TimeSpan.TicksPerMillisecond / 1000), TimeSpan.Zero);

    public static DateTimeOffset? ReadTimestamp(DbDataReader r, int i)
    {
        if (r.IsDBNull(i)) return null;
        return r.GetValue(i) switch
        {
            DateTimeOffset o => o,
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            var v => throw new InvalidOperationException($"unexpected timestamp {v}"),
        };
    }

    public static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    public static DMoney Fen(DbDataReader r, int i) => DMoney.FromFen(Long(r, i));

    public static DateOnly? DateOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateOnly>(i);

    public static string? StringOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
