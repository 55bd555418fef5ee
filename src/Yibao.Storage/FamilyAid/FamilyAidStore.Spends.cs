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
    /// A bound relative's spend from the owner's account (共济支付), in its own transaction. Retried
    /// a few times when PostgreSQL picks this transaction as a deadlock victim or a concurrent first
    /// call of the same key committed meanwhile (the next attempt answers it as a replay).
    /// </summary>
    public async Task<FamilyAidSpendOutcome> SpendAsync(FamilyAidSpendRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Transient.RunAsync(async () =>
        {
            await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
            var outcome = await SpendAsync(s, request, ct).ConfigureAwait(false);
            // A refusal or a replay wrote nothing; rolling back says so.
            if (outcome.Allowed && !outcome.Replayed) await s.CommitAsync(ct).ConfigureAwait(false);
            return outcome;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The spend inside the caller's transaction. The binding row and the owner's balance rows are
    /// locked first, so the balance the decision sees (<see cref="FamilyAidDecision.DecideSpend"/>,
    /// the account pays <c>min(amount, balance)</c>, K12) is the one the entry draws from: concurrent
    /// spends on one account queue and none overdraws. Allowed: the spend row and its journal entry
    /// (the owner's account, 当年 first, against the counter-account of the purpose). Refused: nothing
    /// is written and the outcome says why.
    /// </summary>
    public async Task<FamilyAidSpendOutcome> SpendAsync(DbSession s, FamilyAidSpendRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        var hash = SpendHash(request);
        if (await ReplayAsync(s, request, hash, ct).ConfigureAwait(false) is { } replay) return replay;

        var binding = await ReadBindingAsync(s, request.Region, request.BindingId, forUpdate: true, ct).ConfigureAwait(false);
        var (recordedInsured, dissolvedOn) = await PartiesAsync(s.Connection, s.Transaction, binding, request.SpendOn, ct).ConfigureAwait(false);
        var relativeInsured = recordedInsured ?? request.RelativeInsured ?? binding.RelativeInsured;
        var account = AccountCode.Personal(request.Region, binding.OwnerIdNumber);
        var balance = await LedgerStore.GetBalanceForUpdateAsync(s, account, ct).ConfigureAwait(false)
                      ?? throw new YibaoException(ErrorCatalog.UnknownAccount(account.Value));
        if (balance.Status != AccountStatus.Open) throw new YibaoException(ErrorCatalog.AccountClosed(account.Value));

        var ownerOnSpendOn = book.For(request.Region, request.SpendOn);
        var why = Explanation.Build();
        var answer = FamilyAidDecision.DecideSpend(
            binding.ForDecision(relativeInsured, dissolvedOn),
            new FamilyAidSpend(request.Purpose, request.Designated, request.SpendOn, request.Amount, balance.Total),
            FamilyAidPolicy.From(book.For(request.Region, binding.BoundOn)),
            FamilyAidPolicy.From(ownerOnSpendOn),
            Configured(binding.RelativeRegion) is { } relativeRegion ? FamilyAidPolicy.From(book.For(relativeRegion, request.SpendOn)) : null,
            why);
        if (!answer.Allowed)
            return new FamilyAidSpendOutcome(null, Replayed: false, answer.ReasonCode, request.Amount, DMoney.Zero, request.Amount, balance.Total, answer.Reasons);

        var version = VersionOf(ownerOnSpendOn);
        var entryKey = answer.AccountPays.IsPositive ? FamilyAidEntries.Key(request.Region, request.IdempotencyKey) : null;
        await using (var insert = s.Command(
                         "INSERT INTO family_aid_spend (region_code, binding_id, idempotency_key, content_hash, purpose, institution_code, institution_name, " +
                         "designated, spend_on, amount, account_pays, cash_pays, owner_balance_after, entry_key, policy_version, actor, recorded_at) " +
                         "VALUES (@r, @b, @k, @h, @p, @ic, @in, @d, @on, @amount, @pays, @cash, @after, @entry, @pv, @actor, @at) " +
                         "ON CONFLICT (region_code, idempotency_key) DO NOTHING RETURNING id")
                     .With("r", request.Region.Value).With("b", binding.Id).With("k", request.IdempotencyKey).With("h", hash)
                     .With("p", FamilyAidNames.Code(request.Purpose)).With("ic", request.InstitutionCode).With("in", request.InstitutionName)
                     .With("d", request.Designated ? 1 : 0).With("on", request.SpendOn).With("amount", request.Amount.Fen)
                     .With("pays", answer.AccountPays.Fen).With("cash", answer.CashPays.Fen).With("after", answer.OwnerBalanceAfter.Fen)
                     .With("entry", entryKey).With("pv", version).With("actor", request.Actor).With("at", Timestamp(s.Engine, clock.GetUtcNow())))
        {
            if (await insert.ExecuteScalarAsync(ct).ConfigureAwait(false) is null or DBNull)
            {
                // PostgreSQL waited for a concurrent first call of this key, which committed.
                return await ReplayAsync(s, request, hash, ct).ConfigureAwait(false)
                       ?? throw new InvalidOperationException("family-aid key conflict without a visible spend");
            }
        }

        if (entryKey is not null)
        {
            var counter = CounterAccount(request.Purpose, binding);
            await LedgerStore.OpenAccountAsync(s, counter, request.SpendOn, ct).ConfigureAwait(false);
            var lines = PersonalAccountDraw.Lines(account, balance.Segments.GetValueOrDefault(Segment.CurrentYear),
                balance.Segments.GetValueOrDefault(Segment.Historical), answer.AccountPays).ToList();
            lines.Add(new PostingLine(counter, Segment.Main, answer.AccountPays));
            await ledger.PostNewAsync(s, new JournalEntryRequest
            {
                IdempotencyKey = entryKey,
                Region = request.Region,
                ReasonCode = FamilyAidEntries.SpendReason,
                BusinessDate = request.SpendOn,
                Actor = request.Actor,
                PolicyVersion = version,
                Memo = Memo(binding, request),
                Postings = lines,
            }, ct).ConfigureAwait(false);
        }

        var stored = await ReadSpendsAsync(s.Connection, s.Transaction, "s.region_code = @r AND s.idempotency_key = @k", ct,
            ("r", request.Region.Value), ("k", request.IdempotencyKey)).ConfigureAwait(false);
        return new FamilyAidSpendOutcome(stored[0], Replayed: false, null, request.Amount, answer.AccountPays, answer.CashPays, answer.OwnerBalanceAfter, answer.Reasons);
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
    private static AccountCode CounterAccount(FamilyAidPurpose purpose, FamilyAidBindingRecord b) => purpose switch
    {
        FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy => AccountCode.Of(b.Region, AccountKind.InstitutionSettlement),
        _ when b.RelativeRegion != b.Region => AccountCode.Of(b.Region, AccountKind.InterRegionClearing),
        FamilyAidPurpose.ResidentPremium => AccountCode.Of(b.Region, AccountKind.ResidentFund),
        FamilyAidPurpose.LtcPremium => AccountCode.Of(b.Region, AccountKind.LongTermCareFund),
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
