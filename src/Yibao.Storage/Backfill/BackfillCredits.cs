using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Backfill;

/// <summary>What the records say about an insured person, as the back-pay and its monthly credits need it.</summary>
internal sealed record InsuredOnRecord(
    long Id,
    string IdNumber,
    string Scheme,
    string CurrentStatus,
    InsuredStatus Status,
    long? EmployerId,
    string? EmployerCreditCode,
    DMoney? DeclaredWage,
    DateOnly BirthDate,
    DateOnly EnrolledOn,
    DateOnly? DeathDate,
    bool HasHistory);

/// <summary>
/// The monthly credit (月度划入) of each back-paid month, decided and keyed exactly as the monthly
/// crediting run (<c>Crediting/CreditingRunner</c>) decides it: the same <see cref="CreditingRunPlan"/>
/// on the pack in force on the 1st of the month, the same entry, key <c>credit/{region}/{month}/{idNumber}</c>,
/// now that the month's contribution is paid: a month the run skipped as unpaid is credited by the
/// back-pay, and a later run (or a re-run) finds the key and credits nothing twice. A status the
/// run does not credit (a flexible worker, K3) gets no credit here either.
/// </summary>
internal static class BackfillCredits
{
    public sealed record Planned(YearMonth Month, JournalEntryRequest Entry, DMoney Net);

    public static async Task<IReadOnlyList<Planned>> PlanAsync(
        DbSession s, PolicyBook book, RegionCode region, InsuredOnRecord insured, IReadOnlyList<BackfillMonthLine> lines, string actor, CancellationToken ct)
    {
        var account = AccountCode.Personal(region, insured.IdNumber);
        bool closed;
        await using (var find = s.Command("SELECT status FROM ledger_account WHERE code = @c").With("c", account.Value))
            closed = await find.ExecuteScalarAsync(ct).ConfigureAwait(false) as string == "closed";

        var planned = new List<Planned>();
        foreach (var line in lines)
        {
            string? onFirst;
            await using (var status = s.Command(
                             "SELECT status FROM insured_status WHERE insured_id = @i AND effective_on <= @d ORDER BY effective_on DESC, id DESC LIMIT 1")
                         .With("i", insured.Id).With("d", line.Month.FirstDay))
                onFirst = await status.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            // The run resolves the pack on the 1st of the credited month (K16); the same here, so both post the same entry.
            var plan = new CreditingRunPlan(book.For(region, line.Month.FirstDay), line.Month);
            if (plan.PreCredits)
            {
                if (await ClawedBackAsync(s, plan, insured.Id, ct).ConfigureAwait(false) is { } span)
                {
                    var restored = new CreditingRunOutcome(null, span.MonthlyGross, span.MonthlyDeduction, span.MonthlyNet,
                        $"{line.Month} 补缴后补划:该月预划入已于年度清算时扣回");
                    planned.Add(new Planned(line.Month, plan.Entry(insured.IdNumber, restored) with { Actor = actor }, span.MonthlyNet));
                }
                continue;
            }
            var person = new CreditingRunPerson(insured.Id, insured.IdNumber, insured.BirthDate, insured.Scheme, insured.CurrentStatus,
                onFirst, insured.HasHistory, insured.EnrolledOn, insured.DeathDate, insured.DeclaredWage, line.Base,
                ContributionPaid: true, AccountId: null, AccountClosed: closed);
            var outcome = plan.Decide(person);
            // The actor is not part of an entry's content: the run's own retry of the month is still a replay.
            if (outcome.Credited) planned.Add(new Planned(line.Month, plan.Entry(insured.IdNumber, outcome) with { Actor = actor }, outcome.Net));
        }
        return planned;
    }

    /// <summary>
    /// 一次性预划入: a back-paid month inside an unsettled pre-credit is already credited (the
    /// settlement will now find it paid); a month the settlement clawed back is credited again at
    /// the pre-credit's monthly amounts; any other month was never part of a credit in this model.
    /// Returns the span when the month is to be credited again.
    /// </summary>
    private static async Task<PreCreditSpan?> ClawedBackAsync(DbSession s, CreditingRunPlan plan, long insuredId, CancellationToken ct)
    {
        await using var cmd = s.Command(
                "SELECT from_month, months, monthly_gross, monthly_deduction, monthly_net, clawed_months FROM pre_credit " +
                "WHERE insured_id = @i AND year_start = @y AND settled_on IS NOT NULL")
            .With("i", insuredId).With("y", plan.Year.FirstMonth.ToString());
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        var clawed = r.IsDBNull(5) ? "" : r.GetString(5);
        if (!clawed.Split(',').Contains(plan.Month.ToString())) return null;
        return new PreCreditSpan(YearMonth.Parse(r.GetString(0)), Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), Fen(r, 2), Fen(r, 3), Fen(r, 4));
    }
}
