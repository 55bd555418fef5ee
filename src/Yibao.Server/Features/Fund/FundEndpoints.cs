using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Server.Features.Fund;

/// <summary>What employers and insured people owe: contributions billed and not paid.</summary>
/// <param name="Employers">单位应缴 outstanding, yuan.</param>
/// <param name="Insured">个人应缴 outstanding (flexible workers), yuan.</param>
/// <param name="Total">Both, yuan.</param>
/// <param name="UnpaidMonths">Contribution months billed and not paid.</param>
public sealed record FundReceivablesResponse(string Employers, string Insured, string Total, long UnpaidMonths);

/// <summary>One month of the pooled fund, by business date.</summary>
/// <param name="Month">YYYY-MM.</param>
/// <param name="Income">Contribution income: contributions received + back-pay principal, yuan.</param>
/// <param name="Contributions">Contributions received (缴费到账), yuan.</param>
/// <param name="BackPay">Back-pay principal received (补缴本金), yuan.</param>
/// <param name="Credited">Paid into personal accounts (划入, 预划入, less claw-backs) with their deductions, yuan.</param>
/// <param name="Other">Every other movement of the fund, signed, yuan.</param>
/// <param name="Net">The month's change of the balance, yuan.</param>
public sealed record FundMonthResponse(string Month, string Income, string Contributions, string BackPay, string Credited, string Other, string Net);

/// <summary>统筹基金 of a region.</summary>
/// <param name="Region">The pooling region.</param>
/// <param name="RegionName">Its name.</param>
/// <param name="Account">The fund's ledger account.</param>
/// <param name="Balance">The fund's balance now, yuan (positive: money the fund holds).</param>
/// <param name="Receivables">What is owed to it.</param>
/// <param name="From">The first month listed (null when the fund never moved).</param>
/// <param name="To">The last month listed.</param>
/// <param name="Months">Month by month, every month from <paramref name="From"/> to <paramref name="To"/>.</param>
public sealed record FundResponse(string Region, string RegionName, string Account, string Balance, FundReceivablesResponse Receivables,
    string? From, string? To, IReadOnlyList<FundMonthResponse> Months)
{
    internal static FundResponse Of(FundReport r) => new(
        r.Region.Value, r.RegionName, $"{r.Region.Value}:pooled-fund", r.Balance.ToPlainString(),
        new FundReceivablesResponse(r.EmployerReceivable.ToPlainString(), r.InsuredReceivable.ToPlainString(), r.ReceivablesOutstanding.ToPlainString(), r.UnpaidMonths),
        r.Months.Count > 0 ? r.Months[0].Month.ToString() : null, r.Months.Count > 0 ? r.Months[^1].Month.ToString() : null,
        r.Months.Select(m => new FundMonthResponse(m.Month.ToString(), m.Income.ToPlainString(), m.Contributions.ToPlainString(), m.BackPay.ToPlainString(),
            m.Credited.ToPlainString(), m.Other.ToPlainString(), m.Net.ToPlainString())).ToList());
}

/// <summary>统筹基金: the pooled fund of a region, as the ledger holds it (staff).</summary>
public static class FundEndpoints
{
    public static IEndpointRouteBuilder MapFundEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/regions/{region}/fund", GetAsync)
            .WithTags("Fund (staff)")
            .WithName("GetPooledFund")
            .WithSummary("The pooled fund / 统筹基金收支")
            .WithDescription("The region's pooled fund from the ledger: its balance, the receivables of contributions billed and not paid (by employers and by flexible workers), " +
                             "and each month's movements by business date: contribution income (contributions received and back-pay principal), what was credited to personal accounts, " +
                             "other movements and the net change. `from` and `to` (YYYY-MM, both optional, at most 600 months) choose the months; by default the first and last month " +
                             "in which the fund moved. Errors: `invalid-region-code`, `invalid-month`, `invalid-date-range`, `fund-range-too-long` (400), `unknown-region` (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Ok<FundResponse>> GetAsync(
        [Description("Pooling region code (six digits), e.g. `990100`.")] string region,
        [Description("First month, YYYY-MM (optional).")] string? from,
        [Description("Last month, YYYY-MM (optional).")] string? to,
        YibaoDatabase db,
        CancellationToken ct)
    {
        var code = RegionCode.Parse(region);
        YearMonth? f = string.IsNullOrEmpty(from) ? null : YearMonth.Parse(from);
        YearMonth? t = string.IsNullOrEmpty(to) ? null : YearMonth.Parse(to);
        var report = await FundQueries.GetAsync(db, code, f, t, ct).ConfigureAwait(false);
        return TypedResults.Ok(FundResponse.Of(report));
    }
}
