using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.WaitingPeriod;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using DMoney = Yibao.Domain.Money.Money;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Backfill;

/// <summary>
/// 补缴入账: from a back-pay quote to money in the ledger. One payment is one transaction: the
/// receipt row (<c>backfill_payment</c>, unique by key), the owed months recorded as paid
/// (<c>contribution.paid_date</c>), the three journal entries of <see cref="BackfillEntries"/>, the
/// monthly credit of each paid month as the monthly run would post it (<see cref="BackfillCredits"/>),
/// and the benefit status of <see cref="BackfillBenefits"/>. The facts (status, employer, declared
/// wage, contribution history) are read from the records in that same transaction; the quote is
/// <see cref="BackfillDecision"/> on the region's policy for the payment day (K16).
/// <para>
/// Retry-safe without locks: the receipt's unique key makes a retry a replay (same request) or an
/// <c>idempotency-key-reused</c> refusal (different request); a month already paid by another
/// payment is refused by a conditional upsert (<c>… WHERE paid_date IS NULL</c>) that re-checks the
/// latest row on PostgreSQL and runs under SQLite's write lock. Any refusal rolls everything back.
/// </para>
/// </summary>
public sealed class BackfillPoster(YibaoDatabase db, LedgerStore ledger, PolicyBook book, TimeProvider clock)
{
    public YibaoDatabase Database => db;

    /// <summary>The quote for a person on record, with its reasons; nothing is written.</summary>
    public async Task<BackfillQuote> QuoteAsync(BackfillPaymentRequest request, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var insured = await ReadInsuredAsync(c, null, request, ct).ConfigureAwait(false);
        var (answer, version) = Decide(request, insured, Explanation.Build());
        return new BackfillQuote(request.Region, request.IdNumber, request.Cause, insured.Status, request.PaidOn, version, answer);
    }

    /// <summary>Posts a payment in its own transaction.</summary>
    public Task<BackfillPosting> PostAsync(BackfillPaymentRequest request, CancellationToken ct = default) =>
        // A concurrent first posting of the same months, or a deadlock with a crediting run's chunk
        // on the pooled fund: the whole transaction runs again and answers a replay or a refusal.
        db.RunAsync(s => PostAsync(s, request, ct), ct);

    /// <summary>Posts a payment inside the caller's transaction; a refusal throws and the caller rolls back.</summary>
    public async Task<BackfillPosting> PostAsync(DbSession s, BackfillPaymentRequest request, CancellationToken ct = default)
    {
        Validate(request);
        var key = BackfillEntries.Key(request.Region, request.IdNumber, request.PaidOn, request.Months);
        var requestHash = RequestHash(request);
        if (await ReplayAsync(s, key, requestHash, ct).ConfigureAwait(false) is { } replay) return replay;

        var insured = await ReadInsuredAsync(s.Connection, s.Transaction, request, ct).ConfigureAwait(false);
        var why = Explanation.Build();
        var (answer, version) = Decide(request, insured, why);
        if (request.Cause == ArrearsCause.Employer && insured.EmployerId is null)
            throw new YibaoException(ErrorCatalog.BackfillEmployerMissing(request.IdNumber));
        var months = answer.Months.Select(m => m.Month).ToList();
        var history = await ReadGapHistoryAsync(s, insured.Id, months, ct).ConfigureAwait(false);
        var credits = await BackfillCredits.PlanAsync(s, book, request.Region, insured, answer.Months, request.Actor, ct).ConfigureAwait(false);
        var accountCredit = DMoney.Sum(credits.Select(c => c.Net));
        var creditedMonths = string.Join(",", credits.Select(c => c.Month));
        var recordedAt = clock.GetUtcNow();
        var employerId = request.Cause == ArrearsCause.Employer ? insured.EmployerId : null;

        long paymentId;
        await using (var insert = s.Command(
                         "INSERT INTO backfill_payment (region_code, insured_id, employer_id, idempotency_key, content_hash, cause, months, paid_on, " +
                         "principal, late_fee, employer_part, individual_part, account_credit, late_fee_payer, credited_months, policy_version, actor, recorded_at) " +
                         "VALUES (@r, @i, @e, @k, @h, @cause, @months, @paid, @principal, @fee, @ep, @ip, @credit, @payer, @cm, @pv, @actor, @at) " +
                         "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")
                     .With("r", request.Region.Value).With("i", insured.Id).With("e", employerId).With("k", key).With("h", requestHash)
                     .With("cause", request.Cause.Code()).With("months", string.Join(",", months)).With("paid", request.PaidOn)
                     .With("principal", answer.Principal.Fen).With("fee", answer.LateFee.Fen)
                     .With("ep", (answer.EmployerPart ?? DMoney.Zero).Fen).With("ip", (answer.IndividualPart ?? answer.Principal).Fen)
                     .With("credit", accountCredit.Fen).With("payer", answer.LateFeePayer.Code()).With("cm", creditedMonths)
                     .With("pv", version).With("actor", request.Actor).With("at", Timestamp(s.Engine, recordedAt)))
        {
            var id = await insert.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (id is null or DBNull)
            {
                // PostgreSQL waited for a concurrent first posting of this key, which committed.
                return await ReplayAsync(s, key, requestHash, ct).ConfigureAwait(false)
                       ?? throw new InvalidOperationException("back-pay key conflict without a visible receipt");
            }
            paymentId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }

        var billed = new List<ContributionMonth>();
        foreach (var line in answer.Months)
        {
            if (await MarkPaidAsync(s, request, insured, employerId, line, ct).ConfigureAwait(false) is { } wasBilled) billed.Add(wasBilled);
        }

        var entries = BackfillEntries.For(key, request, answer, version, insured.EmployerCreditCode);
        var all = entries.Concat(credits.Select(c => c.Entry)).ToList();
        // The region's own accounts are opened on first use (idempotent by code), as the monthly run opens its own.
        foreach (var account in all.SelectMany(e => e.Postings).Select(p => p.Account).Distinct())
            await LedgerStore.OpenAccountAsync(s, account, request.PaidOn, ct).ConfigureAwait(false);
        foreach (var entry in all)
            await ledger.PostAsync(s, entry, ct).ConfigureAwait(false);
        // A month billed when it fell due is paid by this back-pay: its billing is taken back, since
        // the entries above charge and settle the receivable and put the principal into the fund.
        foreach (var month in billed)
        {
            if (ContributionEntries.Backfilled(request.Region, IdNumber.Parse(request.IdNumber), month, request.PaidOn, key, request.Actor) is { } settled)
                await ledger.PostAsync(s, settled, ct).ConfigureAwait(false);
        }

        var waiting = book.For(request.Region, request.PaidOn);
        var benefits = BackfillBenefits.Decide(request.Cause, months, request.PaidOn, history,
            WaitingPeriodPolicy.From(waiting), VersionOf(waiting, "waiting-period."), key);
        foreach (var row in benefits)
            await InsertBenefitAsync(s, request.Region, insured.Id, paymentId, row, recordedAt, ct).ConfigureAwait(false);

        return new BackfillPosting(key, request.Region, request.IdNumber, request.Cause, months, request.PaidOn,
            answer.Principal, answer.LateFee, answer.EmployerPart ?? DMoney.Zero, answer.IndividualPart ?? answer.Principal,
            accountCredit, answer.LateFeePayer, version, entries.Select(e => e.IdempotencyKey).ToList(),
            credits.Select(c => c.Entry.IdempotencyKey).ToList(), benefits, Replayed: false, answer.Reasons);
    }

    // ---------------------------------------------------------------- reads

    /// <summary>A posted back-pay by its key, or null.</summary>
    public async Task<BackfillPosting?> GetAsync(string key, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return (await ReadPaymentsAsync(c, null, "p.idempotency_key = @k", ("k", key), ct).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <summary>Every back-pay of a person, by payment day.</summary>
    public async Task<IReadOnlyList<BackfillPosting>> ListAsync(RegionCode region, string idNumber, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var insuredId = await FindInsuredIdAsync(c, null, region, idNumber, ct).ConfigureAwait(false);
        return await ReadPaymentsAsync(c, null, "p.insured_id = @i", ("i", insuredId), ct).ConfigureAwait(false);
    }

    /// <summary>The benefit status recorded for a person (待遇状态), by start date.</summary>
    public async Task<IReadOnlyList<BenefitStatusRow>> GetBenefitStatusAsync(RegionCode region, string idNumber, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var insuredId = await FindInsuredIdAsync(c, null, region, idNumber, ct).ConfigureAwait(false);
        return await ReadBenefitsAsync(c, null, "b.insured_id = @i", ("i", insuredId), ct).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- the decision

    private (BackfillAnswer Answer, string Version) Decide(BackfillPaymentRequest request, InsuredOnRecord insured, Explanation why)
    {
        if (insured.Scheme != "employee")
            throw new YibaoException(ErrorCatalog.InvalidField("scheme", "back-pay of employee contributions concerns the employee scheme (职工医保)"));
        var resolved = book.For(request.Region, request.PaidOn);
        // The employee's own contribution base is the declared wage on record, clamped by the decision (K2).
        var contributionBase = request.Base ?? (request.Cause == ArrearsCause.Employer ? insured.DeclaredWage : null);
        var facts = new BackfillFacts(request.Cause, insured.Status, request.Months, request.PaidOn, contributionBase, request.Rate);
        return (BackfillDecision.Decide(facts, BackfillPolicy.From(resolved), why), VersionOf(resolved, "backfill.", "contribution."));
    }

    private void Validate(BackfillPaymentRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Actor)) throw new YibaoException(ErrorCatalog.MissingField("actor"));
        if (request.Months.Count == 0) throw new YibaoException(ErrorCatalog.MissingField("months"));
        _ = AccountCode.Personal(request.Region, request.IdNumber);
        // A quote may look ahead; a payment is posted once the money has arrived (as the records refuse a future paid date).
        var today = Dates.TodayInChina(clock);
        if (request.PaidOn > today)
            throw new YibaoException(ErrorCatalog.InvalidField("paidOn", "a payment cannot be dated in the future")
                .With("value", Dates.Format(request.PaidOn)).With("today", Dates.Format(today)));
    }

    /// <summary>
    /// The pack versions that gave the rules used (as the monthly run records them), not every rule
    /// area of the region: what justified the entry, and short enough to carry on each.
    /// </summary>
    private static string VersionOf(ResolvedPolicy resolved, params string[] prefixes) =>
        resolved.VersionOf(prefixes);

    /// <summary>A retry is the same request: same person, cause, months, day, base and rate.</summary>
    private static string RequestHash(BackfillPaymentRequest r)
    {
        var text = string.Join("|", r.Region.Value, r.IdNumber, r.Cause.Code(), Dates.Format(r.PaidOn),
            string.Join(",", r.Months.Distinct().Order()), r.Base?.Fen.ToString(CultureInfo.InvariantCulture) ?? "",
            r.Rate?.Value.ToString(CultureInfo.InvariantCulture) ?? "");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static async Task<BackfillPosting?> ReplayAsync(DbSession s, string key, string requestHash, CancellationToken ct)
    {
        await using (var find = s.Command("SELECT content_hash FROM backfill_payment WHERE idempotency_key = @k").With("k", key))
        {
            var hash = await find.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (hash is null or DBNull) return null;
            if (!string.Equals((string)hash, requestHash, StringComparison.Ordinal))
                throw new YibaoException(ErrorCatalog.IdempotencyKeyReused(key));
        }
        var stored = await ReadPaymentsAsync(s.Connection, s.Transaction, "p.idempotency_key = @k", ("k", key), ct).ConfigureAwait(false);
        return stored[0] with { Replayed = true };
    }

    // ---------------------------------------------------------------- records

    /// <summary>
    /// The insured's record, with the status and employer in force on the last day of the last
    /// owed month (the arrears concern those months, not the payment day) from the dated history,
    /// else the record's own.
    /// </summary>
    private static async Task<InsuredOnRecord> ReadInsuredAsync(DbConnection c, DbTransaction? tx, BackfillPaymentRequest request, CancellationToken ct)
    {
        long id;
        string scheme, current;
        long? employerId;
        DMoney? wage;
        DateOnly birth, enrolled;
        DateOnly? died;
        await using (var cmd = Command(c, tx,
                         "SELECT id, scheme, status, employer_id, declared_wage, birth_date, enrolled_on, death_date FROM insured WHERE region_code = @r AND id_number = @n")
                     .With("r", request.Region.Value).With("n", request.IdNumber))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await r.ReadAsync(ct).ConfigureAwait(false))
                throw new YibaoException(ErrorCatalog.UnknownInsured(request.Region.Value, request.IdNumber));
            id = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
            scheme = r.GetString(1);
            current = r.GetString(2);
            employerId = r.IsDBNull(3) ? null : Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture);
            wage = r.IsDBNull(4) ? null : DMoney.FromFen(Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture));
            birth = r.GetFieldValue<DateOnly>(5);
            enrolled = r.GetFieldValue<DateOnly>(6);
            died = r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7);
        }

        var status = current;
        var hasHistory = false;
        await using (var history = Command(c, tx,
                         "SELECT status, employer_id, CASE WHEN effective_on <= @d THEN 1 ELSE 0 END FROM insured_status WHERE insured_id = @i " +
                         "ORDER BY CASE WHEN effective_on <= @d THEN 0 ELSE 1 END, effective_on DESC, id DESC LIMIT 1")
                     .With("i", id).With("d", request.Months.Count > 0 ? request.Months.Max().LastDay : request.PaidOn))
        await using (var r = await history.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                hasHistory = true;
                if (Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture) == 1)
                {
                    status = r.GetString(0);
                    if (!r.IsDBNull(1)) employerId = Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture);
                }
            }
        }

        string? creditCode = null;
        if (employerId is { } e)
        {
            await using var find = Command(c, tx, "SELECT credit_code FROM employer WHERE id = @e").With("e", e);
            creditCode = await find.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }
        var parsed = status switch
        {
            "employed" => InsuredStatus.Employed,
            "retired" => InsuredStatus.Retired,
            "flexible" => InsuredStatus.FlexibleEmployed,
            _ => throw new YibaoException(ErrorCatalog.InvalidField("status", $"the insured is '{status}' in the owed months: no contribution to back-pay")),
        };
        return new InsuredOnRecord(id, request.IdNumber, scheme, current, parsed, employerId, creditCode, wage, birth, enrolled, died, hasHistory);
    }

    private static async Task<long> FindInsuredIdAsync(DbConnection c, DbTransaction? tx, RegionCode region, string idNumber, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, "SELECT id FROM insured WHERE region_code = @r AND id_number = @n").With("r", region.Value).With("n", idNumber);
        var id = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return id is null or DBNull
            ? throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber))
            : Convert.ToInt64(id, CultureInfo.InvariantCulture);
    }

    private static async Task<GapHistory> ReadGapHistoryAsync(DbSession s, long insuredId, IReadOnlyList<YearMonth> months, CancellationToken ct)
    {
        var first = months[0].ToString();
        var last = months[^1].ToString();
        string? before, after;
        await using (var cmd = s.Command("SELECT MAX(month) FROM contribution WHERE insured_id = @i AND paid_date IS NOT NULL AND month < @f").With("i", insuredId).With("f", first))
            before = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        await using (var cmd = s.Command("SELECT MIN(month) FROM contribution WHERE insured_id = @i AND paid_date IS NOT NULL AND month > @l").With("i", insuredId).With("l", last))
            after = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        var between = new HashSet<YearMonth>();
        await using (var cmd = s.Command("SELECT month FROM contribution WHERE insured_id = @i AND paid_date IS NOT NULL AND month > @f AND month < @l")
                         .With("i", insuredId).With("f", first).With("l", last))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false)) between.Add(YearMonth.Parse(r.GetString(0)));
        }
        return new GapHistory(before is null ? null : YearMonth.Parse(before), after is null ? null : YearMonth.Parse(after), between);
    }

    /// <summary>
    /// Records a back-paid month as paid, under the records' own rule for a month already on record
    /// (<see cref="ContributionReconciliation"/>): a month not yet recorded is inserted paid; an owed
    /// month (paid date empty) takes the payment only when the back-pay's figures (employer, base,
    /// parts) are the recorded ones, else <c>contribution-conflict</c> (a recorded month is corrected
    /// by review, never overwritten); its recorded due date stands. A month already paid refuses the
    /// whole payment. Both writes are conditional, so a concurrent payment of the same month loses cleanly.
    /// Returns the stored month when it had been billed in the ledger (its due entry posted), else null.
    /// </summary>
    private static async Task<ContributionMonth?> MarkPaidAsync(DbSession s, BackfillPaymentRequest request, InsuredOnRecord insured, long? employerId, BackfillMonthLine line, CancellationToken ct)
    {
        var month = line.Month.ToString();
        ContributionMonth? stored = null;
        var inLedger = false;
        await using (var read = s.Command(
                         "SELECT e.credit_code, c.base, c.employer_part, c.individual_part, c.due_date, c.paid_date, c.in_ledger FROM contribution c " +
                         "LEFT JOIN employer e ON e.id = c.employer_id WHERE c.insured_id = @i AND c.month = @m").With("i", insured.Id).With("m", month))
        await using (var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                stored = new ContributionMonth(line.Month, r.IsDBNull(0) ? null : CreditCode.Parse(r.GetString(0)), Fen(r, 1), Fen(r, 2), Fen(r, 3),
                    r.GetFieldValue<DateOnly>(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateOnly>(5));
                inLedger = Long(r, 6) == 1;
            }
        }

        if (stored is null)
        {
            await using var insert = s.Command(
                    "INSERT INTO contribution (region_code, insured_id, employer_id, month, base, employer_part, individual_part, due_date, paid_date, source) " +
                    "VALUES (@r, @i, @e, @m, @b, @ep, @ip, @due, @paid, 'backfill') ON CONFLICT (insured_id, month) DO NOTHING")
                .With("r", request.Region.Value).With("i", insured.Id).With("e", employerId).With("m", month)
                .With("b", line.Base.Fen).With("ep", line.EmployerPart.Fen).With("ip", line.IndividualPart.Fen)
                .With("due", line.DueDate).With("paid", request.PaidOn);
            if (await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                throw new YibaoException(ErrorCatalog.BackfillMonthAlreadyPaid(month)); // recorded meanwhile by a concurrent payment
            return null;
        }
        if (stored.IsPaid) throw new YibaoException(ErrorCatalog.BackfillMonthAlreadyPaid(month));
        CreditCode? employer = employerId is null || insured.EmployerCreditCode is null ? null : CreditCode.Parse(insured.EmployerCreditCode);
        var given = new ContributionMonth(line.Month, employer, line.Base, line.EmployerPart, line.IndividualPart, stored.DueDate, request.PaidOn);
        _ = ContributionReconciliation.Reconcile(IdNumber.Parse(request.IdNumber), stored, given);
        // The back-pay's principal entry is the month's income in the fund: from now on it is in the ledger.
        await using var pay = s.Command("UPDATE contribution SET paid_date = @p, in_ledger = 1 WHERE insured_id = @i AND month = @m AND paid_date IS NULL")
            .With("p", request.PaidOn).With("i", insured.Id).With("m", month);
        if (await pay.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
            throw new YibaoException(ErrorCatalog.BackfillMonthAlreadyPaid(month));
        return inLedger ? stored : null;
    }

    private static async Task InsertBenefitAsync(DbSession s, RegionCode region, long insuredId, long paymentId, BenefitStatusRow row, DateTimeOffset at, CancellationToken ct)
    {
        await using var insert = s.Command(
                "INSERT INTO benefit_status (region_code, insured_id, backfill_id, kind, from_date, to_date, reason_code, reason_zh, reason_en, rule_id, policy_version, recorded_at) " +
                "VALUES (@r, @i, @b, @k, @f, @t, @code, @zh, @en, @rule, @pv, @at)")
            .With("r", region.Value).With("i", insuredId).With("b", paymentId).With("k", row.Kind.Code())
            .With("f", row.From).With("t", row.To).With("code", row.ReasonCode).With("zh", row.ReasonZh).With("en", row.ReasonEn)
            .With("rule", row.RuleId).With("pv", row.PolicyVersion).With("at", Timestamp(s.Engine, at));
        await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<BackfillPosting>> ReadPaymentsAsync(DbConnection c, DbTransaction? tx, string where, (string Name, object Value) parameter, CancellationToken ct)
    {
        var rows = new List<(long Id, BackfillPosting Posting)>();
        await using (var cmd = Command(c, tx,
                         "SELECT p.id, p.region_code, i.id_number, p.cause, p.months, p.paid_on, p.principal, p.late_fee, p.employer_part, p.individual_part, " +
                         "p.account_credit, p.late_fee_payer, p.policy_version, p.idempotency_key, p.credited_months FROM backfill_payment p JOIN insured i ON i.id = p.insured_id " +
                         $"WHERE {where} ORDER BY p.paid_on, p.id").With(parameter.Name, parameter.Value))
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var key = r.GetString(13);
                var lateFee = DMoney.FromFen(Convert.ToInt64(r.GetValue(7), CultureInfo.InvariantCulture));
                List<string> keys = lateFee.IsPositive
                    ? [BackfillEntries.PrincipalKey(key), BackfillEntries.LateFeeKey(key), BackfillEntries.PaymentKey(key)]
                    : [BackfillEntries.PrincipalKey(key), BackfillEntries.PaymentKey(key)];
                var region = RegionCode.Parse(r.GetString(1));
                var idNumber = r.GetString(2);
                var creditKeys = r.GetString(14).Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(m => CreditingRunPlan.Key(region, YearMonth.Parse(m), idNumber)).ToList();
                rows.Add((Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), new BackfillPosting(
                    key, region, idNumber, BackfillNames.ParseCause(r.GetString(3)),
                    r.GetString(4).Split(',').Select(YearMonth.Parse).ToList(), r.GetFieldValue<DateOnly>(5),
                    Fen(r, 6), lateFee, Fen(r, 8), Fen(r, 9), Fen(r, 10), BackfillNames.ParsePayer(r.GetString(11)), r.GetString(12),
                    keys, creditKeys, [], Replayed: false, [])));
            }
        }
        var result = new List<BackfillPosting>(rows.Count);
        foreach (var (id, posting) in rows)
        {
            var benefits = await ReadBenefitsAsync(c, tx, "b.backfill_id = @b", ("b", id), ct).ConfigureAwait(false);
            result.Add(posting with { BenefitStatus = benefits });
        }
        return result;
    }

    private static async Task<IReadOnlyList<BenefitStatusRow>> ReadBenefitsAsync(DbConnection c, DbTransaction? tx, string where, (string Name, object Value) parameter, CancellationToken ct)
    {
        var rows = new List<BenefitStatusRow>();
        await using var cmd = Command(c, tx,
                "SELECT b.kind, b.from_date, b.to_date, b.reason_code, b.reason_zh, b.reason_en, b.rule_id, b.policy_version, p.idempotency_key, p.paid_on " +
                $"FROM benefit_status b JOIN backfill_payment p ON p.id = b.backfill_id WHERE {where} ORDER BY b.from_date, b.id")
            .With(parameter.Name, parameter.Value);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(new BenefitStatusRow(BackfillNames.ParseKind(r.GetString(0)), r.GetFieldValue<DateOnly>(1),
                r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.GetString(7), r.GetString(8), r.GetFieldValue<DateOnly>(9)));
        }
        return rows;
    }



    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }
}
