using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Yibao.Domain.Ledger;
using Yibao.Domain.Time;
using Yibao.Server.Features.Insured;
using Yibao.Server.Hosting;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Server.Features.Accounts;

/// <summary>个人账户 and the region's own accounts: balance and statement.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts/{code}")
            .WithTags("Accounts")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/balance", GetBalanceAsync)
            .WithName("GetAccountBalance")
            .WithSummary("Account balance / 账户余额")
            .WithDescription("The balance of one account by segment. A personal account has a current-year (当年) and a historical (历年) segment. Unknown or malformed codes answer `unknown-account` (404).");

        group.MapGet("/statement", GetStatementAsync)
            .WithName("GetAccountStatement")
            .WithSummary("Account statement / 对账单")
            .WithDescription("The postings of one account between two business dates (both inclusive), a page at a time, each with the balance after it. " +
                             "`from` defaults to 1 January of the year of `to`; `to` defaults to today in China (UTC+8). " +
                             "Errors: `invalid-date`, `invalid-date-range`, `invalid-paging` (400), `unknown-account` (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        return app;
    }

    internal static async Task<Ok<AccountBalanceResponse>> GetBalanceAsync(
        [Description("Account code: `{region}:personal:{idNumber}` or `{region}:{kind}`, e.g. `990100:pooled-fund`.")] string code,
        LedgerStore ledger,
        YibaoDatabase db,
        CancellationToken ct)
    {
        var account = AccountCode.Parse(code);
        var balance = await ledger.GetBalanceAsync(account, ct).ConfigureAwait(false);
        var holderName = account.Holder is null
            ? null
            : await InsuredQueries.FindNameAsync(db, account.Region, account.Holder, ct).ConfigureAwait(false);
        var segments = account.Kind.Segments().ToDictionary(
            s => s.Code(),
            s => balance.Segments.GetValueOrDefault(s).ToPlainString(),
            StringComparer.Ordinal);
        return TypedResults.Ok(new AccountBalanceResponse(
            account.Value, account.Kind.Code(), account.Region.Value, account.Holder, holderName,
            balance.Status == AccountStatus.Open ? "open" : "closed", segments, balance.Total.ToPlainString()));
    }

    internal static async Task<Ok<StatementResponse>> GetStatementAsync(
        [Description("Account code: `{region}:personal:{idNumber}` or `{region}:{kind}`.")] string code,
        [Description("First business date, YYYY-MM-DD (default: 1 January of the year of `to`).")] string? from,
        [Description("Last business date, YYYY-MM-DD (default: today in China).")] string? to,
        [Description("Page number, from 1 (default 1).")] PageNumber? page,
        [Description("Lines per page, 1–500 (default 50).")] PageSize? pageSize,
        LedgerStore ledger,
        TimeProvider clock,
        CancellationToken ct)
    {
        var end = QueryValues.DateOr(to, Dates.TodayInChina(clock));
        var start = QueryValues.DateOr(from, new DateOnly(end.Year, 1, 1));
        QueryValues.RequireOrdered(start, end);
        var (p, size) = ((page ?? PageNumber.First).Value, (pageSize ?? PageSize.Default).Value);
        var account = AccountCode.Parse(code);

        var statement = await ledger.GetStatementAsync(account, start, end, p, size, ct).ConfigureAwait(false);
        var lines = statement.Lines
            .Select(l => new StatementLineResponse(l.EntryId, l.BusinessDate, l.ReasonCode, l.Memo, l.Segment.Code(),
                l.Amount.ToPlainString(), l.BalanceAfter.ToPlainString(), l.ReversesEntryId))
            .ToList();
        return TypedResults.Ok(new StatementResponse(statement.Account.Value, statement.From, statement.To,
            statement.OpeningBalance.ToPlainString(), statement.ClosingBalance.ToPlainString(),
            statement.Page, statement.PageSize, statement.TotalLines, lines));
    }
}
