using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Backfill;
using DMoney = Yibao.Domain.Money.Money;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Ledger;

/// <summary>One month of the pooled fund, by business date: what came in and what went out.</summary>
/// <param name="Month">The month.</param>
/// <param name="Contributions">Contributions received (缴费到账, <c>contribution-paid</c>).</param>
/// <param name="BackPay">Back-pay principal received (补缴本金, <c>backfill-principal</c>).</param>
/// <param name="Credited">What the fund paid into personal accounts and their deductions (划入, 预划入), less what was clawed back: a positive amount is money out.</param>
/// <param name="Other">Every other movement of the fund (opening balances, corrections, …), signed as the fund sees it.</param>
/// <param name="Net">The month's change of the fund's balance.</param>
public sealed record FundMonth(YearMonth Month, DMoney Contributions, DMoney BackPay, DMoney Credited, DMoney Other, DMoney Net)
{
    /// <summary>Contributions and back-pay principal: the fund's contribution income.</summary>
    public DMoney Income => Contributions + BackPay;
}

/// <summary>
/// 统筹基金 of a region as the ledger holds it: its balance, what employers and insured people owe
/// (the receivables of contributions billed and not paid), and its movements month by month.
/// </summary>
/// <param name="Region">The pooling region.</param>
/// <param name="RegionName">Its name.</param>
/// <param name="Balance">The pooled fund's balance now (positive: money the fund holds).</param>
/// <param name="EmployerReceivable">单位应缴 outstanding: what employers owe (positive: owed).</param>
/// <param name="InsuredReceivable">个人应缴 outstanding: what flexible workers owe themselves.</param>
/// <param name="UnpaidMonths">Contribution months billed and not paid.</param>
/// <param name="Months">The months asked for, in order, each with its movements (zero when none).</param>
public sealed record FundReport(RegionCode Region, string RegionName, DMoney Balance, DMoney EmployerReceivable, DMoney InsuredReceivable,
    long UnpaidMonths, IReadOnlyList<FundMonth> Months)
{
    public DMoney ReceivablesOutstanding => EmployerReceivable + InsuredReceivable;
}

/// <summary>Reads of a region's pooled fund, for <c>GET /api/regions/{region}/fund</c> and <c>yibao fund show</c>.</summary>
public static class FundQueries
{
    /// <summary>At most this many months in one report (50 years).</summary>
    public const int MaxMonths = 600;

    private static readonly HashSet<string> CreditReasons = new(StringComparer.Ordinal)
    {
        CreditingRunPlan.ReasonCode, CreditingRunPlan.PreCreditReasonCode, PreCreditSettlement.ReasonCode,
    };

    /// <summary>
    /// The fund of a region, with the months from <paramref name="from"/> to <paramref name="to"/>
    /// (both inclusive; by default the first and last month in which the fund moved). One snapshot.
    /// </summary>
    public static async Task<FundReport> GetAsync(YibaoDatabase db, RegionCode region, YearMonth? from = null, YearMonth? to = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (from is { } f0 && to is { } t0 && f0 > t0) throw new YibaoException(ErrorCatalog.InvalidDateRange(f0.ToString(), t0.ToString()));
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var tx = c is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        System.Data.Common.DbCommand Command(string sql)
        {
            var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            return cmd;
        }

        string name;
        await using (var cmd = Command("SELECT name FROM region WHERE code = @r").With("r", region.Value))
            name = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string ?? throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));

        // The region's own accounts by kind: balance (a sum over shards) and id.
        var balances = new Dictionary<string, (long Id, long Balance)>(StringComparer.Ordinal);
        await using (var cmd = Command(
                         "SELECT a.kind, a.id, COALESCE(SUM(b.balance), 0) FROM ledger_account a LEFT JOIN account_balance b ON b.account_id = a.id " +
                         "WHERE a.region_code = @r AND a.kind IN (@fund, @employer, @insured) GROUP BY a.kind, a.id")
                     .With("r", region.Value).With("fund", AccountKind.PooledFund.Code())
                     .With("employer", AccountKind.EmployerReceivable.Code()).With("insured", AccountKind.InsuredReceivable.Code()))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) balances[r.GetString(0)] = (Long(r, 1), Long(r, 2));
        }
        DMoney Of(AccountKind kind) => DMoney.FromFen(balances.TryGetValue(kind.Code(), out var b) ? b.Balance : 0);

        long unpaid;
        await using (var cmd = Command("SELECT COUNT(*) FROM contribution WHERE region_code = @r AND paid_date IS NULL AND in_ledger = 1 AND employer_part + individual_part > 0")
                         .With("r", region.Value))
            unpaid = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);

        // The fund's postings by day and reason (the posting index by account and date), folded into months here.
        var days = new List<(DateOnly Day, string Reason, long Amount)>();
        if (balances.TryGetValue(AccountKind.PooledFund.Code(), out var fund))
        {
            await using var cmd = Command(
                    "SELECT p.business_date, e.reason_code, SUM(p.amount) FROM posting p JOIN journal_entry e ON e.id = p.entry_id " +
                    "WHERE p.account_id = @a AND p.business_date >= @f AND p.business_date <= @t GROUP BY p.business_date, e.reason_code")
                .With("a", fund.Id).With("f", (from ?? new YearMonth(1, 1)).FirstDay).With("t", (to ?? new YearMonth(9999, 12)).LastDay);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) days.Add((r.GetFieldValue<DateOnly>(0), r.GetString(1), Long(r, 2)));
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);

        var first = from ?? (days.Count > 0 ? YearMonth.Of(days.Min(d => d.Day)) : (YearMonth?)null);
        var last = to ?? (days.Count > 0 ? YearMonth.Of(days.Max(d => d.Day)) : (YearMonth?)null);
        var months = new List<FundMonth>();
        if (first is { } m0 && last is { } m1)
        {
            if (m0.MonthsUntil(m1) >= MaxMonths)
                throw new YibaoException(ErrorCatalog.FundRangeTooLong(m0.ToString(), m1.ToString(), MaxMonths));
            var byMonth = days.ToLookup(d => YearMonth.Of(d.Day));
            for (var m = m0; m <= m1; m = m.AddMonths(1))
            {
                long contributions = 0, backPay = 0, credited = 0, other = 0;
                foreach (var (_, reason, amount) in byMonth[m])
                {
                    if (reason == ContributionEntries.PaidReason) contributions += amount;
                    else if (reason == BackfillNames.PrincipalReason) backPay += amount;
                    else if (CreditReasons.Contains(reason)) credited -= amount;
                    else other += amount;
                }
                months.Add(new FundMonth(m, DMoney.FromFen(contributions), DMoney.FromFen(backPay), DMoney.FromFen(credited), DMoney.FromFen(other),
                    DMoney.FromFen(contributions + backPay - credited + other)));
            }
        }
        return new FundReport(region, name, Of(AccountKind.PooledFund), -Of(AccountKind.EmployerReceivable), -Of(AccountKind.InsuredReceivable), unpaid, months);
    }
}
