using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Server.Problems;

namespace Yibao.Server.Features.Errors;

/// <summary>One result code as the API documents it, read from its declaration in <see cref="Codes"/>.</summary>
/// <param name="Code">The kebab-case code, also the last segment of the problem <c>type</c>.</param>
/// <param name="Status">The HTTP status it is answered with.</param>
/// <param name="Type">The problem <c>type</c> URI.</param>
/// <param name="MessageZh">What it means, in Chinese.</param>
/// <param name="MessageEn">What it means, in English.</param>
public sealed record ErrorCodeInfo(string Code, int Status, string Type, string MessageZh, string MessageEn)
{
    public static IReadOnlyList<ErrorCodeInfo> All { get; } =
        Codes.All.Select(c => new ErrorCodeInfo(c.Value, c.HttpStatus, YibaoProblems.TypeOf(c), c.MeaningZh, c.MeaningEn)).ToList();
}

public static class ErrorEndpoints
{
    public static IEndpointRouteBuilder MapErrorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/errors").WithTags("Errors")
            .MapGet("/", List)
            .WithName("ListErrorCodes")
            .WithSummary("Stable result codes / 结果代码")
            .WithDescription("Every code a problem-details answer can carry, with its HTTP status and what it means in Chinese and English, from the one declaration of each. Codes are never renamed or reused.");
        return app;
    }

    internal static Ok<IReadOnlyList<ErrorCodeInfo>> List() => TypedResults.Ok(ErrorCodeInfo.All);
}
