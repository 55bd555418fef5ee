using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Yibao.Domain.Errors;
using Yibao.Server.Hosting.Json;

namespace Yibao.Server.Problems;

/// <summary>
/// A request the framework could not read (<see cref="BadHttpRequestException"/>) as our problem:
/// a value our converters refused keeps its code and field; JSON that does not parse or has the
/// wrong shape is <c>invalid-json</c> (with the field, line and position the parser saw); a body of
/// another media type is <c>unsupported-media-type</c>; no body where one is read is
/// <c>missing-body</c>; anything else <c>bad-request</c>. The framework's own text ("Failed to read
/// parameter…", "Implicit body inferred…") never reaches the answer; it is logged.
/// </summary>
internal static class RequestErrors
{
    public static ProblemDetails From(BadHttpRequestException bad, HttpContext http)
    {
        if (FindJson(bad) is { } json) return YibaoProblems.From(JsonPaths.ErrorOf(json));
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return YibaoProblems.From(Codes.UnsupportedMediaType.Refuse()
                .With("contentType", http.Request.ContentType ?? "").With("expected", "application/json"));
        if (ReadsBody(http) && !HasBody(http.Request)) return YibaoProblems.From(ErrorCatalog.MissingBody());
        return YibaoProblems.From(YibaoProblems.ForStatus(bad.StatusCode).Refuse());
    }

    private static JsonException? FindJson(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json) return json;
        }
        return null;
    }

    /// <summary>Whether the endpoint reads a body; the exception handler has cleared the endpoint, its feature still knows it.</summary>
    private static bool ReadsBody(HttpContext http) =>
        (http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint())?.Metadata.GetMetadata<IAcceptsMetadata>() is not null;

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
