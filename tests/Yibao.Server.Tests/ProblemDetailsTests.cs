using System.Net;
using System.Text.Json;
using Yibao.Server.Problems;

namespace Yibao.Server.Tests;

public sealed class ProblemDetailsTests(EmptyServer server) : IClassFixture<EmptyServer>
{
    private const string Account = "990100:personal:990102198001011234";

    private async Task<JsonElement> ProblemAsync(string url, HttpStatusCode status, string code)
    {
        using var response = await server.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"GET {url}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(YibaoProblems.TypeBase + code, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageZh").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageEn").GetString()));
        Assert.Equal(JsonValueKind.Object, problem.GetProperty("details").ValueKind);
        return problem;
    }

    [Fact]
    public async Task Unknown_account_is_404_unknown_account_in_both_languages()
    {
        var problem = await ProblemAsync($"/api/accounts/{Account}/balance", HttpStatusCode.NotFound, "unknown-account");
        Assert.Contains("账户不存在", problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.Contains("Unknown account", problem.GetProperty("messageEn").GetString(), StringComparison.Ordinal);
        Assert.Equal(problem.GetProperty("messageEn").GetString(), problem.GetProperty("title").GetString());
        Assert.Equal(Account, problem.GetProperty("details").GetProperty("account").GetString());
        Assert.Equal($"/api/accounts/{Account}/balance", problem.GetProperty("instance").GetString());

        await ProblemAsync($"/api/accounts/{Account}/statement", HttpStatusCode.NotFound, "unknown-account");
    }

    [Theory]
    [InlineData("not-an-account")]
    [InlineData("990100:no-such-kind")]
    [InlineData("990100:personal")]
    public async Task Malformed_account_code_is_404_unknown_account(string code) =>
        await ProblemAsync($"/api/accounts/{code}/balance", HttpStatusCode.NotFound, "unknown-account");

    [Theory]
    [InlineData("from=2025-13-01")]
    [InlineData("from=2025-02-30")]
    [InlineData("to=yesterday")]
    [InlineData("from=20250101")]
    public async Task Bad_date_is_400_invalid_date(string query)
    {
        var problem = await ProblemAsync($"/api/accounts/{Account}/statement?{query}", HttpStatusCode.BadRequest, "invalid-date");
        Assert.Equal(query.Split('=')[1], problem.GetProperty("details").GetProperty("value").GetString());
    }

    [Fact]
    public async Task From_after_to_is_400_invalid_date_range()
    {
        var problem = await ProblemAsync($"/api/accounts/{Account}/statement?from=2025-06-02&to=2025-06-01", HttpStatusCode.BadRequest, "invalid-date-range");
        Assert.Equal("2025-06-02", problem.GetProperty("details").GetProperty("from").GetString());
        Assert.Equal("2025-06-01", problem.GetProperty("details").GetProperty("to").GetString());
    }

    [Theory]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=501")]
    [InlineData("pageSize=ten")]
    [InlineData("page=0")]
    [InlineData("page=-1")]
    [InlineData("page=1.5")]
    public async Task Bad_paging_is_400_invalid_paging(string query)
    {
        await ProblemAsync($"/api/accounts/{Account}/statement?{query}", HttpStatusCode.BadRequest, "invalid-paging");
        await ProblemAsync($"/api/regions/990100/insured?{query}", HttpStatusCode.BadRequest, "invalid-paging");
    }

    [Fact]
    public async Task Region_errors_have_codes()
    {
        await ProblemAsync("/api/regions/99/insured", HttpStatusCode.BadRequest, "invalid-region-code");
        await ProblemAsync("/api/regions/990100/insured", HttpStatusCode.NotFound, "unknown-region"); // this server has no demo region
    }

    [Fact]
    public async Task Unknown_route_and_wrong_method_are_problems_with_codes()
    {
        await ProblemAsync("/api/no-such-thing", HttpStatusCode.NotFound, "not-found");
        using var post = await server.Client.PostAsync("/health", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        var problem = JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("method-not-allowed", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unexpected_failure_is_500_without_internals()
    {
        await using var broken = new BrokenClockServer();
        await broken.InitializeAsync();
        using var response = await broken.Client.GetAsync($"/api/accounts/{Account}/statement");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal("internal-error", problem.GetProperty("code").GetString());
        Assert.DoesNotContain(BrokenClock.Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    private sealed class BrokenClock : TimeProvider
    {
        public const string Secret = "clock-secret-4242";
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException(Secret);
    }

    private sealed class BrokenClockServer() : YibaoServerWithClock(new BrokenClock()), IAsyncDisposable
    {
        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
