using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yibao.Domain.Cases;

namespace Yibao.Server.Tests;

public sealed class DecisionEndpointTests(EmptyServer server) : IClassFixture<EmptyServer>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string kind, object body)
    {
        using var response = await server.Client.PostAsJsonAsync($"/api/decisions/{kind}", body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Every_acceptance_case_gets_the_same_answer_over_http()
    {
        // The API and the case runner share one table of kinds: play each case as a request.
        var folder = Path.Combine(AppContext.BaseDirectory, "acceptance");
        var played = 0;
        foreach (var file in Directory.GetFiles(folder, "*.json"))
        {
            foreach (var c in AcceptanceCase.ReadFile(await File.ReadAllTextAsync(file), Path.GetFileName(file)))
            {
                var (status, body) = await PostAsync(c.Kind, new { region = c.Region.Value, date = c.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), input = c.Input });
                played++;
                if (CaseComparison.ExpectedError(c.Expect) is { } code)
                {
                    // A case that must be refused is a problem document with exactly that code.
                    Assert.True(status != HttpStatusCode.OK, $"{c.Id}: answered, expected {code}");
                    Assert.Equal(code, body.GetProperty("code").GetString());
                    continue;
                }
                Assert.True(status == HttpStatusCode.OK, $"{c.Id}: {(int)status} {body}");
                var answer = JsonNode.Parse(body.GetRawText())!.AsObject();
                var mismatches = CaseComparison.Compare(c.Expect, answer);
                Assert.True(mismatches.Count == 0, $"{c.Id}: " + string.Join("; ", mismatches.Select(m => $"{m.Field} expected {m.Expected} got {m.Got}")));
            }
        }
        Assert.True(played >= 80, $"only {played} cases played");
    }

    [Fact]
    public async Task An_answer_carries_its_reasons_and_the_policy_version()
    {
        var (status, body) = await PostAsync("inpatient", new
        {
            region = "990100",
            date = "2025-06-01",
            input = new { scheme = "employee", status = "employed", tier = 3, admission = 1, policyCost = "20000.00", selfPayCost = "0.00", fundPaidThisYear = "0.00", remoteCare = "none", accountBalance = "1200.00" },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("16405.00", body.GetProperty("fund").GetString());
        Assert.StartsWith("990100@", body.GetProperty("policyVersion").GetString(), StringComparison.Ordinal);
        var reasons = body.GetProperty("reasons");
        Assert.True(reasons.GetArrayLength() > 0);
        var first = reasons[0];
        foreach (var field in new[] { "ruleId", "zh", "en", "provenance", "source" })
            Assert.False(string.IsNullOrEmpty(first.GetProperty(field).GetString()), field);
        Assert.Contains(reasons.EnumerateArray(), r => r.GetProperty("provenance").GetString() == "example");
    }

    [Fact]
    public async Task Explain_false_answers_without_reasons()
    {
        var (status, body) = await PostAsync("commercial-insurance", new { region = "320200", date = "2025-06-01", input = new { historicalBalance = "6000.00" }, explain = false });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2000.00", body.GetProperty("maxPurchase").GetString());
        Assert.Equal(0, body.GetProperty("reasons").GetArrayLength());
    }

    [Theory]
    [InlineData("no-such-kind", "{\"region\":\"990100\",\"input\":{}}", HttpStatusCode.NotFound, "unknown-decision-kind")]
    [InlineData("inpatient", "{\"input\":{}}", HttpStatusCode.BadRequest, "missing-field")]
    [InlineData("inpatient", "{\"region\":\"990100\"}", HttpStatusCode.BadRequest, "missing-field")]
    [InlineData("inpatient", "{\"region\":\"9901\",\"input\":{}}", HttpStatusCode.BadRequest, "invalid-region-code")]
    [InlineData("commercial-insurance", "{\"region\":\"123400\",\"date\":\"2025-06-01\",\"input\":{\"historicalBalance\":\"6000.00\"}}", HttpStatusCode.NotFound, "unknown-region")]
    [InlineData("inpatient", "{\"region\":\"990100\",\"date\":\"2025-02-30\",\"input\":{}}", HttpStatusCode.BadRequest, "invalid-date")]
    [InlineData("commercial-insurance", "{\"region\":\"320200\",\"date\":\"2025-06-01\",\"input\":{\"historicalBalance\":\"6000.001\"}}", HttpStatusCode.BadRequest, "invalid-amount")]
    [InlineData("working-days", "{\"region\":\"990100\",\"date\":\"2028-01-04\",\"input\":{\"after\":\"2028-01-04\",\"days\":3}}", HttpStatusCode.UnprocessableEntity, "calendar-year-not-loaded")]
    [InlineData("transfer", "{\"region\":\"990100\",\"date\":\"2025-06-01\",\"input\":{\"status\":\"employed\"}}", HttpStatusCode.BadRequest, "missing-field")]
    public async Task Bad_questions_get_problem_details(string kind, string json, HttpStatusCode status, string code)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync($"/api/decisions/{kind}", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("messageZh").GetString()));
    }

    [Fact]
    public async Task The_policy_of_a_region_shows_each_value_with_provenance()
    {
        var policy = await server.GetJsonAsync("/api/policies/990100?date=2025-06-01");
        Assert.Equal("990100", policy.GetProperty("region").GetString());
        var rules = policy.GetProperty("rules").EnumerateArray().ToList();
        var ratios = rules.Single(r => r.GetProperty("key").GetString() == "inpatient.in-service-ratios");
        Assert.Equal("example", ratios.GetProperty("provenance").GetString());
        Assert.True(ratios.GetProperty("isExample").GetBoolean());
        Assert.Equal("990100.yaml", ratios.GetProperty("file").GetString());
        var national = rules.Single(r => r.GetProperty("key").GetString() == "transfer.out-working-days");
        Assert.Equal("000000", national.GetProperty("definedBy").GetString());
        Assert.Equal(10, national.GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task The_same_question_on_two_dates_answers_from_two_policy_versions()
    {
        // Near relatives joined 990100's family-aid list on 2024-10-01 (K12, WE-43).
        object Ask(string on) => new
        {
            region = "990100",
            date = on,
            input = new { relation = "sibling", raisingProof = false, boundOn = on, windowStart = on, windowEnd = "2025-12-31", relativeInsured = true, relativeRegion = "990100" },
        };
        var before = await PostAsync("family-aid", Ask("2024-09-30"));
        var after = await PostAsync("family-aid", Ask("2024-10-01"));
        Assert.False(before.Body.GetProperty("bindingAllowed").GetBoolean());
        Assert.True(after.Body.GetProperty("bindingAllowed").GetBoolean());
        Assert.NotEqual(before.Body.GetProperty("policyVersion").GetString(), after.Body.GetProperty("policyVersion").GetString());
    }

    [Fact]
    public async Task Unknown_policy_region_is_404_and_bad_date_400()
    {
        using var unknown = await server.Client.GetAsync("/api/policies/123400");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var bad = await server.Client.GetAsync("/api/policies/990100?date=tomorrow");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
