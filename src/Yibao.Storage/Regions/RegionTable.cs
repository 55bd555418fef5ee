using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Storage.Regions;

/// <summary>
/// The pooling regions this database serves (the <c>region</c> table): what "a known region" means
/// for every region-scoped read and write, in the server and the CLI alike.
/// </summary>
public static class RegionTable
{
    /// <summary>Every region code in the table.</summary>
    public static async Task<IReadOnlyList<RegionCode>> CodesAsync(YibaoDatabase db, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT code FROM region ORDER BY code";
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var codes = new List<RegionCode>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            // A row that is not six digits cannot be asked for by a parsed code; it is skipped, not fatal.
            if (RegionCode.TryParse(r.GetString(0), out var code)) codes.Add(code);
        }
        return codes;
    }

    /// <summary>Whether the region is in the table.</summary>
    public static async Task<bool> ExistsAsync(YibaoDatabase db, RegionCode region, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM region WHERE code = @r";
        cmd.With("r", region.Value);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is not (null or DBNull);
    }

    /// <summary>Throws <c>unknown-region</c> unless the region is in the table.</summary>
    public static async Task RequireAsync(YibaoDatabase db, RegionCode region, CancellationToken ct = default)
    {
        if (!await ExistsAsync(db, region, ct).ConfigureAwait(false))
            throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));
    }
}
