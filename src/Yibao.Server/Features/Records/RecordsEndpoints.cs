using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Server.Hosting.Json;
using Yibao.Storage.Records;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Yibao.Server.Features.Records;

/// <summary>
/// 参保登记 and 缴费: staff register employers, enrol people, record status changes and
/// contributions; an insured person reads their record, history and contributions. Every write
/// is idempotent (a replay answers 200 with what is there), and a refused request writes nothing.
/// </summary>
public static class RecordsEndpoints
{
    public static IEndpointRouteBuilder MapRecordsEndpoints(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/regions/{region}")
            .WithTags("Records (staff)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        staff.MapPost("/employers", RegisterEmployerAsync)
            .WithName("RegisterEmployer")
            .WithSummary("Register an employer / 单位登记")
            .WithDescription("Registers an employer in the region. The credit code is unique in the whole system: the same code with the same name answers 200 (a replay), " +
                             "with another name or region `employer-exists-different` (409). Errors: `missing-field`, `invalid-credit-code`, `invalid-field` (400), `unknown-region` (404).")
            .ProducesProblem(StatusCodes.Status409Conflict);

        staff.MapPost("/insured", EnrolAsync)
            .WithName("EnrolInsured")
            .WithSummary("Enrol an insured person / 参保登记")
            .WithDescription("Enrols a person: the record, the first event of the status history (`enrol`) and the personal account (个人账户), in one transaction. " +
                             "The same enrolment again answers 200; other facts for the same person answer `insured-exists-different` (409) — changes are status events. " +
                             "Errors: `missing-field`, `invalid-id-number`, `invalid-credit-code`, `invalid-field`, `invalid-amount`, `amount-negative`, `invalid-date`, `invalid-date-range` (400), " +
                             "`unknown-region`, `unknown-employer` (404).")
            .ProducesProblem(StatusCodes.Status409Conflict);

        staff.MapPost("/insured/{idNumber}/events", AppendEventAsync)
            .WithName("AppendStatusEvent")
            .WithSummary("Record a status change / 登记参保状态变更")
            .WithDescription("Appends `hire`, `leave`, `retire`, `die` or `rejoin` to the person's history (never rewritten) and updates their current status. " +
                             "A month counts in the status of its 1st day (gap detection, crediting). The same event again answers 200 with `replayed: true`. " +
                             "Errors: `missing-field`, `invalid-field`, `invalid-date`, `invalid-id-number`, `invalid-credit-code` (400), `unknown-insured`, `unknown-employer` (404), " +
                             "`status-event-after-death`, `status-event-out-of-order`, `status-event-not-allowed` (422).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        staff.MapPost("/contributions", RecordContributionsAsync)
            .WithName("RecordContributions")
            .WithSummary("Record contribution months / 登记缴费")
            .Accepts<ContributionRequest[]>("application/json")
            .WithDescription("The body is one contribution object or an array of them, taken all or nothing: if any item is refused, nothing is written and the problem " +
                             "names the first refused `item` (from 0) and the count `refusedItems`. Recording a month again with the same figures is `unchanged`; adding the paid date " +
                             "of an unpaid month is `payment-recorded`; other differences are `contribution-conflict` (409). Amounts are yuan with at most two decimals, as strings (\"8000.00\") or numbers (8000.5), as everywhere in the API. " +
                             "Errors: `missing-field`, `invalid-id-number`, `invalid-month`, `invalid-amount`, `amount-negative`, `invalid-date`, `invalid-date-range`, `invalid-field`, `invalid-credit-code` (400), " +
                             "`unknown-region`, `unknown-insured`, `unknown-employer` (404), `contribution-conflict` (409). Bulk files: `yibao import contributions`.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        var insured = app.MapGroup("/api/insured/{region}/{idNumber}")
            .WithTags("Insured records")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        insured.MapGet("/", GetInsuredAsync)
            .WithName("GetInsuredRecord")
            .WithSummary("My insured record and status history / 我的参保信息")
            .WithDescription("The record (scheme, status, employer, declared wage, dates) and every status change in order. Errors: `invalid-region-code`, `invalid-id-number` (400), `unknown-insured` (404).");

        insured.MapGet("/contributions", GetContributionsAsync)
            .WithName("GetInsuredContributions")
            .WithSummary("My contribution months / 我的缴费记录")
            .WithDescription("Recorded contribution months between `from` and `to` (YYYY-MM, both inclusive, both optional), in month order. " +
                             "Errors: `invalid-month`, `invalid-date-range`, `invalid-id-number` (400), `unknown-insured` (404).");

        return app;
    }

    internal static async Task<Results<Created<EmployerResponse>, Ok<EmployerResponse>>> RegisterEmployerAsync(
        [Description("Pooling region code (six digits), e.g. `990100`.")] RegionCode region,
        EmployerRequest request,
        RecordsStore store,
        CancellationToken ct)
    {
        var code = region;
        if (string.IsNullOrWhiteSpace(request.CreditCode)) throw new YibaoException(ErrorCatalog.MissingField("creditCode"));
        var employer = Employer.Create(request.CreditCode, code, request.Name);
        var result = await store.RegisterEmployerAsync(employer, ct).ConfigureAwait(false);
        var body = new EmployerResponse(result.Employer.CreditCode.Value, result.Employer.Region.Value, result.Employer.Name, result.RegisteredOn, result.Created);
        return result.Created
            ? TypedResults.Created($"/api/regions/{code.Value}/employers/{body.CreditCode}", body)
            : TypedResults.Ok(body);
    }

    internal static async Task<Results<Created<InsuredResponse>, Ok<InsuredResponse>>> EnrolAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        EnrolmentRequest request,
        RecordsStore store,
        CancellationToken ct)
    {
        var code = region;
        var enrolment = InsuredEnrolment.Create(code, request.IdNumber, request.Name, request.Scheme, request.Status, request.EmployerCreditCode,
            request.DeclaredWage?.ToPlainString(), request.EnrolledOn, request.RetirementDate, request.Nationality);
        var result = await store.EnrolAsync(enrolment, ct).ConfigureAwait(false);
        var body = InsuredResponse.From(result.Insured);
        return result.Created
            ? TypedResults.Created($"/api/insured/{code.Value}/{body.IdNumber}", body)
            : TypedResults.Ok(body);
    }

    internal static async Task<Results<Created<StatusEventResultResponse>, Ok<StatusEventResultResponse>>> AppendEventAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码 of the person.")] IdNumber idNumber,
        StatusEventRequest request,
        RecordsStore store,
        CancellationToken ct)
    {
        var code = region;
        var id = idNumber;
        if (string.IsNullOrWhiteSpace(request.Event)) throw new YibaoException(ErrorCatalog.MissingField("event"));
        var kind = RecordNames.ParseEvent(request.Event);
        if (string.IsNullOrWhiteSpace(request.EffectiveOn)) throw new YibaoException(ErrorCatalog.MissingField("effectiveOn"));
        var date = Dates.Parse(request.EffectiveOn);
        CreditCode? employer = string.IsNullOrWhiteSpace(request.EmployerCreditCode) ? null : CreditCode.Parse(request.EmployerCreditCode);

        var result = await store.AppendEventAsync(code, id, kind, date, employer, ct).ConfigureAwait(false);
        var e = result.Event;
        var body = new StatusEventResultResponse(new StatusEventResponse(e.Kind.Code(), e.EffectiveOn, e.Status.Code(), e.Employer?.Value),
            result.Replayed, InsuredResponse.From(result.Insured));
        return result.Replayed
            ? TypedResults.Ok(body)
            : TypedResults.Created($"/api/insured/{code.Value}/{id.Value}", body);
    }

    internal static async Task<Ok<ContributionsRecordedResponse>> RecordContributionsAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [FromBody] JsonElement body,
        RecordsStore store,
        IOptions<HttpJsonOptions> json,
        CancellationToken ct)
    {
        var code = region;
        var items = Items(body, json.Value.SerializerOptions);
        var today = store.Today;
        var rows = new List<ContributionRow>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var c = items[i];
            try
            {
                rows.Add(new ContributionLine(i, c.IdNumber, null, c.EmployerCreditCode, c.Month, c.Base?.ToPlainString(), c.EmployerPart?.ToPlainString(),
                        c.IndividualPart?.ToPlainString(), c.DueDate, c.PaidDate)
                    .Parse(today));
            }
            catch (YibaoException e)
            {
                throw new YibaoException(e.Error.With("item", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        var results = await store.RecordContributionsAsync(code, rows, "api", ct).ConfigureAwait(false);
        return TypedResults.Ok(ContributionsRecordedResponse.From(code.Value, results));
    }

    /// <summary>One object or an array of them, read with the server's JSON options (the edge rules for text and amounts, as every body).</summary>
    private static List<ContributionRequest> Items(JsonElement body, JsonSerializerOptions options)
    {
        var elements = body.ValueKind switch
        {
            JsonValueKind.Array => body.EnumerateArray().ToList(),
            JsonValueKind.Object => [body],
            _ => throw new YibaoException(ErrorCatalog.InvalidField("body", "expected a contribution object or an array of them")),
        };
        var items = new List<ContributionRequest>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            try
            {
                items.Add(elements[i].ValueKind == JsonValueKind.Object
                    ? elements[i].Deserialize<ContributionRequest>(options)!
                    : throw new YibaoException(ErrorCatalog.InvalidJsonField("body").With("item", i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
            catch (JsonException e)
            {
                throw new YibaoException(JsonPaths.ErrorOf(e).With("item", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return items;
    }

    internal static async Task<Ok<InsuredResponse>> GetInsuredAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        RecordsStore store,
        CancellationToken ct)
    {
        var code = region;
        var id = idNumber;
        var record = await store.GetInsuredAsync(code, id, ct).ConfigureAwait(false)
                     ?? throw new YibaoException(ErrorCatalog.UnknownInsured(code.Value, id.Value));
        return TypedResults.Ok(InsuredResponse.From(record));
    }

    internal static async Task<Ok<ContributionListResponse>> GetContributionsAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        [Description("First month, YYYY-MM (optional).")] string? from,
        [Description("Last month, YYYY-MM (optional).")] string? to,
        RecordsStore store,
        CancellationToken ct)
    {
        var code = region;
        var id = idNumber;
        YearMonth? f = string.IsNullOrEmpty(from) ? null : YearMonth.Parse(from);
        YearMonth? t = string.IsNullOrEmpty(to) ? null : YearMonth.Parse(to);
        var months = await store.GetContributionsAsync(code, id, f, t, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ContributionListResponse(code.Value, id.Value, f?.ToString(), t?.ToString(), months.Select(ContributionResponse.From).ToList()));
    }
}
