using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.RemoteCare;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.RemoteCare;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.RemoteCare;

/// <summary>
/// 异地就医备案: an insured person files to be treated elsewhere (long-term or temporary), reads and
/// revokes their filings, and estimates an inpatient stay with the remote-care input taken from
/// the filing in force on the admission day.
/// </summary>
public static class RemoteCareEndpoints
{
    private const string Errors400 = "`missing-field`, `invalid-field`, `invalid-date`, `invalid-date-range`, `invalid-region-code`, `invalid-id-number` (400)";

    public static IEndpointRouteBuilder MapRemoteCareEndpoints(this IEndpointRouteBuilder app)
    {
        var insured = app.MapGroup("/api/insured/{region}/{idNumber}")
            .WithTags("Remote care")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        insured.MapGet("/remote-care-filings", ListAsync)
            .WithName("ListRemoteCareFilings")
            .WithSummary("My remote-care filings / 我的异地就医备案")
            .WithDescription("The person's filings by start, revoked ones included. Errors: `invalid-region-code`, `invalid-id-number` (400), `unknown-insured` (404).");

        insured.MapPost("/remote-care-filings", FileAsync)
            .WithName("FileRemoteCare")
            .WithSummary("File for remote care / 异地就医备案")
            .WithDescription("Long-term filings (moved, resident-elsewhere, retiree-elsewhere) are valid until revoked (A8); temporary ones (referral, emergency, other) for at least " +
                             "the region's months from the start (6 nationally, to start + 6 months − 1 day, WE-61). A person's filings never overlap, so the filing in force on a day is " +
                             "never in doubt: revoke the old one first. 201 with the filing; the same filing again 200 (`created: false`). " +
                             "The destination is a real province, city or county (GB/T 2260) outside the insured region. " +
                             $"Errors: {Errors400}, `unknown-destination` (400), `unknown-region`, `unknown-insured` (404), `remote-care-filing-overlaps` (409), `remote-care-filing-not-eligible`, `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        insured.MapPost("/remote-care-filings/{filingId}/revoke", RevokeAsync)
            .WithName("RevokeRemoteCareFiling")
            .WithSummary("Revoke a filing / 撤销异地就医备案")
            .WithDescription("From `revokedOn` (default today) on, the filing covers nothing. The same revocation again answers `replayed: true`. " +
                             $"Errors: {Errors400}, `unknown-insured`, `remote-care-filing-not-found` (404), `remote-care-filing-already-revoked` (409).")
            .ProducesProblem(StatusCodes.Status409Conflict);

        insured.MapPost("/inpatient-estimate", EstimateAsync)
            .WithName("EstimateInpatientStay")
            .WithSummary("Estimate an inpatient stay with my filing / 住院费用测算(按备案)")
            .WithDescription("The fund / personal / account / cash split of a stay (K13) for the person on record: scheme and status on the admission day from the records, the " +
                             "account's balance now, and `remoteCare` from the filing in force on the admission day (`none` without one), which the answer names. A hospital in " +
                             "another region needs a filing in force that covers it (`remote-care-filing-required`, WE-61 b). Nothing is written. " +
                             $"Errors: {Errors400}, `invalid-amount`, `unknown-insured` (404), `remote-care-filing-required`, `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    internal static async Task<Ok<FilingsResponse>> ListAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        RemoteCareStore store,
        CancellationToken ct)
    {
        var filings = await store.ListAsync(region, idNumber, ct).ConfigureAwait(false);
        return TypedResults.Ok(new FilingsResponse(region.Value, idNumber.Value, filings.Select(FilingResponse.From).ToList()));
    }

    internal static async Task<Results<Created<FilingResultResponse>, Ok<FilingResultResponse>>> FileAsync(
        [Description("The insured region (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        FilingBody body,
        RemoteCareStore store,
        TimeProvider clock,
        CancellationToken ct)
    {
        var filedOn = DateOr(body.FiledOn, clock);
        if (string.IsNullOrWhiteSpace(body.Destination)) throw new YibaoException(ErrorCatalog.MissingField("destination"));
        var request = new RemoteCareFilingRequest(
            region,
            idNumber,
            RemoteCareCategories.Parse(body.Category),
            RegionCode.Parse(body.Destination),
            filedOn,
            string.IsNullOrWhiteSpace(body.ValidFrom) ? filedOn : Dates.Parse(body.ValidFrom),
            string.IsNullOrWhiteSpace(body.ValidTo) ? null : Dates.Parse(body.ValidTo),
            "api");
        var result = await store.FileAsync(request, ct).ConfigureAwait(false);
        var response = new FilingResultResponse(FilingResponse.From(result.Filing), result.Created);
        return result.Created
            ? TypedResults.Created($"/api/insured/{result.Filing.Region.Value}/{result.Filing.IdNumber}/remote-care-filings", response)
            : TypedResults.Ok(response);
    }

    internal static async Task<Ok<FilingRevocationResponse>> RevokeAsync(
        [Description("The insured region (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        [Description("The filing's id.")] long filingId,
        FilingRevocationBody? body,
        RemoteCareStore store,
        TimeProvider clock,
        CancellationToken ct)
    {
        var revocation = await store.RevokeAsync(region, idNumber, filingId, DateOr(body?.RevokedOn, clock), "api", ct).ConfigureAwait(false);
        return TypedResults.Ok(new FilingRevocationResponse(FilingResponse.From(revocation.Filing), revocation.Replayed));
    }

    internal static async Task<Ok<InpatientEstimateResponse>> EstimateAsync(
        [Description("The insured region (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        InpatientEstimateBody body,
        RemoteCareStore store,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.AdmittedOn)) throw new YibaoException(ErrorCatalog.MissingField("admittedOn"));
        var request = new InpatientEstimateRequest(
            region,
            idNumber,
            Dates.Parse(body.AdmittedOn),
            body.Tier ?? throw new YibaoException(ErrorCatalog.MissingField("tier")),
            body.Admission ?? 1,
            body.PolicyCost ?? throw new YibaoException(ErrorCatalog.MissingField("policyCost")),
            body.SelfPayCost ?? DMoney.Zero,
            body.FundPaidThisYear ?? DMoney.Zero,
            string.IsNullOrWhiteSpace(body.HospitalRegion) ? null : RegionCode.Parse(body.HospitalRegion));
        return TypedResults.Ok(InpatientEstimateResponse.From(await store.EstimateAsync(request, ct).ConfigureAwait(false)));
    }

    private static DateOnly DateOr(string? text, TimeProvider clock) => string.IsNullOrWhiteSpace(text) ? Dates.TodayInChina(clock) : Dates.Parse(text);
}
