using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Yibao.Domain.Errors;

namespace Yibao.Server.Problems;

/// <summary>
/// Turns every exception that leaves an endpoint into problem details: a refusal
/// (<see cref="YibaoException"/>) keeps its code and status; a request the framework could not read
/// gets our code (<see cref="RequestErrors"/>); anything else is logged and answered as <c>internal-error</c> (500)
/// with no exception text or stack trace in the body.
/// </summary>
internal sealed partial class YibaoExceptionHandler(IProblemDetailsService problems, ILogger<YibaoExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        switch (exception)
        {
            case YibaoException refusal:
                LogRefusal(log, refusal.Error.Code.Value, httpContext.Request.Path);
                problem = YibaoProblems.From(refusal.Error);
                break;
            case BadHttpRequestException bad:
                // The framework's text is for the log; the answer is ours (RequestErrors).
                LogBadRequest(log, httpContext.Request.Path, bad.InnerException?.Message ?? bad.Message);
                problem = RequestErrors.From(bad, httpContext);
                break;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                // The client went away; there is nobody to answer.
                return true;
            default:
                LogFailure(log, exception, httpContext.Request.Method, httpContext.Request.Path);
                problem = YibaoProblems.From(Codes.InternalError.Refuse());
                break;
        }
        problem.Instance = httpContext.Request.Path;
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem })
            .ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Path}: {Code}")]
    private static partial void LogRefusal(ILogger logger, string code, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Malformed request to {Path}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure in {Method} {Path}")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, string path);
}
