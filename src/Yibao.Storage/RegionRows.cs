using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Storage;

/// <summary>
/// The <c>region</c> table is the list of pooling regions this database serves. A pack for a
/// region (or the national pack 000000) says what its rules are, not that it is served here, so
/// every writer that creates rows for a region asks this table first, inside its own transaction.
/// </summary>
public static class RegionRows
{
    /// <summary>Throws <c>unknown-region</c> when the region is not served by this database; reads in the caller's transaction.</summary>
    public static async Task RequireAsync(DbSession s, RegionCode region, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        await using var cmd = s.Command("SELECT COUNT(*) FROM region WHERE code = @r").With("r", region.Value);
        if (Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));
    }

    /// <summary>The same check on its own connection, for a read that writes nothing (a stream that must refuse before it starts).</summary>
    public static async Task RequireAsync(YibaoDatabase db, RegionCode region, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM region WHERE code = @r";
        cmd.With("r", region.Value);
        if (Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));
    }
}
