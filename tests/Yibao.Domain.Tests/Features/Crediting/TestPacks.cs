using System.Text.Json.Nodes;
using Yibao.Domain.Calendars;
using Yibao.Domain.Cases;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Tests.Features.Crediting;

/// <summary>Small packs built in a test (national 000000 → 990000 → 990100), the real packs, and the acceptance cases.</summary>
internal static class TestPacks
{
    public static readonly RegionCode Demo = RegionCode.Demo;

    /// <summary>One rule per pair, indented as a version's <c>rules:</c> entries; the value is raw YAML.</summary>
    public static string Rules(params (string Key, string Value)[] rules) =>
        string.Concat(rules.Select(r => $"      {r.Key}:\n        value: {r.Value}\n        provenance: example\n        source: test\n"));

    public static string Version(string id, string from, string rules, string? to = null) =>
        $"  - id: {id}\n    from: {from}\n" + (to is null ? "" : $"    to: {to}\n") + "    rules:\n" + rules;

    public static string Pack(string region, string name, string? parent, params string[] versions) =>
        $"region: \"{region}\"\nname: {name}\n" + (parent is null ? "" : $"parent: \"{parent}\"\n") + "versions:\n" + string.Concat(versions);

    /// <summary>The three packs of a demo chain; the city's file is <c>990100.yaml</c>.</summary>
    public static (string Name, string Text)[] Files(string nationalVersions, string cityVersions) =>
    [
        ("000000.yaml", Pack("000000", "全国", null, nationalVersions)),
        ("990000.yaml", Pack("990000", "示例省", null)),
        ("990100.yaml", Pack("990100", "示例市", "990000", cityVersions)),
    ];

    public static PolicyBook Load(string nationalVersions, string cityVersions) =>
        PolicyPackLoader.Load(Files(nationalVersions, cityVersions), HolidayCalendars.Shipped);

    /// <summary>The single load error of a pack that must be refused.</summary>
    public static PolicyLoadError Refused(string nationalVersions, string cityVersions) =>
        Assert.Single(Assert.Throws<PolicyValidationException>(() => Load(nationalVersions, cityVersions)).Errors);

    /// <summary>The real packs of <c>policies/</c> on a day.</summary>
    public static ResolvedPolicy Real(string region, DateOnly date) => PolicyPackLoader.Embedded.For(RegionCode.Parse(region), date);

    private static string AcceptanceFile(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "acceptance", file);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/acceptance/{file} not found above {AppContext.BaseDirectory}");
    }

    public static IReadOnlyList<AcceptanceCase> Cases(string file) =>
        AcceptanceCase.ReadFile(File.ReadAllText(AcceptanceFile(file)), file);

    public static TheoryData<string> CaseIds(string file)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(file)) data.Add(c.Id);
        return data;
    }

    /// <summary>Answers a question of a kind through the same table the runner and the API use.</summary>
    public static JsonObject Ask(string kind, string region, DateOnly date, string input) =>
        CaseKinds.Default.Answer(new AcceptanceCase("test", kind, RegionCode.Parse(region), date, null, JsonNode.Parse(input)!.AsObject(), []));
}
