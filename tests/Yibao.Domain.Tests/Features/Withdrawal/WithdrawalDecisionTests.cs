using Yibao.Domain.Errors;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.Withdrawal;

/// <summary>Withdrawal eligibility on the real packs: policy-reference A4, K11, WE-22 … WE-30.</summary>
public class WithdrawalDecisionTests
{
    private static readonly DateOnly Day = new(2025, 7, 3);

    private static WithdrawalPolicy PolicyOf(string region, DateOnly? date = null) =>
        WithdrawalPolicy.From(PolicyPackLoader.Embedded.For(RegionCode.Parse(region), date ?? Day));

    private static WithdrawalAnswer Decide(string region, WithdrawalReason reason, bool retired = false, string balance = "5432.10",
        WithdrawalMaterial[]? materials = null, bool written = true, bool byAgent = false, bool heirInsured = false, string? target = null, Explanation? why = null) =>
        WithdrawalDecision.Decide(
            new WithdrawalRequest(RegionCode.Parse(region), reason, retired, DMoney.Parse(balance), materials ?? [], written, byAgent, heirInsured,
                target is null ? null : RegionCode.Parse(target)),
            PolicyOf(region), why ?? Explanation.Build());

    private static readonly WithdrawalMaterial[] DeathMaterials =
        [WithdrawalMaterial.DeathCertificate, WithdrawalMaterial.HeirProof, WithdrawalMaterial.HeirId];

    private static string[] Missing(WithdrawalAnswer a) => a.MissingMaterials.Select(WithdrawalDecision.Show).ToArray();

    [Fact]
    public void Death_with_complete_materials_pays_the_whole_balance_to_the_heirs_bank_and_closes_the_account()
    {
        var a = Decide("990100", WithdrawalReason.Death, materials: DeathMaterials);
        Assert.True(a.Eligible);
        Assert.True(a.Complete);
        Assert.Equal("5432.10", a.Payout.ToPlainString());
        Assert.Equal(WithdrawalPayTo.HeirBank, a.PayTo);
        Assert.Equal(AccountStatusAfter.Closed, a.AccountStatusAfter);
        Assert.Empty(a.MissingMaterials);
        Assert.Null(a.ReasonCode);
    }

    [Fact]
    public void Death_with_an_heir_insured_in_the_demo_region_credits_the_heirs_account()
    {
        var a = Decide("990100", WithdrawalReason.Death, materials: DeathMaterials, heirInsured: true);
        Assert.Equal(WithdrawalPayTo.HeirAccount, a.PayTo);
        Assert.Equal("5432.10", a.Payout.ToPlainString());
    }

    [Fact]
    public void Guangzhou_pays_the_heirs_bank_even_when_the_heir_is_insured_because_its_rule_has_no_heir_account_flag()
    {
        var a = Decide("440100", WithdrawalReason.Death, materials: DeathMaterials, heirInsured: true);
        Assert.Equal(WithdrawalPayTo.HeirBank, a.PayTo);
    }

    [Fact]
    public void Missing_materials_are_listed_in_the_order_of_the_rule_and_nothing_is_paid()
    {
        var a = Decide("990100", WithdrawalReason.Death, materials: [WithdrawalMaterial.HeirId]);
        Assert.True(a.Eligible);
        Assert.False(a.Complete);
        Assert.Equal(["death-certificate", "heir-proof"], Missing(a));
        Assert.Equal(Codes.MaterialsMissing, a.ReasonCode);
        Assert.Equal(DMoney.Zero, a.Payout);
        Assert.Equal(WithdrawalPayTo.None, a.PayTo);
        Assert.Equal(AccountStatusAfter.Open, a.AccountStatusAfter);
    }

    [Fact]
    public void An_agent_also_needs_the_power_of_attorney_and_an_id_listed_after_the_heirs_materials()
    {
        var a = Decide("990100", WithdrawalReason.Death, byAgent: true, materials: [WithdrawalMaterial.AgentId]);
        Assert.Equal(["death-certificate", "heir-proof", "heir-id", "power-of-attorney"], Missing(a));
        var complete = Decide("990100", WithdrawalReason.Death, byAgent: true,
            materials: [.. DeathMaterials, WithdrawalMaterial.PowerOfAttorney, WithdrawalMaterial.AgentId]);
        Assert.True(complete.Complete);
    }

    [Fact]
    public void Emigration_needs_a_written_application_and_any_one_proof_of_settling_abroad()
    {
        var none = Decide("990100", WithdrawalReason.Emigration, balance: "3210.00");
        Assert.Equal(["written-application", "emigration-passport|settlement-abroad-proof|hk-macau-permit|taiwan-permit"], Missing(none));
        foreach (var proof in (WithdrawalMaterial[])[WithdrawalMaterial.EmigrationPassport, WithdrawalMaterial.SettlementAbroadProof, WithdrawalMaterial.HkMacauPermit, WithdrawalMaterial.TaiwanPermit])
        {
            var a = Decide("990100", WithdrawalReason.Emigration, balance: "3210.00", materials: [WithdrawalMaterial.WrittenApplication, proof]);
            Assert.True(a.Complete);
            Assert.Equal("3210.00", a.Payout.ToPlainString());
            Assert.Equal(WithdrawalPayTo.ApplicantBank, a.PayTo);
        }
    }

    [Fact]
    public void Emigration_after_retirement_is_refused_in_the_demo_region_but_allowed_in_Kunshan()
    {
        var materials = new[] { WithdrawalMaterial.WrittenApplication, WithdrawalMaterial.EmigrationPassport };
        var demo = Decide("990100", WithdrawalReason.Emigration, retired: true, balance: "3210.00", materials: materials);
        Assert.False(demo.Eligible);
        Assert.Equal(Codes.AfterRetirement, demo.ReasonCode);
        Assert.Equal(DMoney.Zero, demo.Payout);
        Assert.Equal(WithdrawalPayTo.None, demo.PayTo);

        var kunshan = Decide("320583", WithdrawalReason.Emigration, retired: true, balance: "3210.00", materials: materials);
        Assert.True(kunshan.Eligible);
        // 昆山's own list (seed 002) asks for the form, an ID and a bank card as well.
        Assert.Equal(["application-form", "applicant-id", "bank-card"], Missing(kunshan));
        var complete = Decide("320583", WithdrawalReason.Emigration, retired: true, balance: "3210.00",
            materials: [WithdrawalMaterial.ApplicationForm, WithdrawalMaterial.ApplicantId, WithdrawalMaterial.BankCard, WithdrawalMaterial.SettlementAbroadProof]);
        Assert.True(complete.Complete);
        Assert.Equal("3210.00", complete.Payout.ToPlainString());
    }

    [Fact]
    public void Foreigner_without_a_written_application_keeps_the_account()
    {
        var a = Decide("990100", WithdrawalReason.ForeignerLeaving, balance: "2345.67", written: false);
        Assert.False(a.Eligible);
        Assert.Equal(Codes.WrittenApplicationMissing, a.ReasonCode);
        Assert.Equal(AccountStatusAfter.Open, a.AccountStatusAfter);
        Assert.Equal("0.00", a.Payout.ToPlainString());
    }

    [Fact]
    public void Foreigner_with_a_written_application_is_paid_in_one_sum()
    {
        var a = Decide("990100", WithdrawalReason.ForeignerLeaving, balance: "2345.67", materials: [WithdrawalMaterial.WrittenApplication]);
        Assert.True(a.Complete);
        Assert.Equal("2345.67", a.Payout.ToPlainString());
        Assert.Equal(AccountStatusAfter.Closed, a.AccountStatusAfter);
    }

    [Fact]
    public void A_retired_foreigner_is_refused_in_the_demo_region_but_not_by_the_national_rule()
    {
        Assert.Equal(Codes.AfterRetirement,
            Decide("990100", WithdrawalReason.ForeignerLeaving, retired: true, materials: [WithdrawalMaterial.WrittenApplication]).ReasonCode);
        // 兰州 has no withdrawal rules of its own: 人社部令第16号 art. 5 sets no retirement condition.
        Assert.True(Decide("620100", WithdrawalReason.ForeignerLeaving, retired: true, materials: [WithdrawalMaterial.WrittenApplication]).Complete);
    }

    [Theory]
    [InlineData(WithdrawalReason.MajorDisease, "no-legal-basis")]
    [InlineData(WithdrawalReason.EmergencyAdvance, "not-a-withdrawal")]
    [InlineData(WithdrawalReason.VoluntaryExit, "participation-mandatory")]
    [InlineData(WithdrawalReason.LongTermRemote, "long-term-remote-not-allowed")]
    public void Seed_claims_are_refused_whatever_the_materials_each_with_its_own_code(WithdrawalReason reason, string code)
    {
        var a = Decide("990100", reason, materials: [.. Enum.GetValues<WithdrawalMaterial>()]);
        Assert.False(a.Eligible);
        Assert.Equal(code, a.ReasonCode?.Value);
        Assert.Equal(DMoney.Zero, a.Payout);
        Assert.Equal(WithdrawalPayTo.None, a.PayTo);
        Assert.Empty(a.MissingMaterials);
        Assert.Equal(reason switch
        {
            WithdrawalReason.MajorDisease => "withdrawal.major-disease",
            WithdrawalReason.EmergencyAdvance => "withdrawal.emergency-advance",
            WithdrawalReason.VoluntaryExit => "withdrawal.voluntary-exit",
            _ => "withdrawal.long-term-remote",
        }, Assert.Single(a.Reasons).RuleId);
    }

    [Fact]
    public void A_move_inside_Guangdong_releases_nothing_but_a_move_out_of_the_province_may()
    {
        var inside = Decide("440100", WithdrawalReason.TransferImpossible, target: "440300", balance: "4000.00");
        Assert.False(inside.Eligible);
        Assert.Equal(Codes.ProvinceWideAccount, inside.ReasonCode);
        Assert.Equal("transfer.within-province-mode", Assert.Single(inside.Reasons).RuleId);

        var outside = Decide("440100", WithdrawalReason.TransferImpossible, target: "620100", balance: "4000.00");
        Assert.True(outside.Complete);
        Assert.Equal("4000.00", outside.Payout.ToPlainString());
    }

    [Fact]
    public void Where_the_region_has_no_rule_a_move_is_a_transfer_not_a_withdrawal()
    {
        // WE-25: 兰州 → 苏州; 兰州 inherits the national default.
        var a = Decide("620100", WithdrawalReason.TransferImpossible, target: "320500");
        Assert.Equal(Codes.TransferInstead, a.ReasonCode);
    }

    [Fact]
    public void Emigration_is_not_provided_where_the_region_has_no_rule()
    {
        Assert.Equal(Codes.NotProvidedByRegion,
            Decide("620100", WithdrawalReason.Emigration, materials: [WithdrawalMaterial.WrittenApplication, WithdrawalMaterial.EmigrationPassport]).ReasonCode);
    }

    [Fact]
    public void Every_branch_gives_a_reason_that_names_its_rule_and_source()
    {
        var a = Decide("990100", WithdrawalReason.Death, materials: DeathMaterials);
        Assert.Contains(a.Reasons, r => r.RuleId == "withdrawal.death" && r.Provenance == Provenance.Example && r.Source.Contains("990100.yaml", StringComparison.Ordinal));
        Assert.Contains(a.Reasons, r => r.RuleId == "K11");
    }

    [Fact]
    public void Without_explanation_no_reasons_are_recorded()
    {
        Assert.Empty(Decide("990100", WithdrawalReason.Death, materials: DeathMaterials, why: Explanation.None).Reasons);
        Assert.Empty(Decide("990100", WithdrawalReason.MajorDisease, why: Explanation.None).Reasons);
    }

    [Fact]
    public void Every_code_a_pack_may_use_is_described()
    {
        foreach (var code in Codes.WithdrawalRefusals) Assert.Contains(code, Codes.All);
        Assert.Equal(Codes.All.Count, Codes.All.Select(c => c.Value).Distinct().Count());
        Assert.All(Codes.All, c => Assert.Matches("^[a-z]+(-[a-z0-9]+)*$", c.Value));
    }

    [Fact]
    public void Every_reason_has_a_rule_in_every_region_pack()
    {
        foreach (var pack in PolicyPackLoader.Embedded.Packs)
        {
            var policy = WithdrawalPolicy.From(PolicyPackLoader.Embedded.For(pack.Region, Day));
            Assert.Equal(Enum.GetValues<WithdrawalReason>().Length, policy.Rules.Count);
        }
    }
}
