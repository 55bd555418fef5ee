using Yibao.Domain.Errors;
using Yibao.Domain.Calendars;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using static Yibao.Domain.Tests.Features.Inpatient.InpatientTestData;

namespace Yibao.Domain.Tests.Features.Inpatient;

/// <summary>The inpatient keys in the real packs (C1 … C5, WE-63) and the checks that refuse bad values at load.</summary>
public class InpatientPolicyTests
{
    [Fact]
    public void Demo_pack_sets_every_inpatient_rule_with_provenance()
    {
        var resolved = PolicyPackLoader.Embedded.For(RegionCode.Demo, Day);
        foreach (var key in PolicySchema.Keys.Values.Where(k => k.Name.StartsWith("inpatient.", StringComparison.Ordinal)))
            Assert.True(resolved.Has(key), $"990100 lacks {key.Name}");
        Assert.Equal(new Yibao.Domain.Money.Rate(0.6m), resolved.Get(InpatientKeys.RetireeIndividualShareFactor));
        Assert.Equal(Provenance.Example, resolved.Explain(InpatientKeys.InServiceDeductibles).Provenance);
        Assert.Contains("990100@", resolved.VersionId, StringComparison.Ordinal);
        Assert.Equal(0.952m, InpatientPolicy.RetireeRatio(resolved.Get(InpatientKeys.InServiceRatios).Tier1, resolved.Get(InpatientKeys.RetireeIndividualShareFactor)).Value);
    }

    [Theory]
    [InlineData("520200")]
    [InlineData("620100")]
    [InlineData("540100")]
    public void Regions_with_the_990100_schedule_as_stand_in_give_WE_51(string region)
    {
        var split = Split(Stay(), PolicyOf(region));
        Assert.Equal(M("700.00"), split.Deductible);
        Assert.Equal(M("16405.00"), split.Fund);
        Assert.Equal(M("883595.00"), split.CapLeft);
    }

    [Fact]
    public void Wuxi_in_service_stay_matches_WE_63()
    {
        var split = Split(Stay(policyCost: "5000.00"), PolicyOf("320200"));
        Assert.Equal(M("950.00"), split.Deductible);
        Assert.Equal(M("3442.50"), split.Fund);
        Assert.Equal(M("1557.50"), split.Individual);
    }

    [Theory]
    [InlineData(3, 1, "750.00")]
    [InlineData(3, 4, "750.00")]
    [InlineData(2, 1, "600.00")]
    [InlineData(1, 1, "400.00")]
    public void Wuxi_retiree_gets_the_deductible_but_no_fund_share_for_want_of_a_ratio(int tier, int admission, string deductible)
    {
        // WE-63 / K13: 无锡 has no retiree ratio, so a retiree case asserts only the deductible.
        var split = Split(Stay(status: InsuredStatus.Retired, tier: tier, admission: admission, policyCost: "5000.00"), PolicyOf("320200"), explain: true);
        Assert.False(split.Settled);
        Assert.Equal(Codes.RuleNotInPolicy, split.RefusalCode);
        Assert.Equal("inpatient.retiree-individual-share-factor", split.MissingRule);
        Assert.Equal(M(deductible), split.Deductible);
        Assert.Contains(split.Reasons, r => r.RuleId == "inpatient.retiree-individual-share-factor");
    }

    [Fact]
    public void Region_without_a_resident_schedule_refuses_and_names_the_key()
    {
        var split = Split(Stay(scheme: InsuranceScheme.Resident), PolicyOf("320200"));
        Assert.Equal(Codes.RuleNotInPolicy, split.RefusalCode);
        Assert.Equal("inpatient.resident-deductibles", split.MissingRule);
        Assert.Null(split.Deductible);
    }

    [Fact]
    public void Temporary_stay_where_the_region_sets_no_reduction_is_refused_not_guessed()
    {
        var split = Split(Stay(remoteCare: RemoteCareKind.TemporaryOther), PolicyOf("540100"));
        Assert.Equal("inpatient.remote-care-reductions", split.MissingRule);
        Assert.Equal(M("700.00"), split.Deductible);
    }

    [Fact]
    public void Before_the_schedule_starts_nothing_can_be_settled()
    {
        var split = Split(Stay(), PolicyOf("990100", new DateOnly(2022, 12, 31)));
        Assert.Equal("inpatient.in-service-deductibles", split.MissingRule);
    }

    // --- values refused at load, with file and line ---

    private const string National = """
        region: "000000"
        name: 全国
        versions:
        """;

    private const string Province = """
        region: "990000"
        name: 示例省
        versions:
        """;

    /// <summary>A city pack whose one version sets one inpatient rule; the value is on line 9.</summary>
    private static string City(string key, string value) => $"""
        region: "990100"
        name: 示例市
        parent: "990000"
        versions:
          - id: inpatient-test
            from: 2023-01-01
            rules:
              {key}:
                value: {value}
                provenance: example
                source: test
        """;

    private static PolicyBook Load(string key, string value) =>
        PolicyPackLoader.Load([("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(key, value))], HolidayCalendars.Shipped);

    private static PolicyLoadError Refused(string key, string value) =>
        Assert.Single(Assert.Throws<PolicyValidationException>(() => Load(key, value)).Errors);

    [Theory]
    [InlineData("{ temporaryReferral: \"0%\", temporaryEmergency: \"0%\", temporaryOther: \"21%\" }", "temporaryOther 0.21 is over the national maximum of 0.20")]
    [InlineData("{ temporaryReferral: \"11%\", temporaryEmergency: \"0%\", temporaryOther: \"10%\" }", "temporaryReferral 0.11 is over the national maximum of 0.10")]
    [InlineData("{ temporaryReferral: \"0%\", temporaryEmergency: 0.15, temporaryOther: \"10%\" }", "temporaryEmergency 0.15 is over the national maximum of 0.10")]
    [InlineData("{ temporaryReferral: \"-1%\", temporaryEmergency: \"0%\", temporaryOther: \"10%\" }", "a reduction cannot be negative")]
    public void Remote_care_reduction_over_the_national_cap_is_refused_with_file_and_line(string value, string message)
    {
        var error = Refused("inpatient.remote-care-reductions", value);
        Assert.Equal("990100.yaml", error.File);
        Assert.Equal(9, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_care_reductions_at_the_national_caps_are_accepted()
    {
        var book = Load("inpatient.remote-care-reductions", "{ temporaryReferral: \"10%\", temporaryEmergency: \"10%\", temporaryOther: \"20%\" }");
        var policy = InpatientPolicy.From(book.For(RegionCode.Demo, Day));
        Assert.NotNull(policy.RemoteCareRule);
    }

    [Theory]
    [InlineData("inpatient.in-service-ratios", "{ tier1: \"92%\", tier2: \"90%\", tier3: \"120%\" }", "tier3: the ratio 1.2 must be between 0 and 1")]
    [InlineData("inpatient.resident-ratios", "{ tier1: -0.1, tier2: 0.7, tier3: 0.6 }", "tier1: the ratio -0.1 must be between 0 and 1")]
    [InlineData("inpatient.in-service-deductibles", "{ tier1: [], tier2: [\"600.00\"], tier3: [\"700.00\"] }", "tier1: give at least one deductible")]
    [InlineData("inpatient.retiree-deductibles", "{ tier1: [\"300.00\"], tier2: [\"600.00\", \"-1.00\"], tier3: [\"700.00\"] }", "tier2: deductible 2 (-1.00) is negative")]
    [InlineData("inpatient.retiree-individual-share-factor", "1.5", "must be between 0 and 1")]
    [InlineData("inpatient.employee-annual-cap", "\"0.00\"", "must be more than zero")]
    [InlineData("inpatient.temporary-filing-months", "5", "at least 6 months")]
    public void Out_of_range_inpatient_value_is_refused_with_file_and_line(string key, string value, string message)
    {
        var error = Refused(key, value);
        Assert.Equal("990100.yaml", error.File);
        Assert.Equal(9, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deductible_schedule_missing_a_tier_is_refused()
    {
        var error = Refused("inpatient.in-service-deductibles", "{ tier2: [\"600.00\"], tier3: [\"700.00\"] }");
        Assert.Contains("missing field 'tier1'", error.Message, StringComparison.Ordinal);
    }
}
