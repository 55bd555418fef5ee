using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Policy;

namespace Yibao.Domain.Tests.Features.Crediting;

/// <summary>Crediting and contribution keys: the real packs bind, and bad values are refused at load with file and line.</summary>
public class CreditingPolicyTests
{
    private static PolicyLoadError Refused(string key, string value) =>
        TestPacks.Refused("", TestPacks.Version("bad", "2023-01-01", TestPacks.Rules((key, value))));

    [Theory]
    [InlineData("crediting.legacy-age-brackets", "[{ upToAge: 45, rate: 0.034 }, { upToAge: 35, rate: 0.03 }, { upToAge: null, rate: 0.037 }]", "increasing age order")]
    [InlineData("crediting.legacy-age-brackets", "[{ upToAge: 35, rate: 0.03 }, { upToAge: 45, rate: 0.034 }]", "open-ended")]
    [InlineData("crediting.legacy-age-brackets", "[{ upToAge: null, rate: 0.03 }, { upToAge: 45, rate: 0.034 }]", "not the last")]
    [InlineData("crediting.in-service-rate", "0.5", "not a credit rate")]
    [InlineData("crediting.retiree-fixed-amount", "\"-1.00\"", "negative")]
    [InlineData("crediting.insurance-year-start-month", "13", "month number")]
    [InlineData("crediting.deductions", "[{ code: LTC, name: x, monthlyAmount: \"2.00\", appliesTo: [employed] }]", "kebab-case")]
    [InlineData("crediting.deductions", "[{ code: ltc, name: x, monthlyAmount: \"2.00\", appliesTo: [] }]", "no status")]
    [InlineData("contribution.base-limits", "{ floor: \"21000.00\", ceiling: \"4200.00\" }", "below the floor")]
    [InlineData("contribution.employer-rate", "1.2", "between 0 and 1")]
    [InlineData("contribution.average-wage", "\"0.00\"", "more than 0.00")]
    public void A_bad_value_is_refused_with_file_and_line(string key, string value, string why)
    {
        var error = Refused(key, value);
        Assert.Equal("990100.yaml", error.File);
        Assert.Equal(9, error.Line); // the value's line: region, name, parent, versions, id, from, rules, key, value
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_status_in_a_deduction_is_refused()
    {
        var error = Refused("crediting.deductions", "[{ code: ltc, name: x, monthlyAmount: \"2.00\", appliesTo: [pensioner] }]");
        Assert.Contains("employed, retired, flexible-employed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_policy_keeps_each_value_with_its_provenance()
    {
        var policy = CreditingPolicy.From(TestPacks.Real("990100", new DateOnly(2025, 5, 1)));
        Assert.Equal(Provenance.Example, policy.RetireeFixedAmount!.Rule.Provenance);
        Assert.Equal("990100.yaml", policy.RetireeFixedAmount.Rule.File);
        Assert.Equal(Provenance.Official, policy.InServiceRate!.Rule.Provenance);
        Assert.Equal("000000", policy.InServiceRate.Rule.DefinedBy.Value);
        Assert.Equal(AgeReferenceDay.FirstOfMonth, policy.AgeReference!.Value);
        Assert.Equal("4200.00", policy.Contribution.BaseLimits!.Value.Floor.ToPlainString());
        Assert.Empty(policy.Deductions!.Value);
    }

    [Fact]
    public void Fuzhou_legacy_version_ends_with_the_national_transition()
    {
        Assert.Equal(CreditingScheme.LegacyAgeBrackets, CreditingPolicy.From(TestPacks.Real("350100", new DateOnly(2024, 12, 1))).Scheme!.Value);
        Assert.Equal(CreditingScheme.Reform, CreditingPolicy.From(TestPacks.Real("350100", new DateOnly(2025, 1, 1))).Scheme!.Value);
    }
}
