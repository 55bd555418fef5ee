using Yibao.Domain.Calendars;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Policy;

namespace Yibao.Domain.Tests.Features.Withdrawal;

/// <summary>Bad withdrawal values in a pack are refused at load, with file and line.</summary>
public class WithdrawalPolicyTests
{
    private static PolicyLoadError Refused(string rule)
    {
        var national = $"""
            region: "000000"
            name: 全国
            versions:
              - id: w
                from: 2023-01-01
                rules:
                  withdrawal.death:
                    value: {rule}
                    provenance: example
                    source: test
            """;
        var e = Assert.Throws<PolicyValidationException>(() => PolicyPackLoader.Load([("000000.yaml", national)], HolidayCalendars.Shipped));
        return Assert.Single(e.Errors);
    }

    [Theory]
    [InlineData("{ allowed: false }", "needs a refusalCode")]
    [InlineData("{ allowed: false, refusalCode: because-we-say-so }", "is not a withdrawal refusal code")]
    [InlineData("{ allowed: false, refusalCode: no-legal-basis, payTo: heir-bank }", "takes no conditions")]
    [InlineData("{ allowed: true, materials: [[death-certificate]] }", "needs payTo")]
    [InlineData("{ allowed: true, payTo: applicant-bank }", "goes to the heirs")]
    [InlineData("{ allowed: true, payTo: heir-bank, materials: [[death-certificate], [death-certificate]] }", "appears in two requirements")]
    [InlineData("{ allowed: true, payTo: heir-bank, materials: [[]] }", "at least one code")]
    public void A_bad_rule_is_refused_with_file_line_and_why(string rule, string why)
    {
        var error = Refused(rule);
        Assert.Equal("000000.yaml", error.File);
        Assert.Equal(8, error.Line);
        Assert.Contains("withdrawal.death", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_material_code_in_a_pack_is_refused()
    {
        var error = Refused("{ allowed: true, payTo: heir-bank, materials: [[death-certficate]] }");
        Assert.Contains("'death-certficate' is not one of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreigners_payout_without_a_written_application_is_refused()
    {
        var national = """
            region: "000000"
            name: 全国
            versions:
              - id: w
                from: 2023-01-01
                rules:
                  withdrawal.foreigner-leaving:
                    value: { allowed: true, payTo: applicant-bank }
                    provenance: example
                    source: test
            """;
        var error = Assert.Single(Assert.Throws<PolicyValidationException>(() => PolicyPackLoader.Load([("000000.yaml", national)], HolidayCalendars.Shipped)).Errors);
        Assert.Contains("requiresWrittenApplication must be true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_keys_are_one_per_reason()
    {
        foreach (var reason in Enum.GetValues<WithdrawalReason>())
            Assert.Equal("withdrawal." + WithdrawalNames.Code(reason), WithdrawalKeys.For(reason).Name);
    }
}
