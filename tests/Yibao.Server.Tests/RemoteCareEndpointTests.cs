using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Storage.Records;

namespace Yibao.Server.Tests;

/// <summary>异地就医备案 over HTTP: file, list, revoke, and the inpatient estimate that reads the filing in force.</summary>
public sealed class RemoteCareEndpointTests(EmptyServer server) : IClassFixture<EmptyServer>
{
    private static readonly RegionCode Region = RegionCode.Demo;
    private static int _next;
    private static readonly string Unknown = IdNumber.Create(Region, new DateOnly(1979, 6, 1), 995).Value;

    private async Task<string> PersonAsync()
    {
        var records = server.Service<RecordsStore>();
        await records.EnsureRegionAsync(Region, "示例市", new DateOnly(2020, 1, 1));
        var id = IdNumber.Create(Region, new DateOnly(1985, 6, 1), Interlocked.Increment(ref _next) * 2 + 1);
        await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(Region, id, "异地测试", InsuredScheme.Employee, InsuredState.FlexibleEmployed,
            null, null, new DateOnly(2020, 1, 1), null, "CHN")));
        return id.Value;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("messageZh").GetString()));
        return problem;
    }

    private static object Stay(string admittedOn, string? hospitalRegion = null) =>
        new { admittedOn, tier = 3, admission = 1, policyCost = "20000.00", hospitalRegion };

    [Fact]
    public async Task A_temporary_filing_gives_the_estimate_its_remote_care_input_until_revoked()
    {
        var id = await PersonAsync();
        long filing;
        using (var filed = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/remote-care-filings",
                   new { category = "other", destination = "440100", filedOn = "2025-07-01", validFrom = "2025-07-01" }))
        {
            Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
            var f = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("filing");
            Assert.Equal(("temporary-other", "2025-12-31"), (f.GetProperty("remoteCare").GetString(), f.GetProperty("validTo").GetString())); // WE-61
            filing = f.GetProperty("id").GetInt64();
        }
        Assert.Single((await server.GetJsonAsync($"/api/insured/990100/{id}/remote-care-filings")).GetProperty("items").EnumerateArray());

        using (var estimate = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/inpatient-estimate", Stay("2025-10-01", "440100")))
        {
            Assert.Equal(HttpStatusCode.OK, estimate.StatusCode);
            var e = await estimate.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("temporary-other", filing), (e.GetProperty("remoteCare").GetString(), e.GetProperty("filing").GetProperty("id").GetInt64()));
            Assert.Equal(("14475.00", "5525.00"), (e.GetProperty("fund").GetString(), e.GetProperty("individual").GetString())); // WE-60 b
            Assert.NotEmpty(e.GetProperty("reasons").EnumerateArray());
        }

        using (var revoked = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/remote-care-filings/{filing}/revoke", new { revokedOn = "2025-10-15" }))
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        using (var after = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/inpatient-estimate", Stay("2025-10-20")))
        {
            var e = await after.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("none", JsonValueKind.Null, "16405.00"), (e.GetProperty("remoteCare").GetString(), e.GetProperty("filing").ValueKind, e.GetProperty("fund").GetString()));
        }
        using (var elsewhere = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/inpatient-estimate", Stay("2025-10-20", "440100")))
            await ProblemAsync(elsewhere, HttpStatusCode.UnprocessableEntity, "remote-care-filing-required");
    }

    [Theory]
    [InlineData("UNKNOWN", """{ "category": "other", "destination": "440100", "filedOn": "2025-07-01" }""", 404, "unknown-insured")]
    [InlineData("ID", """{ "category": "holiday", "destination": "440100", "filedOn": "2025-07-01" }""", 400, "invalid-field")]
    [InlineData("ID", """{ "destination": "440100", "filedOn": "2025-07-01" }""", 400, "missing-field")]
    [InlineData("ID", """{ "category": "other", "destination": "44010", "filedOn": "2025-07-01" }""", 400, "invalid-region-code")]
    [InlineData("ID", """{ "category": "other", "destination": "990100", "filedOn": "2025-07-01" }""", 400, "invalid-field")]
    [InlineData("ID", """{ "category": "other", "destination": "999999", "filedOn": "2025-07-01" }""", 400, "unknown-destination")]   // issue 10 item 6
    [InlineData("ID", """{ "category": "other", "destination": "123456", "filedOn": "2025-07-01" }""", 400, "unknown-destination")]
    [InlineData("ID", """{ "category": "other", "destination": "440100", "filedOn": "2025-07-01", "validTo": "2025-06-30" }""", 400, "invalid-date-range")]
    [InlineData("ID", """{ "category": "moved", "destination": "440100", "filedOn": "2025-07-01", "validTo": "2026-06-30" }""", 400, "invalid-field")]
    [InlineData("ID", """{ "category": "referral", "destination": "440100", "filedOn": "2025-07-01", "validFrom": "2025-06-01" }""", 400, "invalid-date-range")]
    [InlineData("ID", """{ "category": "retiree-elsewhere", "destination": "440100", "filedOn": "2025-07-01" }""", 422, "remote-care-filing-not-eligible")]
    public async Task A_bad_filing_is_a_problem_with_its_code_and_writes_nothing(string who, string body, int status, string code)
    {
        var id = await PersonAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync($"/api/insured/990100/{(who == "UNKNOWN" ? Unknown : id)}/remote-care-filings", content);
        await ProblemAsync(response, (HttpStatusCode)status, code);
        Assert.Empty((await server.GetJsonAsync($"/api/insured/990100/{id}/remote-care-filings")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_overlapping_filing_is_a_conflict_and_the_same_filing_again_a_replay()
    {
        var id = await PersonAsync();
        var moved = new { category = "moved", destination = "440000", filedOn = "2025-01-10", validFrom = "2025-02-01" };
        using (var first = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/remote-care-filings", moved))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using (var again = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/remote-care-filings", moved))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.False((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetBoolean());
        }
        using (var overlap = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/remote-care-filings",
                   new { category = "referral", destination = "620100", filedOn = "2025-09-01" }))
            await ProblemAsync(overlap, HttpStatusCode.Conflict, "remote-care-filing-overlaps");
        using (var unknown = await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/remote-care-filings/999999/revoke", new { revokedOn = "2025-09-01" }))
            await ProblemAsync(unknown, HttpStatusCode.NotFound, "remote-care-filing-not-found");

        // The long-term filing keeps the home benefits in 广东 (WE-60 a).
        var e = await (await server.Client.PostAsJsonAsync($"/api/insured/990100/{id}/inpatient-estimate", Stay("2025-06-01", "440300"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("long-term", "16405.00"), (e.GetProperty("remoteCare").GetString(), e.GetProperty("fund").GetString()));
        Assert.Single((await server.GetJsonAsync($"/api/insured/990100/{id}/remote-care-filings")).GetProperty("items").EnumerateArray());
    }
}
