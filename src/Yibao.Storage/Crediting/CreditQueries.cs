using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Crediting;

/// <summary>One month's credit to a personal account, as the ledger holds it.</summary>
/// <param name="Month">The credited month (from the entry's key; back-paid months are credited later under the same key).</param>
/// <param name="EntryId">The journal entry.</param>
/// <param name="BusinessDate">The entry's date (the month's last day for the run; the payment day for back-pay).</param>
/// <param name="Net">What reached 当年账户.</param>
/// <param name="Deduction">What went to the long-term-care fund (苏州).</param>
/// <param name="Gross">What the pooled fund paid: net + deduction.</param>
/// <param name="PolicyVersion">The pack versions behind it.</param>
/// <param name="Memo">How it was computed, in words.</param>
/// <param name="Reversed">A reversing entry cancels it.</param>
public sealed record MonthlyCredit(YearMonth Month, long EntryId, DateOnly BusinessDate, DMoney Net, DMoney Deduction, DMoney Gross, string PolicyVersion, string? Memo, bool Reversed);

/// <summary>Reads of the monthly credits (月度划入) of one person.</summary>
public static class CreditQueries
{
    /// <summary>
    /// The monthly credits of a person whose credited month falls in [<paramref name="from"/>,
    /// <paramref name="to"/>], in month order. Unknown accounts are <c>unknown-account</c>.
    /// </summary>
    public static async Task<IReadOnlyList<MonthlyCredit>> MonthlyCreditsAsync(YibaoDatabase db, RegionCode region, string idNumber, YearMonth from, YearMonth to, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var account = AccountCode.Personal(region, idNumber);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        long accountId;
        await using (var find = c.CreateCommand())
        {
            find.CommandText = "SELECT id FROM ledger_account WHERE code = @c";
            find.With("c", account.Value);
            var id = await find.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (id is null or DBNull) throw new YibaoException(ErrorCatalog.UnknownAccount(account.Value));
            accountId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }

        // The keys of the months asked for sort between these two (credit/{region}/{YYYY-MM}/{idNumber}).
        var keys = (CreditingRunPlan.Key(region, from, idNumber), CreditingRunPlan.Key(region, to, idNumber));
        await using var cmd = c.CreateCommand();
        cmd.CommandText =
            "SELECT e.id, e.idempotency_key, e.business_date, e.policy_version, e.memo, a.kind, p.account_id, p.amount, " +
            "(SELECT COUNT(*) FROM journal_entry r WHERE r.reverses_entry_id = e.id) " +
            "FROM journal_entry e JOIN posting p ON p.entry_id = e.id JOIN ledger_account a ON a.id = p.account_id " +
            "WHERE e.id IN (SELECT x.entry_id FROM posting x WHERE x.account_id = @a) AND e.reason_code = @reason " +
            "AND e.idempotency_key >= @k1 AND e.idempotency_key <= @k2 ORDER BY e.idempotency_key, p.id";
        cmd.With("a", accountId).With("reason", CreditingRunPlan.ReasonCode).With("k1", keys.Item1).With("k2", keys.Item2);
        var credits = new List<MonthlyCredit>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        MonthlyCredit? current = null;
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var entryId = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
            if (current is null || current.EntryId != entryId)
            {
                if (current is not null) credits.Add(current);
                var key = r.GetString(1);
                var month = YearMonth.TryParse(key.Split('/') is { Length: 4 } parts ? parts[2] : null, out var m) ? m : YearMonth.Of(r.GetFieldValue<DateOnly>(2));
                current = new MonthlyCredit(month, entryId, r.GetFieldValue<DateOnly>(2), DMoney.Zero, DMoney.Zero, DMoney.Zero,
                    r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture) > 0);
            }
            var amount = DMoney.FromFen(Convert.ToInt64(r.GetValue(7), CultureInfo.InvariantCulture));
            var kind = r.GetString(5);
            var accountOfLine = Convert.ToInt64(r.GetValue(6), CultureInfo.InvariantCulture);
            current = kind switch
            {
                _ when accountOfLine == accountId => current with { Net = current.Net + amount },
                "long-term-care-fund" => current with { Deduction = current.Deduction + amount },
                "pooled-fund" => current with { Gross = current.Gross - amount },
                _ => current,
            };
        }
        if (current is not null) credits.Add(current);
        return credits;
    }
}
