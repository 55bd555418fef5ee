using System.Data.Common;
using System.Globalization;
using System.Text;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Crediting;

/// <summary>
/// The <c>pre_credit</c> rows of a region that pre-credits its insurance year (一次性预划入, 宁波):
/// what the monthly run reads before deciding a chunk, what it records with the entries it wrote,
/// and what the year-end settlement and back-pay read.
/// </summary>
public static class PreCredits
{
    public static readonly PreCreditRunFacts NoFacts = new(false, null, null, null);

    /// <summary>
    /// The facts of the people with ids in (<paramref name="after"/>, <paramref name="last"/>]:
    /// whether the run's insurance year is pre-credited, the base of the month before the year, and
    /// the first paid month of the year before the run's month. People without any are left out.
    /// </summary>
    internal static async Task<Dictionary<long, PreCreditRunFacts>> ReadFactsAsync(
        Func<string, DbCommand> command, CreditingRunPlan plan, long after, long last, CancellationToken ct)
    {
        var year = plan.Year;
        var facts = new Dictionary<long, PreCreditRunFacts>();
        await using (var cmd = command("SELECT insured_id FROM pre_credit WHERE insured_id > @after AND insured_id <= @last AND year_start = @y")
                         .With("after", after).With("last", last).With("y", year.FirstMonth.ToString()))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) facts[Long(r, 0)] = NoFacts with { AlreadyPreCredited = true };
        }

        var before = year.FirstMonth.AddMonths(-1);
        await using (var cmd = command(
                         "SELECT insured_id, month, base, paid_date FROM contribution " +
                         "WHERE insured_id > @after AND insured_id <= @last AND month >= @from AND month < @month ORDER BY insured_id, month")
                     .With("after", after).With("last", last).With("from", before.ToString()).With("month", plan.Month.ToString()))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = Long(r, 0);
                var month = YearMonth.Parse(r.GetString(1));
                var amount = DMoney.FromFen(Long(r, 2));
                var f = facts.GetValueOrDefault(id) ?? NoFacts;
                if (f.AlreadyPreCredited) continue;
                if (month == before) f = f with { BaseBeforeYear = amount };
                else if (!r.IsDBNull(3) && f.FirstPaidMonth is null) f = f with { FirstPaidMonth = month, FirstPaidBase = amount };
                facts[id] = f;
            }
        }
        return facts;
    }

    /// <summary>What the year-end settlement of a year did to its pre-credits: how many were settled, how many had months clawed back, the sums clawed back and short.</summary>
    public static async Task<(long Settled, long Clawed, DMoney ClawedBack, DMoney Shortfall)> SettlementAsync(YibaoDatabase db, RegionCode region, InsuranceYear year, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), COALESCE(SUM(CASE WHEN clawed_back > 0 OR shortfall > 0 THEN 1 ELSE 0 END), 0), COALESCE(SUM(clawed_back), 0), COALESCE(SUM(shortfall), 0) " +
                          "FROM pre_credit WHERE region_code = @r AND year_start = @y AND settled_on IS NOT NULL";
        cmd.With("r", region.Value).With("y", year.FirstMonth.ToString());
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (Long(r, 0), Long(r, 1), DMoney.FromFen(Long(r, 2)), DMoney.FromFen(Long(r, 3)));
    }

    /// <summary>Records the pre-credits this chunk inserted (an entry whose key was already there was recorded with it).</summary>
    internal static async Task RecordAsync(DbSession s, CreditingRunPlan plan, IEnumerable<(long InsuredId, string IdNumber, long AccountId, CreditingRunOutcome Outcome, bool Inserted)> written, CancellationToken ct)
    {
        const int perStatement = 400;
        var rows = written.Where(w => w.Inserted && w.Outcome.PreCredit is not null).ToList();
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var batch = rows.Skip(start).Take(perStatement).ToList();
            var sql = new StringBuilder(
                "INSERT INTO pre_credit (insured_id, year_start, region_code, account_id, from_month, months, monthly_gross, monthly_deduction, monthly_net, entry_key) VALUES ");
            await using var cmd = s.Command("");
            for (var i = 0; i < batch.Count; i++)
            {
                var (insured, idNumber, account, outcome, _) = batch[i];
                var span = outcome.PreCredit!;
                if (i > 0) sql.Append(", ");
                sql.Append(CultureInfo.InvariantCulture, $"(@i{i}, @y, @r, @a{i}, @f{i}, @n{i}, @g{i}, @d{i}, @m{i}, @k{i})");
                cmd.With($"i{i}", insured).With($"a{i}", account).With($"f{i}", span.From.ToString()).With($"n{i}", span.Months)
                    .With($"g{i}", span.MonthlyGross.Fen).With($"d{i}", span.MonthlyDeduction.Fen).With($"m{i}", span.MonthlyNet.Fen)
                    .With($"k{i}", CreditingRunPlan.PreCreditKey(plan.Region, plan.Year, idNumber));
            }
            cmd.With("y", plan.Year.FirstMonth.ToString()).With("r", plan.Region.Value);
            cmd.CommandText = sql.ToString();
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

}

/// <summary>An unsettled pre-credit of the year-end chunk, with the months to claw back.</summary>
internal sealed record PreCreditToSettle(long InsuredId, long AccountId, PreCreditSpan Span, IReadOnlyList<YearMonth> Unpaid);

internal static class PreCreditSettlements
{
    /// <summary>
    /// The unsettled pre-credits of the year on the accounts with ids in (<paramref name="after"/>,
    /// <paramref name="last"/>], each with its unpaid months (<see cref="PreCreditSettlement.Unpaid"/>),
    /// read in the chunk's transaction.
    /// </summary>
    public static async Task<List<PreCreditToSettle>> ReadAsync(DbSession s, RegionCode region, InsuranceYear year, long after, long last, CancellationToken ct)
    {
        const string scope = "FROM pre_credit p {0} WHERE p.region_code = @r AND p.year_start = @y AND p.settled_on IS NULL AND p.account_id > @after AND p.account_id <= @last";
        DbCommand Command(string sql) => s.Command(sql).With("r", region.Value).With("y", year.FirstMonth.ToString()).With("after", after).With("last", last);

        var rows = new List<(long Insured, long Account, PreCreditSpan Span)>();
        await using (var cmd = Command("SELECT p.insured_id, p.account_id, p.from_month, p.months, p.monthly_gross, p.monthly_deduction, p.monthly_net " +
                                       string.Format(CultureInfo.InvariantCulture, scope, "") + " ORDER BY p.account_id"))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                rows.Add((Long(r, 0), Long(r, 1), new PreCreditSpan(YearMonth.Parse(r.GetString(2)), Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture),
                    DMoney.FromFen(Long(r, 4)), DMoney.FromFen(Long(r, 5)), DMoney.FromFen(Long(r, 6)))));
        }
        if (rows.Count == 0) return [];

        var people = new Dictionary<long, (string Status, DateOnly Enrolled, DateOnly? Died)>();
        await using (var cmd = Command("SELECT i.id, i.status, i.enrolled_on, i.death_date " + string.Format(CultureInfo.InvariantCulture, scope, "JOIN insured i ON i.id = p.insured_id")))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                people[Long(r, 0)] = (r.GetString(1), r.GetFieldValue<DateOnly>(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3));
        }
        var history = new Dictionary<long, List<(DateOnly On, string Status)>>();
        await using (var cmd = Command("SELECT h.insured_id, h.effective_on, h.status " +
                                       string.Format(CultureInfo.InvariantCulture, scope, "JOIN insured_status h ON h.insured_id = p.insured_id") + " ORDER BY h.insured_id, h.effective_on, h.id"))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = Long(r, 0);
                if (!history.TryGetValue(id, out var list)) history[id] = list = [];
                list.Add((r.GetFieldValue<DateOnly>(1), r.GetString(2)));
            }
        }
        var paid = new HashSet<(long, YearMonth)>();
        await using (var cmd = Command("SELECT c.insured_id, c.month " +
                                       string.Format(CultureInfo.InvariantCulture, scope, "JOIN contribution c ON c.insured_id = p.insured_id AND c.month >= p.from_month AND c.month <= @lastMonth") +
                                       " AND c.paid_date IS NOT NULL").With("lastMonth", year.LastMonth.ToString()))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) paid.Add((Long(r, 0), YearMonth.Parse(r.GetString(1))));
        }

        var settle = new List<PreCreditToSettle>(rows.Count);
        foreach (var (insured, account, span) in rows)
        {
            var person = people[insured];
            var events = history.GetValueOrDefault(insured);
            string? StatusOnFirst(YearMonth m)
            {
                var first = m.FirstDay;
                if (person.Died is { } died && died <= first) return "deceased";
                if (events is null) return person.Enrolled <= first ? person.Status : null;
                string? status = null;
                foreach (var (on, s) in events)
                {
                    if (on > first) break;
                    status = s;
                }
                return status;
            }
            settle.Add(new PreCreditToSettle(insured, account, span, PreCreditSettlement.Unpaid(span, year, StatusOnFirst, m => paid.Contains((insured, m)))));
        }
        return settle;
    }

    /// <summary>Whether any pre-credit of the year is still to settle in the region.</summary>
    public static async Task<bool> AnyUnsettledAsync(YibaoDatabase db, RegionCode region, InsuranceYear year, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM pre_credit WHERE region_code = @r AND year_start = @y AND settled_on IS NULL";
        cmd.With("r", region.Value).With("y", year.FirstMonth.ToString());
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Marks a pre-credit settled, with what was clawed back; only an unsettled one (the chunk holds the write lock or the row).</summary>
    public static async Task MarkSettledAsync(DbSession s, long insuredId, InsuranceYear year, IReadOnlyList<YearMonth> clawed, DMoney clawedBack, DMoney shortfall, CancellationToken ct)
    {
        await using var cmd = s.Command(
                "UPDATE pre_credit SET settled_on = @on, clawed_months = @months, clawed_back = @back, shortfall = @short " +
                "WHERE insured_id = @i AND year_start = @y AND settled_on IS NULL")
            .With("on", year.End).With("months", string.Join(",", clawed)).With("back", clawedBack.Fen).With("short", shortfall.Fen)
            .With("i", insuredId).With("y", year.FirstMonth.ToString());
        if (await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
            throw new BulkNotAppliedException($"the pre-credit of insured {insuredId} for {year} was settled by someone else");
    }

}
