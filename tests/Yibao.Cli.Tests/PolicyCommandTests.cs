using System.Text.Json;

namespace Yibao.Cli.Tests;

public class PolicyCommandTests
{
    [Fact]
    public async Task The_built_in_packs_validate()
    {
        var (exit, output, _) = await CliRunner.RunAsync("policy", "validate");
        Assert.Equal(0, exit);
        Assert.StartsWith("OK 20 packs", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_with_a_bad_pack_lists_each_problem_with_file_and_line()
    {
        var folder = CliRunner.TempFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "000000.yaml"), """
            region: "000000"
            name: 全国
            versions:
              - id: bad
                from: 2022-01-01
                rules:
                  waiting-period.transfer-waiting-months:
                    value: 7
                    provenance: official
                    source: test
                  no.such-key:
                    value: 1
                    provenance: example
                    source: test
            """);
        var (exit, _, error) = await CliRunner.RunAsync("policy", "validate", folder);
        Assert.Equal(1, exit);
        Assert.Contains("000000.yaml:8: waiting-period.transfer-waiting-months:", error, StringComparison.Ordinal);
        Assert.Contains("000000.yaml:11: unknown key 'no.such-key'", error, StringComparison.Ordinal);
        Assert.Contains("2 problem(s)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_prints_the_merged_policy_with_provenance_as_json()
    {
        var (exit, output, _) = await CliRunner.RunAsync("policy", "show", "990100", "--date", "2025-06-01", "--json");
        Assert.Equal(0, exit);
        var policy = JsonDocument.Parse(output).RootElement;
        Assert.Equal("990100", policy.GetProperty("region").GetString());
        var rule = policy.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "crediting.retiree-fixed-amount");
        Assert.Equal("62.00", rule.GetProperty("value").GetString());
        Assert.Equal("example", rule.GetProperty("provenance").GetString());
    }

    [Fact]
    public async Task Show_for_an_unknown_region_is_a_clear_error()
    {
        var (exit, _, error) = await CliRunner.RunAsync("policy", "show", "123400", "--date", "2025-06-01");
        Assert.Equal(2, exit);
        Assert.Contains("error unknown-region", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_answers_with_reasons_in_both_languages()
    {
        var input = Path.Combine(CliRunner.TempFolder(), "stay.json");
        await File.WriteAllTextAsync(input, """
            { "scheme": "employee", "status": "retired", "tier": 3, "admission": 1, "policyCost": "20000.00",
              "selfPayCost": "0.00", "fundPaidThisYear": "0.00", "remoteCare": "none", "accountBalance": "0.00" }
            """);
        var (exit, output, _) = await CliRunner.RunAsync("explain", "inpatient", "--region", "990100", "--date", "2025-06-01", "--input", input);
        Assert.Equal(0, exit);
        Assert.Contains("17563.00", output, StringComparison.Ordinal); // WE-52
        Assert.Contains("Why / 依据", output, StringComparison.Ordinal);
        Assert.Contains("example value, not a real number", output, StringComparison.Ordinal);

        var (jsonExit, json, _) = await CliRunner.RunAsync("explain", "inpatient", "--region", "990100", "--date", "2025-06-01", "--input", input, "--json");
        Assert.Equal(0, jsonExit);
        Assert.Equal("17563.00", JsonDocument.Parse(json).RootElement.GetProperty("fund").GetString());
    }

    [Fact]
    public async Task Explain_with_bad_input_is_a_clear_error_and_exit_2()
    {
        var input = Path.Combine(CliRunner.TempFolder(), "bad.json");
        await File.WriteAllTextAsync(input, """{ "historicalBalance": "-1.001" }""");
        var (exit, _, error) = await CliRunner.RunAsync("explain", "commercial-insurance", "--region", "320200", "--date", "2025-06-01", "--input", input);
        Assert.Equal(2, exit);
        Assert.Contains("error invalid-amount", error, StringComparison.Ordinal);
        Assert.Contains("金额格式错误", error, StringComparison.Ordinal);
    }
}
