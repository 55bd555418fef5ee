using System.Data.Common;
using System.Globalization;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Features.RemoteCare;
using Yibao.Domain.Identity;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using DMoney = Yibao.Domain.Money.Money;
using InsuredStatus = Yibao.Domain.Features.Inpatient.InsuredStatus;
using RemoteCareSelection = Yibao.Domain.Features.Inpatient.RemoteCare;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.RemoteCare;

/// <summary>
/// 异地就医备案 on either engine: filings with their validity (A8), revocation, the filing in force
/// on a day, and the inpatient estimate that takes its remote-care input from that filing (K13,
/// WE-60, WE-61). A person's filings never overlap, so the filing in force is never in doubt; a
/// filing locks the person's record row, so two concurrent filings are decided one after the other.
/// </summary>
public sealed class RemoteCareStore(YibaoDatabase db, LedgerStore ledger, PolicyBook book, TimeProvider clock)
{
    public YibaoDatabase Database => db;

    private DateOnly Today => Dates.TodayInChina(clock);

    /// <summary>
    /// Files (备案) in one transaction. Long-term filings are open-ended; temporary ones last at
    /// least the region's months (<see cref="RemoteCareCategories.Validity"/>). The same filing again
    /// is a replay; one whose validity overlaps a filing still in force is <c>remote-care-filing-overlaps</c>.
    /// </summary>
    public async Task<RemoteCareFilingResult> FileAsync(RemoteCareFilingRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
        var person = await LockPersonAsync(s, request.Region, request.IdNumber, ct).ConfigureAwait(false);
        CheckEligible(person.Record, request);

        var resolved = book.For(request.Region, request.ValidFrom);
        var months = request.Category.IsLongTerm() ? InpatientKeys.MinTemporaryFilingMonths : resolved.Get(InpatientKeys.TemporaryFilingMonths);
        var validity = RemoteCareCategories.Validity(request.Category, request.ValidFrom, request.ValidTo, months);

        foreach (var existing in await ReadAsync(s.Connection, s.Transaction, "f.region_code = @r AND f.id_number = @n", ct,
                     ("r", request.Region.Value), ("n", request.IdNumber.Value)).ConfigureAwait(false))
        {
            if (existing.RevokedOn is null && existing.Category == request.Category && existing.Destination == request.Destination
                && existing.FiledOn == request.FiledOn && existing.ValidFrom == validity.ValidFrom && existing.ValidTo == validity.ValidTo)
                return new RemoteCareFilingResult(existing, Created: false);
            if (Overlaps(existing, validity.ValidFrom, validity.ValidTo))
                throw new YibaoException(ErrorCatalog.RemoteCareFilingOverlaps(existing.Id.ToString(CultureInfo.InvariantCulture),
                    Dates.Format(existing.ValidFrom), existing.LastDay is { } last ? Dates.Format(last) : "open-ended"));
        }

        var version = resolved.VersionOf("inpatient.temporary-filing-months");
        long id;
        await using (var insert = s.Command(
                         "INSERT INTO remote_care_filing (region_code, id_number, category, kind, destination_region, filed_on, valid_from, valid_to, " +
                         "policy_version, actor, recorded_at) VALUES (@r, @n, @c, @k, @d, @filed, @from, @to, @pv, @actor, @at) RETURNING id")
                     .With("r", request.Region.Value).With("n", request.IdNumber.Value).With("c", request.Category.Code())
                     .With("k", request.Category.Kind().Code()).With("d", request.Destination.Value).With("filed", request.FiledOn)
                     .With("from", validity.ValidFrom).With("to", validity.ValidTo).With("pv", version).With("actor", request.Actor)
                     .With("at", Timestamp(s.Engine, clock.GetUtcNow())))
        {
            id = Convert.ToInt64(await insert.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        var stored = await ReadOneAsync(s, request.Region, request.IdNumber, id, ct).ConfigureAwait(false);
        await s.CommitAsync(ct).ConfigureAwait(false);
        return new RemoteCareFilingResult(stored, Created: true);
    }

    /// <summary>Revokes (撤销备案) from <paramref name="revokedOn"/> on: that day and later are no longer covered. The same revocation again is a replay.</summary>
    public async Task<RemoteCareRevocation> RevokeAsync(RegionCode region, IdNumber idNumber, long filingId, DateOnly revokedOn, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(actor)) throw new YibaoException(ErrorCatalog.MissingField("actor"));
        if (revokedOn > Today)
            throw new YibaoException(ErrorCatalog.InvalidField("revokedOn", "a revocation is recorded on or after its day, not ahead")
                .With("value", Dates.Format(revokedOn)).With("today", Dates.Format(Today)));
        await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
        _ = await LockPersonAsync(s, region, idNumber, ct).ConfigureAwait(false);
        var filing = await ReadOneAsync(s, region, idNumber, filingId, ct).ConfigureAwait(false);
        if (filing.RevokedOn is { } already)
        {
            if (already == revokedOn) return new RemoteCareRevocation(filing, Replayed: true);
            throw new YibaoException(ErrorCatalog.RemoteCareFilingAlreadyRevoked(filingId.ToString(CultureInfo.InvariantCulture), Dates.Format(already)));
        }
        if (revokedOn < filing.FiledOn)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(filing.FiledOn), Dates.Format(revokedOn)).With("field", "revokedOn"));
        await using (var update = s.Command("UPDATE remote_care_filing SET revoked_on = @d, revoked_at = @at WHERE id = @id AND revoked_on IS NULL")
                         .With("d", revokedOn).With("at", Timestamp(s.Engine, clock.GetUtcNow())).With("id", filingId))
        {
            await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await s.CommitAsync(ct).ConfigureAwait(false);
        return new RemoteCareRevocation(filing with { RevokedOn = revokedOn }, Replayed: false);
    }

    /// <summary>A person's filings, by start; <c>unknown-insured</c> when the person is not on record.</summary>
    public async Task<IReadOnlyList<RemoteCareFilingRecord>> ListAsync(RegionCode region, IdNumber idNumber, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        if (await RecordsStore.LoadInsuredAsync(c, null, region, idNumber, ct).ConfigureAwait(false) is null)
            throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber.Value));
        return await ReadAsync(c, null, "f.region_code = @r AND f.id_number = @n", ct, ("r", region.Value), ("n", idNumber.Value)).ConfigureAwait(false);
    }

    /// <summary>The filing in force on <paramref name="day"/> (valid that day, not revoked by then), or null.</summary>
    public async Task<RemoteCareFilingRecord?> InForceAsync(RegionCode region, IdNumber idNumber, DateOnly day, CancellationToken ct = default) =>
        InForce(await ListAsync(region, idNumber, ct).ConfigureAwait(false), day);

    /// <summary>
    /// Estimates a stay (住院费用测算) of a person on record, writing nothing: the scheme and the
    /// status on the admission day from the records, the personal account's balance from the ledger
    /// (residents have none), the remote-care input from the filing in force on the admission day,
    /// and <see cref="InpatientDecision.Decide"/> on the region's policy of that day.
    /// <list type="bullet">
    /// <item>No hospital region, or the hospital at home: a filing in force gives its input (the stay is taken to be at its destination); none, or at home, is <c>none</c> (a long-term filer keeps the home benefits too, A8 two-way benefits).</item>
    /// <item>A hospital elsewhere: a filing in force that covers the place gives its input; without one the stay is refused with <c>remote-care-filing-required</c> (WE-61 b: renew the filing first).</item>
    /// </list>
    /// </summary>
    public async Task<InpatientEstimate> EstimateAsync(InpatientEstimateRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var person = await RecordsStore.LoadInsuredAsync(c, null, request.Region, request.IdNumber, ct).ConfigureAwait(false)
                     ?? throw new YibaoException(ErrorCatalog.UnknownInsured(request.Region.Value, request.IdNumber.Value));
        var record = person.Record;
        var scheme = record.Scheme == InsuredScheme.Resident ? InsuranceScheme.Resident : InsuranceScheme.Employee;
        var status = StatusOn(record, request.AdmittedOn);
        var balance = scheme == InsuranceScheme.Resident ? DMoney.Zero : (await ledger.GetBalanceAsync(record.Account, ct).ConfigureAwait(false)).Total;

        var filings = await ReadAsync(c, null, "f.region_code = @r AND f.id_number = @n", ct, ("r", request.Region.Value), ("n", request.IdNumber.Value)).ConfigureAwait(false);
        var inForce = InForce(filings, request.AdmittedOn);
        RemoteCareFilingRecord? used;
        if (request.HospitalRegion is not { } hospital)
            used = inForce;
        else if (hospital == request.Region)
            used = null;
        else if (inForce is not null && inForce.CoversPlace(hospital))
            used = inForce;
        else
            throw new YibaoException(ErrorCatalog.RemoteCareFilingRequired(hospital.Value, Dates.Format(request.AdmittedOn)));

        var resolved = book.For(request.Region, request.AdmittedOn);
        var stay = new InpatientStay(scheme, status, request.Tier, request.Admission, request.PolicyCost, request.SelfPayCost, request.FundPaidThisYear,
            used?.Kind ?? RemoteCareKind.None, balance);
        var split = InpatientDecision.Decide(in stay, InpatientPolicy.From(resolved), Explanation.Build());
        var version = resolved.VersionOf("inpatient.");
        return new InpatientEstimate(request.Region, request.IdNumber.Value, request.AdmittedOn, scheme, status, balance, stay.RemoteCare, used, version, split);
    }

    // ---------------------------------------------------------------- the parts

    private void Validate(RemoteCareFilingRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Actor)) throw new YibaoException(ErrorCatalog.MissingField("actor"));
        if (r.Destination.IsNational)
            throw new YibaoException(ErrorCatalog.InvalidField("destination", "a province, city or county code, not the whole country"));
        if (r.Destination == r.Region || (r.Region.IsCity && r.Destination.City == r.Region))
            throw new YibaoException(ErrorCatalog.InvalidField("destination", $"{r.Destination.Value} is inside the insured region {r.Region.Value}: care there is not remote"));
        // Six digits are not yet a place: a filing names a real province, city or county (GB/T 2260), or nobody can settle there.
        if (!RegionCodes.IsReal(r.Destination))
            throw new YibaoException(ErrorCatalog.UnknownDestination(r.Destination.Value));
        if (r.FiledOn > Today)
            throw new YibaoException(ErrorCatalog.InvalidField("filedOn", "a filing is made today or was made earlier, not ahead")
                .With("value", Dates.Format(r.FiledOn)).With("today", Dates.Format(Today)));
        // An emergency is filed afterwards (补办备案) [CONV]; every other filing covers days from its filing on.
        if (r.ValidFrom < r.FiledOn && r.Category != RemoteCareCategory.Emergency)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(r.FiledOn), Dates.Format(r.ValidFrom))
                .With("field", "validFrom").With("why", "only an emergency filing may cover days before it was filed"));
    }

    /// <summary>A filer is insured on the first day covered; only a retiree files as 异地安置退休 (A8).</summary>
    private static void CheckEligible(InsuredRecord record, RemoteCareFilingRequest r)
    {
        var status = record.History.StatusOn(r.ValidFrom);
        if (status is null || status.State is InsuredState.Deceased or InsuredState.Suspended)
            throw new YibaoException(ErrorCatalog.RemoteCareFilingNotEligible(r.Category.Code(),
                $"not insured in {r.Region.Value} on {Dates.Format(r.ValidFrom)}", $"{Dates.Format(r.ValidFrom)} 未在 {r.Region.Value} 正常参保"));
        if (r.Category == RemoteCareCategory.RetireeElsewhere && status.State != InsuredState.Retired)
            throw new YibaoException(ErrorCatalog.RemoteCareFilingNotEligible(r.Category.Code(),
                $"异地安置退休 is for retirees; the person is {status.State.Code()} on {Dates.Format(r.ValidFrom)}", $"异地安置退休备案仅限退休人员,{Dates.Format(r.ValidFrom)} 参保状态为 {status.State.Code()}"));
    }

    /// <summary>Whether a stored filing still covers some day of [from, to] (to null: open-ended).</summary>
    private static bool Overlaps(RemoteCareFilingRecord existing, DateOnly from, DateOnly? to)
    {
        var last = existing.LastDay;
        if (last is { } l && l < existing.ValidFrom) return false; // revoked before it began
        return (last is not { } end || from <= end) && (to is not { } newEnd || existing.ValidFrom <= newEnd);
    }

    /// <summary>The domain's choice (<see cref="RemoteCareSelection.InForce"/>) among the stored filings.</summary>
    private static RemoteCareFilingRecord? InForce(IReadOnlyList<RemoteCareFilingRecord> filings, DateOnly day)
    {
        var domain = filings.Select(f => f.Filing).ToList();
        var chosen = RemoteCareSelection.InForce(domain, day);
        return chosen is null ? null : filings[domain.FindIndex(f => ReferenceEquals(f, chosen))];
    }

    private static InsuredStatus StatusOn(InsuredRecord record, DateOnly day)
    {
        if (record.Scheme == InsuredScheme.Resident) return InsuredStatus.Employed; // residents have no status; the decision ignores it
        return record.History.StatusOn(day)?.State switch
        {
            InsuredState.Employed => InsuredStatus.Employed,
            InsuredState.Retired => InsuredStatus.Retired,
            InsuredState.FlexibleEmployed => InsuredStatus.Flexible,
            var other => throw new YibaoException(ErrorCatalog.InvalidField("admittedOn",
                    $"the person is {(other is { } s ? s.Code() : "not yet enrolled")} on {Dates.Format(day)}: no inpatient benefits to estimate")
                .With("value", Dates.Format(day))),
        };
    }

    private static async Task<RecordsStore.LoadedInsured> LockPersonAsync(DbSession s, RegionCode region, IdNumber idNumber, CancellationToken ct)
    {
        await using (var lockRow = s.Command("UPDATE insured SET status = status WHERE region_code = @r AND id_number = @n RETURNING id")
                         .With("r", region.Value).With("n", idNumber.Value))
        {
            if (await lockRow.ExecuteScalarAsync(ct).ConfigureAwait(false) is null or DBNull)
                throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber.Value));
        }
        return await RecordsStore.LoadInsuredAsync(s.Connection, s.Transaction, region, idNumber, ct).ConfigureAwait(false)
               ?? throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber.Value));
    }

    private static async Task<RemoteCareFilingRecord> ReadOneAsync(DbSession s, RegionCode region, IdNumber idNumber, long id, CancellationToken ct) =>
        (await ReadAsync(s.Connection, s.Transaction, "f.region_code = @r AND f.id_number = @n AND f.id = @id", ct,
            ("r", region.Value), ("n", idNumber.Value), ("id", id)).ConfigureAwait(false)).FirstOrDefault()
        ?? throw new YibaoException(ErrorCatalog.RemoteCareFilingNotFound(region.Value, id.ToString(CultureInfo.InvariantCulture)));

    private static async Task<IReadOnlyList<RemoteCareFilingRecord>> ReadAsync(DbConnection c, DbTransaction? tx, string where, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT f.id, f.region_code, f.id_number, f.category, f.destination_region, f.filed_on, f.valid_from, f.valid_to, " +
                          $"f.policy_version, f.revoked_on FROM remote_care_filing f WHERE {where} ORDER BY f.valid_from, f.id";
        foreach (var (name, value) in parameters) cmd.With(name, value);
        var list = new List<RemoteCareFilingRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            if (!RemoteCareCategories.TryParse(r.GetString(3), out var category)) throw new InvalidOperationException($"unknown stored category '{r.GetString(3)}'");
            list.Add(new RemoteCareFilingRecord(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), RegionCode.Parse(r.GetString(1)), r.GetString(2),
                category, RegionCode.Parse(r.GetString(4)), r.GetFieldValue<DateOnly>(5), r.GetFieldValue<DateOnly>(6),
                r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateOnly>(9)));
        }
        return list;
    }

}
