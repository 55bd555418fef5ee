using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.FamilyAid;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Cli.Cases;

/// <summary>
/// A <c>family-aid</c> case played through storage, on the fresh database of <see cref="StoredCases"/>:
/// the owner enrolled (employee scheme) with <c>ownerBalance</c> in the account, paid in from the
/// pooled fund; the relative enrolled when the input says they are insured in the owner's region;
/// the binding made through <see cref="FamilyAidStore"/> on <c>boundOn</c>; the spend, if any, sent
/// through it — and sent again, which must be a replay. The answer is read back from what was stored:
/// <c>bindingAllowed</c> from the owner's stored bindings, <c>allowed</c> from the stored spend,
/// <c>accountPays</c> from its journal entry, <c>cashPays</c> from the spend row, <c>ownerBalanceAfter</c>
/// from the ledger. The store's clock stands on the case's <c>date</c> (K16: the day the question is asked).
/// </summary>
internal sealed class StoredFamilyAidCases(PolicyBook book)
{
    public async Task<JsonObject> PlayAsync(YibaoDatabase db, AcceptanceCase c, List<CaseMismatch> problems, CancellationToken ct)
    {
        var input = new CaseInput(c.Input);
        foreach (var field in (string[])["ownerLeftRegionOn", "relativeLeftRegionOn"])
        {
            if (input.Has(field))
                throw new YibaoException(ErrorCatalog.InvalidField(field, "the stored mode records no transfer out of the region yet; run this case without --stored"));
        }
        var relation = FamilyAidNames.Parse<FamilyRelation>(input.StringOrNull("relation"), "relation");
        var purpose = input.Has("purpose") ? FamilyAidNames.Parse<FamilyAidPurpose>(input.String("purpose"), "purpose") : (FamilyAidPurpose?)null;
        var relativeRegion = input.StringOrNull("relativeRegion") is { } rr ? RegionCode.Parse(rr) : c.Region;
        // As the pure case reads it: required for medical costs, false when absent otherwise.
        var relativeInsured = purpose is FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy ? input.Bool("relativeInsured") : input.Bool("relativeInsured", false);
        var ownerBalance = input.MoneyOrNull("ownerBalance") ?? DMoney.Zero;
        if (ownerBalance.IsNegative) throw new YibaoException(ErrorCatalog.InvalidField("ownerBalance", "a balance is never below zero"));
        var boundOn = input.Date("boundOn");

        var clock = new DayClock(c.Date);
        var ledger = new LedgerStore(db, clock);
        var records = new RecordsStore(db, clock);
        var store = new FamilyAidStore(db, ledger, book, clock);
        await records.EnsureRegionAsync(c.Region, book.Has(c.Region) ? book.Pack(c.Region).Name : c.Region.Value, new DateOnly(1990, 1, 1), ct).ConfigureAwait(false);

        var owner = IdNumber.Create(c.Region, new DateOnly(1975, 3, 2), 1);
        await EnrolAsync(records, c.Region, owner, $"案例共济人 {c.Id}", InsuredScheme.Employee, ct).ConfigureAwait(false);
        var account = AccountCode.Personal(c.Region, owner.Value);
        await StoredCases.OpeningBalanceAsync(ledger, account, ownerBalance, ct).ConfigureAwait(false);

        var relative = IdNumber.Create(relativeRegion, BirthDate(relation), 2);
        var relativeName = $"案例亲属 {c.Id}";
        if (relativeInsured && relativeRegion == c.Region)
            await EnrolAsync(records, c.Region, relative, relativeName, InsuredScheme.Resident, ct).ConfigureAwait(false);

        var binding = await store.BindRelativeAsync(new FamilyAidBindingRequest(
            c.Region, owner, relative, relativeName, relativeRegion, relativeRegion == c.Region ? null : relativeInsured, relation,
            input.Bool("raisingProof", false), RelationProof.PersonalCommitment, null, boundOn, input.Date("windowStart"), input.Date("windowEnd"),
            new FamilyAidConsent(FamilyAidParty.Relative, ConsentMethod.Online, boundOn), StoredCases.Actor), ct).ConfigureAwait(false);
        var stored = (await store.ListBindingsAsync(c.Region, owner, ct).ConfigureAwait(false)).AsOwner;
        if (stored.Count != (binding.Allowed ? 1 : 0))
            problems.Add(new CaseMismatch("stored.bindings", binding.Allowed ? "1" : "0", stored.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var answer = new JsonObject { ["bindingAllowed"] = stored.Count == 1 };
        if (purpose is not { } p)
        {
            if (binding.ReasonCode is { } bindingCode) answer["reasonCode"] = bindingCode.Value;
            return answer;
        }

        var amount = DMoney.ParsePositive(input.String("amount"));
        var key = $"case-{c.Id}";
        var reasonCode = binding.ReasonCode?.Value;
        if (stored.Count == 1)
        {
            var medical = p is FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy;
            var request = new FamilyAidSpendRequest(c.Region, stored[0].Id, key, p, input.Date("spendOn"), amount,
                medical ? "P" + c.Region.Value + "00001" : null, medical ? "案例定点机构" : null,
                medical ? input.Bool("designated") : input.Bool("designated", false), null, StoredCases.Actor);
            var first = await store.SpendAsync(request, ct).ConfigureAwait(false);
            var retry = await store.SpendAsync(request, ct).ConfigureAwait(false);
            if (first.Allowed && !retry.Replayed) problems.Add(new CaseMismatch("stored.retry", "replayed", "posted again"));
            reasonCode = first.ReasonCode?.Value;
        }

        var spend = await store.GetSpendAsync(c.Region, key, ct).ConfigureAwait(false);
        var accountPays = DMoney.Zero;
        if (spend?.EntryKey is { } entryKey)
        {
            var entry = await ledger.GetEntryByKeyAsync(entryKey, ct).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"no journal entry under {entryKey}");
            accountPays = -DMoney.Sum(entry.Postings.Where(l => l.Account == account).Select(l => l.Amount));
            var counter = entry.Postings.Single(l => l.Account != account).Account;
            StoredCases.Check(problems, "ledger.counterAccount", accountPays, await StoredCases.BalanceAsync(ledger, counter, ct).ConfigureAwait(false));
        }
        var balanceAfter = await StoredCases.BalanceAsync(ledger, account, ct).ConfigureAwait(false);
        var cashPays = spend?.CashPays ?? amount;
        StoredCases.Check(problems, "ledger.ownerBalance", ownerBalance - accountPays, balanceAfter);
        if (spend is not null)
        {
            StoredCases.Check(problems, "stored.accountPays", spend.AccountPays, accountPays);
            StoredCases.Check(problems, "stored.ownerBalanceAfter", spend.OwnerBalanceAfter, balanceAfter);
        }

        answer["allowed"] = spend is not null;
        answer["accountPays"] = accountPays.ToPlainString();
        answer["cashPays"] = cashPays.ToPlainString();
        answer["ownerBalanceAfter"] = balanceAfter.ToPlainString();
        if (reasonCode is not null) answer["reasonCode"] = reasonCode;
        return answer;
    }

    /// <summary>Enrolled long before any case's dates (or at birth), without an employer: the scheme is what matters here.</summary>
    private static Task EnrolAsync(RecordsStore records, RegionCode region, IdNumber id, string name, InsuredScheme scheme, CancellationToken ct)
    {
        var enrolledOn = id.BirthDate > new DateOnly(2000, 1, 1) ? id.BirthDate : new DateOnly(2000, 1, 1);
        return records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(region, id, name, scheme, InsuredState.FlexibleEmployed, null, null,
            enrolledOn, null, "CHN")), ct);
    }

    /// <summary>A plausible birth date for the relation (the owner was born in 1975).</summary>
    private static DateOnly BirthDate(FamilyRelation relation) => relation switch
    {
        FamilyRelation.Parent or FamilyRelation.Stepparent or FamilyRelation.AdoptiveParent or FamilyRelation.ParentInLaw or FamilyRelation.UncleAunt => new DateOnly(1950, 6, 1),
        FamilyRelation.Grandparent => new DateOnly(1930, 6, 1),
        FamilyRelation.Child or FamilyRelation.Stepchild or FamilyRelation.AdoptedChild or FamilyRelation.NieceNephew => new DateOnly(2002, 6, 1),
        FamilyRelation.Grandchild => new DateOnly(2022, 6, 1),
        _ => new DateOnly(1977, 6, 1),
    };
}
