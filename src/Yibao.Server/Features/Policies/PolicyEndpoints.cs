using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Server.Hosting;

namespace Yibao.Server.Features.Policies;

/// <summary>政策包: the merged policy of a region on a day, every value with its provenance and source.</summary>
public static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/policies").WithTags("Policies");

        group.MapGet("/", ListRegions)
            .WithName("ListPolicyRegions")
            .WithSummary("Regions with a policy pack / 已配置政策的统筹地区");

        group.MapGet("/{region}", GetPolicy)
            .WithName("GetRegionPolicy")
            .WithSummary("A region's policy on a day / 某日适用的统筹地区政策")
            .WithDescription("National → province → city merged for the day: each rule's value, provenance (official, official-local, memory, seed, example, convention — " +
                             "example values are not real numbers), source, defining region and version, file and line. `versionId` is what ledger entries record. " +
                             "Errors: `invalid-region-code`, `invalid-date` (400), `unknown-region` (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            // A policy needs no data: the region is known when a pack exists, whatever the database holds.
            .RegionKnownBy(RegionScope.PolicyPack);
        return app;
    }

    internal static Ok<JsonArray> ListRegions(PolicyBook book) =>
        TypedResults.Ok(new JsonArray(book.Packs.OrderBy(p => p.Region).Select(p => (JsonNode?)new JsonObject
        {
            ["region"] = p.Region.Value,
            ["name"] = p.Name,
            ["parent"] = p.Parent?.Value,
            ["versions"] = p.Versions.Count,
        }).ToArray()));

    internal static Ok<JsonObject> GetPolicy(
        [Description("Six-digit region code (GB/T 2260), e.g. 990100.")] RegionCode region,
        [Description("The day, YYYY-MM-DD (default: today in China).")] string? date,
        PolicyBook book,
        TimeProvider clock)
    {
        var day = QueryValues.DateOr(date, Dates.TodayInChina(clock));
        return TypedResults.Ok(PolicyJson.Render(book.For(region, day)));
    }
}
