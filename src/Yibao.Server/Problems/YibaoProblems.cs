using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Yibao.Domain.Errors;
using Yibao.Server.Contracts;

namespace Yibao.Server.Problems;

/// <summary>
/// The one place a refusal becomes an answer: an RFC 9457 problem document with a stable
/// <c>type</c> URI per result code, the English message as <c>title</c>, the Chinese one as
/// <c>detail</c>, the status the code is declared with, and the extensions <c>code</c>,
/// <c>messageZh</c>, <c>messageEn</c>, <c>details</c> and (for a decision's refusal) <c>reasons</c>.
/// Endpoints that answer an <see cref="Outcome{T}"/>, the exception handler and the status-code
/// pages all go through here.
/// </summary>
public static class YibaoProblems
{
    /// <summary>Prefix of every problem <c>type</c>; the code completes it.</summary>
    public const string TypeBase = "https://yibao.local/errors/";

    public static string TypeOf(ResultCode code) => TypeBase + code.Value;

    public static ProblemDetails From(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var problem = new ProblemDetails
        {
            Type = TypeOf(refusal.Code),
            Title = refusal.MessageEn,
            Detail = refusal.MessageZh,
            Status = refusal.Code.HttpStatus,
        };
        problem.Extensions["code"] = refusal.Code.Value;
        problem.Extensions["messageZh"] = refusal.MessageZh;
        problem.Extensions["messageEn"] = refusal.MessageEn;
        problem.Extensions["details"] = new SortedDictionary<string, string>(
            refusal.Details.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), StringComparer.Ordinal);
        if (refusal.Reasons.Count > 0) problem.Extensions["reasons"] = ReasonResponse.From(refusal.Reasons);
        return problem;
    }

    /// <summary>The refusal as an endpoint's typed result.</summary>
    public static ProblemHttpResult Result(Refusal refusal) => TypedResults.Problem(From(refusal));

    /// <summary>
    /// Fills in a problem the framework wrote on its own (an unknown route, a wrong method):
    /// it gets a stable code like every other refusal.
    /// </summary>
    internal static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var code = ForStatus(status);
        var refusal = code.Refuse()
            .With("path", context.HttpContext.Request.Path.ToString())
            .With("status", status.ToString(CultureInfo.InvariantCulture));
        // The framework refuses a body of another media type without a word: say what came and what is read.
        if (status == StatusCodes.Status415UnsupportedMediaType)
            refusal = refusal.With("contentType", context.HttpContext.Request.ContentType ?? "").With("expected", "application/json");
        var filled = From(refusal);
        problem.Type = filled.Type;
        problem.Title = filled.Title;
        problem.Detail = filled.Detail;
        foreach (var (key, value) in filled.Extensions) problem.Extensions[key] = value;
        problem.Instance ??= context.HttpContext.Request.Path;
    }

    /// <summary>The code for a bare status the framework answered with.</summary>
    internal static ResultCode ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => Codes.NotFound,
        StatusCodes.Status405MethodNotAllowed => Codes.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => Codes.PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => Codes.UnsupportedMediaType,
        StatusCodes.Status503ServiceUnavailable => Codes.ServiceUnavailable,
        >= 500 => Codes.InternalError,
        _ => Codes.BadRequest,
    };
}
