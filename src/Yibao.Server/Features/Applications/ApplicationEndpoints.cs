using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Applications;

namespace Yibao.Server.Features.Applications;

/// <summary>
/// Applications an insured person makes and the agency reviews (提取, 转移接续): the insured side
/// checks eligibility before applying, submits, presents more materials, withdraws and follows the
/// status; the reviewer side works a queue sorted by deadline, accepts, returns, approves, rejects
/// and executes. Transfers between regions are delivered by a dispatcher (in the background, or a
/// round on demand) and show in both regions' transfer queues.
/// </summary>
public static class ApplicationEndpoints
{
    private const string Errors400 = "`missing-field`, `invalid-field`, `invalid-region-code`, `invalid-id-number`, `unknown-material-code` (400)";
    private const string ErrorsAction = "`unknown-application` (404), `application-wrong-status`, `application-conflict` (409)";

    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder app)
    {
        var insured = app.MapGroup("/api/insured/{region}/{idNumber}/applications")
            .WithTags("Applications")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        insured.MapPost("/check", CheckAsync)
            .WithName("CheckApplication")
            .WithSummary("Can I apply, and what do I bring? / 办理前预检")
            .WithDescription("Runs the application's policy decision on today's facts (status, balance, heir's account) and the region's rules: eligibility, missing materials, " +
                             "payout or transfer figures, the acceptance day and deadlines, with the reasons. Nothing is written. " +
                             $"Errors: {Errors400}, `unknown-insured`, `unknown-region`, `unknown-account` (404), `account-closed`, `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        insured.MapPost("/", SubmitAsync)
            .WithName("SubmitApplication")
            .WithSummary("Apply / 提交申请")
            .WithDescription("Files a withdrawal (提取/支取) or transfer (转移接续) application. The decision runs at once: an application it refuses is not filed " +
                             "(`application-ineligible`, with the decision's `reasonCode`, e.g. `retiree-not-transferable`); one missing materials is filed and returned " +
                             "at once for them (status `returned`, the list in `decision.missingMaterials`). 201 with the application; 200 `replayed: true` for a retry " +
                             $"with the same `submissionKey`. Errors: {Errors400}, `unknown-insured`, `unknown-region` (404), `application-already-open`, " +
                             "`idempotency-key-reused` (409), `application-ineligible`, `account-closed`, `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        insured.MapGet("/", MineAsync)
            .WithName("ListMyApplications")
            .WithSummary("My applications / 我的申请")
            .WithDescription("The person's applications, newest first, each with its status, deadlines, decision and, when returned or rejected, the reason in Chinese and English.");

        insured.MapGet("/{id}", MineOneAsync)
            .WithName("GetMyApplication")
            .WithSummary("Follow an application / 申请进度")
            .WithDescription("One application with its audit trail (who, when, from which status, why). Errors: `unknown-application` (404).");

        insured.MapPost("/{id}/materials", ResubmitAsync)
            .WithName("AddApplicationMaterials")
            .WithSummary("Present more materials / 补正材料")
            .WithDescription("Adds material codes to a returned application and submits it again; the decision runs again (still missing some, it stays returned). " +
                             $"Errors: {Errors400}, {ErrorsAction}, `application-ineligible` (422).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        insured.MapPost("/{id}/withdraw", WithdrawAsync)
            .WithName("WithdrawApplication")
            .WithSummary("Withdraw an application / 撤回申请")
            .WithDescription($"Takes back an application no reviewer has decided yet (submitted, returned or accepted). Errors: {ErrorsAction}.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        var staff = app.MapGroup("/api/regions/{region}")
            .WithTags("Applications (reviewers)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        staff.MapGet("/applications", QueueAsync)
            .WithName("ApplicationQueue")
            .WithSummary("Review queue / 待办队列")
            .WithDescription("The region's applications in progress, soonest deadline first, each flagged `overdue` when past its deadline while with the agency. " +
                             "Filter by `kind`, `status`, `overdue=true`; `all=true` includes finished ones. Errors: `invalid-field`, `invalid-region-code` (400).");

        staff.MapGet("/applications/{id}", ReviewAsync)
            .WithName("ReviewApplication")
            .WithSummary("Review an application / 审核查看")
            .WithDescription("The application with its audit trail, and the decision on today's facts beside the one at submission (`differs` when they say different things).");

        foreach (var (path, handler, summary, description) in new (string, Delegate, string, string)[]
                 {
                     ("accept", AcceptAsync, "Accept / 受理", "A complete submitted application is accepted (`application-incomplete` otherwise, 422)."),
                     ("return", ReturnAsync, "Return for materials / 退回补正", "Sends a submitted application back to the applicant with the reason (`reasonZh`, `reasonEn` required)."),
                     ("approve", ApproveAsync, "Approve / 审核通过", "Decides again on today's facts: no longer approvable is `application-no-longer-eligible` (422) and nothing changes; approvable with other figures keeps both answers (`decisionChanged`)."),
                     ("reject", RejectAsync, "Reject / 不予通过", "Rejects with the reason in both languages (`reasonZh`, `reasonEn` required); the applicant reads it as written."),
                     ("execute", ExecuteAsync, "Execute / 办理(支付、转出)", "Moves the money once: a withdrawal pays the whole balance and closes the account; a transfer debits it to inter-region clearing and writes the message for the target region. A retry answers 200 `replayed: true` and moves nothing."),
                 })
        {
            staff.MapPost($"/applications/{{id}}/{path}", handler)
                .WithName($"{char.ToUpperInvariant(path[0])}{path[1..]}Application")
                .WithSummary(summary)
                .WithDescription($"{description} The reviewer is named in the body (audit trail). Errors: {Errors400}, {ErrorsAction}, `application-incomplete`, `application-no-longer-eligible`, `heir-account-not-found`, `account-closed` (422).")
                .ProducesProblem(StatusCodes.Status409Conflict)
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        }

        staff.MapGet("/transfers", TransfersAsync)
            .WithName("TransferQueue")
            .WithSummary("Transfers in and out / 转移接续队列")
            .WithDescription("Outgoing transfers not yet delivered to their target and incoming ones not yet credited, soonest deadline first, each flagged `overdue` " +
                             "(outgoing: sent after the transfer-out deadline; incoming: not credited by the transfer-in deadline). `all=true` includes done ones.");

        app.MapPost("/api/transfers/dispatch", DispatchAsync)
            .WithTags("Applications (reviewers)")
            .WithName("DispatchTransfers")
            .WithSummary("Run one dispatch round / 转移报文投递")
            .WithDescription("One round over every region this server holds (the exchange is not one region's): delivers every undelivered transfer message to its target region's inbox (once, whatever the retries) and credits every received one. " +
                             "The server also runs rounds in the background (`Yibao:TransferDispatchSeconds`).");
        return app;
    }

    private static DateOnly Today(TimeProvider clock) => Dates.TodayInChina(clock);

    internal static async Task<Ok<CheckResponse>> CheckAsync(
        [Description("Pooling region code (six digits).")] string region, [Description("公民身份号码.")] string idNumber,
        ApplicationBody body, ApplicationStore store, CancellationToken ct)
    {
        var submission = body.ToSubmission(RegionCode.Parse(region), IdNumber.Parse(idNumber));
        var d = await store.CheckAsync(submission, ct).ConfigureAwait(false);
        return TypedResults.Ok(new CheckResponse(Yibao.Domain.Features.Applications.ApplicationLifecycle.Code(submission.Kind), d.Balance.ToPlainString(), d.AcceptedOn, d.DueOn, d.TargetDueOn, DecisionResponse.From(d.Decision)));
    }

    internal static async Task<Results<Created<ApplicationResponse>, Ok<ApplicationResponse>>> SubmitAsync(
        [Description("Pooling region code (six digits).")] string region, [Description("公民身份号码.")] string idNumber,
        ApplicationBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var id = IdNumber.Parse(idNumber);
        var submission = body.ToSubmission(RegionCode.Parse(region), id);
        var result = await store.SubmitAsync(submission, Applicant(submission.Agent, id), ct).ConfigureAwait(false);
        var response = ApplicationResponse.From(result.Application, Today(clock), result.Replayed);
        return result.Replayed
            ? TypedResults.Ok(response)
            : TypedResults.Created($"/api/insured/{response.Region}/{response.IdNumber}/applications/{response.Id}", response);
    }

    internal static async Task<Ok<ApplicationListResponse>> MineAsync(
        [Description("Pooling region code (six digits).")] string region, [Description("公民身份号码.")] string idNumber,
        ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var code = RegionCode.Parse(region);
        var list = await store.ForInsuredAsync(code, IdNumber.Parse(idNumber), ct).ConfigureAwait(false);
        return TypedResults.Ok(new ApplicationListResponse(code.Value, list.Count, list.Select(a => ApplicationResponse.From(a, Today(clock))).ToList()));
    }

    internal static async Task<Ok<ApplicationResponse>> MineOneAsync(
        [Description("Pooling region code (six digits).")] string region, [Description("公民身份号码.")] string idNumber, [Description("The application's id.")] string id,
        ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(ApplicationResponse.From(await OwnAsync(store, region, idNumber, id, ct).ConfigureAwait(false), Today(clock)));

    internal static async Task<Ok<ApplicationResponse>> ResubmitAsync(
        [Description("Pooling region code (six digits).")] string region, [Description("公民身份号码.")] string idNumber, [Description("The application's id.")] string id,
        MaterialsBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var app = await OwnAsync(store, region, idNumber, id, ct).ConfigureAwait(false);
        var materials = ApplicationContracts.Materials(body.Materials);
        if (materials.Count == 0) throw new YibaoException(ErrorCatalog.MissingField("materials"));
        var result = await store.ResubmitAsync(app.Id, materials, Applicant(app.Agent, app.IdNumber), ct).ConfigureAwait(false);
        return TypedResults.Ok(ApplicationResponse.From(result.Application, Today(clock)));
    }

    internal static async Task<Ok<ApplicationResponse>> WithdrawAsync(
        [Description("Pooling region code (six digits).")] string region, [Description("公民身份号码.")] string idNumber, [Description("The application's id.")] string id,
        ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var app = await OwnAsync(store, region, idNumber, id, ct).ConfigureAwait(false);
        var result = await store.WithdrawAsync(app.Id, Applicant(app.Agent, app.IdNumber), ct).ConfigureAwait(false);
        return TypedResults.Ok(ApplicationResponse.From(result.Application, Today(clock)));
    }

    internal static async Task<Ok<ApplicationListResponse>> QueueAsync(
        [Description("Pooling region code (six digits).")] string region,
        [Description("`withdrawal` or `transfer`.")] string? kind,
        [Description("One status: `submitted`, `returned`, `accepted`, `approved`, `rejected`, `executed`, `closed`, `withdrawn`.")] string? status,
        [Description("Only those past their deadline while with the agency.")] bool? overdue,
        [Description("Include finished applications (rejected, closed, withdrawn).")] bool? all,
        [Description("At most this many (1–1000, default 100).")] int? limit,
        ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var code = RegionCode.Parse(region);
        var query = new ApplicationQuery(
            string.IsNullOrWhiteSpace(kind) ? null : Yibao.Domain.Features.Applications.ApplicationLifecycle.ParseKind(kind),
            string.IsNullOrWhiteSpace(status) ? null : Yibao.Domain.Features.Applications.ApplicationLifecycle.ParseStatus(status),
            overdue ?? false, all ?? false, limit ?? 100);
        var list = await store.QueueAsync(code, query, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ApplicationListResponse(code.Value, list.Count, list.Select(a => ApplicationResponse.From(a, Today(clock))).ToList()));
    }

    internal static async Task<Ok<ReviewResponse>> ReviewAsync(
        [Description("Pooling region code (six digits).")] string region, [Description("The application's id.")] string id,
        ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var app = await InRegionAsync(store, region, id, ct).ConfigureAwait(false);
        var review = await store.ReviewAsync(app.Id, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ReviewResponse(ApplicationResponse.From(review.Application, Today(clock)), DecisionResponse.From(review.Now), review.Differs));
    }

    internal static Task<Ok<ApplicationResponse>> AcceptAsync(string region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.AcceptAsync(app.Id, ApplicationContracts.Reviewer(body), ct));

    internal static Task<Ok<ApplicationResponse>> ReturnAsync(string region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.ReturnAsync(app.Id, ApplicationContracts.Reviewer(body), body.ReasonZh ?? "", body.ReasonEn ?? "", ct));

    internal static Task<Ok<ApplicationResponse>> ApproveAsync(string region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.ApproveAsync(app.Id, ApplicationContracts.Reviewer(body), body.Note, ct));

    internal static Task<Ok<ApplicationResponse>> RejectAsync(string region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.RejectAsync(app.Id, ApplicationContracts.Reviewer(body), body.ReasonZh ?? "", body.ReasonEn ?? "", null, ct));

    internal static Task<Ok<ApplicationResponse>> ExecuteAsync(string region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.ExecuteAsync(app.Id, ApplicationContracts.Reviewer(body), ct));

    internal static async Task<Ok<TransferListResponse>> TransfersAsync(
        [Description("Pooling region code (six digits).")] string region, [Description("Include delivered and credited transfers.")] bool? all,
        TransferExchange exchange, CancellationToken ct)
    {
        var code = RegionCode.Parse(region);
        var items = await exchange.QueueAsync(code, all ?? false, ct).ConfigureAwait(false);
        return TypedResults.Ok(new TransferListResponse(code.Value, items.Select(TransferItemResponse.From).ToList()));
    }

    internal static async Task<Ok<DispatchResponse>> DispatchAsync(TransferExchange exchange, CancellationToken ct) =>
        TypedResults.Ok(DispatchResponse.From(await exchange.RoundAsync(ct).ConfigureAwait(false)));

    private static async Task<Ok<ApplicationResponse>> ActAsync(ApplicationStore store, string region, string id, TimeProvider clock, CancellationToken ct,
        Func<ApplicationRecord, Task<ApplicationResult>> act)
    {
        var app = await InRegionAsync(store, region, id, ct).ConfigureAwait(false);
        var result = await act(app).ConfigureAwait(false);
        return TypedResults.Ok(ApplicationResponse.From(result.Application, Today(clock), result.Replayed));
    }

    private static string Applicant(ApplicationAgent? agent, IdNumber id) =>
        agent is null ? $"insured:{id.Value}" : $"agent:{agent.IdNumber.Value} for insured:{id.Value}";

    private static long ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new YibaoException(ErrorCatalog.UnknownApplication(id));

    /// <summary>The application, if it is the person's in the region; any other is unknown to them.</summary>
    private static async Task<ApplicationRecord> OwnAsync(ApplicationStore store, string region, string idNumber, string id, CancellationToken ct)
    {
        var code = RegionCode.Parse(region);
        var person = IdNumber.Parse(idNumber);
        var app = await store.GetAsync(ParseId(id), ct).ConfigureAwait(false);
        return app.Region == code && app.IdNumber == person ? app : throw new YibaoException(ErrorCatalog.UnknownApplication(id));
    }

    private static async Task<ApplicationRecord> InRegionAsync(ApplicationStore store, string region, string id, CancellationToken ct)
    {
        var code = RegionCode.Parse(region);
        var app = await store.GetAsync(ParseId(id), ct).ConfigureAwait(false);
        return app.Region == code ? app : throw new YibaoException(ErrorCatalog.UnknownApplication(id));
    }
}
