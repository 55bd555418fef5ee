using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Server.Problems;
using Yibao.Storage.Applications;

namespace Yibao.Server.Features.Applications;

/// <summary>
/// The lifecycle both kinds of application share (提取 <c>/withdrawals</c>, 转移接续 <c>/transfers</c>
/// are filed in their own features): the insured side follows its applications, presents more
/// materials and withdraws; the reviewer side works a queue sorted by deadline, accepts, returns,
/// approves, rejects and executes. A refusal answers its own code with the reasons and changes nothing.
/// </summary>
public static class ApplicationEndpoints
{
    internal const string Errors400 = "`missing-field`, `invalid-field`, `invalid-region-code`, `invalid-id-number`, `unknown-material-code` (400)";
    private const string ErrorsAction = "`unknown-application` (404), `application-wrong-status`, `application-conflict` (409)";

    public static IEndpointRouteBuilder MapApplicationEndpoints(this IEndpointRouteBuilder app)
    {
        var insured = app.MapGroup("/api/insured/{region}/{idNumber}/applications")
            .WithTags("Applications")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        insured.MapGet("/", MineAsync)
            .WithName("ListMyApplications")
            .WithSummary("My applications / 我的申请")
            .WithDescription("The person's withdrawals and transfers, newest first, each with its status, deadlines, decision and, when returned or rejected, the reason in Chinese and English.");

        insured.MapGet("/{id}", MineOneAsync)
            .WithName("GetMyApplication")
            .WithSummary("Follow an application / 申请进度")
            .WithDescription("One application with its audit trail (who, when, from which status, why). Errors: `unknown-application` (404).");

        insured.MapPost("/{id}/materials", ResubmitAsync)
            .WithName("AddApplicationMaterials")
            .WithSummary("Present more materials / 补正材料")
            .WithDescription("Adds material codes to a returned application and submits it again; the decision runs again (still missing some, it stays returned). " +
                             $"Errors: {Errors400}, {ErrorsAction}, a refusal of the decision with its code and reasons (422).")
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

        // One call per action (not a loop over delegates), so the request delegates are generated at compile time.
        Action(staff.MapPost("/applications/{id}/accept", AcceptAsync), "accept", "Accept / 受理", "A complete submitted application is accepted (`application-incomplete` otherwise, 422).");
        Action(staff.MapPost("/applications/{id}/return", ReturnAsync), "return", "Return for materials / 退回补正", "Sends a submitted application back to the applicant with the reason (`reasonZh`, `reasonEn` required).");
        Action(staff.MapPost("/applications/{id}/approve", ApproveAsync), "approve", "Approve / 审核通过", "Decides again on today's facts: no longer approvable is `application-no-longer-eligible` (422, with the reasons) and nothing changes; approvable with other figures keeps both answers (`decisionChanged`).");
        Action(staff.MapPost("/applications/{id}/reject", RejectAsync), "reject", "Reject / 不予通过", "Rejects with the reason in both languages (`reasonZh`, `reasonEn` required); the applicant reads it as written.");
        Action(staff.MapPost("/applications/{id}/execute", ExecuteAsync), "execute", "Execute / 办理(支付、转出)", "Moves the money once: a withdrawal pays the whole balance and closes the account; a transfer debits it to inter-region clearing, ends the person's membership here and writes the message for the target region. A retry answers 200 `replayed: true` and moves nothing.");
        return app;
    }

    private static void Action(RouteHandlerBuilder endpoint, string path, string summary, string description) =>
        endpoint
            .WithName($"{char.ToUpperInvariant(path[0])}{path[1..]}Application")
            .WithSummary(summary)
            .WithDescription($"{description} The reviewer is named in the body (audit trail). Errors: {Errors400}, {ErrorsAction}, `application-incomplete`, `application-no-longer-eligible`, `heir-account-not-found`, `account-closed` (422).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static DateOnly Today(TimeProvider clock) => Dates.TodayInChina(clock);

    internal static async Task<Ok<ApplicationListResponse>> MineAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("公民身份号码.")] IdNumber idNumber,
        ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var list = await store.ForInsuredAsync(region, idNumber, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ApplicationListResponse(region.Value, list.Count, list.Select(a => ApplicationResponse.From(a, Today(clock))).ToList()));
    }

    internal static async Task<Ok<ApplicationResponse>> MineOneAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("公民身份号码.")] IdNumber idNumber, [Description("The application's id.")] string id,
        ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(ApplicationResponse.From(await OwnAsync(store, region, idNumber, id, ct).ConfigureAwait(false), Today(clock)));

    internal static async Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> ResubmitAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("公民身份号码.")] IdNumber idNumber, [Description("The application's id.")] string id,
        MaterialsBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var app = await OwnAsync(store, region, idNumber, id, ct).ConfigureAwait(false);
        var materials = ApplicationContracts.Materials(body.Materials);
        if (materials.Count == 0) throw new YibaoException(ErrorCatalog.MissingField("materials"));
        var outcome = await store.ResubmitAsync(app.Id, materials, ApplicationContracts.Applicant(app.Agent, app.IdNumber), ct).ConfigureAwait(false);
        return OutcomeResults.Ok(outcome, r => ApplicationResponse.From(r.Application, Today(clock)));
    }

    internal static async Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> WithdrawAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("公民身份号码.")] IdNumber idNumber, [Description("The application's id.")] string id,
        ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var app = await OwnAsync(store, region, idNumber, id, ct).ConfigureAwait(false);
        var outcome = await store.WithdrawAsync(app.Id, ApplicationContracts.Applicant(app.Agent, app.IdNumber), ct).ConfigureAwait(false);
        return OutcomeResults.Ok(outcome, r => ApplicationResponse.From(r.Application, Today(clock)));
    }

    internal static async Task<Ok<ApplicationListResponse>> QueueAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("`withdrawal` or `transfer`.")] string? kind,
        [Description("One status: `submitted`, `returned`, `accepted`, `approved`, `rejected`, `executed`, `closed`, `withdrawn`.")] string? status,
        [Description("Only those past their deadline while with the agency.")] bool? overdue,
        [Description("Include finished applications (rejected, closed, withdrawn).")] bool? all,
        [Description("At most this many (1–1000, default 100).")] int? limit,
        ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var query = new ApplicationQuery(
            string.IsNullOrWhiteSpace(kind) ? null : ApplicationLifecycle.ParseKind(kind),
            string.IsNullOrWhiteSpace(status) ? null : ApplicationLifecycle.ParseStatus(status),
            overdue ?? false, all ?? false, limit ?? 100);
        var list = await store.QueueAsync(region, query, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ApplicationListResponse(region.Value, list.Count, list.Select(a => ApplicationResponse.From(a, Today(clock))).ToList()));
    }

    internal static async Task<Ok<ReviewResponse>> ReviewAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("The application's id.")] string id,
        ApplicationStore store, TimeProvider clock, CancellationToken ct)
    {
        var app = await InRegionAsync(store, region, id, ct).ConfigureAwait(false);
        var review = await store.ReviewAsync(app.Id, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ReviewResponse(ApplicationResponse.From(review.Application, Today(clock)), DecisionResponse.From(review.Now), review.Differs));
    }

    internal static Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> AcceptAsync(RegionCode region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.AcceptAsync(app.Id, ApplicationContracts.Reviewer(body), ct));

    internal static Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> ReturnAsync(RegionCode region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.ReturnAsync(app.Id, ApplicationContracts.Reviewer(body), body.ReasonZh ?? "", body.ReasonEn ?? "", ct));

    internal static Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> ApproveAsync(RegionCode region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.ApproveAsync(app.Id, ApplicationContracts.Reviewer(body), body.Note, ct));

    internal static Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> RejectAsync(RegionCode region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.RejectAsync(app.Id, ApplicationContracts.Reviewer(body), body.ReasonZh ?? "", body.ReasonEn ?? "", null, ct));

    internal static Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> ExecuteAsync(RegionCode region, string id, ReviewBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ActAsync(store, region, id, clock, ct, app => store.ExecuteAsync(app.Id, ApplicationContracts.Reviewer(body), ct));

    private static async Task<Results<Ok<ApplicationResponse>, ProblemHttpResult>> ActAsync(ApplicationStore store, RegionCode region, string id, TimeProvider clock, CancellationToken ct,
        Func<ApplicationRecord, Task<Outcome<ApplicationResult>>> act)
    {
        var app = await InRegionAsync(store, region, id, ct).ConfigureAwait(false);
        var outcome = await act(app).ConfigureAwait(false);
        return OutcomeResults.Ok(outcome, r => ApplicationResponse.From(r.Application, Today(clock), r.Replayed));
    }

    private static long ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new YibaoException(ErrorCatalog.UnknownApplication(id));

    /// <summary>The application, if it is the person's in the region; any other is unknown to them.</summary>
    private static async Task<ApplicationRecord> OwnAsync(ApplicationStore store, RegionCode region, IdNumber person, string id, CancellationToken ct)
    {
        var app = await store.GetAsync(ParseId(id), ct).ConfigureAwait(false);
        return app.Region == region && app.IdNumber == person ? app : throw new YibaoException(ErrorCatalog.UnknownApplication(id));
    }

    private static async Task<ApplicationRecord> InRegionAsync(ApplicationStore store, RegionCode region, string id, CancellationToken ct)
    {
        var app = await store.GetAsync(ParseId(id), ct).ConfigureAwait(false);
        return app.Region == region ? app : throw new YibaoException(ErrorCatalog.UnknownApplication(id));
    }
}
