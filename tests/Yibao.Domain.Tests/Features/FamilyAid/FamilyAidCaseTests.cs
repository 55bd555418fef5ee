using System.Text.Json.Nodes;
using Yibao.Domain.Calendars;
using Yibao.Domain.Cases;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Tests.Features.Withdrawal;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.FamilyAid;

/// <summary>The <c>family-aid</c> case kind: every case of tests/acceptance/family-aid.json, bad input, and the keys' checks.</summary>
public class FamilyAidCaseTests
{
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in WithdrawalCaseTests.Cases("family-aid.json")) data.Add(c.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Acceptance_case_passes(string id)
    {
        var c = WithdrawalCaseTests.Cases("family-aid.json").Single(x => x.Id == id);
        var answer = CaseKinds.Default.Answer(c);
        Assert.Empty(CaseComparison.Compare(c.Expect, answer));
        Assert.NotEmpty(Assert.IsType<JsonArray>(answer["reasons"]));
    }

    private const string Spend = """
        { "relation": "spouse", "raisingProof": false, "boundOn": "2025-03-01", "windowStart": "2025-03-01", "windowEnd": "2026-02-28",
          "relativeInsured": true, "relativeRegion": "990100", "purpose": "pharmacy", "designated": true, "spendOn": "2025-05-10",
          "amount": "286.50", "ownerBalance": "3000.00" }
        """;

    private const string BindingOnly = """
        { "relation": "spouse", "boundOn": "2025-03-01", "windowStart": "2025-03-01", "windowEnd": "2026-02-28", "relativeInsured": true }
        """;

    private static JsonObject Answer(string input, string region = "990100") =>
        CaseKinds.Default.Answer(new AcceptanceCase("t", "family-aid", RegionCode.Parse(region), new DateOnly(2025, 5, 10), null, JsonNode.Parse(input)!.AsObject(), []));

    [Fact]
    public void A_binding_question_answers_only_whether_the_binding_is_allowed()
    {
        var a = Answer(BindingOnly);
        Assert.True((bool)a["bindingAllowed"]!);
        Assert.Null(a["allowed"]);
        Assert.Null(a["accountPays"]);
    }

    [Fact]
    public void A_refused_spend_names_its_code()
    {
        Assert.Equal("outside-window", (string?)Answer(Spend.Replace("\"spendOn\": \"2025-05-10\"", "\"spendOn\": \"2026-03-01\"", StringComparison.Ordinal))["reasonCode"]);
    }

    [Fact]
    public void The_owners_leaving_the_region_dissolves_the_binding()
    {
        var a = Answer(Spend.Replace("\"ownerBalance\"", "\"ownerLeftRegionOn\": \"2025-05-01\", \"ownerBalance\"", StringComparison.Ordinal));
        Assert.Equal("relationship-dissolved", (string?)a["reasonCode"]);
    }

    [Theory]
    [InlineData("\"spouse\"", "\"neighbour\"", "relation")]
    [InlineData("\"pharmacy\"", "\"spa\"", "purpose")]
    [InlineData("\"286.50\"", "\"0.00\"", "amount")]
    [InlineData("\"3000.00\"", "\"-1.00\"", "ownerBalance")]
    [InlineData("\"relativeRegion\": \"990100\"", "\"relativeRegion\": \"99010\"", "relativeRegion")]
    public void Bad_input_is_a_clear_error(string from, string to, string field)
    {
        var error = Assert.Throws<YibaoException>(() => Answer(Spend.Replace(from, to, StringComparison.Ordinal))).Error;
        Assert.Contains(error.Code.Value, (string[])["invalid-field", "amount-not-positive", "invalid-region-code"]);
        if (error.Details.TryGetValue("field", out var f)) Assert.Equal(field, f);
    }

    [Theory]
    [InlineData("designated")]
    [InlineData("relativeInsured")]
    [InlineData("ownerBalance")]
    [InlineData("spendOn")]
    public void A_fact_the_spend_needs_is_required(string field)
    {
        var input = JsonNode.Parse(Spend)!.AsObject();
        input.Remove(field);
        var error = Assert.Throws<YibaoException>(() => Answer(input.ToJsonString())).Error;
        Assert.Equal("missing-field", error.Code?.Value);
        Assert.Equal(field, error.Details["field"]);
    }

    [Fact]
    public void A_spend_without_a_purpose_is_a_missing_purpose()
    {
        var error = Assert.Throws<YibaoException>(() => Answer(BindingOnly.Replace("\"relativeInsured\": true", "\"relativeInsured\": true, \"spendOn\": \"2025-05-10\"", StringComparison.Ordinal))).Error;
        Assert.Equal("missing-field", error.Code?.Value);
        Assert.Equal("purpose", error.Details["field"]);
    }

    private static PolicyLoadError Refused(string key, string value)
    {
        var national = $"""
            region: "000000"
            name: 全国
            versions:
              - id: f
                from: 2025-01-01
                rules:
                  {key}:
                    value: {value}
                    provenance: example
                    source: test
            """;
        return Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyPackLoader.Load([("000000.yaml", national)], HolidayCalendars.Shipped)).Errors);
    }

    [Theory]
    [InlineData("family-aid.relations", "[spouse, parent, child, parent-in-law]", "not a near relative")]
    [InlineData("family-aid.relations", "[spouse, parent, child, stepparent]", "count as parent / child by law")]
    [InlineData("family-aid.relations", "[spouse, child]", "'parent' is missing")]
    [InlineData("family-aid.relations", "[spouse, parent, child, child]", "listed twice")]
    [InlineData("family-aid.purposes", "[medical, fitness]", "can never be paid")]
    [InlineData("family-aid.wallet-opened-on", "2024-01-01", "before the first cross-province pilot")]
    [InlineData("family-aid.relations", "[spouse, parent, child, godparent]", "'godparent' is not one of")]
    public void A_bad_value_is_refused_with_file_and_line(string key, string value, string why)
    {
        var error = Refused(key, value);
        Assert.Equal("000000.yaml", error.File);
        Assert.Equal(8, error.Line);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_a_province_aid_across_pooling_regions_follows_the_provinces_date()
    {
        // 江苏 from 2023-05-18 (新华社); 990000 has no date of its own → the national 2024-10-31.
        var book = PolicyPackLoader.Embedded;
        var mother = new FamilyAidBinding(FamilyRelation.Parent, false,
            new DateOnly(2023, 6, 1), new DateOnly(2023, 6, 1), new DateOnly(2024, 5, 31), true, RegionCode.Parse("320583"), RegionCode.Parse("320500"));
        var spend = new FamilyAidSpend(FamilyAidPurpose.Pharmacy, true, new DateOnly(2023, 7, 1), DMoney.Parse("10.00"), DMoney.Parse("100.00"));
        var owner = FamilyAidPolicy.From(book.For(RegionCode.Parse("320583"), new DateOnly(2023, 7, 1)));
        Assert.True(FamilyAidDecision.DecideSpend(mother, spend, owner, owner, null, Explanation.Build()).Allowed);

        var demo = FamilyAidPolicy.From(book.For(RegionCode.Demo, new DateOnly(2024, 10, 30)));
        var demoMother = mother with { OwnerRegion = RegionCode.Demo, RelativeRegion = RegionCode.Parse("990200"), BoundOn = new DateOnly(2024, 10, 1), WindowStart = new DateOnly(2024, 10, 1), WindowEnd = new DateOnly(2025, 9, 30) };
        var demoBound = FamilyAidPolicy.From(book.For(RegionCode.Demo, new DateOnly(2024, 10, 1)));
        Assert.Equal("cross-region-not-open", FamilyAidDecision.DecideSpend(demoMother, spend with { SpendOn = new DateOnly(2024, 10, 30) }, demoBound, demo, null, Explanation.Build()).ReasonCode?.Value);
        var later = FamilyAidPolicy.From(book.For(RegionCode.Demo, new DateOnly(2024, 10, 31)));
        Assert.True(FamilyAidDecision.DecideSpend(demoMother, spend with { SpendOn = new DateOnly(2024, 10, 31) }, demoBound, later, null, Explanation.Build()).Allowed);
    }
}
