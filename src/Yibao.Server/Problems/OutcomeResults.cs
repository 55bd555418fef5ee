using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;

namespace Yibao.Server.Problems;

/// <summary>An endpoint's answer from a store's <see cref="Outcome{T}"/>: the value as the endpoint shapes it, or the refusal's problem document.</summary>
public static class OutcomeResults
{
    public static Results<Ok<TResponse>, ProblemHttpResult> Ok<T, TResponse>(Outcome<T> outcome, Func<T, TResponse> response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return outcome.IsRefused ? YibaoProblems.Result(outcome.Refusal!) : TypedResults.Ok(response(outcome.Value));
    }
}
