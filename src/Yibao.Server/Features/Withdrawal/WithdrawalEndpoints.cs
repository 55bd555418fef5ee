using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Server.Features.Applications;
using Yibao.Server.Hosting;
using Yibao.Storage.Applications;

namespace Yibao.Server.Features.Withdrawal;

/// <summary>A withdrawal application (提取/支取): the reason, the materials presented and what the records do not hold.</summary>
public sealed record WithdrawalBody(
    [property: Description("`death`, `emigration`, `foreigner-leaving`, `transfer-impossible`, `long-term-remote`, `voluntary-exit`, `major-disease` or `emergency-advance`.")] string? Reason,
    [property: Description("Material codes presented (acceptance/README.md): `death-certificate`, `heir-proof`, `heir-id`, `power-of-attorney`, `agent-id`, `written-application`, `applicant-id`, `bank-card`, `application-form`, `emigration-passport`, `settlement-abroad-proof`, `hk-macau-permit`, `taiwan-permit`, `household-deregistration`, `permanent-residence-card`.")] IReadOnlyList<string>? Materials,
    [property: Description("The agent, when someone else applies.")] AgentBody? Agent,
    [property: Description("A written application to terminate the insurance relationship was made (default: the materials include `written-application`).")] bool? WrittenApplication,
    [property: Description("死亡: the heir's 公民身份号码; when the heir is insured in the region the balance goes to their personal account.")] string? HeirIdNumber,
    [property: Description("死亡: the heir's name.")] string? HeirName,
    [property: Description("The bank account the payout goes to (shown masked).")] string? BankAccount,
    [property: Description("`transfer-impossible`: the pooling region the person moves to.")] string? TargetRegion)
{
    internal ApplicationSubmission ToSubmission(RegionCode region, IdNumber idNumber, string? key)
    {
        var reasonText = Reason ?? throw new YibaoException(ErrorCatalog.MissingField("reason"));
        if (!WithdrawalNames.TryParseReason(reasonText, out var reason))
            throw new YibaoException(ErrorCatalog.InvalidField("reason", "不是可识别的支取事由",
                $"unknown reason '{reasonText}' (expected one of: {string.Join(", ", Enum.GetValues<WithdrawalReason>().Select(WithdrawalNames.Code))})"));
        if (BankAccount is { Length: > 40 }) throw new YibaoException(ErrorCatalog.InvalidField("bankAccount", "不能超过 40 个字符", "longer than 40 characters"));
        var materials = ApplicationContracts.Materials(Materials);
        var claim = new WithdrawalClaim(reason, WrittenApplication ?? materials.Contains(WithdrawalMaterial.WrittenApplication),
            string.IsNullOrWhiteSpace(HeirIdNumber) ? null : IdNumber.Parse(HeirIdNumber), HeirName?.Trim(), BankAccount?.Trim(),
            string.IsNullOrWhiteSpace(TargetRegion) ? null : RegionCode.Parse(TargetRegion));
        return new ApplicationSubmission(region, idNumber, ApplicationKind.Withdrawal, materials, ApplicationContracts.Agent(Agent), Withdrawal: claim, SubmissionKey: key);
    }
}

/// <summary>
/// 提取/支取: can the balance be paid out, and what to bring (the check writes nothing), and the
/// application that starts the shared lifecycle (<see cref="ApplicationEndpoints"/>).
/// </summary>
public static class WithdrawalEndpoints
{
    public static IEndpointRouteBuilder MapWithdrawalEndpoints(this IEndpointRouteBuilder app)
    {
        var insured = app.MapGroup("/api/insured/{region}/{idNumber}/withdrawals")
            .WithTags("Withdrawal")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        insured.MapPost("/check", CheckAsync)
            .WithName("CheckWithdrawal")
            .WithSummary("Can I withdraw, and what do I bring? / 支取预检")
            .WithDescription("Runs the withdrawal decision on today's facts as recorded (status, recorded death or leave, balance, heir's account) and the region's rules: eligibility, " +
                             "missing materials, payout and payee, the acceptance day and deadline, with the reasons. Nothing is written. " +
                             $"Errors: {ApplicationEndpoints.Errors400}, `unknown-insured`, `unknown-region`, `unknown-account` (404), `account-closed` (409), `policy-rule-missing`, `calendar-year-not-loaded` (422).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        insured.MapPost("/", SubmitAsync)
            .WithName("SubmitWithdrawal")
            .WithSummary("Apply to withdraw / 申请支取")
            .WithDescription("Files a withdrawal. The decision runs at once: refused, nothing is filed and the answer is the decision's code with its reasons " +
                             "(e.g. `fact-not-on-record` for a death not yet recorded, `after-retirement`, `not-provided-by-region`); missing materials, it is filed and returned " +
                             "at once for them (status `returned`, the list in `decision.missingMaterials`). 201 with the application; 200 `replayed: true` for a retry with the same " +
                             $"`Idempotency-Key` header (required). Errors: {ApplicationEndpoints.Errors400}, `unknown-insured`, `unknown-region` (404), `application-already-open`, `idempotency-key-reused` (409).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    internal static Task<Ok<CheckResponse>> CheckAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("公民身份号码.")] IdNumber idNumber,
        WithdrawalBody body, ApplicationStore store, CancellationToken ct) =>
        ApplicationFiling.CheckAsync(body.ToSubmission(region, idNumber, null), store, ct);

    internal static Task<Results<Created<ApplicationResponse>, Ok<ApplicationResponse>, ProblemHttpResult>> SubmitAsync(
        [Description("Pooling region code (six digits).")] RegionCode region, [Description("公民身份号码.")] IdNumber idNumber,
        [Description("Your key for this submission: a retry with it answers the first; the same key with other content is `idempotency-key-reused`.")] IdempotencyKey key,
        WithdrawalBody body, ApplicationStore store, TimeProvider clock, CancellationToken ct) =>
        ApplicationFiling.SubmitAsync(body.ToSubmission(region, idNumber, key.Value), store, clock, ct);
}
