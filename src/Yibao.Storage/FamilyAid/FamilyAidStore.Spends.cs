using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using DMoney = Yibao.Domain.Money.Money;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.FamilyAid;

public sealed partial class FamilyAidStore
{
    /// <summary>
    /// A bound relative's spend from the owner's account (共济支付), in its own transaction — the
    /// hot path a settling institution waits on. On PostgreSQL it is two round trips: the facts in
    /// one batch (the binding row locked, the parties' records on the spend day, the owner's balance
    /// rows locked), then the spend row and its journal entry in one batch. A refusal writes
    /// nothing; a retry with the same key answers the first spend; a race lost to a concurrent
    /// first call of the key, or to a deadlock, runs again (<see cref="Transient"/>).
    /// </summary>
    public async Task<FamilyAidSpendOutcome> SpendAsync(FamilyAidSpendRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var hash = SpendHash(request);
        try
        {
            return await Transient.RunAsync(async () =>
            {
                await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
                var outcome = await SpendCoreAsync(s, request, hash, ct).ConfigureAwait(false);
                // A refusal or a replay wrote nothing; rolling back says so.
                if (outcome.Allowed && !outcome.Replayed)
                {
                    await s.CommitAsync(ct).ConfigureAwait(false);
                    _openCounters.TryAdd(CounterAccount(request.Purpose, outcome.Spend!.Region, outcome.CounterRegionDiffers).Value, true);
                }
                return outcome.Outcome;
            }, ct).ConfigureAwait(false);
        }
        catch (SpendKeyTakenException)
        {
            // The key was already there (the batch wrote under it anyway and rolled back): the stored spend answers.
            return await db.ReadAsync(async s => await ReplayAsync(s, request, hash, ct).ConfigureAwait(false)
                ?? throw new LedgerRaceException($"spend key {request.IdempotencyKey} taken but not visible"), ct).ConfigureAwait(false);
        }
    }

    /// <summary>The spend inside the caller's transaction (the settlement service and the stored cases use it); the caller commits.</summary>
    public async Task<FamilyAidSpendOutcome> SpendAsync(DbSession s, FamilyAidSpendRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        try
        {
            return (await SpendCoreAsync(s, request, SpendHash(request), ct).ConfigureAwait(false)).Outcome;
        }
        catch (SpendKeyTakenException e)
        {
            throw new LedgerRaceException(e.Message);
        }
    }

    /// <summary>Thrown when the batch found the spend's key taken: its writes must roll back, then the stored spend answers.</summary>
    private sealed class SpendKeyTakenException(string key) : Exception($"family-aid spend key {key} is already recorded");

    private sealed record SpendResult(FamilyAidSpendOutcome Outcome, bool CounterRegionDiffers)
    {
        public bool Allowed => Outcome.Allowed;
        public bool Replayed => Outcome.Replayed;
        public FamilyAidSpendRecord? Spend => Outcome.Spend;
    }

    /// <summary>Counter accounts known to be open (a region's own accounts are never closed): opened once, not on every spend.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _openCounters = new(StringComparer.Ordinal);

    /// <summary>
    /// Load the facts (locked), decide (<see cref="FamilyAidDecision.DecideSpend"/>: the account
    /// pays <c>min(amount, balance)</c>, K12), write the consequences. The binding row and then the
    /// owner's balance rows are locked, in that order for every spend, so concurrent spends on one
    /// account queue and none overdraws.
    /// </summary>
    private async Task<SpendResult> SpendCoreAsync(DbSession s, FamilyAidSpendRequest request, string hash, CancellationToken ct)
    {
        var facts = await ReadSpendFactsAsync(s, request, ct).ConfigureAwait(false);
        if (facts is null)
        {
            // No such binding: perhaps a retry whose binding was since… no — bindings are never deleted; it is unknown.
            throw new YibaoException(ErrorCatalog.FamilyAidBindingNotFound(request.Region.Value, request.BindingId.ToString(CultureInfo.InvariantCulture)));
        }
        var (binding, relativeInsuredOnRecord, dissolvedOn, balance) = facts.Value;
        if (balance is null) throw new YibaoException(ErrorCatalog.UnknownAccount(AccountCode.Personal(request.Region, binding.OwnerIdNumber).Value));
        if (balance.Status != AccountStatus.Open)
        {
            // A retry of a spend made before the account closed answers as it was.
            if (await ReplayAsync(s, request, hash, ct).ConfigureAwait(false) is { } earlier) return new SpendResult(earlier, false);
            throw new YibaoException(ErrorCatalog.AccountClosed(balance.Account.Value));
        }
        var relativeInsured = relativeInsuredOnRecord ?? request.RelativeInsured ?? binding.RelativeInsured;

        var ownerOnSpendOn = book.For(request.Region, request.SpendOn);
        var onBoundOn = FamilyAidPolicy.From(book.For(request.Region, binding.BoundOn));
        var ownerPolicy = FamilyAidPolicy.From(ownerOnSpendOn);
        var relativePolicy = Configured(binding.RelativeRegion) is { } relativeRegion ? FamilyAidPolicy.From(book.For(relativeRegion, request.SpendOn)) : null;
        var decided = binding.ForDecision(relativeInsured, dissolvedOn);
        var spend = new FamilyAidSpend(request.Purpose, request.Designated, request.SpendOn, request.Amount, balance.Total);
        // The hot path builds no text; a refusal is decided again with its reasons, for the answer.
        var answer = FamilyAidDecision.DecideSpend(decided, spend, onBoundOn, ownerPolicy, relativePolicy, Explanation.None);
        if (!answer.Allowed)
        {
            if (await ReplayAsync(s, request, hash, ct).ConfigureAwait(false) is { } earlier) return new SpendResult(earlier, false);
            var why = FamilyAidDecision.DecideSpend(decided, spend, onBoundOn, ownerPolicy, relativePolicy, Explanation.Build());
            return new SpendResult(new FamilyAidSpendOutcome(null, Replayed: false, why.ReasonCode, request.Amount, DMoney.Zero, request.Amount, balance.Total, why.Reasons), false);
        }

        var version = VersionOf(ownerOnSpendOn);
        var account = balance.Account;
        var entryKey = answer.AccountPays.IsPositive ? FamilyAidEntries.Key(request.Region, request.IdempotencyKey) : null;
        var crossRegion = binding.RelativeRegion != binding.Region;
        var counter = CounterAccount(request.Purpose, binding.Region, crossRegion);
        JournalEntryRequest? entry = null;
        if (entryKey is not null)
        {
            if (!_openCounters.ContainsKey(counter.Value)) await LedgerStore.OpenAccountAsync(s, counter, AccountCode.SystemOpeningDate, ct).ConfigureAwait(false);
            var lines = PersonalAccountDraw.Lines(account, balance.Segments.GetValueOrDefault(Segment.CurrentYear),
                balance.Segments.GetValueOrDefault(Segment.Historical), answer.AccountPays).ToList();
            lines.Add(new PostingLine(counter, Segment.Main, answer.AccountPays));
            entry = new JournalEntryRequest
            {
                IdempotencyKey = entryKey,
                Region = request.Region,
                ReasonCode = FamilyAidEntries.SpendReason,
                BusinessDate = request.SpendOn,
                Actor = request.Actor,
                PolicyVersion = version,
                Memo = Memo(binding, request),
                Postings = lines,
            };
        }

        var recordedAt = clock.GetUtcNow();
        long id;
        if (s.Engine == Engine.Postgres)
        {
            var batch = s.Connection.CreateBatch();
            await using var _ = batch;
            batch.Transaction = s.Transaction;
            var insert = batch.CreateBatchCommand();
            FillSpendInsert(insert.Parameters, p => insert.Parameters.Add(p), insert.CreateParameter, request, binding.Id, hash, answer, entryKey, version, s.Engine, recordedAt);
            insert.CommandText = SpendInsertSql;
            batch.BatchCommands.Add(insert);
            var posted = entry is null ? null : ledger.AddNewEntry(s, batch, entry);
            long? inserted = null;
            await using (var r = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false)) inserted = r.GetInt64(0);
                if (posted is not null && await r.NextResultAsync(ct).ConfigureAwait(false)) await posted.ReadAsync(r, ct).ConfigureAwait(false);
                while (await r.NextResultAsync(ct).ConfigureAwait(false)) { }
            }
            if (inserted is null)
            {
                s.Doom($"spend key {request.IdempotencyKey} taken");
                throw new SpendKeyTakenException(request.IdempotencyKey);
            }
            if (posted is not null) await posted.CheckAsync(s, ct).ConfigureAwait(false);
            id = inserted.Value;
        }
        else
        {
            await using (var insert = s.Command(SpendInsertSql))
            {
                FillSpendInsert(insert.Parameters, p => insert.Parameters.Add(p), insert.CreateParameter, request, binding.Id, hash, answer, entryKey, version, s.Engine, recordedAt);
                if (await insert.ExecuteScalarAsync(ct).ConfigureAwait(false) is not { } value || value is DBNull)
                {
                    // Nothing written yet: the stored spend under the key answers (or the key is reused).
                    return new SpendResult(await ReplayAsync(s, request, hash, ct).ConfigureAwait(false)
                                           ?? throw new InvalidOperationException("family-aid key conflict without a visible spend"), false);
                }
                id = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }
            if (entry is not null) await ledger.PostNewAsync(s, entry, ct).ConfigureAwait(false);
        }

        var stored = new FamilyAidSpendRecord(id, request.Region, binding.Id, request.IdempotencyKey, request.Purpose, request.InstitutionCode, request.InstitutionName,
            request.Designated, request.SpendOn, request.Amount, answer.AccountPays, answer.CashPays, answer.OwnerBalanceAfter, entryKey, version,
            binding.OwnerIdNumber, binding.RelativeIdNumber, binding.RelativeName, binding.Relation);
        return new SpendResult(new FamilyAidSpendOutcome(stored, Replayed: false, null, request.Amount, answer.AccountPays, answer.CashPays, answer.OwnerBalanceAfter, []), crossRegion);
    }

    private const string SpendInsertSql =
        "INSERT INTO family_aid_spend (region_code, binding_id, idempotency_key, content_hash, purpose, institution_code, institution_name, " +
        "designated, spend_on, amount, account_pays, cash_pays, owner_balance_after, entry_key, policy_version, actor, recorded_at) " +
        "VALUES (@r, @b, @k, @h, @p, @ic, @in, @d, @on, @amount, @pays, @cash, @after, @entry, @pv, @actor, @at) " +
        "ON CONFLICT (region_code, idempotency_key) DO NOTHING RETURNING id";

    private static void FillSpendInsert(DbParameterCollection _, Action<DbParameter> add, Func<DbParameter> create, FamilyAidSpendRequest request, long bindingId,
        string hash, FamilyAidSpendAnswer answer, string? entryKey, string version, Engine engine, DateTimeOffset at)
    {
        void P(string name, object? value)
        {
            var p = create();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            add(p);
        }
        P("r", request.Region.Value); P("b", bindingId); P("k", request.IdempotencyKey); P("h", hash);
        P("p", FamilyAidNames.Code(request.Purpose)); P("ic", request.InstitutionCode); P("in", request.InstitutionName);
        P("d", request.Designated ? 1 : 0); P("on", request.SpendOn); P("amount", request.Amount.Fen);
        P("pays", answer.AccountPays.Fen); P("cash", answer.CashPays.Fen); P("after", answer.OwnerBalanceAfter.Fen);
        P("entry", entryKey); P("pv", version); P("actor", request.Actor); P("at", Timestamp(engine, at));
    }

    /// <summary>
    /// The facts of a spend, read in the transaction in one batch on PostgreSQL: the binding (its
    /// row locked) with the owner's recorded death, the relative's status on the spend day and
    /// death when the relative is of the owner's region, and the owner's balance rows (locked).
    /// Null when the binding does not exist.
    /// </summary>
    private static async Task<(FamilyAidBindingRecord Binding, bool? RelativeInsured, DateOnly? DissolvedOn, AccountBalance? Balance)?> ReadSpendFactsAsync(
        DbSession s, FamilyAidSpendRequest request, CancellationToken ct)
    {
        const string Facts =
            ", o.death_date, r.id, r.death_date, " +
            "COALESCE((SELECT st.status FROM insured_status st WHERE st.insured_id = r.id AND st.effective_on <= @day ORDER BY st.effective_on DESC, st.id DESC LIMIT 1), " +
            "CASE WHEN r.enrolled_on <= @day AND NOT EXISTS (SELECT 1 FROM insured_status s2 WHERE s2.insured_id = r.id) THEN r.status END)";
        var bindingSql = BindingSelect.Replace(" FROM family_aid_binding b", Facts + " FROM family_aid_binding b", StringComparison.Ordinal) +
                         " LEFT JOIN insured r ON b.relative_region = b.region_code AND r.region_code = b.region_code AND r.id_number = b.relative_id_number" +
                         " WHERE b.region_code = @r AND b.id = @b" + s.ForUpdate("b");
        var balanceSql = "SELECT a.code, a.status, bal.segment, bal.balance FROM ledger_account a JOIN account_balance bal ON bal.account_id = a.id " +
                         "WHERE a.code = (SELECT @prefix || owner_id_number FROM family_aid_binding WHERE region_code = @r AND id = @b) ORDER BY bal.segment, bal.shard" +
                         s.ForUpdate("bal");
        var prefix = $"{request.Region.Value}:personal:";

        FamilyAidBindingRecord? binding = null;
        bool? relativeInsured = null;
        DateOnly? ownerDied = null, relativeDied = null;
        async Task ReadBindingRow(DbDataReader r)
        {
            if (!await r.ReadAsync(ct).ConfigureAwait(false)) return;
            binding = ReadBinding(r);
            ownerDied = r.IsDBNull(22) ? null : DateOf(r.GetValue(22));
            if (!r.IsDBNull(23))
            {
                relativeDied = r.IsDBNull(24) ? null : DateOf(r.GetValue(24));
                relativeInsured = !r.IsDBNull(25) && r.GetString(25) is not ("suspended" or "deceased");
            }
            else if (binding.RelativeRegion == binding.Region)
            {
                relativeInsured = false;
            }
        }
        var segments = new Dictionary<Segment, DMoney>();
        string? code = null, status = null;
        async Task ReadBalanceRows(DbDataReader r)
        {
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                code = r.GetString(0);
                status = r.GetString(1);
                LedgerNames.TryParseSegment(r.GetString(2), out var segment);
                segments[segment] = segments.GetValueOrDefault(segment) + DMoney.FromFen(Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture));
            }
        }

        if (s.Engine == Engine.Postgres)
        {
            var batch = s.Connection.CreateBatch();
            await using var _ = batch;
            batch.Transaction = s.Transaction;
            var first = batch.CreateBatchCommand();
            first.CommandText = bindingSql;
            Param(first, "r", request.Region.Value); Param(first, "b", request.BindingId); Param(first, "day", request.SpendOn);
            var second = batch.CreateBatchCommand();
            second.CommandText = balanceSql;
            Param(second, "r", request.Region.Value); Param(second, "b", request.BindingId); Param(second, "prefix", prefix);
            batch.BatchCommands.Add(first);
            batch.BatchCommands.Add(second);
            await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await ReadBindingRow(reader).ConfigureAwait(false);
            await reader.NextResultAsync(ct).ConfigureAwait(false);
            await ReadBalanceRows(reader).ConfigureAwait(false);
        }
        else
        {
            await using (var cmd = s.Command(bindingSql).With("r", request.Region.Value).With("b", request.BindingId).With("day", request.SpendOn))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                await ReadBindingRow(r).ConfigureAwait(false);
            await using (var cmd = s.Command(balanceSql).With("r", request.Region.Value).With("b", request.BindingId).With("prefix", prefix))
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                await ReadBalanceRows(r).ConfigureAwait(false);
        }
        if (binding is null) return null;
        var balance = code is null ? null
            : new AccountBalance(AccountCode.Parse(code), AccountKind.Personal, request.Region, binding.OwnerIdNumber,
                status == "open" ? AccountStatus.Open : AccountStatus.Closed, segments);
        return (binding, relativeInsured, FamilyAidDissolution.DissolvedOn(ownerDied, relativeDied), balance);
    }

    private static void Param(DbBatchCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    /// <summary>
    /// The spends a person can see, by day: those from their account (as owner) and those made for
    /// them (as relative), or only those of one binding they are a party to.
    /// </summary>
    public async Task<IReadOnlyList<FamilyAidSpendRecord>> ListSpendsAsync(RegionCode region, IdNumber person, long? bindingId = null, CancellationToken ct = default)
    {
        if (bindingId is { } id)
        {
            _ = await GetBindingAsync(region, person, id, ct).ConfigureAwait(false);
            await using var c1 = await db.ConnectAsync(ct).ConfigureAwait(false);
            return await ReadSpendsAsync(c1, null, "s.binding_id = @b", ct, ("b", id)).ConfigureAwait(false);
        }
        var bindings = await ListBindingsAsync(region, person, ct).ConfigureAwait(false);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return await ReadSpendsAsync(c, null,
            "((b.region_code = @r AND b.owner_id_number = @n) OR (b.relative_region = @r AND b.relative_id_number = @n))", ct,
            ("r", bindings.Region.Value), ("n", person.Value)).ConfigureAwait(false);
    }

    /// <summary>A stored spend by its caller's key, or null.</summary>
    public async Task<FamilyAidSpendRecord?> GetSpendAsync(RegionCode region, string idempotencyKey, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        return (await ReadSpendsAsync(c, null, "s.region_code = @r AND s.idempotency_key = @k", ct, ("r", region.Value), ("k", idempotencyKey)).ConfigureAwait(false))
            .FirstOrDefault();
    }

    // ---------------------------------------------------------------- the parts

    private void Validate(FamilyAidSpendRequest r)
    {
        if (string.IsNullOrWhiteSpace(r.Actor)) throw new YibaoException(ErrorCatalog.MissingField("actor"));
        if (string.IsNullOrWhiteSpace(r.IdempotencyKey)) throw new YibaoException(ErrorCatalog.MissingField("idempotencyKey"));
        if (r.IdempotencyKey.Length > 100 || r.IdempotencyKey.Any(char.IsWhiteSpace))
            throw new YibaoException(ErrorCatalog.InvalidField("idempotencyKey", "at most 100 characters, no spaces"));
        if (!r.Amount.IsPositive) throw new YibaoException(ErrorCatalog.AmountNotPositive(r.Amount.ToPlainString()));
        if (r.Amount.Fen > LedgerStore.MaxPostingFen) throw new YibaoException(ErrorCatalog.AmountOutOfRange(r.Amount.ToPlainString()));
        if (r.Purpose is FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy && string.IsNullOrWhiteSpace(r.InstitutionCode))
            throw new YibaoException(ErrorCatalog.MissingField("institutionCode").With("because", "purpose"));
        if (r.InstitutionCode is { Length: > 50 }) throw new YibaoException(ErrorCatalog.InvalidField("institutionCode", "at most 50 characters"));
        if (r.InstitutionName is { Length: > 200 }) throw new YibaoException(ErrorCatalog.InvalidField("institutionName", "at most 200 characters"));
        // A settlement is real time: the visit or the payment has happened.
        if (r.SpendOn > Today)
            throw new YibaoException(ErrorCatalog.InvalidField("spendOn", "a spend is settled on or after its day, not ahead")
                .With("value", Dates.Format(r.SpendOn)).With("today", Dates.Format(Today)));
    }

    /// <summary>
    /// Where the owner's money goes. Medical and pharmacy: what the region owes the designated
    /// institution (医疗机构结算). Premiums of a relative insured in the owner's region: the region's
    /// resident fund or long-term-care fund; of a relative elsewhere: inter-region clearing, since the
    /// premium belongs to the relative's region and an entry never spans two regions (DESIGN: Scale).
    /// </summary>
    private static AccountCode CounterAccount(FamilyAidPurpose purpose, RegionCode region, bool relativeElsewhere) => purpose switch
    {
        FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy => AccountCode.Of(region, AccountKind.InstitutionSettlement),
        _ when relativeElsewhere => AccountCode.Of(region, AccountKind.InterRegionClearing),
        FamilyAidPurpose.ResidentPremium => AccountCode.Of(region, AccountKind.ResidentFund),
        FamilyAidPurpose.LtcPremium => AccountCode.Of(region, AccountKind.LongTermCareFund),
        _ => throw new InvalidOperationException($"no account pays for {FamilyAidNames.Code(purpose)}"),
    };

    /// <summary>What the owner's statement shows: who spent (relation, name, masked ID number), for what, where, under which binding.</summary>
    private static string Memo(FamilyAidBindingRecord b, FamilyAidSpendRequest r)
    {
        var where = r.InstitutionName ?? r.InstitutionCode;
        var masked = b.RelativeIdNumber[..6] + "********" + b.RelativeIdNumber[^4..];
        return $"家庭共济 #{b.Id}: {FamilyAidNames.Zh(b.Relation)} {b.RelativeName} ({masked}) {FamilyAidNames.Zh(r.Purpose)}" + (where is null ? "" : $" @ {where}") +
               $" / family aid #{b.Id}: {FamilyAidNames.Code(b.Relation)} {FamilyAidNames.Code(r.Purpose)}" + (r.InstitutionCode is null ? "" : $" at {r.InstitutionCode}");
    }

    /// <summary>The relative's region's own pack, or its city's or province's; null when Yibao knows none of them.</summary>
    private RegionCode? Configured(RegionCode region)
    {
        foreach (var r in (RegionCode[])[region, region.City, region.Province])
        {
            if (book.Has(r)) return r;
        }
        return null;
    }

    /// <summary>A retry is the same spend: binding, purpose, day, amount, institution and what was said of the relative.</summary>
    private static string SpendHash(FamilyAidSpendRequest r)
    {
        var text = string.Join("|", r.Region.Value, r.BindingId.ToString(CultureInfo.InvariantCulture), FamilyAidNames.Code(r.Purpose), Dates.Format(r.SpendOn),
            r.Amount.Fen.ToString(CultureInfo.InvariantCulture), r.InstitutionCode ?? "", r.Designated ? "1" : "0",
            r.RelativeInsured is { } insured ? (insured ? "1" : "0") : "");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static async Task<FamilyAidSpendOutcome?> ReplayAsync(DbSession s, FamilyAidSpendRequest request, string hash, CancellationToken ct)
    {
        var found = await ReadSpendsAsync(s.Connection, s.Transaction, "s.region_code = @r AND s.idempotency_key = @k", ct,
            ("r", request.Region.Value), ("k", request.IdempotencyKey)).ConfigureAwait(false);
        if (found.Count == 0) return null;
        await using (var cmd = s.Command("SELECT content_hash FROM family_aid_spend WHERE id = @id").With("id", found[0].Id))
        {
            if (!string.Equals((string?)await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), hash, StringComparison.Ordinal))
                throw new YibaoException(ErrorCatalog.IdempotencyKeyReused(request.IdempotencyKey));
        }
        var spend = found[0];
        return new FamilyAidSpendOutcome(spend, Replayed: true, null, spend.Amount, spend.AccountPays, spend.CashPays, spend.OwnerBalanceAfter, []);
    }

    private static async Task<IReadOnlyList<FamilyAidSpendRecord>> ReadSpendsAsync(DbConnection c, DbTransaction? tx, string where, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            "SELECT s.id, s.region_code, s.binding_id, s.idempotency_key, s.purpose, s.institution_code, s.institution_name, s.designated, s.spend_on, " +
            "s.amount, s.account_pays, s.cash_pays, s.owner_balance_after, s.entry_key, s.policy_version, b.owner_id_number, b.relative_id_number, " +
            "b.relative_name, b.relation FROM family_aid_spend s JOIN family_aid_binding b ON b.id = s.binding_id " +
            $"WHERE {where} ORDER BY s.spend_on, s.id";
        foreach (var (name, value) in parameters) cmd.With(name, value);
        var list = new List<FamilyAidSpendRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new FamilyAidSpendRecord(
                Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), RegionCode.Parse(r.GetString(1)), Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture),
                r.GetString(3), Stored<FamilyAidPurpose>(r.GetString(4)), r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6),
                Flag(r, 7), r.GetFieldValue<DateOnly>(8), Fen(r, 9), Fen(r, 10), Fen(r, 11), Fen(r, 12), r.IsDBNull(13) ? null : r.GetString(13),
                r.GetString(14), r.GetString(15), r.GetString(16), r.GetString(17), Stored<FamilyRelation>(r.GetString(18))));
        }
        return list;
    }

}
