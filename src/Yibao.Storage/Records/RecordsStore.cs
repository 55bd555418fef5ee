using System.Data.Common;
using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Records;

/// <summary>An employer as registered, and whether this call registered it (false: it was already there, the same).</summary>
public sealed record EmployerRegistration(Employer Employer, DateOnly RegisteredOn, bool Created);

/// <summary>An insured person after enrolment, and whether this call enrolled them (false: a replay).</summary>
public sealed record EnrolmentResult(InsuredRecord Insured, bool Created);

/// <summary>The event appended (or found already recorded, <paramref name="Replayed"/>) and the record after it.</summary>
public sealed record StatusEventResult(StatusEvent Event, bool Replayed, InsuredRecord Insured);

/// <summary>
/// The records of issue 5 on either engine: employers (用人单位), insured people (参保人) with
/// their dated status history, and monthly contributions (缴费记录). Every write is idempotent
/// by the record's natural key (credit code; region and ID number; person and month) and is
/// decided by the database (unique constraints with <c>ON CONFLICT DO NOTHING</c>, a row lock
/// taken by an UPDATE, conditional updates), so retries and concurrent writers in several
/// processes are safe without an in-process lock. Bad input throws a
/// <see cref="YibaoException"/> and rolls back everything of the call.
/// </summary>
public sealed partial class RecordsStore(YibaoDatabase db, TimeProvider clock)
{
    public YibaoDatabase Database => db;

    /// <summary>Today in China, the day against which "not in the future" is checked.</summary>
    public DateOnly Today => Dates.TodayInChina(clock);

    // ---------------------------------------------------------------- regions

    /// <summary>Registers a pooling region if it is not there yet (the region table is shared with the demo seeder).</summary>
    public Task EnsureRegionAsync(RegionCode region, string name, DateOnly createdOn, CancellationToken ct = default) =>
        db.InTransactionAsync(async s =>
        {
            await using var cmd = s.Command("INSERT INTO region (code, name, created_on) VALUES (@c, @n, @d) ON CONFLICT (code) DO NOTHING")
                .With("c", region.Value).With("n", name).With("d", createdOn);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, ct);

    internal static Task RequireRegionAsync(DbSession s, RegionCode region, CancellationToken ct) => RegionRows.RequireAsync(s, region, ct);

    // ---------------------------------------------------------------- employers

    /// <summary>
    /// Registers an employer (单位登记). The credit code is unique in the whole database: the
    /// same code again with the same region and name is a replay; with another region or name it
    /// is <c>employer-exists-different</c>.
    /// </summary>
    public Task<EmployerRegistration> RegisterEmployerAsync(Employer employer, CancellationToken ct = default) =>
        db.InTransactionAsync(s => RegisterEmployerAsync(s, employer, Today, ct), ct);

    public static async Task<EmployerRegistration> RegisterEmployerAsync(DbSession s, Employer employer, DateOnly today, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(employer);
        await RequireRegionAsync(s, employer.Region, ct).ConfigureAwait(false);
        await using (var insert = s.Command(
                         "INSERT INTO employer (region_code, credit_code, name, created_on) VALUES (@r, @c, @n, @d) " +
                         "ON CONFLICT (credit_code) DO NOTHING RETURNING id")
                     .With("r", employer.Region.Value).With("c", employer.CreditCode.Value).With("n", employer.Name).With("d", today))
        {
            if (await insert.ExecuteScalarAsync(ct).ConfigureAwait(false) is not (null or DBNull))
                return new EmployerRegistration(employer, today, Created: true);
        }
        var (stored, on) = await FindEmployerAsync(s.Connection, s.Transaction, employer.CreditCode, ct).ConfigureAwait(false)
                           ?? throw new InvalidOperationException("employer conflict without a visible row");
        if (stored.Region != employer.Region) throw new YibaoException(ErrorCatalog.EmployerExistsDifferent(employer.CreditCode.Value, "region"));
        if (!string.Equals(stored.Name, employer.Name, StringComparison.Ordinal))
            throw new YibaoException(ErrorCatalog.EmployerExistsDifferent(employer.CreditCode.Value, "name"));
        return new EmployerRegistration(stored, on, Created: false);
    }

    public async Task<EmployerRegistration?> GetEmployerAsync(CreditCode code, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await FindEmployerAsync(c, null, code, ct).ConfigureAwait(false) is { } found
            ? new EmployerRegistration(found.Employer, found.RegisteredOn, Created: false)
            : null;
    }

    private static async Task<(Employer Employer, DateOnly RegisteredOn)?> FindEmployerAsync(DbConnection c, DbTransaction? tx, CreditCode code, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT region_code, name, created_on FROM employer WHERE credit_code = @c";
        cmd.With("c", code.Value);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        return (new Employer(code, RegionCode.Parse(r.GetString(0)), r.GetString(1)), r.GetFieldValue<DateOnly>(2));
    }

    /// <summary>The id of an employer registered in <paramref name="region"/>; one of another region is unknown here.</summary>
    internal static async Task<long> EmployerIdAsync(DbSession s, RegionCode region, CreditCode code, CancellationToken ct)
    {
        await using var cmd = s.Command("SELECT id FROM employer WHERE credit_code = @c AND region_code = @r")
            .With("c", code.Value).With("r", region.Value);
        var id = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        if (id is null or DBNull) throw new YibaoException(ErrorCatalog.UnknownEmployer(code.Value, region.Value));
        return Convert.ToInt64(id, CultureInfo.InvariantCulture);
    }

    // ---------------------------------------------------------------- insured people

    /// <summary>
    /// Enrols a person (参保登记): the record, the first event of the status history, and the
    /// personal account (个人账户) in the ledger, all in one transaction. Enrolling the same person
    /// again with the same facts is a replay; with other facts it is <c>insured-exists-different</c>
    /// (changes are status events, not re-enrolments).
    /// </summary>
    public Task<EnrolmentResult> EnrolAsync(InsuredEnrolment enrolment, CancellationToken ct = default) =>
        db.InTransactionAsync(async s =>
        {
            await RequireRegionAsync(s, enrolment.Region, ct).ConfigureAwait(false);
            return await EnrolAsync(s, enrolment, clock.GetUtcNow(), ct).ConfigureAwait(false);
        }, ct);

    /// <summary>Enrols inside the caller's transaction (the import enrols unknown people this way). The region must exist.</summary>
    public static async Task<EnrolmentResult> EnrolAsync(DbSession s, InsuredEnrolment enrolment, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(enrolment);
        long? employerId = enrolment.Employer is { } code ? await EmployerIdAsync(s, enrolment.Region, code, ct).ConfigureAwait(false) : null;
        return (await EnrolAsync(s, enrolment, employerId, now, ct).ConfigureAwait(false)).Result;
    }

    internal static async Task<(EnrolmentResult Result, long InsuredId)> EnrolAsync(DbSession s, InsuredEnrolment enrolment, long? employerId, DateTimeOffset now, CancellationToken ct)
    {
        var e = InsuredEnrolment.Validated(enrolment);
        long insuredId;
        await using (var insert = s.Command(
                         "INSERT INTO insured (region_code, id_number, name, sex, birth_date, status, enrolled_on, scheme, employer_id, declared_wage, retirement_date, death_date, nationality) " +
                         "VALUES (@r, @id, @name, @sex, @birth, @status, @enrolled, @scheme, @emp, @wage, @retired, NULL, @nat) " +
                         "ON CONFLICT (region_code, id_number) DO NOTHING RETURNING id")
                     .With("r", e.Region.Value).With("id", e.IdNumber.Value).With("name", e.Name)
                     .With("sex", e.IdNumber.Sex == Sex.Male ? "M" : "F").With("birth", e.IdNumber.BirthDate)
                     .With("status", e.Status.Code()).With("enrolled", e.EnrolledOn).With("scheme", e.Scheme.Code())
                     .With("emp", employerId).With("wage", e.DeclaredWage?.Fen).With("retired", e.RetirementDate).With("nat", e.Nationality))
        {
            var id = await insert.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (id is null or DBNull)
            {
                var existing = await LoadInsuredAsync(s.Connection, s.Transaction, e.Region, e.IdNumber, ct).ConfigureAwait(false)
                               ?? throw new InvalidOperationException("insured conflict without a visible row");
                if (existing.Record.DifferenceFrom(e) is { } field)
                    throw new YibaoException(ErrorCatalog.InsuredExistsDifferent(e.Region.Value, e.IdNumber.Value, field));
                return (new EnrolmentResult(existing.Record, Created: false), existing.Id);
            }
            insuredId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }
        var history = e.History();
        await InsertEventAsync(s, insuredId, e.Region, history.Events[0], employerId, now, ct).ConfigureAwait(false);
        await LedgerStore.OpenAccountAsync(s, e.Account, e.EnrolledOn, ct).ConfigureAwait(false);
        var record = new InsuredRecord(e.Region, e.IdNumber, e.Name, e.Scheme, e.Status, e.Employer, e.DeclaredWage, e.EnrolledOn,
            e.RetirementDate, null, e.Nationality, history);
        return (new EnrolmentResult(record, Created: true), insuredId);
    }

    /// <summary>The record of a person with their whole status history, or null.</summary>
    public async Task<InsuredRecord?> GetInsuredAsync(RegionCode region, IdNumber idNumber, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return (await LoadInsuredAsync(c, null, region, idNumber, ct).ConfigureAwait(false))?.Record;
    }

    /// <summary>
    /// Appends a status change (入职 / 离职 / 退休 / 死亡 / 恢复参保) to a person's history and
    /// updates the current status on their record in the same transaction. The order rules are
    /// <see cref="StatusHistory.Decide"/>'s; an event may not be dated in the future (the current
    /// status column would then say what has not happened yet). The same event again is a replay.
    /// </summary>
    public Task<StatusEventResult> AppendEventAsync(
        RegionCode region, IdNumber idNumber, StatusEventKind kind, DateOnly effectiveOn, CreditCode? employer, CancellationToken ct = default) =>
        db.RunAsync(s => AppendEventAsync(s, region, idNumber, kind, effectiveOn, employer, Today, clock.GetUtcNow(), ct), ct);

    /// <summary>Appends a status change inside the caller's transaction (the demo seeder records many in one); the rules are the same.</summary>
    public static async Task<StatusEventResult> AppendEventAsync(DbSession s,
        RegionCode region, IdNumber idNumber, StatusEventKind kind, DateOnly effectiveOn, CreditCode? employer, DateOnly today, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (effectiveOn > today)
            throw new YibaoException(ErrorCatalog.InvalidField("effectiveOn", "状态变更须在发生后登记,不能预先登记", "a status change is recorded once it has happened, not ahead")
                .With("value", Dates.Format(effectiveOn)).With("today", Dates.Format(today)));
        // Lock the person's row first (an UPDATE takes the row lock on PostgreSQL; SQLite's
        // IMMEDIATE transaction already holds the write lock), so two concurrent events for
        // one person are decided one after the other on the latest history.
        long insuredId;
        await using (var lockRow = s.Command("UPDATE insured SET status = status WHERE region_code = @r AND id_number = @id RETURNING id")
                         .With("r", region.Value).With("id", idNumber.Value))
        {
            var id = await lockRow.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (id is null or DBNull) throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber.Value));
            insuredId = Convert.ToInt64(id, CultureInfo.InvariantCulture);
        }
        var loaded = await LoadInsuredAsync(s.Connection, s.Transaction, region, idNumber, ct).ConfigureAwait(false)
                     ?? throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber.Value));
        long? employerId = employer is { } code ? await EmployerIdAsync(s, region, code, ct).ConfigureAwait(false) : null;

        var change = loaded.Record.History.Decide(kind, effectiveOn, employer);
        if (change.Replayed) return new StatusEventResult(change.Event, Replayed: true, loaded.Record);

        if (!loaded.HistoryStored)
        {
            // A record written before the history existed (the demo seeder): keep its implied
            // enrolment as the first stored event, so the stored history is whole from now on.
            var first = loaded.Record.History.Events[0];
            await InsertEventAsync(s, insuredId, region, first, loaded.CurrentEmployerId, now, ct).ConfigureAwait(false);
        }
        await InsertEventAsync(s, insuredId, region, change.Event, employerId, now, ct).ConfigureAwait(false);
        await using (var update = s.Command(
                         "UPDATE insured SET status = @status, employer_id = @emp, " +
                         "retirement_date = CASE WHEN @retire = 1 THEN @d ELSE retirement_date END, " +
                         "death_date = CASE WHEN @die = 1 THEN @d ELSE death_date END WHERE id = @id")
                     .With("status", change.Event.Status.Code()).With("emp", change.Event.Status == InsuredState.Employed ? employerId : null)
                     .With("retire", kind == StatusEventKind.Retire ? 1 : 0).With("die", kind == StatusEventKind.Die ? 1 : 0)
                     .With("d", effectiveOn).With("id", insuredId))
        {
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        var history = loaded.Record.History.With(change);
        var record = loaded.Record with
        {
            Status = change.Event.Status,
            Employer = history.CurrentEmployer,
            RetirementDate = kind == StatusEventKind.Retire ? effectiveOn : loaded.Record.RetirementDate,
            DeathDate = kind == StatusEventKind.Die ? effectiveOn : loaded.Record.DeathDate,
            History = history,
        };
        return new StatusEventResult(change.Event, Replayed: false, record);
    }

    private static async Task InsertEventAsync(DbSession s, long insuredId, RegionCode region, StatusEvent e, long? employerId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = s.Command(
                "INSERT INTO insured_status (insured_id, region_code, event, status, effective_on, employer_id, recorded_at) " +
                "VALUES (@i, @r, @e, @s, @d, @emp, @at)")
            .With("i", insuredId).With("r", region.Value).With("e", e.Kind.Code()).With("s", e.Status.Code())
            .With("d", e.EffectiveOn).With("emp", employerId).With("at", now);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>A loaded record, its row id, its current employer's id, and whether its history is stored or implied by the record.</summary>
    internal sealed record LoadedInsured(long Id, long? CurrentEmployerId, InsuredRecord Record, bool HistoryStored);

    /// <remarks>
    /// The record and its history in one command (one round trip). <paramref name="lockRow"/> (on
    /// PostgreSQL) locks the person's row until the transaction ends, so two requests for one
    /// person are decided one after the other; SQLite's writer holds the database's lock anyway.
    /// </remarks>
    internal static async Task<LoadedInsured?> LoadInsuredAsync(DbConnection c, DbTransaction? tx, RegionCode region, IdNumber idNumber, CancellationToken ct, bool lockRow = false)
    {
        long id;
        long? employerId;
        InsuredRow row;
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            "SELECT i.id, i.name, i.scheme, i.status, i.employer_id, e.credit_code, i.declared_wage, i.enrolled_on, i.retirement_date, i.death_date, i.nationality " +
            "FROM insured i LEFT JOIN employer e ON e.id = i.employer_id WHERE i.region_code = @r AND i.id_number = @id" +
            (lockRow && c is Npgsql.NpgsqlConnection ? " FOR UPDATE OF i" : "") + "; " +
            "SELECT s.event, s.effective_on, s.status, e.credit_code FROM insured_status s LEFT JOIN employer e ON e.id = s.employer_id " +
            "WHERE s.insured_id = (SELECT id FROM insured WHERE region_code = @r AND id_number = @id) ORDER BY s.effective_on, s.id";
        cmd.With("r", region.Value).With("id", idNumber.Value);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        {
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
            id = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
            employerId = r.IsDBNull(4) ? null : Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture);
            row = new InsuredRow(
                r.GetString(1), ParseScheme(r.GetString(2)), ParseState(r.GetString(3)),
                r.IsDBNull(5) ? null : CreditCode.Parse(r.GetString(5)),
                r.IsDBNull(6) ? null : DMoney.FromFen(Convert.ToInt64(r.GetValue(6), CultureInfo.InvariantCulture)),
                r.GetFieldValue<DateOnly>(7),
                r.IsDBNull(8) ? null : r.GetFieldValue<DateOnly>(8),
                r.IsDBNull(9) ? null : r.GetFieldValue<DateOnly>(9),
                r.GetString(10));
        }
        var events = new List<StatusEvent>();
        await r.NextResultAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            events.Add(ReadEvent(r, 0));
        var stored = events.Count > 0;
        var history = stored ? StatusHistory.FromRecorded(events) : ImpliedHistory(row.Status, row.Employer, row.EnrolledOn);
        var record = new InsuredRecord(region, idNumber, row.Name, row.Scheme, row.Status, row.Employer, row.DeclaredWage,
            row.EnrolledOn, row.RetirementDate, row.DeathDate, row.Nationality, history);
        return new LoadedInsured(id, employerId, record, stored);
    }

    private sealed record InsuredRow(string Name, InsuredScheme Scheme, InsuredState Status, CreditCode? Employer, DMoney? DeclaredWage,
        DateOnly EnrolledOn, DateOnly? RetirementDate, DateOnly? DeathDate, string Nationality);

    /// <summary>
    /// The history of a record that has no stored events (written by the demo seeder before
    /// histories existed): one enrolment in its current status on its enrolment day.
    /// </summary>
    internal static StatusHistory ImpliedHistory(InsuredState status, CreditCode? employer, DateOnly enrolledOn) =>
        StatusHistory.FromRecorded([new StatusEvent(StatusEventKind.Enrol, enrolledOn, status, status == InsuredState.Employed ? employer : null)]);

    /// <summary>Reads (event, effective_on, status, credit_code) starting at <paramref name="at"/>.</summary>
    internal static StatusEvent ReadEvent(DbDataReader r, int at)
    {
        RecordNames.TryParseEvent(r.GetString(at), out var kind);
        return new StatusEvent(kind, r.GetFieldValue<DateOnly>(at + 1), ParseState(r.GetString(at + 2)),
            r.IsDBNull(at + 3) ? null : CreditCode.Parse(r.GetString(at + 3)));
    }

    internal static InsuredState ParseState(string code) =>
        RecordNames.TryParseState(code, out var s) ? s : throw new InvalidOperationException($"unknown stored status '{code}'");

    internal static InsuredScheme ParseScheme(string code) =>
        RecordNames.TryParseScheme(code, out var s) ? s : throw new InvalidOperationException($"unknown stored scheme '{code}'");
}
