using Microsoft.AspNetCore.Http.HttpResults;

namespace Yibao.Server.Features.Errors;

public static class ErrorEndpoints
{
    public static IEndpointRouteBuilder MapErrorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/errors").WithTags("Errors")
            .MapGet("/", List)
            .WithName("ListErrorCodes")
            .WithSummary("Stable error codes / 错误代码")
            .WithDescription("Every code a problem-details answer can carry, with its HTTP status and a description in Chinese and English. Codes are never renamed or reused.");
        return app;
    }

    internal static Ok<IReadOnlyList<ErrorCodeInfo>> List() => TypedResults.Ok(ErrorCodes.All);
}
