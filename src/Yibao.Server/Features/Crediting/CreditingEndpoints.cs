using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Identity;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Crediting;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Crediting;

/// <summary>The month to credit.</summary>
/// <param name="Month">YYYY-MM; a month that has not started is refused.</param>
public sealed record StartCreditingRunRequest([property: Description("The month to credit, YYYY-MM.")] string? Month);

/// <summary>A monthly crediting run (月度划入) and how far it is.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Region">The pooling region.</param>
/// <param name="Month">The credited month.</param>
/// <param name="Status"><c>running</c>, <c>finished</c> or <c>failed</c> (a failed run resumes when started again).</param>
/// <param name="AlreadyFinished">True when the month had been run before: nothing was done.</param>
/// <param name="PolicyVersion">The pack versions every entry of the run records.</param>
/// <param name="StartedAt">When the run was first started.</param>
/// <param name="FinishedAt">When it finished.</param>
/// <param name="Accounts">Insured people of the region when the run started.</param>
/// <param name="Processed">People gone through so far.</param>
/// <param name="Credited">Accounts credited by the run.</param>
/// <param name="Skipped">People not credited, by reason in <paramref name="SkippedByReason"/>.</param>
/// <param name="SkippedByReason">Counts by reason code (contribution-unpaid, flexible-not-credited, deceased, …).</param>
/// <param name="SumCredited">Net credited to 当年账户, yuan.</param>
/// <param name="SumDeducted">Deducted for the long-term-care fund, yuan.</param>
/// <param name="PooledFundPaid">What the pooled fund paid: credited + deducted, yuan.</param>
/// <param name="Error">Why the last attempt failed, if it did.</param>
public sealed record CreditingRunResponse(
    long RunId, string Region, string Month, string Status, bool AlreadyFinished, string PolicyVersion, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    long Accounts, long Processed, long Credited, long Skipped, IReadOnlyDictionary<string, long> SkippedByReason,
    string SumCredited, string SumDeducted, string PooledFundPaid, string? Error)
{
    internal static CreditingRunResponse From(BatchRunRecord run, bool alreadyFinished) => new(
        run.Id, run.Region.Value, run.Period, run.Status, alreadyFinished, run.PolicyVersion, run.StartedAt, run.FinishedAt,
        run.AccountsTotal, run.Processed, run.AccountsDone, run.AccountsSkipped, run.SkippedByReason,
        DMoney.FromFen(run.SumCredited).ToPlainString(), DMoney.FromFen(run.SumDeducted).ToPlainString(),
        DMoney.FromFen(run.SumCredited + run.SumDeducted).ToPlainString(), run.Error);
}

/// <summary>One month's credit.</summary>
/// <param name="Month">The credited month.</param>
/// <param name="EntryId">Its journal entry (see the statement).</param>
/// <param name="BusinessDate">The entry's date.</param>
/// <param name="Amount">What reached 当年账户, yuan.</param>
/// <param name="Deduction">Deducted for the long-term-care fund, yuan.</param>
/// <param name="Gross">The month's credit before deductions, yuan.</param>
/// <param name="PolicyVersion">The pack versions behind it.</param>
/// <param name="Memo">How it was computed.</param>
/// <param name="Reversed">Cancelled by a reversing entry.</param>
public sealed record MonthlyCreditItem(string Month, long EntryId, DateOnly BusinessDate, string Amount, string Deduction, string Gross, string PolicyVersion, string? Memo, bool Reversed);

/// <summary>A person's monthly credits in one insurance year.</summary>
/// <param name="Region">The pooling region.</param>
/// <param name="IdNumber">The insured person.</param>
/// <param name="Account">Their personal account.</param>
/// <param name="Year">The insurance year, named by the calendar year it starts in.</param>
/// <param name="From">Its first month.</param>
/// <param name="To">Its last month.</param>
/// <param name="Total">The year's credits to 当年账户 so far, yuan (reversed ones left out).</param>
/// <param name="Credits">Month by month.</param>
public sealed record MonthlyCreditsResponse(string Region, string IdNumber, string Account, int Year, string From, string To, string Total, IReadOnlyList<MonthlyCreditItem> Credits);

/// <summary>月度划入: staff start a region's monthly crediting run and watch it; an insured person reads their monthly credits.</summary>
public static class CreditingEndpoints
{
    public static IEndpointRouteBuilder MapCreditingEndpoints(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/regions/{region}/crediting-runs")
            .WithTags("Crediting (staff)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        staff.MapPost("/", StartAsync)
            .WithName("StartCreditingRun")
            .WithSummary("Start the monthly crediting run / 启动月度划入")
            .WithDescription("Credits every eligible personal account of the region for the month, in the background: answers 202 with the run and its progress URL at once. " +
                             "Idempotent: a month already finished answers 200 with its figures and does nothing; a running or failed month resumes from its checkpoint; " +
                             "two servers starting the same month share it and credit nothing twice. Eligibility is read on the 1st of the month; an employed person is credited " +
                             "only for a paid month (back-pay credits the rest). Errors: `missing-field`, `invalid-month`, `invalid-region-code` (400), `unknown-region` (404), " +
                             "`crediting-month-in-future` (422).")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        staff.MapGet("/{month}", GetAsync)
            .WithName("GetCreditingRun")
            .WithSummary("Progress of a monthly crediting run / 月度划入进度")
            .WithDescription("Status, counts (processed, credited, skipped by reason) and sums of the region's run for the month. " +
                             "Errors: `invalid-month`, `invalid-region-code` (400), `unknown-region`, `batch-run-not-found` (404).");

        app.MapGroup("/api/insured/{region}/{idNumber}")
            .WithTags("Insured records")
            .MapGet("/credits", CreditsAsync)
            .WithName("GetMonthlyCredits")
            .WithSummary("My monthly credits / 我的个人账户月度划入")
            .WithDescription("The monthly credits of one insurance year (`year`, named by the calendar year it starts in; default: the current one), month by month, " +
                             "with what reached 当年账户, any deduction, the policy version and how it was computed. " +
                             "Errors: `invalid-region-code`, `invalid-id-number`, `invalid-field` (400), `unknown-account`, `unknown-region` (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Results<Accepted<CreditingRunResponse>, Ok<CreditingRunResponse>>> StartAsync(
        [Description("Pooling region code (six digits), e.g. `990100`.")] RegionCode region,
        StartCreditingRunRequest request,
        CreditingRunner runner,
        CreditingRunQueue queue,
        YibaoDatabase db,
        CancellationToken ct)
    {
        var code = region;
        if (string.IsNullOrWhiteSpace(request.Month)) throw new YibaoException(ErrorCatalog.MissingField("month"));
        var month = YearMonth.Parse(request.Month);
        // A pack (000000 is the national one) is not a region served here; the runner checks again where it writes.
        await RegionRows.RequireAsync(db, code, ct).ConfigureAwait(false);
        var run = await runner.StartAsync(code, month, ct).ConfigureAwait(false);
        if (run.Finished) return TypedResults.Ok(CreditingRunResponse.From(run, alreadyFinished: true));
        queue.Enqueue(code, month);
        return TypedResults.Accepted($"/api/regions/{code.Value}/crediting-runs/{month}", CreditingRunResponse.From(run, alreadyFinished: false));
    }

    internal static async Task<Ok<CreditingRunResponse>> GetAsync(
        [Description("Pooling region code (six digits), e.g. `990100`.")] RegionCode region,
        [Description("The credited month, YYYY-MM.")] YearMonth month,
        CreditingRunner runner,
        YibaoDatabase db,
        CancellationToken ct)
    {
        var code = region;
        var m = month;
        await RegionRows.RequireAsync(db, code, ct).ConfigureAwait(false);
        var run = await runner.GetAsync(code, m, ct).ConfigureAwait(false)
                  ?? throw new YibaoException(ErrorCatalog.BatchRunNotFound(code.Value, BatchRuns.MonthlyCredit, m.ToString()));
        return TypedResults.Ok(CreditingRunResponse.From(run, alreadyFinished: false));
    }

    internal static async Task<Ok<MonthlyCreditsResponse>> CreditsAsync(
        [Description("Pooling region code (six digits), e.g. `990100`.")] RegionCode region,
        [Description("The 18-character resident ID number.")] IdNumber idNumber,
        [Description("The insurance year, named by the calendar year it starts in (default: the current one).")] string? year,
        YibaoDatabase db,
        PolicyBook book,
        TimeProvider clock,
        CancellationToken ct)
    {
        var code = region;
        var id = idNumber;
        if (!book.Has(code)) throw new YibaoException(ErrorCatalog.UnknownRegion(code.Value));
        var today = Dates.TodayInChina(clock);
        InsuranceYear insuranceYear;
        if (string.IsNullOrEmpty(year))
        {
            insuranceYear = CreditingPolicy.From(book.For(code, today)).InsuranceYearOf(YearMonth.Of(today));
        }
        else
        {
            if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < 1999 or > 9998)
                throw new YibaoException(ErrorCatalog.InvalidField("year", "is a year from 1999 to 9998").With("year", year));
            var start = book.For(code, new DateOnly(y, 12, 31)).GetOrDefault(CreditingKeys.InsuranceYearStartMonth);
            insuranceYear = new InsuranceYear(new YearMonth(y, start is >= 1 and <= 12 ? start : 1));
        }

        var credits = await CreditQueries.MonthlyCreditsAsync(db, code, id.Value, insuranceYear.FirstMonth, insuranceYear.LastMonth, ct).ConfigureAwait(false);
        var items = credits.Select(c => new MonthlyCreditItem(c.Month.ToString(), c.EntryId, c.BusinessDate, c.Net.ToPlainString(), c.Deduction.ToPlainString(),
            c.Gross.ToPlainString(), c.PolicyVersion, c.Memo, c.Reversed)).ToList();
        var total = DMoney.Sum(credits.Where(c => !c.Reversed).Select(c => c.Net));
        return TypedResults.Ok(new MonthlyCreditsResponse(code.Value, id.Value, $"{code.Value}:personal:{id.Value}", insuranceYear.FirstMonth.Year,
            insuranceYear.FirstMonth.ToString(), insuranceYear.LastMonth.ToString(), total.ToPlainString(), items));
    }
}
