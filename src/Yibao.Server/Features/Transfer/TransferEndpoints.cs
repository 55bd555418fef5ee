using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Server.Features.Applications;
using Yibao.Server.Hosting;
using Yibao.Storage.Applications;
using Yibao.Storage.Transfer;

namespace Yibao.Server.Features.Transfer;

/// <summary>A transfer application (转移接续): where the person moves.</summary>
public sealed record TransferBody(
    [property: Description("转入地: the six-digit code of the target pooling region (one Yibao serves).")] string? TargetRegion,
    [property: Description("The agent, when someone else applies.")] AgentBody? Agent)
{
    internal ApplicationSubmission ToSubmission(RegionCode region, IdNumber idNumber, string? key) =>
        new(region, idNumber, ApplicationKind.Transfer, [], ApplicationContracts.Agent(Agent),
            Transfer: new TransferClaim(RegionCode.Parse(TargetRegion ?? throw new YibaoException(ErrorCatalog.MissingField("targetRegion")))),
            SubmissionKey: key);
}

/// <summary>A transfer in a region's queue: outgoing (<c>out</c>, until the target has credited it) or incoming (<c>in</c>, not yet credited), with its deadline.</summary>
public sealed record TransferItemResponse(
    string Direction, string MessageId, string Source, string Target, string IdNumber, string Name, string Amount, DateOnly AppliedOn,
    DateOnly Deadline, string Status, DateOnly? ReceivedOn, DateOnly? CreditedOn, string? LastError, bool Overdue)
{
    public static TransferItemResponse From(TransferItem t) => new(t.Direction, t.MessageId, t.Source.Value, t.Target.Value, t.IdNumber.Value, t.Name,
        t.Amount.ToPlainString(), t.AppliedOn, t.Deadline, t.Status, t.ReceivedOn, t.CreditedOn, t.LastError, t.Overdue);
}

/// <summary>A region's transfers.</summary>
public sealed record TransferListResponse(string Region, IReadOnlyList<TransferItemResponse> Transfers);

/// <summary>What one dispatch round did.</summary>
public sealed record DispatchResponse(int Delivered, int Redelivered, int Failed, int Credited, int Waiting, IReadOnlyList<string> Errors)
{
    public static DispatchResponse From(DispatchRound r) => new(r.Delivered, r.Redelivered, r.Failed, r.Credited, r.Waiting, r.Errors);
}

/// <summary>
/// 转移接续: can the relationship and balance move, with both agencies' deadlines (the check writes
/// nothing); the application that starts the shared lifecycle; and the exchange between regions —
/// each region's queue of transfers in and out, and a delivery round on demand.
/// </summary>
public static class TransferEndpoints
{
    public static IEndpointRouteBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var insured = app.MapGroup("/api/insured/{region}/{idNumber}/transfers")
            .WithTags("Transfer")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        insured.MapPost("/check", CheckAsync)
            .WithName("CheckTransfer")
            .WithSummary("Can I move my account? / 转移接续预检")
            .WithDescription("Runs the transfer decision on today's facts (status, balance) and both regions' rules: allowed or not, what happens to the balance, " +
                             "the acceptance day and both deadlines, with the reasons. A target Yibao does not serve is `transfer-target-unknown`. Nothing is written. " +
                             $"Errors: {ApplicationEndpoints.Errors400}, `transfer-target-same-region` (400), `unknown-insured`, `unknown-region` (404), `account-closed` (409), `calendar-year-not-loaded` (422).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        insured.MapPost("/", SubmitAsync)
            .WithName("SubmitTransfer")
            .WithSummary("Apply to transfer / 申请转移接续")
            .WithDescription("Files a transfer. Refused (`retiree-not-transferable`, `transfer-target-unknown`), nothing is filed and the answer carries the reasons. 201 with the application; " +
                             $"200 `replayed: true` for a retry with the same `Idempotency-Key` header (required). Errors: {ApplicationEndpoints.Errors400}, `unknown-insured`, `unknown-region` (404), " +
                             "`application-already-open`, `idempotency-key-reused` (409).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        app.MapGet("/api/regions/{region}/transfers", QueueAsync)
            .WithTags("Transfer")
            .WithName("TransferQueue")
            .WithSummary("Transfers in and out / 转移接续队列")
            .WithDescription("Outgoing transfers until their target has credited them (`sent`, `delivered`, or `waiting` with the target's reason) and incoming ones not yet credited, " +
                             "soonest deadline first, each flagged `overdue` (outgoing: sent after the transfer-out deadline; incoming: not credited by the transfer-in deadline). `all=true` includes done ones.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        app.MapPost("/api/transfers/dispatch", DispatchAsync)
            .WithTags("Transfer")
            .WithName("DispatchTransfers")
            .WithSummary("Run one dispatch round / 转移报文投递")
            .WithDescription("One round over every region this server holds (the exchange is not one region's): delivers every undelivered transfer message to its target region's inbox (once, whatever the retries), " +
                             "credits every received one, and reports each target's answer back to its source. The server also runs rounds in the background (`Yibao:TransferDispatchSeconds`).");
        return app;
    }

    internal static Task<Ok<CheckResponse>> CheckAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("公民身份号码.")] IdNumber idNumber,
        TransferBody body, ApplicationStore store, CancellationToken ct) =>
        ApplicationFiling.CheckAsync(body.ToSubmission(region, idNumber, null), store, ct);

    internal static Task<Results<Created<ApplicationResponse>, Ok<ApplicationResponse>, ProblemHttpResult>> SubmitAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("公民身份号码.")] IdNumber idNumber,
        [Description("Your key for this submission: a retry with it answers the first; the same key with other content is `idempotency-key-reused`.")] IdempotencyKey key,
        TransferBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ApplicationFiling.SubmitAsync(body.ToSubmission(region, idNumber, key.Value), store, clock, ct);

    internal static async Task<Ok<TransferListResponse>> QueueAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("Include credited transfers.")] bool? all,
        TransferExchange exchange, CancellationToken ct)
    {
        var items = await exchange.QueueAsync(region, all ?? false, ct).ConfigureAwait(false);
        return TypedResults.Ok(new TransferListResponse(region.Value, items.Select(TransferItemResponse.From).ToList()));
    }

    internal static async Task<Ok<DispatchResponse>> DispatchAsync(TransferExchange exchange, CancellationToken ct) =>
        TypedResults.Ok(DispatchResponse.From(await exchange.RoundAsync(ct).ConfigureAwait(false)));
}
