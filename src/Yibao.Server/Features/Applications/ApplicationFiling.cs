using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Time;
using Yibao.Server.Problems;
using Yibao.Storage.Applications;

namespace Yibao.Server.Features.Applications;

/// <summary>Filing and checking an application, the same for both kinds: the kinds' endpoints build the submission, this answers.</summary>
internal static class ApplicationFiling
{
    /// <summary>The check (nothing written): the decision on today's facts, with the balance it saw.</summary>
    public static async Task<Ok<CheckResponse>> CheckAsync(ApplicationSubmission submission, ApplicationStore store, CancellationToken ct)
    {
        var decision = await store.CheckAsync(submission, ct).ConfigureAwait(false);
        var balance = decision.Withdrawal?.Payout is { IsPositive: true } payout ? payout
            : decision.Transfer is { } t ? t.SourceBalanceAfter + t.TargetCredit + t.PaidToBank : Domain.Money.Money.Zero;
        return TypedResults.Ok(new CheckResponse(submission.Kind.Code(), balance.ToPlainString(), DecisionResponse.From(decision)));
    }

    /// <summary>201 with the application; 200 <c>replayed: true</c> for a retry with the same key; the decision's refusal otherwise.</summary>
    public static async Task<Results<Created<ApplicationResponse>, Ok<ApplicationResponse>, ProblemHttpResult>> SubmitAsync(
        ApplicationSubmission submission, ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await store.SubmitAsync(submission, ApplicationContracts.Applicant(submission.Agent, submission.IdNumber), ct).ConfigureAwait(false);
        if (outcome.IsRefused) return YibaoProblems.Result(outcome.Refusal!);
        var result = outcome.Value;
        var response = ApplicationResponse.From(result.Application, Dates.TodayInChina(clock), result.Replayed);
        return result.Replayed
            ? TypedResults.Ok(response)
            : TypedResults.Created($"/api/insured/{response.Region}/{response.IdNumber}/applications/{response.Id}", response);
    }
}
