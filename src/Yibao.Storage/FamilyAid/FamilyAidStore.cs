using System.Data.Common;
using System.Globalization;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.FamilyAid;

/// <summary>
/// 家庭共济 on either engine: bindings (建立 / 解除共济关系) and the spends made under them
/// (<see cref="SpendAsync(FamilyAidSpendRequest, CancellationToken)"/>). The rules are
/// <see cref="FamilyAidDecision"/>'s on the owner's region's policy (A3, K12); this class reads
/// the facts (the people's records, the owner's balance) inside the transaction that writes the
/// consequences. Concurrency is the database's: a binding locks the owner's record row, a spend
/// locks its binding row and the owner's balance rows, and the schema refuses a spend outside its
/// binding's window or a revocation dated before a recorded spend.
/// </summary>
public sealed partial class FamilyAidStore(YibaoDatabase db, LedgerStore ledger, PolicyBook book, TimeProvider clock)
{
    public YibaoDatabase Database => db;

    private DateOnly Today => Dates.TodayInChina(clock);

    // ---------------------------------------------------------------- binding

    /// <summary>
    /// Binds a relative (建立共济关系) in one transaction: the owner's record is locked, the facts
    /// read, <see cref="FamilyAidDecision.DecideBinding"/> asked on the owner's region's policy on
    /// the binding day, and the binding stored when allowed. A refusal writes nothing and carries
    /// the decision's code and reasons. The same binding again is a replay; another binding of the
    /// same relative whose window overlaps one still running is <c>family-aid-binding-overlaps</c>.
    /// </summary>
    public async Task<FamilyAidBindingOutcome> BindRelativeAsync(FamilyAidBindingRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var relativeName = Validate(request);
        await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
        var owner = await LockOwnerAsync(s, request.Region, request.Owner, ct).ConfigureAwait(false);
        CheckOwner(owner, request.Region, request.BoundOn);
        await RequireOpenAccountAsync(s, owner.Record.Account, ct).ConfigureAwait(false);
        var relativeInsured = await RelativeInsuredAsync(s, request, relativeName, ct).ConfigureAwait(false);

        var resolved = book.For(request.Region, request.BoundOn);
        var why = Explanation.Build();
        var binding = new FamilyAidBinding(request.Relation, request.RaisingProof, request.BoundOn, request.WindowStart, request.WindowEnd,
            relativeInsured, request.Region, request.RelativeRegion, OwnerBirthDate: request.Owner.BirthDate, RelativeBirthDate: request.Relative.BirthDate);
        var answer = FamilyAidDecision.DecideBinding(binding, FamilyAidPolicy.From(resolved), why);
        if (!answer.Allowed) return new FamilyAidBindingOutcome(null, Created: false, answer.ReasonCode, answer.Reasons);

        foreach (var existing in await ReadBindingsAsync(s.Connection, s.Transaction,
                     "b.region_code = @r AND b.owner_id_number = @o AND b.relative_id_number = @n", ct,
                     ("r", request.Region.Value), ("o", request.Owner.Value), ("n", request.Relative.Value)).ConfigureAwait(false))
        {
            if (Same(existing, request, relativeName, relativeInsured))
                return new FamilyAidBindingOutcome(existing, Created: false, null, answer.Reasons);
            if (existing.LastDay is { } last && existing.WindowStart <= request.WindowEnd && request.WindowStart <= last)
                throw new YibaoException(ErrorCatalog.FamilyAidBindingOverlaps(existing.Id.ToString(CultureInfo.InvariantCulture),
                    Dates.Format(existing.WindowStart), Dates.Format(last)));
        }

        var version = VersionOf(resolved);
        var consentId = request.Consent.GivenBy == FamilyAidParty.Owner ? request.Owner.Value : request.Relative.Value;
        long id;
        await using (var insert = s.Command(
                         "INSERT INTO family_aid_binding (region_code, owner_id_number, relative_id_number, relative_name, relative_region, relative_insured, " +
                         "relation, raising_proof, proof, proof_reference, bound_on, window_start, window_end, consent_by, consent_id_number, consent_method, " +
                         "consent_on, policy_version, actor, recorded_at) VALUES (@r, @o, @n, @name, @rr, @ins, @rel, @raise, @proof, @pref, @bound, @ws, @we, " +
                         "@cby, @cid, @cm, @con, @pv, @actor, @at) RETURNING id")
                     .With("r", request.Region.Value).With("o", request.Owner.Value).With("n", request.Relative.Value).With("name", relativeName)
                     .With("rr", request.RelativeRegion.Value).With("ins", relativeInsured ? 1 : 0).With("rel", FamilyAidNames.Code(request.Relation))
                     .With("raise", request.RaisingProof ? 1 : 0).With("proof", FamilyAidNames.Code(request.Proof)).With("pref", request.ProofReference)
                     .With("bound", request.BoundOn).With("ws", request.WindowStart).With("we", request.WindowEnd)
                     .With("cby", FamilyAidNames.Code(request.Consent.GivenBy)).With("cid", consentId).With("cm", FamilyAidNames.Code(request.Consent.Method))
                     .With("con", request.Consent.GivenOn).With("pv", version).With("actor", request.Actor).With("at", Timestamp(s.Engine, clock.GetUtcNow())))
        {
            id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        var stored = await ReadBindingAsync(s, request.Region, id, forUpdate: false, ct).ConfigureAwait(false);
        await s.CommitAsync(ct).ConfigureAwait(false);
        return new FamilyAidBindingOutcome(stored, Created: true, null, answer.Reasons);
    }

    /// <summary>
    /// Revokes a binding (解除共济关系) for the owner or the relative (<paramref name="person"/> is
    /// either; anyone else does not see the binding). The revocation takes effect on its day: from
    /// <paramref name="revokedOn"/> on, spends are refused. The same revocation again is a replay.
    /// </summary>
    public async Task<FamilyAidRevocation> RevokeAsync(RegionCode region, IdNumber person, long bindingId, DateOnly revokedOn, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(actor)) throw new YibaoException(ErrorCatalog.MissingField("actor"));
        if (revokedOn > Today)
            throw new YibaoException(ErrorCatalog.InvalidField("revokedOn", "a revocation is recorded on or after its day, not ahead")
                .With("value", Dates.Format(revokedOn)).With("today", Dates.Format(Today)));
        await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
        var binding = await ReadBindingAsync(s, region, bindingId, forUpdate: true, ct).ConfigureAwait(false);
        var by = PartyOf(binding, region, person, bindingId);
        if (binding.RevokedOn is { } already)
        {
            if (already == revokedOn) return new FamilyAidRevocation(binding, Replayed: true);
            throw new YibaoException(ErrorCatalog.FamilyAidBindingAlreadyRevoked(bindingId.ToString(CultureInfo.InvariantCulture), Dates.Format(already)));
        }
        if (revokedOn < binding.BoundOn)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(binding.BoundOn), Dates.Format(revokedOn)).With("field", "revokedOn"));
        await using (var last = s.Command("SELECT MAX(spend_on) FROM family_aid_spend WHERE binding_id = @b").With("b", bindingId))
        {
            if (await last.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } value and not DBNull && DateOf(value) >= revokedOn)
                throw new YibaoException(ErrorCatalog.FamilyAidRevocationBeforeSpend(bindingId.ToString(CultureInfo.InvariantCulture),
                    Dates.Format(revokedOn), Dates.Format(DateOf(value))));
        }
        await using (var update = s.Command(
                         "UPDATE family_aid_binding SET revoked_on = @d, revoked_by = @by, revoked_at = @at WHERE id = @b AND revoked_on IS NULL")
                     .With("d", revokedOn).With("by", FamilyAidNames.Code(by)).With("at", Timestamp(s.Engine, clock.GetUtcNow())).With("b", bindingId))
        {
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await s.CommitAsync(ct).ConfigureAwait(false);
        return new FamilyAidRevocation(binding with { RevokedOn = revokedOn, RevokedBy = by }, Replayed: false);
    }

    // ---------------------------------------------------------------- queries

    /// <summary>A binding of the region that <paramref name="person"/> is a party to; anyone else gets <c>family-aid-binding-not-found</c>.</summary>
    public async Task<FamilyAidBindingRecord> GetBindingAsync(RegionCode region, IdNumber person, long bindingId, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var found = (await ReadBindingsAsync(c, null, "b.region_code = @r AND b.id = @id", ct, ("r", region.Value), ("id", bindingId)).ConfigureAwait(false))
            .FirstOrDefault() ?? throw new YibaoException(ErrorCatalog.FamilyAidBindingNotFound(region.Value, bindingId.ToString(CultureInfo.InvariantCulture)));
        _ = PartyOf(found, region, person, bindingId);
        return found;
    }

    /// <summary>
    /// A person's bindings, by window start: as owner (in their region) and as relative (bound by an
    /// owner of any region in this database, the relative insured in <paramref name="region"/>).
    /// A person who is neither on record in the region nor anyone's relative is <c>unknown-insured</c>.
    /// </summary>
    public async Task<FamilyAidBindings> ListBindingsAsync(RegionCode region, IdNumber person, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var asOwner = await ReadBindingsAsync(c, null, "b.region_code = @r AND b.owner_id_number = @n", ct, ("r", region.Value), ("n", person.Value)).ConfigureAwait(false);
        var asRelative = await ReadBindingsAsync(c, null, "b.relative_region = @r AND b.relative_id_number = @n", ct, ("r", region.Value), ("n", person.Value)).ConfigureAwait(false);
        if (asOwner.Count == 0 && asRelative.Count == 0 && await RecordsStore.LoadInsuredAsync(c, null, region, person, ct).ConfigureAwait(false) is null)
            throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, person.Value));
        return new FamilyAidBindings(region, person.Value, asOwner, asRelative);
    }

    /// <summary>
    /// Who may spend from whose account on <paramref name="day"/>: the bindings in force that day
    /// (inside the window, before any revocation, not dissolved by a party's death). Whether a given
    /// purpose is payable is the spend's decision, not this list's.
    /// </summary>
    public async Task<FamilyAidBindings> InForceAsync(RegionCode region, IdNumber person, DateOnly day, CancellationToken ct = default)
    {
        var all = await ListBindingsAsync(region, person, ct).ConfigureAwait(false);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var asOwner = new List<FamilyAidBindingRecord>();
        var asRelative = new List<FamilyAidBindingRecord>();
        foreach (var (source, target) in new[] { (all.AsOwner, asOwner), (all.AsRelative, asRelative) })
        {
            foreach (var b in source)
            {
                if (!b.InForceOn(day)) continue;
                var (_, dissolved) = await PartiesAsync(c, null, b, day, ct).ConfigureAwait(false);
                if (dissolved is { } d && day >= d) continue;
                target.Add(b);
            }
        }
        return all with { AsOwner = asOwner, AsRelative = asRelative };
    }

    // ---------------------------------------------------------------- the parts

    private static string Validate(FamilyAidBindingRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Actor)) throw new YibaoException(ErrorCatalog.MissingField("actor"));
        if (r.Owner.Value == r.Relative.Value) throw new YibaoException(ErrorCatalog.FamilyAidSelfBinding(r.Owner.Value));
        var name = RecordText.Name(r.RelativeName, "relativeName", RecordText.MaxPersonName);
        if (r.ProofReference is { Length: > 100 }) throw new YibaoException(ErrorCatalog.InvalidField("proofReference", "at most 100 characters"));
        if (r.RelativeRegion.IsNational || r.RelativeRegion.IsProvince)
            throw new YibaoException(ErrorCatalog.InvalidField("relativeRegion", "the pooling region (a city or county code) the relative is insured in, not a province or the nation"));
        if (r.Consent.GivenOn > r.BoundOn)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(r.Consent.GivenOn), Dates.Format(r.BoundOn))
                .With("field", "consent.givenOn").With("why", "consent comes on or before the binding day"));
        return name;
    }

    private void CheckOwner(RecordsStore.LoadedInsured owner, RegionCode region, DateOnly boundOn)
    {
        var record = owner.Record;
        if (boundOn > Today)
            throw new YibaoException(ErrorCatalog.InvalidField("boundOn", "a binding is made today or was made earlier, not ahead")
                .With("value", Dates.Format(boundOn)).With("today", Dates.Format(Today)));
        if (record.Scheme != InsuredScheme.Employee)
            throw new YibaoException(ErrorCatalog.FamilyAidOwnerNotEligible(record.IdNumber.Value,
                "a resident-scheme member has no personal account (policy-reference A3 rule 1)", "居民医保参保人没有个人账户(A3 第1条)"));
        if (record.History.StatusOn(boundOn) is not { } status)
            throw new YibaoException(ErrorCatalog.FamilyAidOwnerNotEligible(record.IdNumber.Value,
                $"not yet insured in {region.Value} on {Dates.Format(boundOn)}", $"{Dates.Format(boundOn)} 尚未在 {region.Value} 参保"));
        if (status.State == InsuredState.Deceased)
            throw new YibaoException(ErrorCatalog.FamilyAidOwnerNotEligible(record.IdNumber.Value, "the owner has died", "共济人已死亡"));
    }

    private static async Task RequireOpenAccountAsync(DbSession s, AccountCode account, CancellationToken ct)
    {
        await using var cmd = s.Command("SELECT status FROM ledger_account WHERE code = @c").With("c", account.Value);
        switch (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))
        {
            case null or DBNull: throw new YibaoException(ErrorCatalog.UnknownAccount(account.Value));
            case string status when status != "open": throw new YibaoException(ErrorCatalog.AccountClosed(account.Value));
        }
    }

    /// <summary>
    /// Locks the owner's record row for the rest of the transaction (an UPDATE takes the row lock on
    /// PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock), so two bindings of one owner
    /// are decided one after the other, each seeing the other's overlap.
    /// </summary>
    private static async Task<RecordsStore.LoadedInsured> LockOwnerAsync(DbSession s, RegionCode region, IdNumber owner, CancellationToken ct)
    {
        await using (var lockRow = s.Command("UPDATE insured SET status = status WHERE region_code = @r AND id_number = @n RETURNING id")
                         .With("r", region.Value).With("n", owner.Value))
        {
            if (await lockRow.ExecuteScalarAsync(ct).ConfigureAwait(false) is null or DBNull)
                throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, owner.Value));
        }
        return await RecordsStore.LoadInsuredAsync(s.Connection, s.Transaction, region, owner, ct).ConfigureAwait(false)
               ?? throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, owner.Value));
    }

    /// <summary>
    /// Whether the relative is insured on the binding day. In the owner's region the records say
    /// (on record and neither suspended nor dead), and the name given must be the record's; a
    /// relative of another region is as declared (the owner's region cannot read that register).
    /// </summary>
    private static async Task<bool> RelativeInsuredAsync(DbSession s, FamilyAidBindingRequest r, string name, CancellationToken ct)
    {
        if (r.RelativeRegion != r.Region)
            return r.RelativeInsured ?? throw new YibaoException(ErrorCatalog.MissingField("relativeInsured").With("because", "relativeRegion"));
        var record = await RecordsStore.LoadInsuredAsync(s.Connection, s.Transaction, r.Region, r.Relative, ct).ConfigureAwait(false);
        if (record is not null && !string.Equals(record.Record.Name, name, StringComparison.Ordinal))
            throw new YibaoException(ErrorCatalog.InsuredNameMismatch(r.Relative.Value).With("field", "relativeName"));
        var insured = record is not null && Insured(record.Record, r.BoundOn);
        if (r.RelativeInsured is { } declared && declared != insured)
            throw new YibaoException(ErrorCatalog.InvalidField("relativeInsured", insured
                    ? $"the relative is insured in {r.Region.Value} on {Dates.Format(r.BoundOn)} by the records"
                    : $"the relative is not insured in {r.Region.Value} on {Dates.Format(r.BoundOn)} by the records")
                .With("value", declared ? "true" : "false"));
        return insured;
    }

    /// <summary>Insured on a day: enrolled by then and neither suspended (参保中断) nor dead.</summary>
    private static bool Insured(InsuredRecord record, DateOnly day) =>
        record.History.StatusOn(day) is { } status && status.State is not (InsuredState.Suspended or InsuredState.Deceased);

    private static bool Same(FamilyAidBindingRecord b, FamilyAidBindingRequest r, string name, bool insured) =>
        b.RevokedOn is null && b.Relation == r.Relation && b.RaisingProof == r.RaisingProof && b.Proof == r.Proof
        && b.ProofReference == r.ProofReference && b.BoundOn == r.BoundOn && b.WindowStart == r.WindowStart && b.WindowEnd == r.WindowEnd
        && b.RelativeRegion == r.RelativeRegion && b.RelativeInsured == insured && string.Equals(b.RelativeName, name, StringComparison.Ordinal)
        && b.ConsentBy == r.Consent.GivenBy && b.ConsentMethod == r.Consent.Method && b.ConsentOn == r.Consent.GivenOn;

    /// <summary>Which party of the binding the person is; a stranger to it does not learn that it exists.</summary>
    private static FamilyAidParty PartyOf(FamilyAidBindingRecord b, RegionCode region, IdNumber person, long bindingId)
    {
        if (b.OwnerIdNumber == person.Value) return FamilyAidParty.Owner;
        if (b.RelativeIdNumber == person.Value) return FamilyAidParty.Relative;
        throw new YibaoException(ErrorCatalog.FamilyAidBindingNotFound(region.Value, bindingId.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// The facts about the parties on <paramref name="day"/>: whether the relative is insured (the
    /// record in the owner's region; else the binding's declaration) and the day the relationship
    /// dissolved, if it did — the death of either party on record (A3 rule 6).
    /// </summary>
    private static async Task<(bool? RelativeInsured, DateOnly? DissolvedOn)> PartiesAsync(DbConnection c, DbTransaction? tx, FamilyAidBindingRecord b, DateOnly day, CancellationToken ct)
    {
        var owner = await RecordsStore.LoadInsuredAsync(c, tx, b.Region, IdNumber.Parse(b.OwnerIdNumber), ct).ConfigureAwait(false);
        DateOnly? relativeDied = null;
        bool? insured = null;
        if (b.RelativeRegion == b.Region)
        {
            var relative = await RecordsStore.LoadInsuredAsync(c, tx, b.Region, IdNumber.Parse(b.RelativeIdNumber), ct).ConfigureAwait(false);
            insured = relative is not null && Insured(relative.Record, day);
            relativeDied = relative?.Record.History.DiedOn;
        }
        return (insured, FamilyAidDissolution.DissolvedOn(owner?.Record.History.DiedOn, relativeDied));
    }

    private string VersionOf(ResolvedPolicy resolved) =>
        resolved.VersionOf("family-aid.");

    // ---------------------------------------------------------------- reading

    private const string BindingSelect =
        "SELECT b.id, b.region_code, b.owner_id_number, o.name, b.relative_id_number, b.relative_name, b.relative_region, b.relative_insured, b.relation, " +
        "b.raising_proof, b.proof, b.proof_reference, b.bound_on, b.window_start, b.window_end, b.consent_by, b.consent_id_number, b.consent_method, " +
        "b.consent_on, b.policy_version, b.revoked_on, b.revoked_by FROM family_aid_binding b " +
        "JOIN insured o ON o.region_code = b.region_code AND o.id_number = b.owner_id_number";

    /// <summary>One binding of the region, locked for the transaction when asked (PostgreSQL <c>FOR UPDATE</c>; SQLite's writer already holds the lock).</summary>
    private static async Task<FamilyAidBindingRecord> ReadBindingAsync(DbSession s, RegionCode region, long id, bool forUpdate, CancellationToken ct) =>
        (await ReadBindingsAsync(s.Connection, s.Transaction, "b.region_code = @r AND b.id = @id", ct, forUpdate && s.Engine == Engine.Postgres,
            ("r", region.Value), ("id", id)).ConfigureAwait(false)).FirstOrDefault()
        ?? throw new YibaoException(ErrorCatalog.FamilyAidBindingNotFound(region.Value, id.ToString(CultureInfo.InvariantCulture)));

    private static Task<IReadOnlyList<FamilyAidBindingRecord>> ReadBindingsAsync(DbConnection c, DbTransaction? tx, string where, CancellationToken ct,
        params (string Name, object Value)[] parameters) =>
        ReadBindingsAsync(c, tx, where, ct, lockRows: false, parameters);

    private static async Task<IReadOnlyList<FamilyAidBindingRecord>> ReadBindingsAsync(DbConnection c, DbTransaction? tx, string where, CancellationToken ct,
        bool lockRows, params (string Name, object Value)[] parameters)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"{BindingSelect} WHERE {where} ORDER BY b.window_start, b.id{(lockRows ? " FOR UPDATE OF b" : "")}";
        foreach (var (name, value) in parameters) cmd.With(name, value);
        var list = new List<FamilyAidBindingRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(ReadBinding(r));
        return list;
    }

    /// <summary>A binding from the columns of <see cref="BindingSelect"/>.</summary>
    private static FamilyAidBindingRecord ReadBinding(DbDataReader r) =>
            new FamilyAidBindingRecord(
                Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), RegionCode.Parse(r.GetString(1)), r.GetString(2), r.GetString(3),
                r.GetString(4), r.GetString(5), RegionCode.Parse(r.GetString(6)), Flag(r, 7),
                Stored<FamilyRelation>(r.GetString(8)), Flag(r, 9), Stored<RelationProof>(r.GetString(10)), r.IsDBNull(11) ? null : r.GetString(11),
                r.GetFieldValue<DateOnly>(12), r.GetFieldValue<DateOnly>(13), r.GetFieldValue<DateOnly>(14),
                Stored<FamilyAidParty>(r.GetString(15)), r.GetString(16), Stored<ConsentMethod>(r.GetString(17)), r.GetFieldValue<DateOnly>(18),
                r.GetString(19), r.IsDBNull(20) ? null : r.GetFieldValue<DateOnly>(20), r.IsDBNull(21) ? null : Stored<FamilyAidParty>(r.GetString(21)));

    private static bool Flag(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture) == 1;

    private static T Stored<T>(string code) where T : struct, Enum =>
        FamilyAidNames.TryParse<T>(code, out var value) ? value : throw new InvalidOperationException($"unknown stored {typeof(T).Name} '{code}'");

    private static DateOnly DateOf(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        string text => Dates.Parse(text),
        _ => throw new InvalidOperationException($"not a date: {value}"),
    };

}
