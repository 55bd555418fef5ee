using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Money;
using static Yibao.Domain.Tests.Features.Inpatient.InpatientTestData;

namespace Yibao.Domain.Tests.Features.Inpatient;

/// <summary>The inpatient split on 990100's C1 schedule: policy-reference A7, K1, K13, WE-51 … WE-60.</summary>
public class InpatientDecisionTests
{
    [Fact]
    public void First_in_service_stay_at_tier_3_matches_WE_51()
    {
        var split = Split(Stay());
        Assert.True(split.Settled);
        Assert.Equal(M("700.00"), split.Deductible);
        Assert.Equal(new Rate(0.85m), split.Ratio);
        Assert.Equal(M("16405.00"), split.Fund);
        Assert.Equal(M("3595.00"), split.Individual);
        Assert.Equal(M("0.00"), split.AccountPays);
        Assert.Equal(M("3595.00"), split.Cash);
        Assert.Equal(M("883595.00"), split.CapLeft);
    }

    [Theory]
    [InlineData(3, 1, "700.00", "7905.00")]
    [InlineData(3, 2, "500.00", "8075.00")]
    [InlineData(3, 3, "400.00", "8160.00")]
    [InlineData(3, 4, "300.00", "8245.00")]
    [InlineData(2, 1, "600.00", "8460.00")]
    [InlineData(2, 2, "400.00", "8640.00")]
    [InlineData(2, 3, "300.00", "8730.00")]
    [InlineData(2, 4, "200.00", "8820.00")]
    [InlineData(1, 1, "300.00", "8924.00")]
    [InlineData(1, 2, "200.00", "9016.00")]
    [InlineData(1, 3, "150.00", "9062.00")]
    [InlineData(1, 4, "100.00", "9108.00")]
    public void Each_of_the_first_four_admissions_has_its_own_deductible(int tier, int admission, string deductible, string fund)
    {
        var split = Split(Stay(tier: tier, admission: admission, policyCost: "10000.00"));
        Assert.Equal(M(deductible), split.Deductible);
        Assert.Equal(M(fund), split.Fund);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(12)]
    public void Fourth_and_every_later_admission_use_the_last_deductible(int admission)
    {
        // WE-54: tier 2, 8,000.00; a 5th admission in the same year also uses 200.
        var split = Split(Stay(tier: 2, admission: admission, policyCost: "8000.00"));
        Assert.Equal(M("200.00"), split.Deductible);
        Assert.Equal(M("7020.00"), split.Fund);
        Assert.Equal(M("980.00"), split.Individual);
    }

    [Fact]
    public void Cost_below_the_deductible_pays_no_fund_and_the_deductible_is_still_the_schedule_value()
    {
        // WE-55: the stay still counts as the 1st admission; the deductible stays 700 although the cost is 650.
        var split = Split(Stay(policyCost: "650.00"), explain: true);
        Assert.Equal(M("700.00"), split.Deductible);
        Assert.Equal(M("0.00"), split.Fund);
        Assert.Equal(M("650.00"), split.Individual);
        Assert.Equal(M("900000.00"), split.CapLeft);
        Assert.Contains(split.Reasons, r => r.TextEn.Contains("still counts as an admission", StringComparison.Ordinal));
    }

    [Fact]
    public void Cost_exactly_at_the_deductible_pays_no_fund()
    {
        var split = Split(Stay(policyCost: "700.00"));
        Assert.Equal(M("0.00"), split.Fund);
        Assert.Equal(M("700.00"), split.Individual);
    }

    [Fact]
    public void The_fund_is_rounded_once_to_the_fen_half_away_from_zero()
    {
        // K1: (700.10 − 700) × 0.85 = 0.085 → 0.09.
        var split = Split(Stay(policyCost: "700.10"));
        Assert.Equal(M("0.09"), split.Fund);
        Assert.Equal(M("700.01"), split.Individual);
    }

    [Fact]
    public void Cap_reached_mid_stay_caps_the_fund_after_the_ratio()
    {
        // WE-57: 890,000.00 already paid; 5th admission (deductible 300); uncapped 25,245.00 → 10,000.00.
        var split = Split(Stay(admission: 5, policyCost: "30000.00", fundPaidThisYear: "890000.00"), explain: true);
        Assert.Equal(M("300.00"), split.Deductible);
        Assert.Equal(M("25245.00"), split.UncappedFund);
        Assert.Equal(M("10000.00"), split.Fund);
        Assert.Equal(M("20000.00"), split.Individual);
        Assert.Equal(M("0.00"), split.CapLeft);
        Assert.Contains(split.Reasons, r => r.RuleId == "inpatient.employee-annual-cap" && r.Values["uncappedFund"] == "25245.00");
    }

    [Fact]
    public void Cap_not_reached_leaves_the_fund_whole()
    {
        var split = Split(Stay(admission: 5, policyCost: "30000.00", fundPaidThisYear: "870000.00"));
        Assert.Equal(M("25245.00"), split.Fund);
        Assert.Equal(M("4755.00"), split.CapLeft);
    }

    [Theory]
    [InlineData("900000.00")]
    [InlineData("900000.01")]
    public void Fund_already_at_or_over_the_cap_pays_nothing_more(string paid)
    {
        var split = Split(Stay(policyCost: "30000.00", fundPaidThisYear: paid));
        Assert.Equal(M("0.00"), split.Fund);
        Assert.Equal(M("0.00"), split.CapLeft);
        Assert.Equal(M("30000.00"), split.Individual);
    }

    [Theory]
    [InlineData("0.85", "0.91")]
    [InlineData("0.90", "0.94")]
    [InlineData("0.92", "0.952")]
    public void Retiree_ratio_is_exactly_one_minus_six_tenths_of_the_in_service_share(string inService, string retiree)
    {
        var ratio = InpatientPolicy.RetireeRatio(Rate.Parse(inService), new Rate(0.6m));
        Assert.Equal(decimal.Parse(retiree, System.Globalization.CultureInfo.InvariantCulture), ratio.Value);
        Assert.Equal(retiree, InpatientDecision.Show(ratio));
    }

    [Fact]
    public void Retiree_ratio_at_tier_1_is_never_rounded_to_95_percent()
    {
        // (10,150 − 300) × 0.952 = 9,377.20; a rounded 0.95 would give 9,357.50.
        var split = Split(Stay(status: InsuredStatus.Retired, tier: 1, policyCost: "10150.00"));
        Assert.Equal(0.952m, split.Ratio.Value);
        Assert.Equal(M("9377.20"), split.Fund);
    }

    [Theory]
    [InlineData(1, "20000.00", "700.00", "17563.00", "2437.00")]
    [InlineData(2, "10000.00", "500.00", "8645.00", "1355.00")]
    public void Retiree_stays_match_WE_52_and_WE_53(int admission, string cost, string deductible, string fund, string individual)
    {
        var split = Split(Stay(status: InsuredStatus.Retired, admission: admission, policyCost: cost), explain: true);
        Assert.Equal(M(deductible), split.Deductible);
        Assert.Equal(M(fund), split.Fund);
        Assert.Equal(M(individual), split.Individual);
        Assert.Contains(split.Reasons, r => r.RuleId == "inpatient.retiree-individual-share-factor" && r.Values["ratio"] == "0.91");
    }

    [Fact]
    public void Temporary_other_remote_care_lowers_the_ratio_by_ten_points()
    {
        // WE-60b: 85% − 10 points = 75%.
        var split = Split(Stay(remoteCare: RemoteCareKind.TemporaryOther), explain: true);
        Assert.Equal(0.75m, split.Ratio.Value);
        Assert.Equal(M("14475.00"), split.Fund);
        Assert.Equal(M("5525.00"), split.Individual);
        Assert.Contains(split.Reasons, r => r.RuleId == "inpatient.remote-care-reductions");
    }

    [Fact]
    public void Temporary_other_lowers_the_retiree_ratio_that_would_otherwise_apply()
    {
        var split = Split(Stay(status: InsuredStatus.Retired, remoteCare: RemoteCareKind.TemporaryOther));
        Assert.Equal(0.81m, split.Ratio.Value);
        Assert.Equal(M("15633.00"), split.Fund);
    }

    [Theory]
    [InlineData(RemoteCareKind.None)]
    [InlineData(RemoteCareKind.LongTerm)]
    [InlineData(RemoteCareKind.TemporaryReferral)]
    [InlineData(RemoteCareKind.TemporaryEmergency)]
    public void Local_long_term_referral_and_emergency_stays_keep_the_ratio_in_990100(RemoteCareKind remoteCare)
    {
        // WE-60a (long-term); 990100 sets no reduction for referral or emergency (K13).
        var split = Split(Stay(remoteCare: remoteCare));
        Assert.Equal(M("16405.00"), split.Fund);
        Assert.Equal(M("3595.00"), split.Individual);
    }

    [Theory]
    [InlineData(3, "1000.00", "11400.00", "488600.00")]
    [InlineData(2, "600.00", "13580.00", "486420.00")]
    [InlineData(1, "200.00", "16830.00", "483170.00")]
    public void Resident_schedule_has_its_own_deductibles_ratios_and_cap(int tier, string deductible, string fund, string capLeft)
    {
        // WE-58 (tier 3): 1,000 / 60%; tier 2 600 / 70%; tier 1 200 / 85%; cap 500,000.00.
        var split = Split(Stay(scheme: InsuranceScheme.Resident, tier: tier));
        Assert.Equal(M(deductible), split.Deductible);
        Assert.Equal(M(fund), split.Fund);
        Assert.Equal(M(capLeft), split.CapLeft);
    }

    [Fact]
    public void Resident_status_is_ignored_and_later_admissions_keep_the_single_deductible()
    {
        var split = Split(Stay(scheme: InsuranceScheme.Resident, status: InsuredStatus.Retired, admission: 3));
        Assert.Equal(M("1000.00"), split.Deductible);
        Assert.Equal(0.6m, split.Ratio.Value);
    }

    [Fact]
    public void Flexible_workers_are_settled_as_in_service()
    {
        var split = Split(Stay(status: InsuredStatus.Flexible));
        Assert.Equal(M("16405.00"), split.Fund);
    }

    [Fact]
    public void Self_pay_items_are_wholly_personal()
    {
        // WE-56: 25,000.00 of which 5,000.00 outside the catalogue.
        var split = Split(Stay(selfPayCost: "5000.00"));
        Assert.Equal(M("16405.00"), split.Fund);
        Assert.Equal(M("8595.00"), split.Individual);
    }

    [Theory]
    [InlineData("1200.00", "1200.00", "2395.00")]
    [InlineData("3595.00", "3595.00", "0.00")]
    [InlineData("5000.00", "3595.00", "0.00")]
    [InlineData("0.00", "0.00", "3595.00")]
    public void Account_pays_first_up_to_its_balance(string balance, string accountPays, string cash)
    {
        // WE-59: balance 1,200.00 → account 1,200.00, cash 2,395.00.
        var split = Split(Stay(accountBalance: balance));
        Assert.Equal(M(accountPays), split.AccountPays);
        Assert.Equal(M(cash), split.Cash);
        Assert.Equal(split.Individual, M(accountPays) + M(cash));
    }

    [Fact]
    public void Without_explanation_there_are_no_reasons()
    {
        Assert.Empty(Split(Stay()).Reasons);
    }

    [Fact]
    public void Every_step_gives_a_reason_with_its_rule_and_source()
    {
        var reasons = Split(Stay(accountBalance: "1200.00"), explain: true).Reasons;
        Assert.Equal(
            ["inpatient.in-service-deductibles", "inpatient.in-service-ratios", "K13", "K1", "inpatient.employee-annual-cap", "K13", "K13"],
            reasons.Select(r => r.RuleId));
        Assert.All(reasons, r => Assert.False(string.IsNullOrEmpty(r.TextZh)));
        var deductible = reasons[0];
        Assert.Equal(Yibao.Domain.Policy.Provenance.Example, deductible.Provenance);
        Assert.Contains("990100.yaml:", deductible.Source, StringComparison.Ordinal);
        Assert.Equal("700.00", deductible.Values["deductible"]);
    }

    [Fact]
    public void The_split_without_explanation_allocates_nothing()
    {
        var stays = new[]
        {
            Stay(),
            Stay(status: InsuredStatus.Retired, tier: 1, admission: 7, accountBalance: "500.00"),
            Stay(admission: 5, policyCost: "30000.00", fundPaidThisYear: "890000.00", remoteCare: RemoteCareKind.TemporaryOther),
            Stay(scheme: InsuranceScheme.Resident, tier: 2, selfPayCost: "1000.00"),
        };
        var policy = Demo;
        foreach (var s in stays) InpatientDecision.Decide(in s, policy, Explanation.None);
        var before = GC.GetAllocatedBytesForCurrentThread();
        long fen = 0;
        for (var i = 0; i < 1000; i++)
        {
            var split = InpatientDecision.Decide(in stays[i % stays.Length], policy, Explanation.None);
            fen += split.Fund.Fen;
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(fen > 0);
    }

    [Theory]
    [InlineData(0, 1, "tier")]
    [InlineData(4, 1, "tier")]
    [InlineData(3, 0, "admission")]
    [InlineData(3, -1, "admission")]
    public void Tier_outside_1_to_3_or_admission_below_1_is_a_clear_error(int tier, int admission, string field)
    {
        var error = Assert.Throws<YibaoException>(() => Split(Stay(tier: tier, admission: admission))).Error;
        Assert.Equal("invalid-field", error.Code?.Value);
        Assert.Equal(field, error.Details["field"]);
    }

    [Theory]
    [InlineData("policyCost")]
    [InlineData("selfPayCost")]
    [InlineData("fundPaidThisYear")]
    [InlineData("accountBalance")]
    public void Negative_amount_is_a_clear_error(string field)
    {
        var stay = field switch
        {
            "policyCost" => Stay(policyCost: "-0.01"),
            "selfPayCost" => Stay(selfPayCost: "-0.01"),
            "fundPaidThisYear" => Stay(fundPaidThisYear: "-0.01"),
            _ => Stay(accountBalance: "-0.01"),
        };
        var error = Assert.Throws<YibaoException>(() => Split(stay)).Error;
        Assert.Equal("invalid-field", error.Code?.Value);
        Assert.Equal(field, error.Details["field"]);
    }

    [Fact]
    public void Undefined_remote_care_value_is_a_clear_error()
    {
        var error = Assert.Throws<YibaoException>(() => Split(Stay(remoteCare: (RemoteCareKind)9))).Error;
        Assert.Equal("remoteCare", error.Details["field"]);
    }

    [Fact]
    public void Costs_too_large_to_add_are_out_of_range_not_a_wrap_around()
    {
        var stay = Stay() with { PolicyCost = Yibao.Domain.Money.Money.FromFen(long.MaxValue - 10), SelfPayCost = Yibao.Domain.Money.Money.FromFen(11) };
        Assert.Equal("amount-out-of-range", Assert.Throws<YibaoException>(() => Split(stay)).Error.Code?.Value);
    }
}
