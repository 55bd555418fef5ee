using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Server.Hosting;
using Yibao.Storage;

namespace Yibao.Server.Features.Insured;

/// <summary>A page of a region's insured people.</summary>
/// <param name="Region">The pooling region code.</param>
/// <param name="RegionName">Its name, e.g. 示例市.</param>
/// <param name="Page">This page, from 1.</param>
/// <param name="PageSize">People per page.</param>
/// <param name="Items">This page's people.</param>
/// <param name="Total">People in the region, over all pages.</param>
public sealed record InsuredPage(string Region, string RegionName, int Page, int PageSize, long Total, IReadOnlyList<InsuredPerson> Items);

/// <summary>参保人: who is insured in a region, and where their personal account is.</summary>
public static class InsuredEndpoints
{
    public static IEndpointRouteBuilder MapInsuredEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/regions/{region}/insured")
            .WithTags("Insured")
            .MapGet("/", ListAsync)
            .WithName("ListInsured")
            .WithSummary("Insured people of a region / 参保人名单")
            .WithDescription("The region's insured people in enrolment order, with the code of each personal account. " +
                             "Errors: `invalid-region-code`, `invalid-paging` (400), `unknown-region` (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<InsuredPage>> ListAsync(
        [Description("Pooling region code (six digits), e.g. `990100`.")] RegionCode region,
        [Description("Page number, from 1 (default 1).")] PageNumber? page,
        [Description("People per page, 1–500 (default 50).")] PageSize? pageSize,
        YibaoDatabase db,
        CancellationToken ct)
    {
        var code = region;
        var (p, size) = ((page ?? PageNumber.First).Value, (pageSize ?? PageSize.Default).Value);
        var name = await InsuredQueries.RegionNameAsync(db, code, ct).ConfigureAwait(false)
                   ?? throw new YibaoException(ErrorCatalog.UnknownRegion(code.Value));
        var (total, people) = await InsuredQueries.PageAsync(db, code, p, size, ct).ConfigureAwait(false);
        return TypedResults.Ok(new InsuredPage(code.Value, name, p, size, total, people));
    }
}
