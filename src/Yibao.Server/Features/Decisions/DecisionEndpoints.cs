using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Server.Features.Decisions;

/// <summary>A question to a decision: the region, the day it is asked, and the kind's input (the acceptance-case shape).</summary>
public sealed record DecisionRequest(
    [property: Description("Six-digit region code, e.g. 990100.")] string? Region,
    [property: Description("The day the question is asked, YYYY-MM-DD; selects the policy version (default: today in China).")] string? Date,
    [property: Description("The input of the kind, as in the acceptance cases (see tests/acceptance/README.md).")] JsonObject? Input,
    [property: Description("Build the reasons (default true); false is the fast path.")] bool? Explain);

/// <summary>
/// 决定: explained answers to the questions of the policy reference — the same code and the same
/// input and output shapes as the case runner (<c>yibao cases run</c>, <c>yibao explain</c>).
/// </summary>
public static class DecisionEndpoints
{
    public static IEndpointRouteBuilder MapDecisionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/decisions").WithTags("Decisions");

        group.MapGet("/", (CaseKinds kinds) => TypedResults.Ok(kinds.Names.Order(StringComparer.Ordinal).ToArray()))
            .WithName("ListDecisionKinds")
            .WithSummary("The kinds of question answered / 可计算的事项");

        group.MapPost("/{kind}", Decide)
            .WithName("Decide")
            .WithSummary("Answer one question with its reasons / 计算并说明依据")
            .WithDescription("Kinds: inpatient, withdrawal, transfer, family-aid, crediting, backfill, waiting-period, commercial-insurance, id-number, credit-code, working-days. " +
                             "The body is `{ region, date, input, explain }`; the answer has the kind's fields, `reasons` (rule id, zh/en text, values compared, provenance, source), `policyVersion` and `question` (kind, region, date). " +
                             "Errors: `missing-field`, `invalid-field`, `invalid-amount`, `invalid-date`, `invalid-region-code` (400), `unknown-decision-kind`, `unknown-region` (404), `calendar-year-not-loaded`, `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    internal static Ok<JsonObject> Decide(
        [Description("The kind of question, e.g. inpatient.")] string kind,
        DecisionRequest request,
        CaseKinds kinds,
        TimeProvider clock)
    {
        if (!kinds.Supports(kind)) throw new YibaoException(ErrorCatalog.UnknownDecisionKind(kind));
        if (request.Region is null) throw new YibaoException(ErrorCatalog.MissingField("region"));
        if (request.Input is null) throw new YibaoException(ErrorCatalog.MissingField("input"));
        var region = RegionCode.Parse(request.Region);
        var date = request.Date is null ? Dates.TodayInChina(clock) : Dates.Parse(request.Date);
        var question = new AcceptanceCase("api", kind, region, date, null, request.Input, []);
        var answerer = request.Explain == false ? kinds.WithoutExplanation : kinds;
        var answer = answerer.Answer(question);
        // The question is echoed under its own name: a kind's answer may itself have a "date" field.
        answer["question"] = new JsonObject { ["kind"] = kind, ["region"] = region.Value, ["date"] = Dates.Format(date) };
        if (!answer.ContainsKey("policyVersion"))
            answer["policyVersion"] = kinds.Context.Book.Has(region) ? kinds.Context.Book.For(region, date).VersionId : null;
        return TypedResults.Ok(answer);
    }
}
