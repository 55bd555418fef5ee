using Yibao.Domain.Calendars;
using Yibao.Domain.Features.CommercialInsurance;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Policy;

public class PolicyPackLoaderTests
{
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

    private static PolicyBook Load(params (string Name, string Text)[] files) =>
        PolicyPackLoader.Load(files, HolidayCalendars.Shipped);

    private static PolicyLoadError Refused(params (string Name, string Text)[] files) =>
        Assert.Single(Assert.Throws<PolicyValidationException>(() => Load(files)).Errors);

    private static string City(string versions) => $"""
        region: "990100"
        name: 示例市
        parent: "990000"
        versions:
        {versions}
        """;

    private const string GoodBrackets = """
          - id: ci
            from: 2023-01-01
            rules:
              commercial-insurance.purchase-brackets:
                value:
                  - { from: "3000.00", below: "6000.00", limit: "1000.00" }
                  - { from: "6000.00", below: null, limit: "2000.00" }
                provenance: seed
                source: seed 003
        """;

    [Fact]
    public void The_packs_of_the_repository_load()
    {
        var book = PolicyPackLoader.Embedded;
        Assert.True(book.Has(RegionCode.Demo));
        Assert.True(book.Has(RegionCode.National));
        Assert.Equal("示例市", book.For(RegionCode.Demo, new DateOnly(2025, 6, 1)).RegionName);
    }

    [Fact]
    public void A_good_pack_binds_typed_values_with_provenance_and_line()
    {
        var book = Load(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets)));
        var policy = book.For(RegionCode.Demo, new DateOnly(2025, 1, 1));
        var brackets = policy.Get(CommercialInsuranceKeys.Brackets);
        Assert.Equal(DMoney.Parse("1000.00"), brackets[0].Limit);
        Assert.Null(brackets[1].Below);
        var rule = policy.Explain(CommercialInsuranceKeys.Brackets);
        Assert.Equal(Provenance.Seed, rule.Provenance);
        Assert.Equal("990100.yaml", rule.File);
        Assert.Equal(8, rule.Line);
        Assert.Equal("990100@ci", policy.VersionId);
    }

    [Fact]
    public void A_rule_is_not_in_force_before_its_version_starts()
    {
        var book = Load(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets)));
        var policy = book.For(RegionCode.Demo, new DateOnly(2022, 12, 31));
        Assert.False(policy.Has(CommercialInsuranceKeys.Brackets));
        Assert.Equal("policy-rule-missing", Assert.Throws<Errors.YibaoException>(() => policy.Get(CommercialInsuranceKeys.Brackets)).Error.Code?.Value);
    }

    [Fact]
    public void A_later_version_replaces_a_rule_from_its_start_and_the_city_overrides_the_nation()
    {
        var national = National + """

              - id: national-2020
                from: 2020-01-01
                rules:
                  commercial-insurance.purchase-brackets:
                    value: [ { from: "0.00", below: null, limit: "1.00" } ]
                    provenance: example
                    source: test
            """;
        var city = City(GoodBrackets + """

              - id: ci-2026
                from: 2026-01-01
                rules:
                  commercial-insurance.purchase-brackets:
                    value: [ { from: "0.00", below: null, limit: "5.00" } ]
                    provenance: example
                    source: test
            """);
        var book = Load(("000000.yaml", national), ("990000.yaml", Province), ("990100.yaml", city));
        Limit(book, "990100", "2022-06-01", "1.00");
        Limit(book, "990100", "2025-12-31", "1000.00");
        Limit(book, "990100", "2026-01-01", "5.00");
        Limit(book, "990000", "2026-01-01", "1.00");
        Assert.Equal("990100@ci-2026+ci;000000@national-2020", book.For(RegionCode.Demo, new DateOnly(2026, 1, 1)).VersionId);

        static void Limit(PolicyBook book, string region, string date, string first) =>
            Assert.Equal(first, book.For(RegionCode.Parse(region), DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))
                .Get(CommercialInsuranceKeys.Brackets)[0].Limit.ToPlainString());
    }

    [Fact]
    public void Unknown_key_is_refused_with_file_line_and_a_suggestion()
    {
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("purchase-brackets", "purchase-bracket", StringComparison.Ordinal))));
        Assert.Equal("990100.yaml:8: unknown key 'commercial-insurance.purchase-bracket' (did you mean 'commercial-insurance.purchase-brackets'?)", error.ToString());
    }

    [Fact]
    public void Unknown_field_is_refused_with_file_and_line()
    {
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("source: seed 003", "source: seed 003\n        sauce: x", StringComparison.Ordinal))));
        Assert.Equal("990100.yaml", error.File);
        Assert.Equal(14, error.Line);
        Assert.Contains("unknown field 'sauce'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_is_refused_at_the_line_of_the_value()
    {
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("limit: \"1000.00\"", "limit: \"a lot\"", StringComparison.Ordinal))));
        Assert.Equal(10, error.Line);
        Assert.Contains("'a lot' is not an amount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Amount_with_three_decimals_is_a_wrong_type()
    {
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("\"1000.00\"", "\"1000.001\"", StringComparison.Ordinal))));
        Assert.Contains("'1000.001' is not an amount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_brackets_are_refused_as_in_WE_62()
    {
        // The seed read literally: "3000以上至6000以下" and "6000以上" both contain 6,000 (民法典 art. 1259).
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("below: \"6000.00\"", "below: \"6000.01\"", StringComparison.Ordinal))));
        Assert.Equal(10, error.Line);
        Assert.Contains("overlap", error.Message, StringComparison.Ordinal);
        Assert.Contains("6000.00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_source_is_refused()
    {
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("\n        source: seed 003", "", StringComparison.Ordinal))));
        Assert.Equal(8, error.Line);
        Assert.Contains("missing source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_or_unknown_provenance_is_refused()
    {
        var missing = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("        provenance: seed\n", "", StringComparison.Ordinal))));
        Assert.Contains("missing provenance", missing.Message, StringComparison.Ordinal);
        var unknown = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("provenance: seed", "provenance: rumour", StringComparison.Ordinal))));
        Assert.Equal(12, unknown.Line);
    }

    [Fact]
    public void Overlapping_versions_of_one_rule_are_refused()
    {
        var twice = GoodBrackets + "\n" + GoodBrackets.Replace("id: ci", "id: ci-again", StringComparison.Ordinal);
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(twice)));
        Assert.Contains("versions 'ci' (2023-01-01…) and 'ci-again' (2023-01-01…) overlap", error.Message, StringComparison.Ordinal);
        Assert.Equal(17, error.Line);

        var ended = GoodBrackets.Replace("from: 2023-01-01", "from: 2023-01-01\n    to: 2024-06-30", StringComparison.Ordinal)
                    + "\n" + GoodBrackets.Replace("id: ci", "id: ci-2024", StringComparison.Ordinal).Replace("2023-01-01", "2024-01-01", StringComparison.Ordinal);
        Assert.Contains("overlap", Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(ended))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Consecutive_versions_do_not_overlap()
    {
        var ended = GoodBrackets.Replace("from: 2023-01-01", "from: 2023-01-01\n    to: 2023-12-31", StringComparison.Ordinal)
                    + "\n" + GoodBrackets.Replace("id: ci", "id: ci-2024", StringComparison.Ordinal).Replace("2023-01-01", "2024-01-01", StringComparison.Ordinal);
        Load(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(ended)));
    }

    [Fact]
    public void Inheritance_cycle_is_refused()
    {
        var a = """
            region: "990100"
            name: A
            parent: "990200"
            versions:
            """;
        var b = """
            region: "990200"
            name: B
            parent: "990100"
            versions:
            """;
        var errors = Assert.Throws<PolicyValidationException>(() => Load(("000000.yaml", National), ("990100.yaml", a), ("990200.yaml", b))).Errors;
        Assert.Contains(errors, e => e.ToString() == "990100.yaml:1: inheritance cycle: 990100 → 990200 → 990100");
    }

    [Fact]
    public void Parent_without_a_pack_is_refused()
    {
        var error = Refused(("000000.yaml", National), ("990100.yaml", City("")));
        Assert.Equal("990100.yaml:1: parent region 990000 has no pack", error.ToString());
    }

    [Fact]
    public void Two_packs_for_one_region_are_refused()
    {
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("again.yaml", Province));
        Assert.Contains("region 990000 already has a pack in 990000.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_that_ends_before_it_starts_is_refused()
    {
        var error = Refused(("000000.yaml", National), ("990000.yaml", Province), ("990100.yaml", City(GoodBrackets.Replace("from: 2023-01-01", "from: 2023-01-01\n    to: 2022-01-01", StringComparison.Ordinal))));
        Assert.Contains("ends (2022-01-01) before it starts (2023-01-01)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_is_refused_with_its_line()
    {
        var error = Refused(("000000.yaml", National), ("990000.yaml", "region: \"990000\"\nname: [unclosed\n"));
        Assert.Equal("990000.yaml", error.File);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }
}
