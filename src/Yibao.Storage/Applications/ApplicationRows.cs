using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Applications;

/// <summary>
/// The <c>application</c> and <c>application_event</c> rows: insert, read, and the one way a
/// status changes — a conditional UPDATE on the version it was read at, with its audit row in
/// the same transaction — so two people acting at once end with exactly one outcome.
/// </summary>
internal static class ApplicationRows
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Columns =
        "id, region_code, kind, id_number, status, applied_on, accepted_on, due_on, target_due_on, agent_name, agent_id_number, " +
        "materials, facts, decision, approval_decision, reason_code, reason_zh, reason_en, entry_key, version, created_at, updated_at, deadlines_provisional";

    /// <summary>The JSON form of what the applicant stated (identifiers as text).</summary>
    private sealed record ClaimJson(
        string? Reason = null, bool? WrittenApplication = null, string? Heir = null, string? HeirName = null, string? BankAccount = null,
        string? TargetRegion = null);

    public static string ClaimOf(ApplicationSubmission s) => JsonSerializer.Serialize(s.Kind == ApplicationKind.Withdrawal
        ? new ClaimJson(WithdrawalNames.Code(s.Withdrawal!.Reason), s.Withdrawal.WrittenApplication, s.Withdrawal.Heir?.Value, s.Withdrawal.HeirName,
            s.Withdrawal.BankAccount, s.Withdrawal.TargetRegion?.Value)
        : new ClaimJson(TargetRegion: s.Transfer!.TargetRegion.Value), Json);

    public static string MaterialsOf(IEnumerable<WithdrawalMaterial> materials) => string.Join(",", materials.Select(WithdrawalNames.Code));

    public static string DecisionOf(ApplicationDecision d) => JsonSerializer.Serialize(d, ApplicationJson.Options);

    private static ApplicationDecision ReadDecision(string json) =>
        JsonSerializer.Deserialize<ApplicationDecision>(json, ApplicationJson.Options) ?? throw new InvalidOperationException("an empty stored decision");
    /// <summary>A fingerprint of what was submitted, to tell a retry from another submission under the same key.</summary>
    public static string HashOf(ApplicationSubmission s)
    {
        var text = string.Join("|", s.Region.Value, s.IdNumber.Value, s.Kind.Code(), MaterialsOf(s.Materials.Order()), s.Agent?.Name ?? "", s.Agent?.IdNumber.Value ?? "", ClaimOf(s));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Writes a submitted application and its first event; answers the record as written (nothing is read back).</summary>
    public static async Task<ApplicationRecord> InsertAsync(DbSession s, ApplicationSubmission submission, long insuredId, ApplicationDecision decision, string key,
        string actor, DateTimeOffset now, CancellationToken ct)
    {
        now = Stored(now);
        var d = decision.Deadlines;
        await using var cmd = s.Command(
                "INSERT INTO application (region_code, kind, insured_id, id_number, status, submission_key, content_hash, applied_on, accepted_on, due_on, target_due_on, " +
                "deadlines_provisional, agent_name, agent_id_number, materials, facts, policy_version, decision, version, created_at, updated_at) " +
                "VALUES (@r, @k, @i, @id, 'submitted', @key, @hash, @applied, @accepted, @due, @tdue, @prov, @an, @aid, @m, @f, @pv, @d, 1, @now, @now) RETURNING id")
            .With("r", submission.Region.Value).With("k", submission.Kind.Code()).With("i", insuredId).With("id", submission.IdNumber.Value)
            .With("key", key).With("hash", HashOf(submission)).With("applied", decision.DecidedOn).With("accepted", d.AcceptedOn)
            .With("due", d.DueOn).With("tdue", d.TargetDueOn).With("prov", d.Provisional ? 1 : 0).With("an", submission.Agent?.Name).With("aid", submission.Agent?.IdNumber.Value)
            .With("m", MaterialsOf(submission.Materials)).With("f", ClaimOf(submission)).With("pv", decision.PolicyVersion)
            .With("d", DecisionOf(decision)).With("now", Timestamp(s.Engine, now));
        var id = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var submitted = await AddEventAsync(s, id, submission.Region, now, actor, ApplicationAction.Submit, null, ApplicationStatus.Submitted,
            null, null, null, null, ct).ConfigureAwait(false);
        return new ApplicationRecord(id, submission.Region, submission.Kind, submission.IdNumber, ApplicationStatus.Submitted,
            decision.DecidedOn, d.AcceptedOn, d.DueOn, d.TargetDueOn, d.Provisional, submission.Agent, submission.Materials,
            submission.Withdrawal, submission.Transfer, decision, null, null, null, null, null, 1, now, now, [submitted]);
    }

    /// <summary>The stored submission under a key: its id and content hash.</summary>
    public static async Task<(long Id, string Hash)?> FindByKeyAsync(DbConnection c, DbTransaction? tx, string key, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT id, content_hash FROM application WHERE submission_key = @k";
        cmd.With("k", key);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? (Long(r, 0), r.GetString(1)) : null;
    }

    /// <summary>An application in progress of a kind for a person (at most one, by a unique index).</summary>
    public static async Task<long?> InProgressAsync(DbSession s, long insuredId, ApplicationKind kind, CancellationToken ct)
    {
        // The same statuses as the unique index ux_application_in_progress of migration 0007.
        await using var cmd = s.Command($"SELECT id FROM application WHERE insured_id = @i AND kind = @k AND status NOT IN ({ApplicationLifecycle.SqlList(ApplicationLifecycle.Final)})")
            .With("i", insuredId).With("k", kind.Code());
        var id = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return id is null or DBNull ? null : Convert.ToInt64(id, CultureInfo.InvariantCulture);
    }

    /// <summary>The application; with <paramref name="forUpdate"/> its row is locked until the transaction ends (PostgreSQL; SQLite's writer holds the database's lock).</summary>
    /// <remarks>With its events, the row and the events are read in one command (one round trip).</remarks>
    public static async Task<ApplicationRecord?> ReadAsync(DbSession s, long id, bool forUpdate, bool withEvents, CancellationToken ct)
    {
        await using var cmd = s.Command($"SELECT {Columns} FROM application WHERE id = @id" + (forUpdate ? s.ForUpdate() : "") +
                                        (withEvents ? $"; {EventsQuery}" : "")).With("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var record = await r.ReadAsync(ct).ConfigureAwait(false) ? Read(r, []) : null;
        if (record is null || !withEvents) return record;
        await r.NextResultAsync(ct).ConfigureAwait(false);
        return record with { Events = await ReadEventsAsync(r, ct).ConfigureAwait(false) };
    }

    private const string EventsQuery =
        "SELECT id, at, actor, action, from_status, to_status, reason_code, reason_zh, reason_en, note FROM application_event WHERE application_id = @id ORDER BY id";

    /// <summary>The application read on a connection of its own (no transaction).</summary>
    public static async Task<ApplicationRecord?> ReadAsync(DbConnection c, long id, CancellationToken ct)
    {
        ApplicationRecord? record;
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"SELECT {Columns} FROM application WHERE id = @id";
            cmd.With("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            record = await r.ReadAsync(ct).ConfigureAwait(false) ? Read(r, []) : null;
        }
        return record is null ? null : record with { Events = await EventsAsync(c, null, id, ct).ConfigureAwait(false) };
    }

    public static async Task<IReadOnlyList<ApplicationRecord>> ListAsync(DbConnection c, string where, IReadOnlyList<(string, object?)> args, string order, int limit, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM application WHERE {where} ORDER BY {order} LIMIT @limit";
        foreach (var (name, value) in args) cmd.With(name, value);
        cmd.With("limit", limit);
        var list = new List<ApplicationRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(Read(r, []));
        return list;
    }

    private static async Task<IReadOnlyList<ApplicationEvent>> EventsAsync(DbConnection c, DbTransaction? tx, long id, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = EventsQuery;
        cmd.With("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await ReadEventsAsync(r, ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ApplicationEvent>> ReadEventsAsync(DbDataReader r, CancellationToken ct)
    {
        var events = new List<ApplicationEvent>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            events.Add(new ApplicationEvent(Long(r, 0), ReadTimestamp(r, 1)!.Value, r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : ApplicationLifecycle.ParseStatus(r.GetString(4)), ApplicationLifecycle.ParseStatus(r.GetString(5)),
                StringOrNull(r, 6), StringOrNull(r, 7), StringOrNull(r, 8), StringOrNull(r, 9)));
        }
        return events;
    }

    private static async Task<ApplicationEvent> AddEventAsync(DbSession s, long applicationId, RegionCode region, DateTimeOffset at, string actor, ApplicationAction action,
        ApplicationStatus? from, ApplicationStatus to, string? reasonCode, string? zh, string? en, string? note, CancellationToken ct)
    {
        await using var cmd = s.Command(InsertEvent).With("a", applicationId).With("r", region.Value);
        AddEventValues(cmd, s.Engine, at, actor, action, from, to, reasonCode, zh, en, note);
        var id = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return new ApplicationEvent(id, at, actor, action.Code(), from, to, reasonCode, zh, en, note);
    }

    private const string InsertEvent =
        "INSERT INTO application_event (application_id, region_code, at, actor, action, from_status, to_status, reason_code, reason_zh, reason_en, note) " +
        "VALUES (@a, @r, @at, @actor, @action, @from, @to, @rc, @zh, @en, @note) RETURNING id";

    private static void AddEventValues(DbCommand cmd, Engine engine, DateTimeOffset at, string actor, ApplicationAction action,
        ApplicationStatus? from, ApplicationStatus to, string? reasonCode, string? zh, string? en, string? note) =>
        cmd.With("at", Timestamp(engine, at)).With("actor", actor).With("action", action.Code())
            .With("from", from?.Code()).With("to", to.Code()).With("rc", reasonCode).With("zh", zh).With("en", en).With("note", note);

    /// <summary>What else a change of status writes on the row.</summary>
    /// <remarks>A new <see cref="Decision"/> (a resubmission) brings its deadlines with it.</remarks>
    public sealed record Change(
        IReadOnlyList<WithdrawalMaterial>? Materials = null, ApplicationDecision? Decision = null, ApplicationDecision? ApprovalDecision = null,
        string? ReasonCode = null, string? ReasonZh = null, string? ReasonEn = null, string? EntryKey = null);

    /// <summary>
    /// Moves the application by <paramref name="action"/> from the status and version it was read
    /// at, and records the event, in one command; answers the record as it now stands, built from
    /// what was written (nothing is read back). Not allowed from its status: <c>application-wrong-status</c>;
    /// changed by someone else since it was read: <c>application-conflict</c>. Either way nothing is written.
    /// </summary>
    public static async Task<ApplicationRecord> TransitionAsync(DbSession s, ApplicationRecord app, ApplicationAction action, string actor, DateTimeOffset now,
        Change? change = null, string? note = null, CancellationToken ct = default)
    {
        var to = ApplicationLifecycle.Next(app.Status, action) ?? throw WrongStatus(app, action);
        change ??= new Change();
        now = Stored(now);
        var sets = new StringBuilder("status = @to, version = version + 1, updated_at = @now");
        await using var cmd = s.Command("");
        void Set(string column, string name, object? value)
        {
            sets.Append(CultureInfo.InvariantCulture, $", {column} = @{name}");
            cmd.With(name, value);
        }
        if (change.Materials is not null) Set("materials", "m", MaterialsOf(change.Materials));
        if (change.Decision is { } decision)
        {
            Set("decision", "d", DecisionOf(decision));
            Set("policy_version", "pv", decision.PolicyVersion);
            Set("accepted_on", "acc", decision.Deadlines.AcceptedOn);
            Set("due_on", "due", decision.Deadlines.DueOn);
            Set("target_due_on", "tdue", decision.Deadlines.TargetDueOn);
            Set("deadlines_provisional", "prov", decision.Deadlines.Provisional ? 1 : 0);
        }
        if (change.ApprovalDecision is not null) Set("approval_decision", "ad", DecisionOf(change.ApprovalDecision));
        if (change.ReasonCode is not null || change.ReasonZh is not null)
        {
            // The event's @rc, @zh and @en carry the same reason; a name bound twice is refused by SQLite.
            sets.Append(", reason_code = @rc, reason_zh = @zh, reason_en = @en");
        }
        if (change.EntryKey is not null) Set("entry_key", "ek", change.EntryKey);
        // The row's update and its event in one command: two statements, one round trip. A row
        // changed since it was read updates nothing; the event written with it is rolled back.
        cmd.CommandText = $"UPDATE application SET {sets} WHERE id = @id AND version = @v AND status = @from RETURNING version; " +
                          InsertEvent.Replace("@a,", "@id,", StringComparison.Ordinal);
        // @to and @from serve both statements: the event's values below bind them once.
        cmd.With("now", Timestamp(s.Engine, now)).With("id", app.Id).With("v", app.Version).With("r", app.Region.Value);
        AddEventValues(cmd, s.Engine, now, actor, action, app.Status, to, change.ReasonCode, change.ReasonZh, change.ReasonEn, note);
        long eventId;
        await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            var updated = await r.ReadAsync(ct).ConfigureAwait(false);
            await r.NextResultAsync(ct).ConfigureAwait(false);
            await r.ReadAsync(ct).ConfigureAwait(false);
            eventId = Long(r, 0);
            if (!updated)
            {
                await r.DisposeAsync().ConfigureAwait(false);
                var current = await ReadAsync(s, app.Id, forUpdate: false, withEvents: false, ct).ConfigureAwait(false);
                throw new YibaoException(ErrorCatalog.ApplicationConflict(app.Id.ToString(CultureInfo.InvariantCulture), current?.Status));
            }
        }
        var d = change.Decision;
        return app with
        {
            Status = to,
            Version = app.Version + 1,
            UpdatedAt = now,
            Materials = change.Materials ?? app.Materials,
            Decision = d ?? app.Decision,
            AcceptedOn = d is null ? app.AcceptedOn : d.Deadlines.AcceptedOn,
            DueOn = d?.Deadlines.DueOn ?? app.DueOn,
            TargetDueOn = d is null ? app.TargetDueOn : d.Deadlines.TargetDueOn,
            DeadlinesProvisional = d?.Deadlines.Provisional ?? app.DeadlinesProvisional,
            ApprovalDecision = change.ApprovalDecision ?? app.ApprovalDecision,
            ReasonCode = change.ReasonCode is not null || change.ReasonZh is not null ? change.ReasonCode : app.ReasonCode,
            ReasonZh = change.ReasonCode is not null || change.ReasonZh is not null ? change.ReasonZh : app.ReasonZh,
            ReasonEn = change.ReasonCode is not null || change.ReasonZh is not null ? change.ReasonEn : app.ReasonEn,
            EntryKey = change.EntryKey ?? app.EntryKey,
            Events = [.. app.Events, new ApplicationEvent(eventId, now, actor, action.Code(), app.Status, to, change.ReasonCode, change.ReasonZh, change.ReasonEn, note)],
        };
    }

    /// <summary>
    /// New deadlines on the row and in its decisions, the status unchanged, with an audit event
    /// (from and to the same status) that says what changed and why.
    /// </summary>
    public static async Task RecomputeDeadlinesAsync(DbSession s, ApplicationRecord app, ApplicationDeadlines after, DateTimeOffset now,
        (string Zh, string En, string Note) why, CancellationToken ct)
    {
        await using (var cmd = s.Command(
                         "UPDATE application SET accepted_on = @acc, due_on = @due, target_due_on = @tdue, deadlines_provisional = @prov, decision = @d, " +
                         "approval_decision = @ad, version = version + 1, updated_at = @now WHERE id = @id AND version = @v")
                     .With("acc", after.AcceptedOn).With("due", after.DueOn).With("tdue", after.TargetDueOn).With("prov", after.Provisional ? 1 : 0)
                     .With("d", DecisionOf(app.Decision with { Deadlines = after }))
                     .With("ad", app.ApprovalDecision is { } approval ? DecisionOf(approval with { Deadlines = after }) : null)
                     .With("now", Timestamp(s.Engine, now)).With("id", app.Id).With("v", app.Version))
        {
            if (await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                throw new YibaoException(ErrorCatalog.ApplicationConflict(app.Id.ToString(CultureInfo.InvariantCulture), app.Status));
        }
        await using var ev = s.Command(
                "INSERT INTO application_event (application_id, region_code, at, actor, action, from_status, to_status, reason_code, reason_zh, reason_en, note) " +
                "VALUES (@a, @r, @at, @actor, @action, @st, @st, @rc, @zh, @en, @note)")
            .With("a", app.Id).With("r", app.Region.Value).With("at", Timestamp(s.Engine, now)).With("actor", ApplicationStore.SystemActor)
            .With("action", ProvisionalDeadlines.Action).With("st", app.Status.Code()).With("rc", ProvisionalDeadlines.ReasonCode)
            .With("zh", why.Zh).With("en", why.En).With("note", why.Note);
        await ev.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static YibaoException WrongStatus(ApplicationRecord app, ApplicationAction action) =>
        new(ErrorCatalog.ApplicationWrongStatus(app.Id.ToString(CultureInfo.InvariantCulture), app.Status, action));

    private static ApplicationRecord Read(DbDataReader r, IReadOnlyList<ApplicationEvent> events)
    {
        var kind = ApplicationLifecycle.ParseKind(r.GetString(2));
        var claim = JsonSerializer.Deserialize<ClaimJson>(r.GetString(12), Json) ?? new ClaimJson();
        WithdrawalClaim? withdrawal = null;
        TransferClaim? transfer = null;
        if (kind == ApplicationKind.Withdrawal && claim.Reason is { } reasonText && WithdrawalNames.TryParseReason(reasonText, out var reason))
            withdrawal = new WithdrawalClaim(reason, claim.WrittenApplication ?? false, claim.Heir is null ? null : IdNumber.Parse(claim.Heir), claim.HeirName,
                claim.BankAccount, claim.TargetRegion is null ? null : RegionCode.Parse(claim.TargetRegion));
        if (kind == ApplicationKind.Transfer && claim.TargetRegion is { } target) transfer = new TransferClaim(RegionCode.Parse(target));
        var materials = r.GetString(11).Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(code => WithdrawalNames.TryParseMaterial(code, out var m) ? m : (WithdrawalMaterial?)null)
            .OfType<WithdrawalMaterial>().ToList();
        return new ApplicationRecord(
            Long(r, 0), RegionCode.Parse(r.GetString(1)), kind, IdNumber.Parse(r.GetString(3)), ApplicationLifecycle.ParseStatus(r.GetString(4)),
            r.GetFieldValue<DateOnly>(5), DateOrNull(r, 6), r.GetFieldValue<DateOnly>(7), DateOrNull(r, 8), Long(r, 22) == 1,
            r.IsDBNull(9) ? null : new ApplicationAgent(r.GetString(9), IdNumber.Parse(r.GetString(10))),
            materials, withdrawal, transfer,
            ReadDecision(r.GetString(13)),
            r.IsDBNull(14) ? null : ReadDecision(r.GetString(14)),
            StringOrNull(r, 15), StringOrNull(r, 16), StringOrNull(r, 17), StringOrNull(r, 18),
            Convert.ToInt32(r.GetValue(19), CultureInfo.InvariantCulture), ReadTimestamp(r, 20)!.Value, ReadTimestamp(r, 21)!.Value, events);
    }
}
