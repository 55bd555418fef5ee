using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;

namespace Yibao.Domain.Tests.Features.Crediting;

/// <summary>The <c>crediting</c> case kind: every case of tests/acceptance/crediting.json, and bad input.</summary>
public class CreditingCaseTests
{
    public static TheoryData<string> CaseIds() => TestPacks.CaseIds("crediting.json");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Acceptance_case_passes(string id)
    {
        var c = TestPacks.Cases("crediting.json").Single(x => x.Id == id);
        var answer = CaseKinds.Default.Answer(c);
        Assert.Empty(CaseComparison.Compare(c.Expect, answer));
        Assert.NotEmpty(Assert.IsType<JsonArray>(answer["reasons"]));
    }

    private static JsonObject Ask(string region, string input) => TestPacks.Ask("crediting", region, new DateOnly(2025, 5, 1), input);

    [Fact]
    public void Flexible_worker_gets_a_refusal_code()
    {
        var answer = Ask("990100", """{ "status": "flexible", "month": "2025-05", "declaredWage": "6000.00" }""");
        Assert.False((bool)answer["credited"]!);
        Assert.Equal("flexible-not-credited", (string?)answer["reasonCode"]);
        Assert.Null(answer["credit"]);
    }

    [Fact]
    public void Birth_date_comes_from_the_id_number()
    {
        var answer = TestPacks.Ask("crediting", "350100", new DateOnly(2021, 4, 1), """{ "status": "employed", "month": "2021-04", "declaredWage": "5000.00", "idNumber": "350102198003020053" }""");
        Assert.Equal(41, (int)answer["age"]!);
        Assert.Equal("175.00", (string?)answer["credit"]);
    }

    [Theory]
    [InlineData("""{ "status": "employed", "month": "2021-04", "declaredWage": "5000.00", "idNumber": "350102198003020053", "birthDate": "1980-03-03" }""", "invalid-field", "birthDate")]
    [InlineData("""{ "status": "pensioner", "month": "2025-05" }""", "invalid-field", "status")]
    [InlineData("""{ "status": "employed", "declaredWage": "5000.00" }""", "missing-field", "month")]
    [InlineData("""{ "status": "employed", "month": "2025-05", "declaredWage": "-1.00" }""", "invalid-field", "declaredWage")]
    public void Bad_input_is_a_clear_error(string input, string code, string field)
    {
        var error = Assert.Throws<YibaoException>(() => TestPacks.Ask("crediting", "350100", new DateOnly(2021, 4, 1), input));
        Assert.Equal(code, error.Error.Code?.Value);
        Assert.Equal(field, error.Error.Details["field"]);
    }

    [Fact]
    public void Invalid_id_number_is_refused()
    {
        var error = Assert.Throws<YibaoException>(() => Ask("990100", """{ "status": "employed", "month": "2025-05", "declaredWage": "5000.00", "idNumber": "350102198003020054" }"""));
        Assert.Equal("invalid-id-number", error.Error.Code?.Value);
    }
}
