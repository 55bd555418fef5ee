using System.Data.Common;
using System.Globalization;
using System.Text;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Records;

/// <summary>What became of one contribution row: its outcome, or the reason it was refused.</summary>
public sealed record ContributionRowResult(ContributionRow Row, ContributionOutcome? Outcome, Refusal? Error, bool EnrolledNow);

/// <summary>
/// Writes contribution rows a batch at a time inside the caller's transaction (the API's list
/// and the CSV import share it). Per batch: the employers and people are resolved with one
/// query each, the new months go in with one multi-row <c>INSERT … ON CONFLICT (insured_id,
/// month) DO NOTHING</c>, and only the months that were already there are read back and
/// reconciled (<see cref="ContributionReconciliation"/>). No statement can fail on a constraint,
/// so a refused row never aborts the transaction (which PostgreSQL would otherwise do); the
/// caller decides from the refusals whether to commit, after <see cref="CompleteAsync"/>.
/// <para>
/// A month recorded now is money: its due entry, and its payment when it is paid, go to the ledger
/// (<see cref="ContributionEntries"/>) in the same transaction, set-based (<see cref="ContributionJournal"/>).
/// A month recorded again unchanged posts nothing; a payment added to an unpaid month posts it once.
/// </para>
/// </summary>
internal sealed class ContributionWriter(DbSession s, RegionCode region, string source, DateTimeOffset now, bool enrolUnknownWithName) : IAsyncDisposable
{
    private readonly ContributionJournal _journal = new(s, region, source, now);

    /// <summary>Writes the entries still waiting; the caller commits after it.</summary>
    public Task CompleteAsync(CancellationToken ct) => _journal.FlushAsync(ct);

    /// <summary>Stored months recorded before contributions reached the ledger (in_ledger = 0): their due entry was never posted.</summary>
    private readonly HashSet<(long, YearMonth)> _notInLedger = [];

    /// <summary>The month's due entry (unless it was billed when recorded), and its payment entry when it is paid.</summary>
    private async Task PostAsync(ContributionRow row, CancellationToken ct, bool billed = false)
    {
        if (!billed) await _journal.AddAsync(ContributionEntries.Due(region, row.IdNumber, row.Contribution, source), ct).ConfigureAwait(false);
        await _journal.AddAsync(ContributionEntries.Paid(region, row.IdNumber, row.Contribution, source), ct).ConfigureAwait(false);
    }

    /// <summary>Rows per batch: what is held in memory and sent per round trip on PostgreSQL.</summary>
    public const int BatchSize = 500;

    // SQLite: one prepared statement per purpose, reused for every row of every batch. SQLite is
    // in-process (no round trip to save), and binding thousands of named parameters of a
    // multi-row statement costs more than it saves: 100,000 rows took 45 s that way.
    private DbCommand? _sqliteInsert, _sqlitePerson, _sqliteStored, _sqlitePay;

    /// <summary>Credit code → employer id in this region, or null when it is not registered here. Employers are few; people are not cached.</summary>
    private readonly Dictionary<string, long?> _employers = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<ContributionRowResult>> WriteAsync(IReadOnlyList<ContributionRow> rows, CancellationToken ct)
    {
        var results = new ContributionRowResult?[rows.Count];
        await ResolveEmployersAsync(rows, ct).ConfigureAwait(false);
        var people = await ResolvePeopleAsync(rows, ct).ConfigureAwait(false);

        // Who each row is about; unknown people are enrolled here when the row names them.
        var targets = new (long InsuredId, long? EmployerId)[rows.Count];
        var enrolled = new bool[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            try
            {
                long? employerId = null;
                if (row.Contribution.Employer is { } code)
                    employerId = _employers[code.Value] ?? throw new YibaoException(ErrorCatalog.UnknownEmployer(code.Value, region.Value));
                if (!people.TryGetValue(row.IdNumber.Value, out var person))
                {
                    if (!enrolUnknownWithName || row.Name is null)
                        throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, row.IdNumber.Value));
                    person = await EnrolFromRowAsync(row, employerId, ct).ConfigureAwait(false);
                    people[row.IdNumber.Value] = person;
                    enrolled[i] = true;
                }
                if (row.Name is not null && !string.Equals(row.Name, person.Name, StringComparison.Ordinal))
                    throw new YibaoException(ErrorCatalog.InsuredNameMismatch(row.IdNumber.Value));
                targets[i] = (person.Id, employerId);
            }
            catch (YibaoException e)
            {
                results[i] = new ContributionRowResult(row, null, e.Error, false);
            }
        }

        // The first row of each (person, month) in the batch is inserted; a repeat within the
        // batch, and any month already stored, is reconciled against what is stored.
        var firsts = new List<int>();
        var seen = new HashSet<(long, YearMonth)>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (results[i] is null && seen.Add((targets[i].InsuredId, rows[i].Contribution.Month))) firsts.Add(i);
        }
        var inserted = await InsertAsync(firsts, rows, targets, ct).ConfigureAwait(false);
        var later = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (results[i] is not null) continue;
            if (inserted.Contains(i))
            {
                results[i] = new ContributionRowResult(rows[i], ContributionOutcome.Recorded, null, enrolled[i]);
                await PostAsync(rows[i], ct).ConfigureAwait(false);
            }
            else later.Add(i);
        }
        if (later.Count > 0) await ReconcileAsync(later, rows, targets, enrolled, results, ct).ConfigureAwait(false);
        return results.Select(r => r!).ToList();
    }

    /// <summary>
    /// Rows whose month is already stored: each is compared with what is stored (and with the
    /// rows before it in the batch); payments of unpaid months are then written together by a
    /// conditional update (only a month still unpaid takes a payment). A month that another
    /// writer paid meanwhile is read again and compared with what they wrote.
    /// </summary>
    private async Task ReconcileAsync(List<int> later, IReadOnlyList<ContributionRow> rows, (long InsuredId, long? EmployerId)[] targets,
        bool[] enrolled, ContributionRowResult?[] results, CancellationToken ct)
    {
        var stored = await ReadStoredAsync(later.Select(i => (targets[i].InsuredId, rows[i].Contribution.Month)).ToHashSet(), ct).ConfigureAwait(false);
        var payments = new List<(int Index, (long InsuredId, YearMonth Month) Key, DateOnly PaidOn)>();
        foreach (var i in later)
        {
            var key = (targets[i].InsuredId, rows[i].Contribution.Month);
            results[i] = Reconcile(i, stored[key]);
            if (results[i]!.Outcome == ContributionOutcome.PaymentRecorded)
            {
                var paidOn = rows[i].Contribution.PaidDate!.Value;
                payments.Add((i, key, paidOn));
                stored[key] = stored[key] with { PaidDate = paidOn };
            }
        }
        if (payments.Count == 0) return;
        var applied = await PayAsync(payments.Select(p => (p.Key.InsuredId, p.Key.Month, p.PaidOn)).ToList(), ct).ConfigureAwait(false);
        // The row's figures are the stored ones (else it was a conflict): its due entry is there
        // already, unless the month was recorded before contributions reached the ledger.
        foreach (var (i, key, _) in payments.Where(p => applied.Contains(p.Key)))
            await PostAsync(rows[i], ct, billed: !_notInLedger.Contains(key)).ConfigureAwait(false);
        foreach (var (i, key, _) in payments.Where(p => !applied.Contains(p.Key)))
        {
            var again = await ReadStoredAsync([key], ct).ConfigureAwait(false);
            results[i] = Reconcile(i, again[key]);
            if (results[i]!.Outcome == ContributionOutcome.PaymentRecorded) throw new InvalidOperationException("an unpaid month did not take its payment");
        }

        ContributionRowResult Reconcile(int i, ContributionMonth current)
        {
            try
            {
                return new ContributionRowResult(rows[i], ContributionReconciliation.Reconcile(rows[i].IdNumber, current, rows[i].Contribution), null, enrolled[i]);
            }
            catch (YibaoException e)
            {
                return new ContributionRowResult(rows[i], null, e.Error, enrolled[i]);
            }
        }
    }

    /// <summary>Sets the paid date of months still unpaid; returns the keys that took it.</summary>
    private async Task<HashSet<(long, YearMonth)>> PayAsync(List<(long InsuredId, YearMonth Month, DateOnly PaidOn)> payments, CancellationToken ct)
    {
        var applied = new HashSet<(long, YearMonth)>();
        if (s.Engine == Engine.Sqlite)
        {
            _sqlitePay ??= Prepared("UPDATE contribution SET paid_date = @p, in_ledger = 1 WHERE insured_id = @i AND month = @m AND paid_date IS NULL", "p", "i", "m");
            foreach (var (insuredId, month, paidOn) in payments)
            {
                _sqlitePay.Parameters["p"].Value = paidOn;
                _sqlitePay.Parameters["i"].Value = insuredId;
                _sqlitePay.Parameters["m"].Value = month.ToString();
                if (await _sqlitePay.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1) applied.Add((insuredId, month));
            }
            return applied;
        }
        await using var cmd = s.Command(
                "UPDATE contribution c SET paid_date = v.p, in_ledger = 1 FROM unnest(@i, @m, @p) AS v(i, m, p) " +
                "WHERE c.insured_id = v.i AND c.month = v.m AND c.paid_date IS NULL RETURNING c.insured_id, c.month")
            .With("i", payments.Select(p => p.InsuredId).ToArray()).With("m", payments.Select(p => p.Month.ToString()).ToArray())
            .With("p", payments.Select(p => p.PaidOn).ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            applied.Add((Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), YearMonth.Parse(r.GetString(1))));
        return applied;
    }

    private async Task ResolveEmployersAsync(IReadOnlyList<ContributionRow> rows, CancellationToken ct)
    {
        var wanted = rows.Select(r => r.Contribution.Employer?.Value).OfType<string>().Distinct(StringComparer.Ordinal)
            .Where(c => !_employers.ContainsKey(c)).ToList();
        if (wanted.Count == 0) return;
        await using var cmd = s.Command("");
        cmd.CommandText = $"SELECT id, credit_code, region_code FROM employer WHERE credit_code IN ({Names(cmd, "c", wanted)})";
        foreach (var c in wanted) _employers[c] = null;
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            if (r.GetString(2) == region.Value)
                _employers[r.GetString(1)] = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
        }
    }

    private sealed record Person(long Id, string Name);

    private async Task<Dictionary<string, Person>> ResolvePeopleAsync(IReadOnlyList<ContributionRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.IdNumber.Value).Distinct(StringComparer.Ordinal).ToArray();
        var people = new Dictionary<string, Person>(StringComparer.Ordinal);
        if (s.Engine == Engine.Postgres)
        {
            await using var cmd = s.Command("SELECT id, id_number, name FROM insured WHERE region_code = @r AND id_number = ANY(@ids)")
                .With("r", region.Value).With("ids", ids);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                people[r.GetString(1)] = new Person(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), r.GetString(2));
            return people;
        }
        _sqlitePerson ??= Prepared("SELECT id, name FROM insured WHERE region_code = @r AND id_number = @id", "r", "id");
        _sqlitePerson.Parameters["r"].Value = region.Value;
        foreach (var id in ids)
        {
            _sqlitePerson.Parameters["id"].Value = id;
            await using var r = await _sqlitePerson.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await r.ReadAsync(ct).ConfigureAwait(false))
                people[id] = new Person(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), r.GetString(1));
        }
        return people;
    }

    /// <summary>
    /// An unknown person named in an import row is enrolled from it: employed by the row's
    /// employer (flexible when the row has none), from the 1st of the row's month, with their
    /// personal account opened — the same path as an enrolment through the API.
    /// </summary>
    private async Task<Person> EnrolFromRowAsync(ContributionRow row, long? employerId, CancellationToken ct)
    {
        var c = row.Contribution;
        var enrolment = new InsuredEnrolment(region, row.IdNumber, row.Name!, InsuredScheme.Employee,
            c.Employer is null ? InsuredState.FlexibleEmployed : InsuredState.Employed, c.Employer, null, c.Month.FirstDay, null, "CHN");
        var (result, id) = await RecordsStore.EnrolAsync(s, enrolment, employerId, now, ct).ConfigureAwait(false);
        return new Person(id, result.Insured.Name);
    }

    /// <summary>Inserts the given rows, skipping (person, month) keys already stored; returns the indexes that were new.</summary>
    private async Task<HashSet<int>> InsertAsync(List<int> indexes, IReadOnlyList<ContributionRow> rows, (long InsuredId, long? EmployerId)[] targets, CancellationToken ct)
    {
        var inserted = new HashSet<int>();
        if (indexes.Count == 0) return inserted;
        if (s.Engine == Engine.Sqlite)
        {
            _sqliteInsert ??= Prepared(
                "INSERT INTO contribution (region_code, insured_id, employer_id, month, base, employer_part, individual_part, due_date, paid_date, source) " +
                "VALUES (@r, @i, @e, @m, @b, @ep, @ip, @d, @pd, @src) ON CONFLICT (insured_id, month) DO NOTHING",
                "r", "i", "e", "m", "b", "ep", "ip", "d", "pd", "src");
            var p = _sqliteInsert.Parameters;
            p["r"].Value = region.Value;
            p["src"].Value = source;
            foreach (var i in indexes)
            {
                var c = rows[i].Contribution;
                p["i"].Value = targets[i].InsuredId;
                p["e"].Value = (object?)targets[i].EmployerId ?? DBNull.Value;
                p["m"].Value = c.Month.ToString();
                p["b"].Value = c.Base.Fen;
                p["ep"].Value = c.EmployerPart.Fen;
                p["ip"].Value = c.IndividualPart.Fen;
                p["d"].Value = c.DueDate;
                p["pd"].Value = c.PaidDate is { } paid ? paid : DBNull.Value;
                if (await _sqliteInsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1) inserted.Add(i);
            }
            return inserted;
        }

        // PostgreSQL: the whole batch in one statement and one round trip, as column arrays.
        var n = indexes.Count;
        var insured = new long[n];
        var employer = new long?[n];
        var month = new string[n];
        var basis = new long[n];
        var employerPart = new long[n];
        var individualPart = new long[n];
        var due = new DateOnly[n];
        var paidOn = new DateOnly?[n];
        var byKey = new Dictionary<(long, string), int>();
        for (var k = 0; k < n; k++)
        {
            var i = indexes[k];
            var c = rows[i].Contribution;
            (insured[k], employer[k], month[k]) = (targets[i].InsuredId, targets[i].EmployerId, c.Month.ToString());
            (basis[k], employerPart[k], individualPart[k], due[k], paidOn[k]) = (c.Base.Fen, c.EmployerPart.Fen, c.IndividualPart.Fen, c.DueDate, c.PaidDate);
            byKey[(insured[k], month[k])] = i;
        }
        await using var cmd = s.Command(
                "INSERT INTO contribution (region_code, insured_id, employer_id, month, base, employer_part, individual_part, due_date, paid_date, source) " +
                "SELECT @r, i, e, m, b, ep, ip, d, pd, @src FROM unnest(@i, @e, @m, @b, @ep, @ip, @d, @pd) AS v(i, e, m, b, ep, ip, d, pd) " +
                "ON CONFLICT (insured_id, month) DO NOTHING RETURNING insured_id, month")
            .With("r", region.Value).With("src", source).With("i", insured).With("e", employer).With("m", month)
            .With("b", basis).With("ep", employerPart).With("ip", individualPart).With("d", due).With("pd", paidOn);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            inserted.Add(byKey[(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), r.GetString(1))]);
        return inserted;
    }

    private const string StoredColumns =
        "SELECT c.insured_id, c.month, e.credit_code, c.base, c.employer_part, c.individual_part, c.due_date, c.paid_date, c.in_ledger " +
        "FROM contribution c LEFT JOIN employer e ON e.id = c.employer_id ";

    /// <summary>The stored months of the given (person, month) keys.</summary>
    private async Task<Dictionary<(long, YearMonth), ContributionMonth>> ReadStoredAsync(IReadOnlyCollection<(long InsuredId, YearMonth Month)> keys, CancellationToken ct)
    {
        var stored = new Dictionary<(long, YearMonth), ContributionMonth>();
        if (s.Engine == Engine.Postgres)
        {
            await using var cmd = s.Command(StoredColumns + "JOIN unnest(@i, @m) AS k(i, m) ON c.insured_id = k.i AND c.month = k.m")
                .With("i", keys.Select(k => k.InsuredId).ToArray()).With("m", keys.Select(k => k.Month.ToString()).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) Add(r);
            return stored;
        }
        _sqliteStored ??= Prepared(StoredColumns + "WHERE c.insured_id = @i AND c.month = @m", "i", "m");
        foreach (var (insuredId, month) in keys)
        {
            _sqliteStored.Parameters["i"].Value = insuredId;
            _sqliteStored.Parameters["m"].Value = month.ToString();
            await using var r = await _sqliteStored.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) Add(r);
        }
        return stored;

        void Add(DbDataReader r)
        {
            var month = ReadContribution(r, 1);
            var key = (Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), month.Month);
            stored[key] = month;
            if (Convert.ToInt64(r.GetValue(8), CultureInfo.InvariantCulture) == 0) _notInLedger.Add(key);
        }
    }

    private DbCommand Prepared(string sql, params string[] parameters)
    {
        var cmd = s.Command(sql);
        foreach (var name in parameters) cmd.With(name, DBNull.Value);
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var cmd in new[] { _sqliteInsert, _sqlitePerson, _sqliteStored, _sqlitePay })
        {
            if (cmd is not null) await cmd.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads (month, credit_code, base, employer_part, individual_part, due_date, paid_date) starting at <paramref name="at"/>.</summary>
    internal static ContributionMonth ReadContribution(DbDataReader r, int at) => new(
        YearMonth.Parse(r.GetString(at)),
        r.IsDBNull(at + 1) ? null : CreditCode.Parse(r.GetString(at + 1)),
        DMoney.FromFen(Convert.ToInt64(r.GetValue(at + 2), CultureInfo.InvariantCulture)),
        DMoney.FromFen(Convert.ToInt64(r.GetValue(at + 3), CultureInfo.InvariantCulture)),
        DMoney.FromFen(Convert.ToInt64(r.GetValue(at + 4), CultureInfo.InvariantCulture)),
        r.GetFieldValue<DateOnly>(at + 5),
        r.IsDBNull(at + 6) ? null : r.GetFieldValue<DateOnly>(at + 6));

    private static string Names<T>(DbCommand cmd, string prefix, IReadOnlyList<T> values)
    {
        var names = new StringBuilder();
        for (var i = 0; i < values.Count; i++)
        {
            var name = prefix + i.ToString(CultureInfo.InvariantCulture);
            if (i > 0) names.Append(", ");
            names.Append('@').Append(name);
            cmd.With(name, values[i]);
        }
        return names.ToString();
    }
}
