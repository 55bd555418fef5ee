using System.ComponentModel;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Gaps;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Server.Features.Insured;
using Yibao.Storage;
using Yibao.Storage.Records;

namespace Yibao.Server.Features.Gaps;

/// <summary>One unpaid month.</summary>
/// <param name="Month">缴费月份.</param>
/// <param name="Cause">`employer` (单位欠缴: employed on the month's 1st day) or `individual` (个人断缴: a flexible worker).</param>
/// <param name="EmployerCreditCode">The employer that owed it (employer cause).</param>
/// <param name="Reason">`missing` (nothing recorded) or `unpaid` (recorded, no paid date).</param>
/// <param name="Owed">Employer part + individual part of a recorded month, yuan; null when missing.</param>
/// <param name="DueDate">The recorded due date; null when missing.</param>
public sealed record GapMonthResponse(string Month, string Cause, string? EmployerCreditCode, string Reason, string? Owed, DateOnly? DueDate)
{
    public static GapMonthResponse From(GapMonth g) => new(
        g.Month.ToString(), g.Cause == ArrearsCause.Employer ? "employer" : "individual", g.Employer?.Value,
        g.Reason == GapReason.Missing ? "missing" : "unpaid", g.Contribution?.Total.ToPlainString(), g.Contribution?.DueDate);
}

/// <summary>A person's gaps between two months.</summary>
public sealed record PersonGapsResponse(string Region, string IdNumber, string From, string To, int EmployerMonths, int IndividualMonths, IReadOnlyList<GapMonthResponse> Months);

/// <summary>One person's gap in a region's month.</summary>
public sealed record RegionGapItem(string IdNumber, string Name, string Month, string Cause, string? EmployerCreditCode, string Reason, string? Owed);

/// <summary>A region's gaps in one month; <see cref="Items"/> is streamed as it is computed.</summary>
public sealed record RegionGapsResponse(string Region, string Month, IAsyncEnumerable<RegionGapItem> Items);

/// <summary>断缴: unpaid months by cause, for a person (insured) and for a whole region (staff).</summary>
public static class GapEndpoints
{
    public static IEndpointRouteBuilder MapGapEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/insured/{region}/{idNumber}/gaps", GetPersonGapsAsync)
            .WithTags("Insured records")
            .WithName("GetInsuredGaps")
            .WithSummary("My unpaid months / 我的断缴月份")
            .WithDescription("Months between `from` (default and earliest: the first month after enrolment that the person held on its 1st day) and `to` " +
                             "(default: last month, in China) that were owed and are unpaid, with their cause: `employer` when employed on the month's 1st day, " +
                             "`individual` for a flexible worker. Retired, suspended (after a leave) and deceased months are owed by nobody. " +
                             "Errors: `invalid-month`, `invalid-date-range`, `invalid-id-number` (400), `unknown-insured` (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/regions/{region}/gaps", GetRegionGaps)
            .WithTags("Records (staff)")
            .WithName("GetRegionGaps")
            .WithSummary("Unpaid months of a region / 统筹地区断缴名单")
            .WithDescription("Every insured person of the region with an unpaid `month` (YYYY-MM, default: last month in China), with the cause and employer. " +
                             "`items` is streamed as the region is read a batch at a time, so a large region answers in bounded memory. " +
                             "Errors: `invalid-region-code`, `invalid-month` (400), `unknown-region` (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary>Last month in China: the default end of a gap question (this month is not due yet).</summary>
    private static YearMonth LastMonth(TimeProvider clock) => YearMonth.Of(Dates.TodayInChina(clock)).AddMonths(-1);

    internal static async Task<Ok<PersonGapsResponse>> GetPersonGapsAsync(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("公民身份号码.")] IdNumber idNumber,
        [Description("First month, YYYY-MM (default: the first counted month after enrolment).")] string? from,
        [Description("Last month, YYYY-MM (default: last month in China).")] string? to,
        RecordsStore store,
        TimeProvider clock,
        CancellationToken ct)
    {
        var code = region;
        var id = idNumber;
        YearMonth? f = string.IsNullOrEmpty(from) ? null : YearMonth.Parse(from);
        var t = string.IsNullOrEmpty(to) ? LastMonth(clock) : YearMonth.Parse(to);
        var report = await store.GetGapsAsync(code, id, f, t, ct).ConfigureAwait(false);
        return TypedResults.Ok(new PersonGapsResponse(code.Value, id.Value, report.From.ToString(), report.To.ToString(),
            report.EmployerMonths, report.IndividualMonths, report.Months.Select(GapMonthResponse.From).ToList()));
    }

    internal static async Task<Ok<RegionGapsResponse>> GetRegionGaps(
        [Description("Pooling region code (six digits).")] RegionCode region,
        [Description("The month, YYYY-MM (default: last month in China).")] string? month,
        RecordsStore store,
        YibaoDatabase db,
        TimeProvider clock,
        CancellationToken ct)
    {
        var code = region;
        var m = string.IsNullOrEmpty(month) ? LastMonth(clock) : YearMonth.Parse(month);
        // Checked before the stream starts: once items flow, the status code is already sent.
        _ = await InsuredQueries.RegionNameAsync(db, code, ct).ConfigureAwait(false)
            ?? throw new YibaoException(ErrorCatalog.UnknownRegion(code.Value));
        return TypedResults.Ok(new RegionGapsResponse(code.Value, m.ToString(), Items(store, code, m, ct)));
    }

    private static async IAsyncEnumerable<RegionGapItem> Items(RecordsStore store, RegionCode region, YearMonth month, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var g in store.StreamRegionGapsAsync(region, month, ct).ConfigureAwait(false))
        {
            var r = GapMonthResponse.From(g.Gap);
            yield return new RegionGapItem(g.IdNumber.Value, g.Name, r.Month, r.Cause, r.EmployerCreditCode, r.Reason, r.Owed);
        }
    }
}
