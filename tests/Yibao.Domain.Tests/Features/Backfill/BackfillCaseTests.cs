using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Tests.Features.Crediting;

namespace Yibao.Domain.Tests.Features.Backfill;

/// <summary>The <c>backfill</c> case kind: every case of tests/acceptance/backfill.json, and bad input.</summary>
public class BackfillCaseTests
{
    public static TheoryData<string> CaseIds() => TestPacks.CaseIds("backfill.json");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Acceptance_case_passes(string id)
    {
        var c = TestPacks.Cases("backfill.json").Single(x => x.Id == id);
        var answer = CaseKinds.Default.Answer(c);
        Assert.Empty(CaseComparison.Compare(c.Expect, answer));
        Assert.NotEmpty(Assert.IsType<JsonArray>(answer["reasons"]));
    }

    [Fact]
    public void Answer_lists_each_month_with_due_date_days_and_late_fee()
    {
        var answer = TestPacks.Ask("backfill", "990100", new DateOnly(2025, 6, 16),
            """{ "cause": "individual", "status": "flexible", "months": ["2025-01","2025-02"], "base": "7000.00", "rate": "0.10", "paidOn": "2025-06-16" }""");
        var months = Assert.IsType<JsonArray>(answer["months"]);
        Assert.Equal(2, months.Count);
        Assert.Equal("2025-01-31", (string?)months[0]!["dueDate"]);
        Assert.Equal(136, (int)months[0]!["daysLate"]!);
        Assert.Equal("47.60", (string?)months[0]!["lateFee"]);
        Assert.Equal("individual", (string?)answer["lateFeePayer"]);
    }

    [Theory]
    [InlineData("""{ "cause": "nobody", "status": "flexible", "months": ["2025-01"], "paidOn": "2025-06-16" }""", "invalid-field", "cause")]
    [InlineData("""{ "cause": "individual", "status": "flexible", "months": ["2025-13"], "paidOn": "2025-06-16" }""", "invalid-month", null)]
    [InlineData("""{ "cause": "individual", "status": "flexible", "months": ["2025-01"] }""", "missing-field", "paidOn")]
    [InlineData("""{ "cause": "individual", "status": "flexible", "months": ["2025-01"], "paidOn": "2025-06-16", "rate": "ten" }""", "invalid-rate", null)]
    public void Bad_input_is_a_clear_error(string input, string code, string? field)
    {
        var error = Assert.Throws<YibaoException>(() => TestPacks.Ask("backfill", "990100", new DateOnly(2025, 6, 16), input));
        Assert.Equal(code, error.Error.Code?.Value);
        if (field is not null) Assert.Equal(field, error.Error.Details["field"]);
    }
}
