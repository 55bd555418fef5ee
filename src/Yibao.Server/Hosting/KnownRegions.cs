using System.Collections.Frozen;
using Yibao.Domain.Regions;
using Yibao.Storage;
using Yibao.Storage.Regions;

namespace Yibao.Server.Hosting;

/// <summary>
/// The region table as the edge asks it, once per request with a <c>{region}</c>: a set read at the
/// first question and read again on every miss, so a known region costs no query and a region
/// created after start (another process, an import) is seen at its first request. Regions are
/// never removed, so a hit is never stale.
/// </summary>
public sealed class KnownRegions(YibaoDatabase db)
{
    private volatile FrozenSet<RegionCode> _codes = FrozenSet<RegionCode>.Empty;

    public async ValueTask<bool> ContainsAsync(RegionCode region, CancellationToken ct)
    {
        if (_codes.Contains(region)) return true;
        var fresh = (await RegionTable.CodesAsync(db, ct).ConfigureAwait(false)).ToFrozenSet();
        _codes = fresh;
        return fresh.Contains(region);
    }
}
