using System.Text.Json.Nodes;
using Yibao.Domain.Calendars;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Tests.Features.Withdrawal;
using DMoney = Yibao.Domain.Money.Money;
using Explanation = Yibao.Domain.Decisions.Explanation;

namespace Yibao.Domain.Tests.Features.Transfer;

/// <summary>The <c>transfer</c> case kind: every case of tests/acceptance/transfer.json, bad input, and the keys' checks.</summary>
public class TransferCaseTests
{
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in WithdrawalCaseTests.Cases("transfer.json")) data.Add(c.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Acceptance_case_passes(string id)
    {
        var c = WithdrawalCaseTests.Cases("transfer.json").Single(x => x.Id == id);
        var answer = CaseKinds.Default.Answer(c);
        Assert.Empty(CaseComparison.Compare(c.Expect, answer));
        Assert.NotEmpty(Assert.IsType<JsonArray>(answer["reasons"]));
    }

    private const string Good = """{ "targetRegion": "620100", "status": "employed", "appliedOn": "2025-10-04", "receivedOn": "2025-10-22", "balance": "3456.78" }""";

    private static JsonObject Answer(string input, string region = "990100") =>
        CaseKinds.Default.Answer(new AcceptanceCase("t", "transfer", RegionCode.Parse(region), new DateOnly(2025, 10, 4), null, JsonNode.Parse(input)!.AsObject(), []));

    [Theory]
    [InlineData("\"620100\"", "\"990100\"", "targetRegion")]
    [InlineData("\"employed\"", "\"student\"", "status")]
    [InlineData("\"3456.78\"", "\"-3.00\"", "balance")]
    public void Bad_input_is_a_clear_error(string from, string to, string field)
    {
        var error = Assert.Throws<YibaoException>(() => Answer(Good.Replace(from, to, StringComparison.Ordinal))).Error;
        Assert.Equal("invalid-field", error.Code?.Value);
        Assert.Equal(field, error.Details["field"]);
    }

    [Fact]
    public void A_missing_application_day_is_a_missing_field()
    {
        Assert.Equal("missing-field", Assert.Throws<YibaoException>(() => Answer(Good.Replace("\"appliedOn\": \"2025-10-04\", ", "", StringComparison.Ordinal))).Error.Code?.Value);
    }

    [Fact]
    public void A_target_without_a_pack_takes_the_national_transfer_in_limit_and_its_own_calendar()
    {
        // 北京 110000 has no pack: the national 5 working days apply.
        var a = Answer(Good.Replace("620100", "110000", StringComparison.Ordinal));
        Assert.Equal("2025-10-29", (string?)a["transferInDeadline"]);
    }

    [Fact]
    public void A_refusal_has_the_code_and_no_deadlines()
    {
        var a = Answer(Good.Replace("employed", "retired", StringComparison.Ordinal));
        Assert.False((bool)a["allowed"]!);
        Assert.Equal("retiree-not-transferable", (string?)a["reasonCode"]);
        Assert.Null(a["transferOutDeadline"]);
        Assert.Equal("3456.78", (string?)a["sourceBalanceAfter"]);
    }

    [Fact]
    public void The_deadline_keys_require_a_calendar()
    {
        Assert.True(TransferKeys.OutWorkingDays.RequiresCalendar);
        Assert.True(TransferKeys.InWorkingDays.RequiresCalendar);
        Assert.False(TransferKeys.ExcludesRetirees.RequiresCalendar);
    }

    private static PolicyLoadError Refused(string from, string rules, string? to = null)
    {
        var national = $"""
            region: "000000"
            name: 全国
            versions:
              - id: t
                from: {from}{(to is null ? "" : $"\n    to: {to}")}
                rules:
            {rules}
            """;
        return Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyPackLoader.Load([("000000.yaml", national)], HolidayCalendars.Shipped)).Errors);
    }

    [Theory]
    [InlineData("transfer.out-working-days", 15, "at most 10")]
    [InlineData("transfer.out-working-days", 0, "outside 1–10")]
    [InlineData("transfer.in-working-days", 6, "at most 5")]
    public void A_time_limit_beyond_the_national_maximum_is_refused_with_file_and_line(string key, int days, string why)
    {
        var error = Refused("2025-01-01", $"""
                  {key}:
                    value: {days}
                    provenance: example
                    source: test
            """);
        Assert.Equal("000000.yaml", error.File);
        Assert.Equal(8, error.Line);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deadline_rule_with_no_calendar_in_its_whole_span_is_refused()
    {
        // A version starting in 2028: beyond the provisional 2027 (K17), no calendar at all.
        var error = Refused("2028-01-01", """
                  transfer.out-working-days:
                    value: 10
                    provenance: official
                    source: L4
            """);
        Assert.Equal(7, error.Line);
        Assert.Contains("none is loaded for 2028–2028 (published: 2022–2026, provisional: 2027", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deadline_rule_starting_in_the_provisional_year_is_accepted()
    {
        var national = """
            region: "000000"
            name: 全国
            versions:
              - id: t
                from: 2027-01-01
                rules:
                  transfer.out-working-days: { value: 10, provenance: official, source: L4 }
            """;

        var book = PolicyPackLoader.Load([("000000.yaml", national)], HolidayCalendars.Shipped);

        Assert.Equal(10, book.For(RegionCode.National, new DateOnly(2027, 3, 1)).Get(TransferKeys.OutWorkingDays));
    }

    [Fact]
    public void A_deadline_rule_that_ended_before_the_first_notice_is_refused()
    {
        // The 15 working days of the 2016 rule, for a span no shipped calendar covers.
        var error = Refused("2016-01-01", """
                  transfer.out-working-days:
                    value: 10
                    provenance: official
                    source: L4
            """, to: "2021-12-31");
        Assert.Contains("none is loaded for 2016–2021", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_mode_is_refused()
    {
        var error = Refused("2025-01-01", """
                  transfer.within-province-mode:
                    value: teleport
                    provenance: example
                    source: test
            """);
        Assert.Contains("'teleport' is not one of: move-balance, stays, to-bank", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_to_bank_mode_pays_the_person_and_empties_the_source()
    {
        // No region uses it (the reference names none); a test pack shows what it would do.
        var packs = new (string, string)[]
        {
            ("000000.yaml", """
                region: "000000"
                name: 全国
                versions:
                  - id: t
                    from: 2025-01-01
                    rules:
                      transfer.out-working-days: { value: 10, provenance: official, source: L4 }
                      transfer.in-working-days: { value: 5, provenance: official, source: L4 }
                      transfer.excludes-retirees: { value: true, provenance: official, source: L4 }
                      transfer.within-province-mode: { value: to-bank, provenance: example, source: test }
                """),
        };
        var book = PolicyPackLoader.Load(packs, HolidayCalendars.Shipped);
        var day = new DateOnly(2025, 6, 3);
        var policy = TransferPolicy.From(book.For(RegionCode.National, day));
        var a = TransferDecision.Decide(new TransferRequest(RegionCode.Parse("990100"), RegionCode.Parse("990200"), false, day, null, DMoney.Parse("100.00")),
            policy, policy, HolidayCalendars.Shipped.National, HolidayCalendars.Shipped.National, Explanation.Build());
        Assert.Equal(TransferMode.ToBank, a.Mode);
        Assert.Equal("100.00", a.PaidToBank.ToPlainString());
        Assert.Equal(DMoney.Zero, a.SourceBalanceAfter);
        Assert.Equal(DMoney.Zero, a.TargetCredit);
    }
}
