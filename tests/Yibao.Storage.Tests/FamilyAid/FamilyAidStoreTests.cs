using System.Data.Common;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.FamilyAid;
using Yibao.Storage.Ledger;
using static Yibao.Storage.Tests.FamilyAid.FamilyAidFixtures;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.FamilyAid;

/// <summary>家庭共济 through storage on each engine (policy-reference A3, K12, D-G); every test ends with the ledger checker.</summary>
public abstract class FamilyAidStoreTests(Engine engine)
{
    private async Task<TestDatabase> NewDb(string currentYear = "1000.00", string historical = "2000.00")
    {
        var t = await TestDatabase.CreateAsync(engine);
        await SeedAsync(t.Db, currentYear, historical);
        return t;
    }

    private static Money Yuan(string s) => Money.Parse(s);

    private static async Task<FamilyAidBindingRecord> BindAsync(YibaoDatabase db, FamilyAidBindingRequest? request = null)
    {
        var outcome = await Store(db).BindRelativeAsync(request ?? SpouseBinding());
        Assert.True(outcome.Allowed, outcome.ReasonCode?.Value);
        return outcome.Binding!;
    }

    // ---------------------------------------------------------------- binding

    [Fact]
    public async Task Binding_the_spouse_stores_the_window_the_proof_and_who_consented_how_and_when()
    {
        await using var t = await NewDb();
        var outcome = await Store(t.Db).BindRelativeAsync(SpouseBinding() with { ProofReference = "J990100-2010-000123" });

        Assert.True(outcome.Created);
        var b = outcome.Binding!;
        Assert.Equal((Owner.Value, "王共济", Spouse.Value, "李配偶"), (b.OwnerIdNumber, b.OwnerName, b.RelativeIdNumber, b.RelativeName));
        Assert.Equal(FamilyRelation.Spouse, b.Relation);
        Assert.True(b.RelativeInsured); // on record in 990100
        Assert.Equal((new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1), new DateOnly(2026, 2, 28)), (b.BoundOn, b.WindowStart, b.WindowEnd));
        Assert.Equal((RelationProof.HouseholdRegister, "J990100-2010-000123"), (b.Proof, b.ProofReference));
        Assert.Equal((FamilyAidParty.Relative, Spouse.Value, ConsentMethod.Online, new DateOnly(2025, 3, 1)), (b.ConsentBy, b.ConsentIdNumber, b.ConsentMethod, b.ConsentOn));
        Assert.StartsWith("990100@", b.PolicyVersion, StringComparison.Ordinal);
        Assert.NotEmpty(outcome.Reasons);
        Assert.Null(b.RevokedOn);
    }

    [Fact]
    public async Task The_owners_authorisation_is_recorded_as_the_owners_consent()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db, Binding(Grandson, "张外孙", FamilyRelation.Grandchild, boundOn: "2025-11-20", windowEnd: "2026-11-19",
            consentBy: FamilyAidParty.Owner) with { Consent = new FamilyAidConsent(FamilyAidParty.Owner, ConsentMethod.Written, new DateOnly(2025, 11, 18)) });
        Assert.Equal((FamilyAidParty.Owner, Owner.Value, ConsentMethod.Written, new DateOnly(2025, 11, 18)), (b.ConsentBy, b.ConsentIdNumber, b.ConsentMethod, b.ConsentOn));
        Assert.False(b.RelativeInsured); // not on record: WE-44
    }

    [Theory]
    [InlineData(FamilyRelation.ParentInLaw, false, "2025-03-01", "relation-not-near-relative")]   // WE-42
    [InlineData(FamilyRelation.Cousin, false, "2025-03-01", "relation-not-near-relative")]        // WE-42b
    [InlineData(FamilyRelation.Stepparent, false, "2025-03-01", "raising-proof-missing")]        // WE-42c without proof
    [InlineData(FamilyRelation.Sibling, false, "2024-09-20", "relation-not-yet-allowed")]         // WE-43a
    public async Task A_binding_the_policy_refuses_writes_nothing_and_says_why(FamilyRelation relation, bool raisingProof, string boundOn, string code)
    {
        await using var t = await NewDb();
        var before = await CountsAsync(t.Db);
        var outcome = await Store(t.Db).BindRelativeAsync(Binding(Brother, "王兄弟", relation, boundOn: boundOn, windowEnd: "2026-09-19", raisingProof: raisingProof));

        Assert.False(outcome.Allowed);
        Assert.Equal(code, outcome.ReasonCode?.Value);
        Assert.NotEmpty(outcome.Reasons);
        Assert.Equal(before, await CountsAsync(t.Db));
    }

    [Fact]
    public async Task Near_relatives_are_allowed_from_the_regions_date_and_step_parents_with_proof()
    {
        await using var t = await NewDb();
        await BindAsync(t.Db, Binding(Brother, "王兄弟", FamilyRelation.Sibling, boundOn: "2024-10-15", windowEnd: "2025-10-14")); // WE-43b
        var step = IdNumber.Create(Region, new DateOnly(1958, 2, 2), 62);
        await BindAsync(t.Db, Binding(step, "赵继母", FamilyRelation.Stepparent, raisingProof: true, insured: false)); // WE-42c
    }

    [Theory]
    [InlineData(1944, FamilyRelation.Child)]          // issue 10 item 7: a "child" born 36 years before the owner (1980)
    [InlineData(2004, FamilyRelation.Parent)]         // a "parent" born after the owner
    [InlineData(1980, FamilyRelation.Parent)]         // born the same year, later in it: not before the owner either
    [InlineData(2010, FamilyRelation.Grandparent)]    // a grandparent younger than the grandchild
    [InlineData(1950, FamilyRelation.Grandchild)]
    [InlineData(1975, FamilyRelation.AdoptedChild)]
    public async Task A_relation_the_birth_dates_contradict_is_refused_and_writes_nothing(int relativeBorn, FamilyRelation relation)
    {
        await using var t = await NewDb();
        var before = await CountsAsync(t.Db);
        var relative = IdNumber.Create(Region, new DateOnly(relativeBorn, 6, 1), 73);
        var outcome = await Store(t.Db).BindRelativeAsync(Binding(relative, "赵亲属", relation, insured: false));

        Assert.False(outcome.Allowed);
        Assert.Same(Codes.RelationContradictsBirthDates, outcome.ReasonCode);
        var why = outcome.Reasons[^1];
        Assert.Equal(("1980-03-02", $"{relativeBorn}-06-01"), (why.Values["ownerBirthDate"], why.Values["relativeBirthDate"]));
        Assert.Equal(before, await CountsAsync(t.Db));
    }

    [Theory]
    [InlineData("2025-02-20", "2026-02-28", "window-start-before-binding")] // WE-41c: backdated
    [InlineData("2025-03-01", "2025-03-01", "window-end-not-after-start")]   // the end repeats the start
    [InlineData("2025-04-01", "2025-03-15", "window-end-not-after-start")]   // the end before the start
    public async Task A_window_out_of_order_is_refused_and_writes_nothing(string start, string end, string code)
    {
        await using var t = await NewDb();
        var outcome = await Store(t.Db).BindRelativeAsync(Binding(Spouse, "李配偶", FamilyRelation.Spouse, windowStart: start, windowEnd: end));
        Assert.Equal(code, outcome.ReasonCode?.Value);
        Assert.Equal((0L, 0L, 1L), await CountsAsync(t.Db));
    }

    [Fact]
    public async Task Bad_binding_input_is_a_named_error_and_writes_nothing()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        async Task<string> Code(FamilyAidBindingRequest r) => (await Assert.ThrowsAsync<YibaoException>(() => store.BindRelativeAsync(r))).Error.Code.Value;

        Assert.Equal("family-aid-self-binding", await Code(Binding(Owner, "王共济", FamilyRelation.Spouse)));
        Assert.Equal("unknown-insured", await Code(SpouseBinding() with { Owner = Grandson }));
        Assert.Equal("insured-name-mismatch", await Code(Binding(Spouse, "李某某", FamilyRelation.Spouse)));
        Assert.Equal("invalid-field", await Code(Binding(Grandson, "张外孙", FamilyRelation.Grandchild, insured: true)));       // not on record
        Assert.Equal("missing-field", await Code(Binding(MotherInLanzhou, "刘母亲", FamilyRelation.Parent, relativeRegion: "620100"))); // insured? not said
        Assert.Equal("invalid-field", await Code(SpouseBinding() with { BoundOn = new DateOnly(2026, 7, 1), WindowStart = new DateOnly(2026, 7, 1) })); // ahead of today
        Assert.Equal("invalid-date-range", await Code(SpouseBinding() with { Consent = new FamilyAidConsent(FamilyAidParty.Relative, ConsentMethod.Online, new DateOnly(2025, 3, 2)) }));
        Assert.Equal((0L, 0L, 1L), await CountsAsync(t.Db));
    }

    [Fact]
    public async Task The_same_binding_again_is_a_replay_and_an_overlapping_one_is_refused()
    {
        await using var t = await NewDb();
        var first = await BindAsync(t.Db);
        var again = await Store(t.Db).BindRelativeAsync(SpouseBinding());
        Assert.False(again.Created);
        Assert.Equal(first.Id, again.Binding!.Id);

        var overlap = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).BindRelativeAsync(SpouseBinding() with { WindowEnd = new DateOnly(2026, 5, 31) }));
        Assert.Equal("family-aid-binding-overlaps", overlap.Error.Code?.Value);
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM family_aid_binding"));

        // After its end, a new window for the same relative is a new binding.
        await BindAsync(t.Db, Binding(Spouse, "李配偶", FamilyRelation.Spouse, boundOn: "2026-02-28", windowStart: "2026-03-01", windowEnd: "2027-02-28"));
    }

    [Fact]
    public async Task Two_processes_binding_overlapping_windows_at_once_store_one()
    {
        await using var t = await NewDb();
        await using var other = t.OpenAnotherHandle();
        var requests = new[] { (Store(t.Db), SpouseBinding()), (Store(other), SpouseBinding() with { WindowEnd = new DateOnly(2025, 12, 31) }) };

        var results = await Task.WhenAll(requests.Select(r => Task.Run(async () =>
        {
            try { return (await r.Item1.BindRelativeAsync(r.Item2)).Allowed ? "bound" : "refused"; }
            catch (YibaoException e) { return e.Error.Code.Value; }
        })));

        Assert.Equal(["bound", "family-aid-binding-overlaps"], results.Order(StringComparer.Ordinal));
        Assert.Equal(1, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM family_aid_binding"));
    }

    // ---------------------------------------------------------------- spending

    [Fact]
    public async Task A_spend_WE41_is_one_entry_from_the_owners_account_to_the_institution_tagged_with_the_binding()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db);
        var outcome = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-0001"));

        Assert.True(outcome.Allowed);
        Assert.Equal((Yuan("286.50"), Money.Zero, Yuan("2713.50")), (outcome.AccountPays, outcome.CashPays, outcome.OwnerBalanceAfter));
        Assert.Equal(Yuan("2713.50"), await BalanceAsync(t.Db, OwnerAccount));
        Assert.Equal(Yuan("286.50"), await BalanceAsync(t.Db, AccountCode.Of(Region, AccountKind.InstitutionSettlement)));

        var spend = outcome.Spend!;
        Assert.Equal(FamilyAidEntries.Key(Region, "SETL-0001"), spend.EntryKey);
        var entry = await new LedgerStore(t.Db, Clock).GetEntryByKeyAsync(spend.EntryKey!);
        Assert.NotNull(entry);
        Assert.Equal((FamilyAidEntries.SpendReason, new DateOnly(2025, 5, 10)), (entry.ReasonCode, entry.BusinessDate));
        // 当年 first (policy of PersonalAccountDraw), the institution on the other side.
        Assert.Contains(entry.Postings, p => p.Account == OwnerAccount && p.Segment == Segment.CurrentYear && p.Amount == Yuan("-286.50"));
        Assert.Contains(entry.Postings, p => p.Account.Kind == AccountKind.InstitutionSettlement && p.Amount == Yuan("286.50"));
        Assert.Contains($"#{b.Id}", entry.Memo, StringComparison.Ordinal);
        Assert.Contains("配偶 李配偶", entry.Memo, StringComparison.Ordinal);
        Assert.Contains("购药 @ 示例大药房", entry.Memo, StringComparison.Ordinal);
        Assert.DoesNotContain(Spouse.Value, entry.Memo, StringComparison.Ordinal); // the relative's ID number is masked

        // The owner's statement shows it; the spends listing of the owner and of the relative too.
        var statement = await new LedgerStore(t.Db, Clock).GetStatementAsync(OwnerAccount, new DateOnly(2025, 5, 1), new DateOnly(2025, 5, 31));
        Assert.Contains(statement.Lines, l => l.ReasonCode == FamilyAidEntries.SpendReason && l.Memo == entry.Memo);
        var forOwner = await Store(t.Db).ListSpendsAsync(Region, Owner);
        var forSpouse = await Store(t.Db).ListSpendsAsync(Region, Spouse, b.Id);
        Assert.Equal(spend.Id, Assert.Single(forOwner).Id);
        Assert.Equal(("李配偶", FamilyRelation.Spouse, FamilyAidPurpose.Pharmacy, "P99010000001"), (forSpouse[0].RelativeName, forSpouse[0].Relation, forSpouse[0].Purpose, forSpouse[0].InstitutionCode));
    }

    [Fact]
    public async Task A_short_balance_pays_what_it_has_current_year_first_and_the_rest_is_cash()
    {
        await using var t = await NewDb(currentYear: "60.00", historical: "40.00");
        var b = await BindAsync(t.Db);
        var outcome = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-SHORT"));

        Assert.Equal((Yuan("100.00"), Yuan("186.50"), Money.Zero), (outcome.AccountPays, outcome.CashPays, outcome.OwnerBalanceAfter));
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, OwnerAccount));
        var entry = await new LedgerStore(t.Db, Clock).GetEntryByKeyAsync(outcome.Spend!.EntryKey!);
        Assert.Contains(entry!.Postings, p => p.Segment == Segment.CurrentYear && p.Amount == Yuan("-60.00"));
        Assert.Contains(entry.Postings, p => p.Segment == Segment.Historical && p.Amount == Yuan("-40.00"));

        // An empty account still settles: the spend is recorded, all cash, with no entry (nothing moves).
        var empty = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-EMPTY", amount: "20.00"));
        Assert.True(empty.Allowed);
        Assert.Equal((Money.Zero, Yuan("20.00")), (empty.AccountPays, empty.CashPays));
        Assert.Null(empty.Spend!.EntryKey);
    }

    [Fact]
    public async Task A_retry_returns_the_first_result_and_the_same_key_with_other_content_is_refused()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db);
        var first = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-RETRY"));
        var retry = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-RETRY"));

        Assert.True(retry.Replayed);
        Assert.Equal(first.Spend!.Id, retry.Spend!.Id);
        Assert.Equal((first.AccountPays, first.OwnerBalanceAfter), (retry.AccountPays, retry.OwnerBalanceAfter));
        Assert.Equal(Yuan("2713.50"), await BalanceAsync(t.Db, OwnerAccount));

        var reused = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).SpendAsync(Spend(b.Id, "SETL-RETRY", amount: "300.00")));
        Assert.Equal("idempotency-key-reused", reused.Error.Code?.Value);
        Assert.Equal((1L, 1L, 2L), await CountsAsync(t.Db));
    }

    [Theory]
    [InlineData("2026-03-01", FamilyAidPurpose.Pharmacy, true, "outside-window")]     // WE-41b: after the end
    [InlineData("2025-02-28", FamilyAidPurpose.Pharmacy, true, "outside-window")]     // before the start
    [InlineData("2025-05-10", FamilyAidPurpose.Pharmacy, false, "not-designated")]    // WE-47
    [InlineData("2025-05-10", FamilyAidPurpose.Fitness, true, "purpose-excluded")]    // WE-46
    [InlineData("2025-05-10", FamilyAidPurpose.LtcPremium, true, "purpose-not-payable")] // before 2026-01-09
    public async Task A_refused_spend_moves_nothing_writes_nothing_and_says_why(string spendOn, FamilyAidPurpose purpose, bool designated, string code)
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db);
        var before = await CountsAsync(t.Db);
        var outcome = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-NO", spendOn, purpose: purpose, designated: designated));

        Assert.False(outcome.Allowed);
        Assert.Equal(code, outcome.ReasonCode?.Value);
        Assert.Equal((Money.Zero, Yuan("286.50"), Yuan("3000.00")), (outcome.AccountPays, outcome.CashPays, outcome.OwnerBalanceAfter));
        Assert.NotEmpty(outcome.Reasons);
        Assert.Equal(before, await CountsAsync(t.Db));
        Assert.Equal(Yuan("3000.00"), await BalanceAsync(t.Db, OwnerAccount));
    }

    [Fact]
    public async Task After_a_revocation_spends_from_its_day_on_are_refused_and_write_nothing()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db);
        Assert.True((await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-BEFORE", "2025-05-31"))).Allowed);

        var revoked = await Store(t.Db).RevokeAsync(Region, Spouse, b.Id, new DateOnly(2025, 6, 1), "test");
        Assert.Equal((new DateOnly(2025, 6, 1), (FamilyAidParty?)FamilyAidParty.Relative), (revoked.Binding.RevokedOn, revoked.Binding.RevokedBy));
        Assert.True((await Store(t.Db).RevokeAsync(Region, Owner, b.Id, new DateOnly(2025, 6, 1), "test")).Replayed);
        var again = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).RevokeAsync(Region, Owner, b.Id, new DateOnly(2025, 6, 2), "test"));
        Assert.Equal("family-aid-binding-already-revoked", again.Error.Code?.Value);

        var before = await CountsAsync(t.Db);
        var refused = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-AFTER", "2025-06-01"));
        Assert.False(refused.Allowed);
        Assert.Equal(Codes.BindingRevoked, refused.ReasonCode);
        Assert.Equal(before, await CountsAsync(t.Db));
        Assert.Equal(Yuan("2713.50"), await BalanceAsync(t.Db, OwnerAccount));
    }

    [Fact]
    public async Task The_owners_death_dissolves_the_binding_from_that_day()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db);
        await new Yibao.Storage.Records.RecordsStore(t.Db, Clock).AppendEventAsync(Region, Owner, Domain.Features.Records.StatusEventKind.Die, new DateOnly(2025, 8, 1), null);

        var refused = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-DEAD", "2025-08-01"));
        Assert.Equal(Codes.RelationshipDissolved, refused.ReasonCode); // A3 rule 6, WE-50
        Assert.True((await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-ALIVE", "2025-07-31"))).Allowed);
        Assert.Empty((await Store(t.Db).InForceAsync(Region, Spouse, new DateOnly(2025, 8, 1))).AsRelative);
    }

    [Fact]
    public async Task A_revocation_cannot_precede_a_recorded_spend_nor_the_binding_and_a_stranger_cannot_revoke()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db);
        Assert.True((await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-1", "2025-05-10"))).Allowed);

        async Task<string> Code(IdNumber who, string on) =>
            (await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).RevokeAsync(Region, who, b.Id, Dates.Parse(on), "test"))).Error.Code.Value;
        Assert.Equal("family-aid-revocation-before-spend", await Code(Owner, "2025-05-10"));
        Assert.Equal("invalid-date-range", await Code(Owner, "2025-02-01"));
        Assert.Equal("family-aid-binding-not-found", await Code(Brother, "2025-06-01"));
        Assert.Equal("invalid-field", await Code(Owner, "2026-07-01")); // ahead of today
        Assert.Null((await Store(t.Db).GetBindingAsync(Region, Owner, b.Id)).RevokedOn);
    }

    [Fact]
    public async Task Premiums_are_payable_for_an_uninsured_relative_and_go_to_the_resident_fund_but_medical_costs_are_not()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db, Binding(Grandson, "张外孙", FamilyRelation.Grandchild, boundOn: "2025-11-20", windowEnd: "2026-11-19"));

        var medical = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-MED", "2025-11-20", "150.00", FamilyAidPurpose.Medical)); // WE-45
        Assert.Equal(Codes.RelativeNotInsured, medical.ReasonCode);

        var premium = await Store(t.Db).SpendAsync(Spend(b.Id, "PREM-2026", "2025-11-20", "400.00", FamilyAidPurpose.ResidentPremium)); // WE-44
        Assert.True(premium.Allowed);
        Assert.Equal(Yuan("2600.00"), await BalanceAsync(t.Db, OwnerAccount));
        Assert.Equal(Yuan("400.00"), await BalanceAsync(t.Db, AccountCode.Of(Region, AccountKind.ResidentFund)));
        var ltc = await Store(t.Db).SpendAsync(Spend(b.Id, "LTC-2026", "2026-02-01", "120.00", FamilyAidPurpose.LtcPremium)); // from 2026-01-09
        Assert.True(ltc.Allowed);
        Assert.Equal(Yuan("120.00"), await BalanceAsync(t.Db, AccountCode.Of(Region, AccountKind.LongTermCareFund)));
    }

    [Fact]
    public async Task A_relative_in_another_province_is_held_in_the_owners_region_and_waits_for_both_wallets()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db, Binding(MotherInLanzhou, "刘母亲", FamilyRelation.Parent, relativeRegion: "620100", insured: true));
        Assert.Equal(RegionCode.Parse("620100"), b.RelativeRegion);

        // 兰州 has no record of opening 医保钱包 (WE-48 b): refused whatever the owner's date.
        var refused = await Store(t.Db).SpendAsync(Spend(b.Id, "SETL-LZ", "2026-02-10"));
        Assert.Equal(Codes.CrossProvinceNotOpen, refused.ReasonCode);
        Assert.Equal((1L, 0L, 1L), await CountsAsync(t.Db));
        var asRelative = await Store(t.Db).ListBindingsAsync(RegionCode.Parse("620100"), MotherInLanzhou);
        Assert.Equal(b.Id, Assert.Single(asRelative.AsRelative).Id);
    }

    [Fact]
    public async Task Bad_spend_input_is_a_named_error_and_writes_nothing()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db);
        async Task<string> Code(FamilyAidSpendRequest r) => (await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).SpendAsync(r))).Error.Code.Value;

        Assert.Equal("family-aid-binding-not-found", await Code(Spend(b.Id + 99, "K1")));
        Assert.Equal("missing-field", await Code(Spend(b.Id, "K2") with { InstitutionCode = null }));
        Assert.Equal("missing-field", await Code(Spend(b.Id, " ")));
        Assert.Equal("amount-not-positive", await Code(Spend(b.Id, "K3", amount: "0.00")));
        Assert.Equal("invalid-field", await Code(Spend(b.Id, "K4", spendOn: "2026-06-16")));
        Assert.Equal((1L, 0L, 1L), await CountsAsync(t.Db));
    }

    [Fact]
    public async Task Twenty_concurrent_spends_on_one_account_never_overdraw_it()
    {
        await using var t = await NewDb(currentYear: "100.00", historical: "0.00");
        var b = await BindAsync(t.Db);
        await using var other = t.OpenAnotherHandle();
        var stores = new[] { Store(t.Db), Store(other) };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => stores[i % 2].SpendAsync(Spend(b.Id, $"SETL-C{i:D2}", amount: "15.00")))));

        Assert.All(outcomes, o => Assert.True(o.Allowed));
        Assert.Equal(Yuan("100.00"), Money.Sum(outcomes.Select(o => o.AccountPays)));
        Assert.Equal(Yuan("200.00"), Money.Sum(outcomes.Select(o => o.CashPays)));
        Assert.Equal(Money.Zero, await BalanceAsync(t.Db, OwnerAccount));
        // Each saw the balance the one before it left: 6 full, one partial (10.00), the rest all cash.
        Assert.Equal(6, outcomes.Count(o => o.AccountPays == Yuan("15.00")));
        Assert.Single(outcomes, o => o.AccountPays == Yuan("10.00"));
        Assert.Equal(20, await ScalarAsync(t.Db, "SELECT COUNT(*) FROM family_aid_spend"));
        Assert.Equal(100_00, await ScalarAsync(t.Db, "SELECT SUM(account_pays) FROM family_aid_spend"));
    }

    // ---------------------------------------------------------------- queries

    [Fact]
    public async Task Bindings_are_listed_by_party_and_who_may_spend_on_a_day_follows_windows_and_revocations()
    {
        await using var t = await NewDb();
        var spouse = await BindAsync(t.Db);
        var brother = await BindAsync(t.Db, Binding(Brother, "王兄弟", FamilyRelation.Sibling, boundOn: "2025-06-01", windowEnd: "2025-12-31"));
        await Store(t.Db).RevokeAsync(Region, Owner, brother.Id, new DateOnly(2025, 9, 1), "test");

        var all = await Store(t.Db).ListBindingsAsync(Region, Owner);
        Assert.Equal([spouse.Id, brother.Id], all.AsOwner.Select(x => x.Id));
        Assert.Empty(all.AsRelative);
        Assert.Equal(spouse.Id, Assert.Single((await Store(t.Db).ListBindingsAsync(Region, Spouse)).AsRelative).Id);

        async Task<long[]> OwnerMayBeDrawnBy(string day) => (await Store(t.Db).InForceAsync(Region, Owner, Dates.Parse(day))).AsOwner.Select(x => x.Id).ToArray();
        Assert.Empty(await OwnerMayBeDrawnBy("2025-02-28"));
        Assert.Equal([spouse.Id, brother.Id], await OwnerMayBeDrawnBy("2025-08-31"));
        Assert.Equal([spouse.Id], await OwnerMayBeDrawnBy("2025-09-01"));
        Assert.Equal([spouse.Id], await OwnerMayBeDrawnBy("2026-02-28"));
        Assert.Empty(await OwnerMayBeDrawnBy("2026-03-01"));
        var spouseMayDrawFrom = await Store(t.Db).InForceAsync(Region, Spouse, new DateOnly(2025, 8, 1));
        Assert.Equal(Owner.Value, Assert.Single(spouseMayDrawFrom.AsRelative).OwnerIdNumber);

        var unknown = await Assert.ThrowsAsync<YibaoException>(() => Store(t.Db).ListBindingsAsync(Region, Grandson));
        Assert.Equal("unknown-insured", unknown.Error.Code?.Value);
    }

    // ---------------------------------------------------------------- the schema's own guard

    [Fact]
    public async Task The_schema_refuses_what_the_rules_forbid_even_without_the_code_above()
    {
        await using var t = await NewDb();
        var b = await BindAsync(t.Db);
        async Task Refused(string sql)
        {
            await using var s = await t.Db.BeginAsync();
            await using var cmd = s.Command(sql);
            await Assert.ThrowsAnyAsync<DbException>(() => cmd.ExecuteNonQueryAsync());
        }
        var spend = "INSERT INTO family_aid_spend (region_code, binding_id, idempotency_key, content_hash, purpose, institution_code, designated, spend_on, " +
                    "amount, account_pays, cash_pays, owner_balance_after, entry_key, policy_version, actor, recorded_at) VALUES ('990100', " + b.Id;
        await Refused(spend + ", 'X1', 'h', 'pharmacy', 'P1', 1, '2026-03-01', 100, 0, 100, 0, NULL, 'v', 't', '2026-01-01T00:00:00Z')"); // outside the window
        await Refused(spend + ", 'X2', 'h', 'fitness', NULL, 1, '2025-05-01', 100, 0, 100, 0, NULL, 'v', 't', '2026-01-01T00:00:00Z')"); // never payable
        await Refused(spend + ", 'X3', 'h', 'pharmacy', 'P1', 1, '2025-05-01', 100, 50, 100, 0, NULL, 'v', 't', '2026-01-01T00:00:00Z')"); // parts don't add up
        await Refused($"UPDATE family_aid_binding SET window_end = '2030-01-01' WHERE id = {b.Id}");
        await Refused($"DELETE FROM family_aid_binding WHERE id = {b.Id}");
        await Refused("INSERT INTO family_aid_binding (region_code, owner_id_number, relative_id_number, relative_name, relative_region, relative_insured, relation, " +
                      "raising_proof, proof, bound_on, window_start, window_end, consent_by, consent_id_number, consent_method, consent_on, policy_version, actor, recorded_at) " +
                      $"VALUES ('990100', '{Owner.Value}', '{Brother.Value}', 'x', '990100', 1, 'cousin', 0, 'household-register', '2025-03-01', '2025-03-01', " +
                      $"'2026-02-28', 'relative', '{Brother.Value}', 'online', '2025-03-01', 'v', 't', '2026-01-01T00:00:00Z')");
    }
}

public sealed class SqliteFamilyAidStoreTests() : FamilyAidStoreTests(Engine.Sqlite);
public sealed class PostgresFamilyAidStoreTests() : FamilyAidStoreTests(Engine.Postgres);
