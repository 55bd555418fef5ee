using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Features.Withdrawal;

/// <summary>The <c>withdrawal</c> case kind: every case of tests/acceptance/withdrawal.json, and bad input.</summary>
public class WithdrawalCaseTests
{
    internal static string AcceptanceFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "acceptance", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/acceptance/{name} not found above " + AppContext.BaseDirectory);
    }

    internal static IReadOnlyList<AcceptanceCase> Cases(string name) =>
        AcceptanceCase.ReadFile(File.ReadAllText(AcceptanceFile(name)), name);

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases("withdrawal.json")) data.Add(c.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Acceptance_case_passes(string id)
    {
        var c = Cases("withdrawal.json").Single(x => x.Id == id);
        var answer = CaseKinds.Default.Answer(c);
        Assert.Empty(CaseComparison.Compare(c.Expect, answer));
        Assert.NotEmpty(Assert.IsType<JsonArray>(answer["reasons"]));
    }

    private const string Good = """
        { "reason": "death", "status": "employed", "retiredOn": null, "balance": "5432.10",
          "materials": ["death-certificate", "heir-proof", "heir-id"], "writtenApplication": true, "heirInsuredInRegion": false }
        """;

    private static JsonObject Answer(string input, string region = "990100", string date = "2025-07-03") =>
        CaseKinds.Default.Answer(new AcceptanceCase("t", "withdrawal", RegionCode.Parse(region), DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), null, JsonNode.Parse(input)!.AsObject(), []));

    [Fact]
    public void Answer_has_every_field_of_the_case_shape()
    {
        var a = Answer(Good.Replace("\"heir-id\"]", "\"heir-id\", \"power-of-attorney\"]", StringComparison.Ordinal).Replace("\"balance\"", "\"byAgent\": true, \"balance\"", StringComparison.Ordinal));
        Assert.True((bool)a["eligible"]!);
        Assert.False((bool)a["complete"]!);
        Assert.Equal("0.00", (string?)a["payout"]);
        Assert.Equal("none", (string?)a["payTo"]);
        Assert.Equal("open", (string?)a["accountStatusAfter"]);
        Assert.Equal("[\"agent-id\"]", a["missingMaterials"]!.ToJsonString());
        Assert.Equal("materials-missing", (string?)a["reasonCode"]);
    }

    [Theory]
    [InlineData("\"heir-id\"", "\"heir-passport\"", "materials")]
    [InlineData("\"death\"", "\"lottery-win\"", "reason")]
    [InlineData("\"employed\"", "\"student\"", "status")]
    [InlineData("\"5432.10\"", "\"-1.00\"", "balance")]
    [InlineData("\"retiredOn\": null", "\"retiredOn\": \"2020-01-01\"", "retiredOn")]
    [InlineData("\"writtenApplication\": true", "\"writtenApplication\": \"yes\"", "writtenApplication")]
    public void Bad_input_is_a_clear_error(string from, string to, string field)
    {
        var error = Assert.Throws<YibaoException>(() => Answer(Good.Replace(from, to, StringComparison.Ordinal))).Error;
        Assert.Equal("invalid-field", error.Code?.Value);
        Assert.Equal(field, error.Details["field"]);
    }

    [Fact]
    public void An_unknown_material_code_names_the_code_and_the_known_ones()
    {
        var error = Assert.Throws<YibaoException>(() => Answer(Good.Replace("\"heir-id\"", "\"heir-passport\"", StringComparison.Ordinal))).Error;
        Assert.Contains("'heir-passport'", error.MessageEn, StringComparison.Ordinal);
        Assert.Contains("death-certificate", error.MessageEn, StringComparison.Ordinal);
    }

    [Fact]
    public void A_retirement_date_after_the_application_day_is_dates_out_of_order()
    {
        var error = Assert.Throws<YibaoException>(() => Answer(Good.Replace("\"employed\", \"retiredOn\": null", "\"retired\", \"retiredOn\": \"2025-08-01\"", StringComparison.Ordinal))).Error;
        Assert.Equal("invalid-date-range", error.Code?.Value);
    }

    [Fact]
    public void Where_the_heir_account_rule_applies_the_heirs_insurance_must_be_stated()
    {
        var error = Assert.Throws<YibaoException>(() => Answer(Good.Replace(", \"heirInsuredInRegion\": false", "", StringComparison.Ordinal))).Error;
        Assert.Equal("missing-field", error.Code?.Value);
        // 广州 pays the heir's bank either way: the fact is not needed there.
        Assert.True((bool)Answer(Good.Replace(", \"heirInsuredInRegion\": false", "", StringComparison.Ordinal), "440100")["complete"]!);
    }

    [Fact]
    public void A_move_where_transfer_is_impossible_needs_the_target_region()
    {
        const string move = """{ "reason": "transfer-impossible", "status": "employed", "balance": "4000.00", "materials": [] }""";
        Assert.Equal("missing-field", Assert.Throws<YibaoException>(() => Answer(move, "440100")).Error.Code?.Value);
        Assert.Equal("invalid-field", Assert.Throws<YibaoException>(() => Answer(move.Replace("\"materials\"", "\"targetRegion\": \"440100\", \"materials\"", StringComparison.Ordinal), "440100")).Error.Code?.Value);
        Assert.Equal("province-wide-account", (string?)Answer(move.Replace("\"materials\"", "\"targetRegion\": \"440300\", \"materials\"", StringComparison.Ordinal), "440100")["reasonCode"]);
    }

    [Fact]
    public void Without_the_written_application_flag_the_materials_decide()
    {
        const string foreigner = """{ "reason": "foreigner-leaving", "status": "employed", "balance": "2345.67", "materials": ["written-application"] }""";
        Assert.True((bool)Answer(foreigner)["complete"]!);
        Assert.Equal("written-application-missing", (string?)Answer(foreigner.Replace("\"written-application\"", "", StringComparison.Ordinal))["reasonCode"]);
    }
}
