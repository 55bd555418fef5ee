using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Yibao.Domain.Errors;
using Yibao.Server.Features.Errors;

namespace Yibao.Server.Problems;

/// <summary>
/// RFC 9457 problem details for every refusal: a stable <c>type</c> URI per error code, the
/// English message as <c>title</c>, the Chinese one as <c>detail</c>, and the extensions
/// <c>code</c>, <c>messageZh</c>, <c>messageEn</c> and <c>details</c> that clients switch on.
/// </summary>
public static class YibaoProblems
{
    /// <summary>Prefix of every problem <c>type</c>; the code completes it.</summary>
    public const string TypeBase = "https://yibao.local/errors/";

    public static string TypeOf(string code) => TypeBase + code;

    /// <summary>HTTP status of an error kind (DESIGN: Invalid 400, NotFound 404, Conflict 409, Rule 422).</summary>
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Invalid => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Rule => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemDetails From(YibaoError error) =>
        Create(error.Code, StatusOf(error.Kind), error.MessageZh, error.MessageEn, error.Details);

    /// <summary>The problem for a refusal that is the server's own (no route, unexpected failure).</summary>
    public static ProblemDetails From(ServerError error, string? messageEn = null, IReadOnlyDictionary<string, string>? details = null) =>
        Create(error.Code, error.Status, error.MessageZh, messageEn ?? error.MessageEn, details);

    private static ProblemDetails Create(string code, int status, string messageZh, string messageEn, IReadOnlyDictionary<string, string>? details)
    {
        var problem = new ProblemDetails
        {
            Type = TypeOf(code),
            Title = messageEn,
            Detail = messageZh,
            Status = status,
        };
        problem.Extensions["code"] = code;
        problem.Extensions["messageZh"] = messageZh;
        problem.Extensions["messageEn"] = messageEn;
        problem.Extensions["details"] = new SortedDictionary<string, string>(
            details?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) ?? [], StringComparer.Ordinal);
        return problem;
    }

    /// <summary>
    /// Fills in a problem the framework wrote on its own (an unknown route, a wrong method):
    /// it gets a stable code like every other refusal.
    /// </summary>
    internal static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var error = ServerErrors.ForStatus(status);
        var details = new Dictionary<string, string>
        {
            ["path"] = context.HttpContext.Request.Path.ToString(),
            ["status"] = status.ToString(CultureInfo.InvariantCulture),
        };
        // The framework refuses a body of another media type without a word: say what came and what is read.
        if (status == StatusCodes.Status415UnsupportedMediaType)
        {
            details["contentType"] = context.HttpContext.Request.ContentType ?? "";
            details["expected"] = "application/json";
        }
        var filled = From(error, details: details);
        problem.Type = filled.Type;
        problem.Title = filled.Title;
        problem.Detail ??= filled.Detail;
        foreach (var (key, value) in filled.Extensions) problem.Extensions[key] = value;
        problem.Instance ??= context.HttpContext.Request.Path;
    }
}
