using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Server.Hosting;
using Yibao.Storage.Backfill;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Server.Features.Backfill;

/// <summary>
/// 补缴: an insured person asks what back-paying a gap costs (the quote, with its reasons); staff
/// post a payment that has arrived (principal, late fee, the months' credits, the benefit status,
/// in one transaction, idempotent); anyone reads the payments and the benefit status they set.
/// </summary>
public static class BackfillEndpoints
{
    private const string Errors400 = "`missing-field`, `invalid-field`, `invalid-month`, `invalid-date`, `invalid-amount`, `invalid-rate`, `invalid-region-code`, `invalid-id-number` (400)";

    public static IEndpointRouteBuilder MapBackfillEndpoints(this IEndpointRouteBuilder app)
    {
        var insured = app.MapGroup("/api/insured/{region}/{idNumber}")
            .WithTags("Back-pay")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        insured.MapGet("/backfill-quote", QuoteAsync)
            .WithName("QuoteBackfill")
            .WithSummary("Back-pay quote / 补缴测算")
            .WithDescription("What back-paying the owed months costs if paid on `paidOn` (default today in China): principal, late fee (滞纳金) and who bears it, " +
                             "the account credit, each month's figures, and the reasons (rule, values, source). Facts come from the record (status in the owed months, " +
                             "declared wage); the rules are the region's on the payment day. Nothing is written. " +
                             $"Errors: {Errors400}, `unknown-insured`, `unknown-region` (404), `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        insured.MapGet("/backfills", ListAsync)
            .WithName("ListBackfills")
            .WithSummary("My back-pays / 我的补缴记录")
            .WithDescription("Every back-pay posted for the person, by payment day, with its ledger keys and the benefit status it set. Errors: `invalid-id-number` (400), `unknown-insured` (404).");

        insured.MapGet("/benefit-status", BenefitStatusAsync)
            .WithName("GetBenefitStatus")
            .WithSummary("My benefit status after back-pay / 补缴后的待遇状态")
            .WithDescription("What the person's back-pays established, by start date: `retroactive` windows (covered once paid; employer-caused arrears where the region says so, " +
                             "or an employee's gap of at most 3 months, K9), `waiting` periods (待遇等待期) and `benefits-from` days, or `not-covered` windows. " +
                             "Errors: `invalid-id-number` (400), `unknown-insured` (404).");

        app.MapGroup("/api/regions/{region}")
            .WithTags("Back-pay (staff)")
            .MapPost("/backfills", PostAsync)
            .WithName("PostBackfill")
            .WithSummary("Post a back-pay that has arrived / 补缴入账")
            .WithDescription("Posts a payment of owed months in one transaction: the principal to the pooled fund (统筹基金) and the late fee to late-fee income, both charged " +
                             "to the payer's receivable (the employer's for employer-caused arrears) and settled from bank clearing; each paid month credited to the personal " +
                             "account as the monthly run would credit it (key `credit/{region}/{month}/{idNumber}`); the months recorded paid; the benefit status recorded. " +
                             "Idempotent by `backfill/{region}/{idNumber}/{paidOn}/{months hash}`: the same payment again answers 200 with `replayed: true` and writes nothing; " +
                             "the same months and day with other figures is `idempotency-key-reused` (409). A refused payment writes nothing. " +
                             $"Errors: {Errors400}, `unknown-insured`, `unknown-region` (404), `backfill-month-already-paid`, `contribution-conflict`, `idempotency-key-reused` (409), " +
                             "`backfill-employer-missing`, `policy-rule-missing` (422).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    internal static async Task<Ok<BackfillQuoteResponse>> QuoteAsync(
        [Description("Pooling region code (six digits), e.g. `990100`.")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        [Description("The owed months, comma-separated YYYY-MM, e.g. `2025-03,2025-04`.")] string? months,
        [Description("`employer` or `individual`.")] string? cause,
        [Description("The payment day, YYYY-MM-DD (default: today in China).")] string? paidOn,
        [Description("缴费基数, yuan (optional).")] string? @base,
        [Description("An individual's total rate, e.g. `0.10` (optional).")] string? rate,
        BackfillPoster poster,
        TimeProvider clock,
        CancellationToken ct)
    {
        var request = Request(region, idNumber.Value, cause, Months(months?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            string.IsNullOrWhiteSpace(paidOn) ? Dates.TodayInChina(clock) : Dates.Parse(paidOn), QueryValues.AmountOrNull(@base, "base"), rate, "api");
        return TypedResults.Ok(BackfillQuoteResponse.From(await poster.QuoteAsync(request, ct).ConfigureAwait(false)));
    }

    internal static async Task<Results<Created<BackfillPostingResponse>, Ok<BackfillPostingResponse>>> PostAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        BackfillPaymentBody body,
        BackfillPoster poster,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.PaidOn)) throw new YibaoException(ErrorCatalog.MissingField("paidOn"));
        var request = Request(region, body.IdNumber, body.Cause, Months(body.Months), Dates.Parse(body.PaidOn), body.Base, body.Rate, "api:staff");
        var posting = await poster.PostAsync(request, ct).ConfigureAwait(false);
        var response = BackfillPostingResponse.From(posting);
        return posting.Replayed
            ? TypedResults.Ok(response)
            : TypedResults.Created($"/api/insured/{posting.Region.Value}/{posting.IdNumber}/backfills", response);
    }

    internal static async Task<Ok<BackfillListResponse>> ListAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        BackfillPoster poster,
        CancellationToken ct)
    {
        var code = region;
        var id = idNumber;
        var postings = await poster.ListAsync(code, id.Value, ct).ConfigureAwait(false);
        return TypedResults.Ok(new BackfillListResponse(code.Value, id.Value, postings.Select(BackfillPostingResponse.From).ToList()));
    }

    internal static async Task<Ok<BenefitStatusListResponse>> BenefitStatusAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        BackfillPoster poster,
        CancellationToken ct)
    {
        var code = region;
        var id = idNumber;
        var rows = await poster.GetBenefitStatusAsync(code, id.Value, ct).ConfigureAwait(false);
        return TypedResults.Ok(new BenefitStatusListResponse(code.Value, id.Value, rows.Select(BenefitStatusResponse.Of).ToList()));
    }

    private static List<YearMonth> Months(IReadOnlyList<string>? months)
    {
        if (months is null || months.Count == 0) throw new YibaoException(ErrorCatalog.MissingField("months"));
        return months.Select(YearMonth.Parse).ToList();
    }

    private static BackfillPaymentRequest Request(RegionCode region, string? idNumber, string? cause, List<YearMonth> months, DateOnly paidOn, DMoney? contributionBase, string? rate, string actor)
    {
        if (string.IsNullOrWhiteSpace(idNumber)) throw new YibaoException(ErrorCatalog.MissingField("idNumber"));
        return new BackfillPaymentRequest(
            region,
            IdNumber.Parse(idNumber).Value,
            BackfillCauses.Parse(cause),
            months,
            paidOn,
            contributionBase,
            string.IsNullOrWhiteSpace(rate) ? null : DRate.Parse(rate),
            actor);
    }
}
