using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Yibao.Domain.Errors;
using Yibao.Server.Features.Errors;
using Yibao.Server.Problems;

namespace Yibao.Server.Tests;

public sealed class HealthAndDocsTests(EmptyServer server) : IClassFixture<EmptyServer>
{
    [Fact]
    public async Task Health_answers_healthy()
    {
        using var response = await server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApi_document_lists_every_endpoint()
    {
        var doc = await server.GetJsonAsync("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var path in new[]
                 {
                     "/health", "/api/accounts/{code}/balance", "/api/accounts/{code}/statement",
                     "/api/regions", "/api/regions/{region}/insured", "/api/errors",
                 })
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
            Assert.True(item.TryGetProperty("get", out _), $"{path} has no GET");
        }
        Assert.Contains("idempotency-key-reused", doc.GetProperty("info").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statement_query_values_are_documented_with_their_real_types()
    {
        var doc = await server.GetJsonAsync("/openapi/v1.json");
        var parameters = doc.GetProperty("paths").GetProperty("/api/accounts/{code}/statement").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        Assert.Equal("date", parameters["from"].GetProperty("format").GetString());
        Assert.Equal("integer", parameters["pageSize"].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Root_redirects_to_the_api_reference_which_is_served()
    {
        using var client = server.Factory.CreateClient(new() { AllowAutoRedirect = false });
        using var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/scalar", root.Headers.Location?.OriginalString);

        using var page = await server.Client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi/v1.json", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_list_gives_every_code_with_both_languages()
    {
        var list = await server.Client.GetFromJsonAsync<List<ErrorCodeInfo>>("/api/errors");
        Assert.NotNull(list);
        Assert.Equal(list.Count, list.Select(e => e.Code).Distinct().Count());
        foreach (var e in list)
        {
            Assert.Matches("^[a-z]+(-[a-z0-9]+)*$", e.Code);
            Assert.False(string.IsNullOrWhiteSpace(e.MessageZh), e.Code);
            Assert.False(string.IsNullOrWhiteSpace(e.MessageEn), e.Code);
            Assert.Equal(YibaoProblems.TypeOf(ResultCode.Find(e.Code)), e.Type);
        }
    }

    /// <summary>The list is the declarations, whole: every declared code with its status, and nothing else.</summary>
    [Fact]
    public void Error_list_is_every_declared_code_with_its_status()
    {
        Assert.True(Codes.All.Count >= 100, $"only {Codes.All.Count} codes declared");
        Assert.Equal(Codes.All.Select(c => (c.Value, c.HttpStatus)), ErrorCodeInfo.All.Select(e => (e.Code, e.Status)));
        Assert.All(Codes.All, c => Assert.Contains(c.HttpStatus, new[] { 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503 }));
    }
}
