using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Features.Inpatient;

/// <summary>The <c>inpatient</c> case kind: every case of tests/acceptance/inpatient.json, and bad input.</summary>
public class InpatientCaseTests
{
    private static string AcceptanceFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "acceptance", "inpatient.json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("tests/acceptance/inpatient.json not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in AcceptanceCase.ReadFile(File.ReadAllText(AcceptanceFile()), "inpatient.json")) data.Add(c.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Acceptance_case_passes(string id)
    {
        var c = AcceptanceCase.ReadFile(File.ReadAllText(AcceptanceFile()), "inpatient.json").Single(x => x.Id == id);
        var answer = CaseKinds.Default.Answer(c);
        Assert.Empty(CaseComparison.Compare(c.Expect, answer));
        Assert.NotEmpty(Assert.IsType<JsonArray>(answer["reasons"]));
    }

    private static JsonObject Answer(string region, string input) =>
        CaseKinds.Default.Answer(new AcceptanceCase("t", "inpatient", RegionCode.Parse(region), new DateOnly(2025, 6, 1), null, JsonNode.Parse(input)!.AsObject(), []));

    private const string Good = """{ "scheme": "employee", "status": "employed", "tier": 3, "admission": 1, "policyCost": "20000.00", "selfPayCost": "0.00", "fundPaidThisYear": "0.00", "remoteCare": "none", "accountBalance": "1200.00" }""";

    [Fact]
    public void Answer_carries_every_figure_as_plain_amounts_and_the_ratio()
    {
        var answer = Answer("990100", Good);
        Assert.True((bool)answer["settled"]!);
        Assert.Equal("0.85", (string?)answer["ratio"]);
        Assert.Equal("16405.00", (string?)answer["uncappedFund"]);
        Assert.Equal("2395.00", (string?)answer["cash"]);
    }

    [Fact]
    public void Refused_answer_names_the_code_the_missing_rule_and_the_known_deductible()
    {
        var answer = Answer("320200", Good.Replace("\"employed\"", "\"retired\"", StringComparison.Ordinal));
        Assert.False((bool)answer["settled"]!);
        Assert.Equal("rule-not-in-policy", (string?)answer["reasonCode"]);
        Assert.Equal("inpatient.retiree-individual-share-factor", (string?)answer["missingRule"]);
        Assert.Equal("750.00", (string?)answer["deductible"]);
        Assert.Null(answer["fund"]);
    }

    [Theory]
    [InlineData("\"tier\": 3", "\"tier\": 4", "tier")]
    [InlineData("\"admission\": 1", "\"admission\": 0", "admission")]
    [InlineData("\"policyCost\": \"20000.00\"", "\"policyCost\": \"-5.00\"", "policyCost")]
    [InlineData("\"remoteCare\": \"none\"", "\"remoteCare\": \"abroad\"", "remoteCare")]
    [InlineData("\"scheme\": \"employee\"", "\"scheme\": \"commercial\"", "scheme")]
    [InlineData("\"status\": \"employed\"", "\"status\": \"student\"", "status")]
    [InlineData("\"tier\": 3", "\"tier\": \"3\"", "tier")]
    public void Bad_input_is_a_clear_error(string from, string to, string field)
    {
        var error = Assert.Throws<YibaoException>(() => Answer("990100", Good.Replace(from, to, StringComparison.Ordinal))).Error;
        Assert.Equal("invalid-field", error.Code?.Value);
        Assert.Equal(field, error.Details["field"]);
    }

    [Theory]
    [InlineData("\"policyCost\": \"20000.00\", ", "policyCost")]
    [InlineData("\"admission\": 1, ", "admission")]
    [InlineData("\"status\": \"employed\", ", "status")]
    public void Missing_required_field_is_a_clear_error(string remove, string field)
    {
        var error = Assert.Throws<YibaoException>(() => Answer("990100", Good.Replace(remove, "", StringComparison.Ordinal))).Error;
        Assert.Equal("missing-field", error.Code?.Value);
        Assert.Equal(field, error.Details["field"]);
    }

    [Fact]
    public void Resident_needs_no_status_or_account_balance()
    {
        var answer = Answer("990100", """{ "scheme": "resident", "tier": 3, "admission": 1, "policyCost": "20000.00", "fundPaidThisYear": "0.00" }""");
        Assert.Equal("11400.00", (string?)answer["fund"]);
        Assert.Equal("0.00", (string?)answer["accountPays"]);
    }
}
