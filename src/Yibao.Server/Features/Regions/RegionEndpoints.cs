using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Server.Hosting;
using Yibao.Storage;

namespace Yibao.Server.Features.Regions;

/// <summary>A pooling region (统筹地区) served by this database.</summary>
public sealed record RegionSummary(string Code, string Name, DateOnly CreatedOn, long Insured);

/// <summary>统筹地区: which regions this database serves.</summary>
public static class RegionEndpoints
{
    public static IEndpointRouteBuilder MapRegionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/regions")
            .WithTags("Regions")
            .MapGet("/", ListAsync)
            .WithName("ListRegions")
            .WithSummary("Pooling regions / 统筹地区")
            .WithDescription("The pooling regions served by this database, with how many insured people each has.");
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<RegionSummary>>> ListAsync(YibaoDatabase db, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.Sql(
            "SELECT r.code, r.name, r.created_on, (SELECT COUNT(*) FROM insured i WHERE i.region_code = r.code) " +
            "FROM region r ORDER BY r.code");
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var regions = new List<RegionSummary>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            regions.Add(new RegionSummary(r.GetString(0), r.GetString(1), r.GetFieldValue<DateOnly>(2),
                Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture)));
        return TypedResults.Ok<IReadOnlyList<RegionSummary>>(regions);
    }
}
