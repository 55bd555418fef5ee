using System.Text.Json;
using System.Text.RegularExpressions;
using Yibao.Domain.Identity;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Server.Tests;

/// <summary>
/// Every example the API document shows is a valid value (issue 10 item 13: the credit-code example
/// failed its own check character): the test walks /openapi/v1.json, finds each ID number, credit
/// code, region code, amount, date and month in the examples and the prose, and parses it with the
/// domain's own parsers.
/// </summary>
public sealed partial class OpenApiExampleTests(EmptyServer server) : IClassFixture<EmptyServer>
{
    // An 18-character resident ID number: 17 digits and a check character.
    [GeneratedRegex(@"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumbers();

    // A unified social credit code: 18 characters of its alphabet with at least one letter (all digits is an ID number).
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?=[0-9A-Z]*[A-Z])[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])")]
    private static partial Regex CreditCodes();

    // A six-digit region code standing alone (not part of a longer number, a date or a key).
    [GeneratedRegex(@"(?<![0-9A-Za-z.,:/-])[0-9]{6}(?![0-9A-Za-z.,:-])")]
    private static partial Regex RegionCodes();

    // An amount as the API writes it: yuan with decimals.
    [GeneratedRegex(@"(?<![0-9A-Za-z.,-])-?[0-9]+\.[0-9]+(?![0-9A-Za-z.])")]
    private static partial Regex Amounts();

    [GeneratedRegex(@"(?<![0-9A-Za-z-])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9A-Za-z-])")]
    private static partial Regex DatesIn();

    [GeneratedRegex(@"(?<![0-9A-Za-z-])[0-9]{4}-[0-9]{2}(?![0-9A-Za-z-])")]
    private static partial Regex MonthsIn();

    /// <summary>Every string of the document with where it is (its JSON path).</summary>
    private static IEnumerable<(string Path, string Text)> Strings(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                yield return (path, e.GetString()!);
                break;
            case JsonValueKind.Number:
                // A numeric example (an amount sent as a JSON number) is checked like text.
                if (path.Contains("example", StringComparison.OrdinalIgnoreCase)) yield return (path, e.GetRawText());
                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    // The patterns are rules, not examples; the error table's placeholders are names.
                    if (p.Name == "pattern") continue;
                    foreach (var s in Strings(p.Value, $"{path}.{p.Name}")) yield return s;
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    foreach (var s in Strings(item, $"{path}[{i}]")) yield return s;
                    i++;
                }
                break;
        }
    }

    [Fact]
    public async Task Every_example_in_the_API_document_is_a_valid_value()
    {
        var doc = await server.GetJsonAsync("/openapi/v1.json");
        var book = PolicyPackLoader.Embedded;
        var found = new Dictionary<string, int> { ["id number"] = 0, ["credit code"] = 0, ["region"] = 0, ["amount"] = 0, ["date"] = 0, ["month"] = 0 };
        var bad = new List<string>();

        void Check(string kind, string path, string value, bool ok)
        {
            found[kind]++;
            if (!ok) bad.Add($"{kind} '{value}' at {path}");
        }

        foreach (var (path, text) in Strings(doc, "$"))
        {
            foreach (Match m in IdNumbers().Matches(text)) Check("id number", path, m.Value, IdNumber.TryParse(m.Value, out _));
            foreach (Match m in CreditCodes().Matches(text))
            {
                if (!IdNumbers().IsMatch(m.Value)) Check("credit code", path, m.Value, CreditCode.TryParse(m.Value, out _)); // 17 digits and X is an ID number
            }
            foreach (Match m in RegionCodes().Matches(text))
                Check("region", path, m.Value, RegionCode.TryParse(m.Value, out var region) && (Domain.Regions.RegionCodes.IsReal(region) || book.Has(region)));
            foreach (Match m in Amounts().Matches(text)) Check("amount", path, m.Value, Money.TryParsePlain(m.Value, out _, out _, out _));
            foreach (Match m in DatesIn().Matches(text)) Check("date", path, m.Value, Dates.TryParse(m.Value, out _));
            foreach (Match m in MonthsIn().Matches(text)) Check("month", path, m.Value, YearMonth.TryParse(m.Value, out _));
        }

        Assert.True(bad.Count == 0, "examples that are not valid values:\n" + string.Join("\n", bad));
        // The walk found something of every kind, so an empty document cannot pass.
        foreach (var (kind, count) in found) Assert.True(count > 0, $"no {kind} example found in the document");
    }
}
