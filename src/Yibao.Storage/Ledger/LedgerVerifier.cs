using System.Globalization;
using Yibao.Domain.Ledger;

namespace Yibao.Storage.Ledger;

/// <summary>One broken invariant, with the rows that break it.</summary>
public sealed record InvariantViolation(string Invariant, string Detail);

/// <summary>What <c>yibao ledger verify</c> found.</summary>
public sealed record LedgerReport(long Entries, long Postings, long Accounts, long PostingSumFen, IReadOnlyList<InvariantViolation> Violations)
{
    public bool Ok => Violations.Count == 0;
}

/// <summary>
/// Proves the ledger's invariants on a live database (TigerBeetle's auditor, in SQL):
/// every entry balances and has two or more postings; all postings sum to zero; every stored
/// balance equals the sum of its postings; no personal account (or any non-negative segment)
/// is below zero; every reversal mirrors the entry it reverses. And, per region, that the money of
/// the contribution records is in the ledger: the pooled fund's contribution income (the payments
/// received, <c>contribution-paid</c>, and back-pay principal, <c>backfill-principal</c>) equals the
/// paid months on record, and 应缴待收 (<c>contributions-billed</c>) equals the months billed and not
/// paid (months with <c>in_ledger = 0</c>, recorded before contributions reached the ledger or
/// generated as load data, are left out of both).
/// </summary>
public static class LedgerVerifier
{
    private const int MaxShown = 20;

    public static async Task<LedgerReport> VerifyAsync(YibaoDatabase db, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        // One snapshot for every check, so a concurrent writer cannot make a consistent ledger look broken.
        // SQLite: a deferred transaction reads one WAL snapshot without taking the write lock.
        await using var tx = c is Microsoft.Data.Sqlite.SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: true)
            : await c.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        var violations = new List<InvariantViolation>();

        async Task<List<string>> Rows(string sql)
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            var rows = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false) && rows.Count < MaxShown)
            {
                var values = new object[r.FieldCount];
                r.GetValues(values);
                rows.Add(string.Join(" ", values.Select((v, i) => $"{r.GetName(i)}={Convert.ToString(v, CultureInfo.InvariantCulture)}")));
            }
            return rows;
        }

        async Task<long> Scalar(string sql)
        {
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        void Add(string invariant, IEnumerable<string> rows) =>
            violations.AddRange(rows.Select(r => new InvariantViolation(invariant, r)));

        Add("entry-balances",
            await Rows("SELECT entry_id, SUM(amount) AS total FROM posting GROUP BY entry_id HAVING SUM(amount) <> 0").ConfigureAwait(false));
        Add("entry-has-two-postings",
            await Rows("SELECT e.id AS entry_id, COUNT(p.id) AS postings FROM journal_entry e LEFT JOIN posting p ON p.entry_id = e.id GROUP BY e.id HAVING COUNT(p.id) < 2").ConfigureAwait(false));
        var total = await Scalar("SELECT COALESCE(SUM(amount), 0) FROM posting").ConfigureAwait(false);
        if (total != 0) violations.Add(new InvariantViolation("postings-sum-to-zero", $"total={total}"));
        Add("stored-balance-equals-postings",
            await Rows(
                "SELECT b.account_id, b.segment, b.balance, COALESCE(s.total, 0) AS postings, b.posting_count, COALESCE(s.n, 0) AS n " +
                "FROM (SELECT account_id, segment, SUM(balance) AS balance, SUM(posting_count) AS posting_count FROM account_balance GROUP BY account_id, segment) b LEFT JOIN (SELECT account_id, segment, SUM(amount) AS total, COUNT(*) AS n FROM posting GROUP BY account_id, segment) s " +
                "ON s.account_id = b.account_id AND s.segment = b.segment " +
                "WHERE b.balance <> COALESCE(s.total, 0) OR b.posting_count <> COALESCE(s.n, 0)").ConfigureAwait(false));
        Add("posting-has-balance-row",
            await Rows(
                "SELECT p.account_id, p.segment, COUNT(*) AS postings FROM posting p LEFT JOIN account_balance b " +
                "ON b.account_id = p.account_id AND b.segment = p.segment AND b.shard = 0 WHERE b.account_id IS NULL GROUP BY p.account_id, p.segment").ConfigureAwait(false));
        Add("personal-account-not-negative",
            await Rows(
                "SELECT a.code, b.segment, b.balance FROM account_balance b JOIN ledger_account a ON a.id = b.account_id " +
                "WHERE b.balance < 0 AND (b.non_negative = 1 OR a.kind = 'personal')").ConfigureAwait(false));
        Add("posting-region-matches-entry",
            await Rows(
                "SELECT p.id AS posting_id, p.region_code, e.region_code AS entry_region FROM posting p JOIN journal_entry e ON e.id = p.entry_id " +
                "JOIN ledger_account a ON a.id = p.account_id WHERE p.region_code <> e.region_code OR a.region_code <> e.region_code OR p.business_date <> e.business_date").ConfigureAwait(false));
        Add("reversal-mirrors-original",
            await Rows(
                "SELECT r.id AS reversal, r.reverses_entry_id AS original FROM journal_entry r " +
                "WHERE r.reverses_entry_id IS NOT NULL AND EXISTS (" +
                "  SELECT x.account_id, x.segment FROM (" +
                "    SELECT account_id, segment, amount FROM posting WHERE entry_id = r.id " +
                "    UNION ALL SELECT account_id, segment, amount FROM posting WHERE entry_id = r.reverses_entry_id) x " +
                "  GROUP BY x.account_id, x.segment HAVING SUM(x.amount) <> 0)").ConfigureAwait(false));

        Add("fund-income-equals-paid-contributions",
            await Rows(
                "SELECT region_code, SUM(income) AS fund_income, SUM(paid) AS paid_contributions FROM (" +
                "  SELECT p.region_code, p.amount AS income, 0 AS paid FROM posting p JOIN journal_entry e ON e.id = p.entry_id " +
                "  JOIN ledger_account a ON a.id = p.account_id WHERE a.kind = 'pooled-fund' AND e.reason_code IN ('" +
                Domain.Features.Records.ContributionEntries.PaidReason + "', '" + Backfill.BackfillNames.PrincipalReason + "') " +
                "  UNION ALL SELECT region_code, 0, employer_part + individual_part FROM contribution WHERE paid_date IS NOT NULL AND in_ledger = 1) x " +
                "GROUP BY region_code HAVING SUM(income) <> SUM(paid)").ConfigureAwait(false));
        Add("billed-equals-unpaid-contributions",
            await Rows(
                "SELECT region_code, SUM(billed) AS contributions_billed, SUM(unpaid) AS unpaid_contributions FROM (" +
                "  SELECT p.region_code, p.amount AS billed, 0 AS unpaid FROM posting p JOIN ledger_account a ON a.id = p.account_id " +
                $"  WHERE a.kind = '{AccountKind.ContributionsBilled.Code()}' " +
                "  UNION ALL SELECT region_code, 0, employer_part + individual_part FROM contribution WHERE paid_date IS NULL AND in_ledger = 1) x " +
                "GROUP BY region_code HAVING SUM(billed) <> SUM(unpaid)").ConfigureAwait(false));

        var entries = await Scalar("SELECT COUNT(*) FROM journal_entry").ConfigureAwait(false);
        var postings = await Scalar("SELECT COUNT(*) FROM posting").ConfigureAwait(false);
        var accounts = await Scalar("SELECT COUNT(*) FROM ledger_account").ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new LedgerReport(entries, postings, accounts, total, violations);
    }
}
