using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Tests.Features.Crediting;

namespace Yibao.Domain.Tests.Features.WaitingPeriod;

/// <summary>The <c>waiting-period</c> case kind: every case of tests/acceptance/waiting-period.json, and bad input.</summary>
public class WaitingPeriodCaseTests
{
    public static TheoryData<string> CaseIds() => TestPacks.CaseIds("waiting-period.json");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Acceptance_case_passes(string id)
    {
        var c = TestPacks.Cases("waiting-period.json").Single(x => x.Id == id);
        var answer = CaseKinds.Default.Answer(c);
        Assert.Empty(CaseComparison.Compare(c.Expect, answer));
        Assert.NotEmpty(Assert.IsType<JsonArray>(answer["reasons"]));
    }

    private static JsonObject Ask(string input) => TestPacks.Ask("waiting-period", "990100", new DateOnly(2025, 6, 12), input);

    [Theory]
    [InlineData("local")]
    [InlineData("re-employment")]
    public void An_employee_context_other_than_transfer_is_a_clear_error(string context)
    {
        var error = Assert.Throws<YibaoException>(() => Ask($$"""{ "scheme": "employee", "context": "{{context}}", "lastPaidMonth": "2025-02", "resumedMonth": "2025-06", "gapBackfilled": true }"""));
        Assert.Equal("invalid-field", error.Error.Code?.Value);
        Assert.Equal("context", error.Error.Details["field"]);
        Assert.Contains("transfer", error.Error.MessageEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "scheme": "employee", "lastPaidMonth": "2025-02", "resumedMonth": "2025-06", "gapBackfilled": true }""", "missing-field", "context")]
    [InlineData("""{ "scheme": "military", "coverageYear": 2025 }""", "invalid-field", "scheme")]
    [InlineData("""{ "scheme": "employee", "context": "transfer", "lastPaidMonth": "2025-07", "resumedMonth": "2025-06", "gapBackfilled": true }""", "invalid-date-range", "resumedMonth")]
    [InlineData("""{ "scheme": "resident", "coverageYear": 2025, "paidOn": "2025-05-20", "inEnrolmentPeriod": false, "newborn": true, "birthDate": null }""", "missing-field", "birthDate")]
    public void Bad_input_is_a_clear_error(string input, string code, string field)
    {
        var error = Assert.Throws<YibaoException>(() => Ask(input));
        Assert.Equal(code, error.Error.Code?.Value);
        Assert.Equal(field, error.Error.Details["field"]);
    }

    [Fact]
    public void A_refused_repair_answers_with_its_code()
    {
        var answer = TestPacks.Ask("waiting-period", "990100", new DateOnly(2025, 3, 10),
            """{ "scheme": "resident", "coverageYear": 2025, "paidOn": "2025-03-10", "inEnrolmentPeriod": false, "breakYears": 5, "repairYears": 3, "newborn": false, "birthDate": null }""");
        Assert.False((bool)answer["allowed"]!);
        Assert.Equal("repair-below-floor", (string?)answer["reasonCode"]);
        Assert.Equal(2, (int)answer["maxUsefulRepairYears"]!);
    }
}
