using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Server.Contracts;
using Yibao.Server.Hosting;
using Yibao.Server.Problems;
using Yibao.Storage.FamilyAid;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.FamilyAid;

/// <summary>
/// 家庭共济: an owner binds and revokes relatives and reads who may spend from whose account; a
/// designated institution (or the premium collector) settles a relative's spend from the owner's
/// account. A refusal by the policy answers a problem with the decision's code and its reasons,
/// and writes nothing.
/// </summary>
public static class FamilyAidEndpoints
{
    private const string Errors400 = "`missing-field`, `invalid-field`, `invalid-date`, `invalid-date-range`, `invalid-region-code`, `invalid-id-number` (400)";
    private const string BindingRefusals = "`window-start-before-binding`, `window-end-not-after-start` (400), `relation-not-near-relative`, `raising-proof-missing`, `relation-not-yet-allowed` (422)";
    private const string SpendRefusals = "`binding-revoked`, `relationship-dissolved`, `outside-window`, `purpose-excluded`, `purpose-not-payable`, `not-designated`, `relative-not-insured`, " +
                                         "`cross-region-not-open`, `cross-province-not-open` (422)";

    public static IEndpointRouteBuilder MapFamilyAidEndpoints(this IEndpointRouteBuilder app)
    {
        var insured = app.MapGroup("/api/insured/{region}/{idNumber}/family-aid")
            .WithTags("Family aid")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        insured.MapPost("/bindings", BindAsync)
            .WithName("BindRelative")
            .WithSummary("Bind a relative / 建立家庭共济关系")
            .WithDescription("The person in the path (共济人, an employee-scheme member with a personal account) lets a near relative spend from their account between `windowStart` and " +
                             "`windowEnd` (both inclusive), with the relation's proof and who consented, how and when. The owner's region's policy on the binding day decides (A3, K12): " +
                             "spouse, parents and children; siblings, grandparents and grandchildren from the region's date; step-relations with proof of raising. " +
                             "201 with the binding and the reasons; the same binding again 200 (`created: false`). A refusal writes nothing and answers a problem with the decision's code " +
                             $"and `reasons`. Errors: {Errors400}, `family-aid-self-binding`, {BindingRefusals}, `unknown-insured`, `unknown-account` (404), `insured-name-mismatch`, " +
                             "`family-aid-binding-overlaps`, `account-closed` (409), `family-aid-owner-not-eligible`, `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        insured.MapGet("/bindings", ListAsync)
            .WithName("ListBindings")
            .WithSummary("My family-aid bindings / 我的共济关系")
            .WithDescription("The person's bindings as owner (relatives who may spend from their account) and as relative (accounts they may spend from), by window start, " +
                             "revoked ones included. Errors: `invalid-region-code`, `invalid-id-number` (400), `unknown-insured` (404: neither on record nor anyone's relative).");

        insured.MapGet("/bindings/{bindingId}", GetAsync)
            .WithName("GetBinding")
            .WithSummary("One binding / 共济关系详情")
            .WithDescription("A binding the person is a party to. Errors: `invalid-field`, `invalid-id-number` (400), `family-aid-binding-not-found` (404).");

        insured.MapPost("/bindings/{bindingId}/revoke", RevokeAsync)
            .WithName("RevokeBinding")
            .WithSummary("Revoke a binding / 解除共济关系")
            .WithDescription("Either party ends the binding: from `revokedOn` (default today) on, spends are refused (`binding-revoked`). The same revocation again answers " +
                             $"`replayed: true`. Errors: {Errors400}, `family-aid-binding-not-found` (404), `family-aid-binding-already-revoked`, `family-aid-revocation-before-spend` (409).")
            .ProducesProblem(StatusCodes.Status409Conflict);

        insured.MapGet("/in-force", InForceAsync)
            .WithName("FamilyAidInForce")
            .WithSummary("Who may spend from whose account on a day / 当日有效的共济关系")
            .WithDescription("The bindings in force on `date` (default today): inside the window, before any revocation, not dissolved by a party's death — `asOwner`: who may " +
                             "spend from this person's account; `asRelative`: whose accounts this person may spend from. Whether a purpose is payable is the spend's decision. " +
                             "Errors: `invalid-date`, `invalid-id-number` (400), `unknown-insured` (404).");

        insured.MapGet("/spends", SpendsAsync)
            .WithName("ListFamilyAidSpends")
            .WithSummary("Spends under my bindings / 共济支付明细")
            .WithDescription("Who spent, where, for what and how much the account paid: the spends from the person's account (as owner) and for them (as relative), " +
                             "or of one `bindingId`. Each account-paid spend is also a line of the owner's statement (`family-aid-spend`, memo naming binding, relative, purpose and place). " +
                             "Errors: `invalid-field`, `invalid-id-number` (400), `unknown-insured`, `family-aid-binding-not-found` (404).");

        app.MapGroup("/api/regions/{region}/family-aid")
            .WithTags("Family aid (institutions)")
            .MapPost("/spends", SpendAsync)
            .WithName("SettleFamilyAidSpend")
            .WithSummary("Settle a relative's spend from the owner's account / 共济账户支付")
            .WithDescription("A designated hospital or pharmacy (medical, pharmacy) or the premium collector (resident-premium, ltc-premium) asks the owner's account to pay. " +
                             "The caller's key (a settlement id, unique in the region) is the `Idempotency-Key` header. The owner's region's policy on the spend day decides; the account pays `min(amount, balance)` read under lock (concurrent spends never overdraw), the rest " +
                             "is cash. One journal entry (`family-aid/{region}/{Idempotency-Key}`): the owner's account (当年 first) to institution settlement, the resident fund, " +
                             "the long-term-care fund, or inter-region clearing for a relative of another region. 201 when paid; the same key again 200 with `replayed: true` and the " +
                             "first figures; the same key with other content `idempotency-key-reused` (409). A refusal moves and writes nothing and answers a problem with the " +
                             $"decision's code, `reasons`, `accountPays` 0.00 and `cashPays` the amount. Errors: {Errors400}, `invalid-json`, `invalid-amount`, `amount-not-positive`, {SpendRefusals}, " +
                             "`family-aid-binding-not-found`, `unknown-account` (404), `idempotency-key-reused`, `account-closed` (409), `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    internal static async Task<Results<Created<BindingResultResponse>, Ok<BindingResultResponse>, ProblemHttpResult>> BindAsync(
        [Description("The owner's pooling region (six digits).")] RegionCode region,
        [Description("The owner's 公民身份号码.")] IdNumber idNumber,
        BindingBody body,
        FamilyAidStore store,
        TimeProvider clock,
        HttpContext http,
        CancellationToken ct)
    {
        var owner = region;
        var boundOn = DateOr(body.BoundOn, clock);
        if (body.Consent is null) throw new YibaoException(ErrorCatalog.MissingField("consent"));
        var request = new FamilyAidBindingRequest(
            owner,
            idNumber,
            IdNumber.Parse(Required(body.RelativeIdNumber, "relativeIdNumber")),
            Required(body.RelativeName, "relativeName"),
            string.IsNullOrWhiteSpace(body.RelativeRegion) ? owner : RegionCode.Parse(body.RelativeRegion),
            body.RelativeInsured,
            FamilyAidNames.Parse<FamilyRelation>(body.Relation, "relation"),
            body.RaisingProof ?? false,
            FamilyAidNames.Parse<RelationProof>(body.Proof, "proof"),
            string.IsNullOrWhiteSpace(body.ProofReference) ? null : body.ProofReference.Trim(),
            boundOn,
            Dates.Parse(Required(body.WindowStart, "windowStart")),
            Dates.Parse(Required(body.WindowEnd, "windowEnd")),
            new FamilyAidConsent(
                FamilyAidNames.Parse<FamilyAidParty>(body.Consent.GivenBy, "consent.givenBy"),
                FamilyAidNames.Parse<ConsentMethod>(body.Consent.Method, "consent.method"),
                string.IsNullOrWhiteSpace(body.Consent.GivenOn) ? boundOn : Dates.Parse(body.Consent.GivenOn)),
            "api");
        var outcome = await store.BindRelativeAsync(request, ct).ConfigureAwait(false);
        if (outcome.Binding is not { } binding) return Refused(outcome.ReasonCode!, outcome.Reasons, http);
        var response = new BindingResultResponse(BindingResponse.From(binding), outcome.Created, ReasonResponse.From(outcome.Reasons));
        return outcome.Created
            ? TypedResults.Created($"/api/insured/{binding.Region.Value}/{binding.OwnerIdNumber}/family-aid/bindings/{binding.Id}", response)
            : TypedResults.Ok(response);
    }

    internal static async Task<Ok<BindingsResponse>> ListAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        FamilyAidStore store,
        CancellationToken ct) =>
        TypedResults.Ok(BindingsResponse.From(await store.ListBindingsAsync(region, idNumber, ct).ConfigureAwait(false), null));

    internal static async Task<Ok<BindingResponse>> GetAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码 of the owner or the relative.")] IdNumber idNumber,
        [Description("The binding's id.")] long bindingId,
        FamilyAidStore store,
        CancellationToken ct) =>
        TypedResults.Ok(BindingResponse.From(await store.GetBindingAsync(region, idNumber, bindingId, ct).ConfigureAwait(false)));

    internal static async Task<Ok<RevocationResponse>> RevokeAsync(
        [Description("Pooling region code of the binding (the owner's).")] RegionCode region,
        [Description("公民身份号码 of the owner or the relative.")] IdNumber idNumber,
        [Description("The binding's id.")] long bindingId,
        RevocationBody? body,
        FamilyAidStore store,
        TimeProvider clock,
        CancellationToken ct)
    {
        var revocation = await store.RevokeAsync(region, idNumber, bindingId,
            DateOr(body?.RevokedOn, clock), "api", ct).ConfigureAwait(false);
        return TypedResults.Ok(new RevocationResponse(BindingResponse.From(revocation.Binding), revocation.Replayed));
    }

    internal static async Task<Ok<BindingsResponse>> InForceAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        [Description("The day, YYYY-MM-DD (default today in China).")] string? date,
        FamilyAidStore store,
        TimeProvider clock,
        CancellationToken ct)
    {
        var day = DateOr(date, clock);
        var bindings = await store.InForceAsync(region, idNumber, day, ct).ConfigureAwait(false);
        return TypedResults.Ok(BindingsResponse.From(bindings, day));
    }

    internal static async Task<Ok<SpendsResponse>> SpendsAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码 of the owner or the relative.")] IdNumber idNumber,
        [Description("Only the spends of this binding (optional).")] long? bindingId,
        FamilyAidStore store,
        CancellationToken ct)
    {
        var spends = await store.ListSpendsAsync(region, idNumber, bindingId, ct).ConfigureAwait(false);
        return TypedResults.Ok(new SpendsResponse(region.Value, idNumber.Value, bindingId, spends.Select(s => SpendResponse.From(s, false, [])).ToList()));
    }

    internal static async Task<Results<Created<SpendResponse>, Ok<SpendResponse>, ProblemHttpResult>> SpendAsync(
        [Description("The owner's pooling region (six digits), where the binding is.")] RegionCode region,
        [Description("The caller's id for this spend (e.g. the settlement id), unique in the region: a retry returns the first result.")] IdempotencyKey key,
        SpendBody body,
        FamilyAidStore store,
        TimeProvider clock,
        HttpContext http,
        CancellationToken ct)
    {
        var purpose = FamilyAidNames.Parse<FamilyAidPurpose>(body.Purpose, "purpose");
        var medical = purpose is FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy;
        var request = new FamilyAidSpendRequest(
            region,
            body.BindingId ?? throw new YibaoException(ErrorCatalog.MissingField("bindingId")),
            key.Value,
            purpose,
            DateOr(body.SpendOn, clock),
            Positive(body.Amount, "amount"),
            string.IsNullOrWhiteSpace(body.InstitutionCode) ? null : body.InstitutionCode.Trim(),
            string.IsNullOrWhiteSpace(body.InstitutionName) ? null : body.InstitutionName.Trim(),
            medical ? body.Designated ?? throw new YibaoException(ErrorCatalog.MissingField("designated").With("because", "purpose")) : body.Designated ?? false,
            body.RelativeInsured,
            "api:institution");
        var outcome = await store.SpendAsync(request, ct).ConfigureAwait(false);
        if (outcome.Spend is not { } spend)
        {
            var problem = Refused(outcome.ReasonCode!, outcome.Reasons, http);
            problem.ProblemDetails.Extensions["accountPays"] = outcome.AccountPays.ToPlainString();
            problem.ProblemDetails.Extensions["cashPays"] = outcome.CashPays.ToPlainString();
            return problem;
        }
        var response = SpendResponse.From(spend, outcome.Replayed, ReasonResponse.From(outcome.Reasons));
        return outcome.Replayed
            ? TypedResults.Ok(response)
            : TypedResults.Created($"/api/insured/{spend.Region.Value}/{spend.OwnerIdNumber}/family-aid/spends?bindingId={spend.BindingId}", response);
    }

    /// <summary>A refusal by the decision: its code (from the catalog), the refusing rule's values as details, and every reason.</summary>
    private static ProblemHttpResult Refused(ResultCode code, IReadOnlyList<Reason> reasons, HttpContext http)
    {
        var values = reasons.Count > 0 ? reasons[^1].Values : new Dictionary<string, string>();
        var problem = YibaoProblems.From(ErrorCatalog.FamilyAidRefusal(code, values).Because(reasons));
        problem.Instance = http.Request.Path;
        return TypedResults.Problem(problem);
    }

    private static DateOnly DateOr(string? text, TimeProvider clock) => string.IsNullOrWhiteSpace(text) ? Dates.TodayInChina(clock) : Dates.Parse(text);

    private static string Required(string? text, string field) =>
        string.IsNullOrWhiteSpace(text) ? throw new YibaoException(ErrorCatalog.MissingField(field)) : text.Trim();

    private static DMoney Positive(DMoney? amount, string field) =>
        amount is not { } a ? throw new YibaoException(ErrorCatalog.MissingField(field))
        : a.IsPositive ? a
        : throw new YibaoException(ErrorCatalog.AmountNotPositive(a.ToPlainString()).With("field", field));
}
