using Yibao.Domain.Errors;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.FamilyAid;

/// <summary>Family mutual aid on the real packs: policy-reference A3, K12, WE-41 … WE-50.</summary>
public class FamilyAidDecisionTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static FamilyAidPolicy PolicyOf(string region, DateOnly day) =>
        FamilyAidPolicy.From(PolicyPackLoader.Embedded.For(RegionCode.Parse(region), day));

    private static FamilyAidBinding Binding(FamilyRelation relation = FamilyRelation.Spouse, string boundOn = "2025-03-01",
        string windowStart = "2025-03-01", string windowEnd = "2026-02-28", bool insured = true, bool raisingProof = false,
        string owner = "990100", string relative = "990100", string? dissolvedOn = null) =>
        new(relation, raisingProof, D(boundOn), D(windowStart), D(windowEnd), insured, RegionCode.Parse(owner), RegionCode.Parse(relative),
            dissolvedOn is null ? null : D(dissolvedOn));

    private static FamilyAidBindingAnswer Bind(FamilyAidBinding b, Explanation? why = null) =>
        FamilyAidDecision.DecideBinding(b, PolicyOf(b.OwnerRegion.Value, b.BoundOn), why ?? Explanation.Build());

    private static FamilyAidSpendAnswer Spend(FamilyAidBinding b, string spendOn, FamilyAidPurpose purpose = FamilyAidPurpose.Pharmacy,
        string amount = "286.50", string balance = "3000.00", bool designated = true, Explanation? why = null)
    {
        var day = D(spendOn);
        var book = PolicyPackLoader.Embedded;
        var relative = book.Has(b.RelativeRegion) ? PolicyOf(b.RelativeRegion.Value, day) : null;
        return FamilyAidDecision.DecideSpend(b, new FamilyAidSpend(purpose, designated, day, DMoney.Parse(amount), DMoney.Parse(balance)),
            PolicyOf(b.OwnerRegion.Value, b.BoundOn), PolicyOf(b.OwnerRegion.Value, day), relative, why ?? Explanation.Build());
    }

    [Theory]
    [InlineData(FamilyRelation.Child, "1944-08-06")]        // issue 10 item 7: owner born 1990, "child" born 1944
    [InlineData(FamilyRelation.Parent, "2000-01-01")]
    [InlineData(FamilyRelation.Parent, "1990-01-01")]       // the owner's own birthday: not before
    [InlineData(FamilyRelation.Grandparent, "1995-01-01")]
    [InlineData(FamilyRelation.Grandchild, "1960-01-01")]
    [InlineData(FamilyRelation.AdoptiveParent, "2001-01-01")]
    [InlineData(FamilyRelation.AdoptedChild, "1950-01-01")]
    public void A_relation_the_birth_dates_contradict_is_refused_with_its_reason(FamilyRelation relation, string relativeBorn)
    {
        var a = Bind(Binding(relation, boundOn: "2025-10-15", windowStart: "2025-10-15", windowEnd: "2026-10-14") with
        {
            OwnerBirthDate = D("1990-01-01"),
            RelativeBirthDate = D(relativeBorn),
        });
        Assert.False(a.Allowed);
        Assert.Same(Codes.RelationContradictsBirthDates, a.ReasonCode);
        Assert.Equal(relativeBorn, a.Reasons[^1].Values["relativeBirthDate"]);
        Assert.Equal(Provenance.Convention, a.Reasons[^1].Provenance);
    }

    [Theory]
    [InlineData(FamilyRelation.Child, "2015-01-01")]
    [InlineData(FamilyRelation.Parent, "1960-01-01")]
    [InlineData(FamilyRelation.Grandparent, "1940-01-01")]
    [InlineData(FamilyRelation.Spouse, "1940-01-01")]       // spouses and siblings may be of any age
    [InlineData(FamilyRelation.Sibling, "2010-01-01")]
    public void Birth_dates_in_the_order_of_the_relation_are_allowed(FamilyRelation relation, string relativeBorn)
    {
        var a = Bind(Binding(relation, boundOn: "2025-10-15", windowStart: "2025-10-15", windowEnd: "2026-10-14") with
        {
            OwnerBirthDate = D("1990-01-01"),
            RelativeBirthDate = D(relativeBorn),
        });
        Assert.True(a.Allowed, a.ReasonCode?.Value);
    }

    [Fact]
    public void Without_birth_dates_the_relation_is_not_checked_against_them() =>
        Assert.True(Bind(Binding(FamilyRelation.Child, boundOn: "2025-10-15", windowStart: "2025-10-15", windowEnd: "2026-10-14")).Allowed);

    [Fact]
    public void An_allowed_spend_is_paid_from_the_account()
    {
        // WE-41.
        var a = Spend(Binding(), "2025-05-10");
        Assert.True(a.Allowed);
        Assert.Equal("286.50", a.AccountPays.ToPlainString());
        Assert.Equal("0.00", a.CashPays.ToPlainString());
        Assert.Equal("2713.50", a.OwnerBalanceAfter.ToPlainString());
    }

    [Fact]
    public void Spend_on_the_window_end_day_is_allowed_and_the_day_after_is_refused()
    {
        Assert.True(Spend(Binding(), "2026-02-28").Allowed);
        var after = Spend(Binding(), "2026-03-01");
        Assert.False(after.Allowed);
        Assert.True(after.BindingAllowed);
        Assert.Equal(Codes.OutsideWindow, after.ReasonCode);
        Assert.Equal("0.00", after.AccountPays.ToPlainString());
        Assert.Equal("286.50", after.CashPays.ToPlainString());
        Assert.Equal("3000.00", after.OwnerBalanceAfter.ToPlainString());
    }

    [Fact]
    public void Spend_on_the_window_start_day_is_allowed_and_the_day_before_is_refused()
    {
        var b = Binding(boundOn: "2025-03-01", windowStart: "2025-03-10");
        Assert.True(Spend(b, "2025-03-10").Allowed);
        Assert.Equal(Codes.OutsideWindow, Spend(b, "2025-03-09").ReasonCode);
    }

    [Fact]
    public void A_window_starting_on_the_binding_day_is_allowed_and_one_starting_earlier_is_refused()
    {
        Assert.True(Bind(Binding(boundOn: "2025-03-01", windowStart: "2025-03-01")).Allowed);
        var backdated = Bind(Binding(boundOn: "2025-03-01", windowStart: "2025-02-28"));
        Assert.False(backdated.Allowed);
        Assert.Equal(Codes.WindowStartBeforeBinding, backdated.ReasonCode);
    }

    [Fact]
    public void A_window_ending_on_its_start_day_is_refused_and_one_ending_a_day_later_is_allowed()
    {
        Assert.Equal(Codes.WindowEndNotAfterStart, Bind(Binding(windowStart: "2025-03-01", windowEnd: "2025-03-01")).ReasonCode);
        Assert.True(Bind(Binding(windowStart: "2025-03-01", windowEnd: "2025-03-02")).Allowed);
    }

    [Fact]
    public void The_same_sibling_binding_on_two_dates_gets_two_answers_because_the_near_relative_version_starts_on_2024_10_01()
    {
        var before = Bind(Binding(FamilyRelation.Sibling, "2024-09-30", "2024-09-30", "2025-09-29"));
        Assert.False(before.Allowed);
        Assert.Equal(Codes.RelationNotYetAllowed, before.ReasonCode);
        Assert.Equal("000000.yaml", PolicyOf("990100", D("2024-09-30")).RelationsRule.File);

        var onTheDay = Bind(Binding(FamilyRelation.Sibling, "2024-10-01", "2024-10-01", "2025-09-30"));
        Assert.True(onTheDay.Allowed);
        var rule = PolicyOf("990100", D("2024-10-01")).RelationsRule;
        Assert.Equal("family-aid-near-relatives", rule.VersionId);
        Assert.Contains(onTheDay.Reasons, r => r.RuleId == "family-aid.relations" && r.Source.Contains("family-aid-near-relatives", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(FamilyRelation.Grandparent)]
    [InlineData(FamilyRelation.Grandchild)]
    public void Grandparents_and_grandchildren_come_with_siblings(FamilyRelation relation)
    {
        Assert.False(Bind(Binding(relation, "2024-09-30", "2024-09-30", "2025-09-29")).Allowed);
        Assert.True(Bind(Binding(relation, "2024-10-01", "2024-10-01", "2025-09-30")).Allowed);
    }

    [Fact]
    public void A_region_without_its_own_date_takes_near_relatives_from_the_national_deadline()
    {
        // 兰州: no date of its own → 2024-12-27, the day every province had them.
        Assert.False(Bind(Binding(FamilyRelation.Sibling, "2024-12-26", "2024-12-26", "2025-12-25", owner: "620100", relative: "620100")).Allowed);
        Assert.True(Bind(Binding(FamilyRelation.Sibling, "2024-12-27", "2024-12-27", "2025-12-26", owner: "620100", relative: "620100")).Allowed);
    }

    [Theory]
    [InlineData(FamilyRelation.ParentInLaw)]
    [InlineData(FamilyRelation.SiblingInLaw)]
    [InlineData(FamilyRelation.Cousin)]
    [InlineData(FamilyRelation.NieceNephew)]
    [InlineData(FamilyRelation.UncleAunt)]
    public void Relatives_by_marriage_and_collateral_relatives_beyond_siblings_are_never_bound(FamilyRelation relation)
    {
        var a = Bind(Binding(relation, "2026-03-01", "2026-03-01", "2027-02-28"));
        Assert.False(a.Allowed);
        Assert.Equal(Codes.RelationNotNearRelative, a.ReasonCode);
    }

    [Fact]
    public void A_step_parent_counts_only_with_proof_of_raising()
    {
        Assert.Equal(Codes.RaisingProofMissing, Bind(Binding(FamilyRelation.Stepparent)).ReasonCode);
        Assert.True(Bind(Binding(FamilyRelation.Stepparent, raisingProof: true)).Allowed);
        Assert.True(Bind(Binding(FamilyRelation.Stepchild, raisingProof: true)).Allowed);
    }

    [Theory]
    [InlineData(FamilyRelation.AdoptiveParent)]
    [InlineData(FamilyRelation.AdoptedChild)]
    public void Adoptive_relations_count_as_parent_and_child(FamilyRelation relation) =>
        Assert.True(Bind(Binding(relation, "2021-05-01", "2021-05-01", "2022-04-30")).Allowed);

    [Fact]
    public void Medical_costs_need_an_insured_relative_but_a_resident_premium_does_not()
    {
        // WE-45.
        var sister = Binding(FamilyRelation.Sibling, "2025-06-01", "2025-06-01", "2026-05-31", insured: false);
        var clinic = Spend(sister, "2025-06-10", FamilyAidPurpose.Medical, "150.00");
        Assert.False(clinic.Allowed);
        Assert.Equal(Codes.RelativeNotInsured, clinic.ReasonCode);
        Assert.Equal("150.00", clinic.CashPays.ToPlainString());
        var premium = Spend(sister, "2025-11-03", FamilyAidPurpose.ResidentPremium, "400.00");
        Assert.True(premium.Allowed);
        Assert.Equal("2600.00", premium.OwnerBalanceAfter.ToPlainString());
    }

    [Fact]
    public void A_non_designated_pharmacy_is_refused()
    {
        // WE-47.
        Assert.Equal(Codes.NotDesignated, Spend(Binding(), "2025-05-10", designated: false).ReasonCode);
    }

    [Theory]
    [InlineData(FamilyAidPurpose.Fitness)]
    [InlineData(FamilyAidPurpose.HealthSupplements)]
    public void Fitness_and_health_supplements_are_never_paid(FamilyAidPurpose purpose)
    {
        // WE-46.
        var a = Spend(Binding(), "2025-05-10", purpose, "500.00");
        Assert.False(a.Allowed);
        Assert.Equal(Codes.PurposeExcluded, a.ReasonCode);
    }

    [Fact]
    public void Long_term_care_contributions_are_payable_from_2026_01_09()
    {
        var b = Binding(windowStart: "2025-03-01", windowEnd: "2027-02-28");
        Assert.Equal(Codes.PurposeNotPayable, Spend(b, "2026-01-08", FamilyAidPurpose.LtcPremium, "84.00").ReasonCode);
        Assert.True(Spend(b, "2026-01-09", FamilyAidPurpose.LtcPremium, "84.00").Allowed);
    }

    [Fact]
    public void Across_provinces_both_regions_must_have_opened_the_wallet_on_the_spend_day()
    {
        // 990100 opened on 2026-01-09 [EX]; 苏州 on 2024-12-02 (pilot).
        var mother = Binding(FamilyRelation.Parent, "2025-12-01", "2025-12-01", "2026-11-30", relative: "320500");
        var early = Spend(mother, "2026-01-08");
        Assert.Equal(Codes.CrossProvinceNotOpen, early.ReasonCode);
        Assert.Contains(early.Reasons, r => r.Values.TryGetValue("region", out var region) && region == "990100" && r.TextEn.Contains("no record of opening", StringComparison.Ordinal));
        Assert.Contains(early.Reasons, r => r.RuleId == "family-aid.wallet-opened-on" && r.Values["region"] == "320500");
        Assert.True(Spend(mother, "2026-01-09").Allowed);
    }

    [Fact]
    public void A_relative_region_with_no_wallet_date_or_no_pack_is_refused()
    {
        // WE-48 (b): 兰州 has no 医保钱包 date in its pack; 北京 has no pack at all.
        Assert.Equal(Codes.CrossProvinceNotOpen, Spend(Binding(FamilyRelation.Parent, "2026-02-01", "2026-02-01", "2027-01-31", relative: "620100"), "2026-02-10").ReasonCode);
        Assert.Equal(Codes.CrossProvinceNotOpen, Spend(Binding(FamilyRelation.Parent, "2026-02-01", "2026-02-01", "2027-01-31", relative: "110000"), "2026-02-10").ReasonCode);
    }

    [Fact]
    public void Owner_in_Suzhou_and_mother_in_Lanzhou_is_refused_until_Lanzhou_opens_the_wallet()
    {
        // WE-48: the answer is data. (b) as the packs stand; (a) with a 兰州 date added.
        var mother = Binding(FamilyRelation.Parent, "2026-02-01", "2026-02-01", "2027-01-31", owner: "320500", relative: "620100");
        Assert.Equal(Codes.CrossProvinceNotOpen, Spend(mother, "2026-02-10").ReasonCode);
        var lanzhouOpen = PolicyOf("620100", D("2026-02-10")) with { WalletOpenedOn = D("2026-01-09"), WalletOpenedOnRule = PolicyOf("320500", D("2026-02-10")).WalletOpenedOnRule };
        var a = FamilyAidDecision.DecideSpend(mother, new FamilyAidSpend(FamilyAidPurpose.Pharmacy, true, D("2026-02-10"), DMoney.Parse("100.00"), DMoney.Parse("3000.00")),
            PolicyOf("320500", mother.BoundOn), PolicyOf("320500", D("2026-02-10")), lanzhouOpen, Explanation.Build());
        Assert.True(a.Allowed);
    }

    [Fact]
    public void The_account_pays_at_most_its_balance_and_the_rest_is_cash()
    {
        var a = Spend(Binding(), "2025-05-10", amount: "500.00", balance: "120.00");
        Assert.True(a.Allowed);
        Assert.Equal("120.00", a.AccountPays.ToPlainString());
        Assert.Equal("380.00", a.CashPays.ToPlainString());
        Assert.Equal("0.00", a.OwnerBalanceAfter.ToPlainString());
    }

    [Fact]
    public void A_spend_after_the_owner_transferred_out_is_not_covered()
    {
        // WE-50: transfer-out on 2026-04-10 dissolves the relationship that day.
        var b = Binding(boundOn: "2026-01-10", windowStart: "2026-01-10", windowEnd: "2026-12-31",
            dissolvedOn: FamilyAidDissolution.DissolvedOn(D("2026-04-10"), null)!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(Spend(b, "2026-04-09").Allowed);
        Assert.Equal(Codes.RelationshipDissolved, Spend(b, "2026-04-10").ReasonCode);
        Assert.Equal(Codes.RelationshipDissolved, Spend(b, "2026-04-12").ReasonCode);
    }

    [Fact]
    public void A_revocation_ends_the_window_on_its_day()
    {
        var b = Binding() with { RevokedOn = D("2025-06-01") };
        Assert.True(Spend(b, "2025-05-31").Allowed);
        var refused = Spend(b, "2025-06-01");
        Assert.True(refused.BindingAllowed);
        Assert.Equal(Codes.BindingRevoked, refused.ReasonCode);
        Assert.Equal("286.50", refused.CashPays.ToPlainString());
        Assert.Equal("binding-revoked", Codes.All.Single(c => c == Codes.BindingRevoked).Value);
    }

    [Fact]
    public void Dissolution_is_the_first_day_either_party_left()
    {
        Assert.Null(FamilyAidDissolution.DissolvedOn(null, null));
        Assert.Equal(D("2026-04-10"), FamilyAidDissolution.DissolvedOn(D("2026-04-10"), D("2026-05-01")));
        Assert.Equal(D("2026-03-01"), FamilyAidDissolution.DissolvedOn(D("2026-04-10"), D("2026-03-01")));
        Assert.Equal(D("2026-03-01"), FamilyAidDissolution.DissolvedOn(null, D("2026-03-01")));
    }

    [Fact]
    public void A_refused_binding_refuses_the_spend_with_the_bindings_code()
    {
        var a = Spend(Binding(FamilyRelation.Cousin), "2025-05-10");
        Assert.False(a.BindingAllowed);
        Assert.False(a.Allowed);
        Assert.Equal(Codes.RelationNotNearRelative, a.ReasonCode);
        Assert.Equal("286.50", a.CashPays.ToPlainString());
    }

    [Fact]
    public void Without_explanation_no_reasons_are_recorded()
    {
        Assert.Empty(Spend(Binding(), "2025-05-10", why: Explanation.None).Reasons);
        Assert.Empty(Spend(Binding(), "2026-03-01", why: Explanation.None).Reasons);
        Assert.Empty(Bind(Binding(FamilyRelation.Cousin), Explanation.None).Reasons);
    }

    [Fact]
    public void The_settlement_path_without_explanation_allocates_only_the_answer()
    {
        var b = Binding();
        var spend = new FamilyAidSpend(FamilyAidPurpose.Pharmacy, true, D("2025-05-10"), DMoney.Parse("286.50"), DMoney.Parse("3000.00"));
        var bound = PolicyOf("990100", b.BoundOn);
        var now = PolicyOf("990100", spend.SpendOn);
        for (var i = 0; i < 100; i++) FamilyAidDecision.DecideSpend(b, spend, bound, now, null, Explanation.None);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var a = FamilyAidDecision.DecideSpend(b, spend, bound, now, null, Explanation.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(a.Allowed);
        // The answer record, plus what Money's checked arithmetic allocates today (a closure per
        // operator: 2 subtractions); no text, no reasons.
        Assert.True(allocated <= 320, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Every_code_is_described_once_in_kebab_case()
    {
        Assert.Equal(Codes.All.Count, Codes.All.Select(c => c.Value).Distinct().Count());
        Assert.All(Codes.All, c => Assert.Matches("^[a-z]+(-[a-z0-9]+)*$", c.Value));
    }
}
