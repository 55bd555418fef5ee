using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Storage;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Server.Tests;

/// <summary>Applications over HTTP: the insured side, the reviewer side, transfers, and problem details that write nothing.</summary>
public sealed class ApplicationEndpointTests(EmptyServer server) : IClassFixture<EmptyServer>
{
    private static readonly RegionCode Region = RegionCode.Demo;
    private static readonly RegionCode Lanzhou = RegionCode.Parse("620100");
    private static int _next;

    private static readonly object Reviewer = new { reviewer = "王审核" };

    /// <summary>A flexible worker of 990100 with 5,432.10 in the account (and, if asked, enrolled in 620100 too).</summary>
    private async Task<string> PersonAsync(string balance = "5432.10", bool alsoInLanzhou = false)
    {
        var records = server.Service<RecordsStore>();
        var id = IdNumber.Create(Region, new DateOnly(1978, 3, 3), 100 + Interlocked.Increment(ref _next));
        foreach (var region in alsoInLanzhou ? new[] { Region, Lanzhou } : [Region])
        {
            await records.EnsureRegionAsync(region, region == Region ? "示例市" : "兰州市", new DateOnly(2020, 1, 1));
            await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(region, id, "周女士", InsuredScheme.Employee, InsuredState.FlexibleEmployed,
                null, Money.Parse("6000.00"), new DateOnly(2020, 1, 1), null, "CHN")));
        }
        var ledger = server.Service<LedgerStore>();
        await ledger.OpenAccountAsync(AccountCode.Of(Region, AccountKind.PooledFund), new DateOnly(1999, 1, 1));
        await ledger.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = $"opening/{id.Value}", Region = Region, ReasonCode = "opening-balance", BusinessDate = new DateOnly(2025, 1, 1),
            Actor = "test", PolicyVersion = "test",
            Postings = [new PostingLine(AccountCode.Personal(Region, id.Value), Segment.Historical, Money.Parse(balance)),
                        new PostingLine(AccountCode.Of(Region, AccountKind.PooledFund), Segment.Main, -Money.Parse(balance))],
        });
        return id.Value;
    }

    private static object Death(params string[] materials) => new
    {
        reason = "death",
        materials = materials.Length > 0 ? materials : ["death-certificate", "heir-proof", "heir-id"],
        writtenApplication = true,
        bankAccount = "6222 0000 1111 2345",
    };

    /// <summary>The agency records the person's death (死亡登记), as a death withdrawal needs.</summary>
    private async Task DiesAsync(string id) =>
        await server.Service<RecordsStore>().AppendEventAsync(Region, IdNumber.Parse(id), StatusEventKind.Die, new DateOnly(2025, 11, 1), null);

    private async Task<JsonElement> PostAsync(string url, object body, HttpStatusCode expected = HttpStatusCode.OK, string? key = null)
    {
        using var request = Request(url, body, key);
        using var response = await server.Client.SendAsync(request);
        Assert.True(response.StatusCode == expected, $"POST {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A submission carries its idempotency key (the header); a test that does not care gets a fresh one.</summary>
    private static HttpRequestMessage Request(string url, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        key ??= url.EndsWith("/withdrawals", StringComparison.Ordinal) || url.EndsWith("/transfers", StringComparison.Ordinal) ? Guid.NewGuid().ToString("N") : null;
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private async Task<JsonElement> ProblemAsync(string url, object body, HttpStatusCode status, string code)
    {
        using var request = Request(url, body);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("messageZh").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("messageEn").GetString()));
        return problem;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var c = await server.Service<YibaoDatabase>().ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_person_checks_applies_and_follows_while_reviewers_accept_approve_and_pay()
    {
        var id = await PersonAsync();
        await DiesAsync(id);
        var mine = $"/api/insured/990100/{id}/applications";
        var withdrawals = $"/api/insured/990100/{id}/withdrawals";

        var before = await CountAsync("SELECT COUNT(*) FROM application");
        var check = await PostAsync($"{withdrawals}/check", Death());
        Assert.True(check.GetProperty("decision").GetProperty("eligible").GetBoolean());
        Assert.Equal("5432.10", check.GetProperty("decision").GetProperty("withdrawal").GetProperty("payout").GetString());
        Assert.Equal(before, await CountAsync("SELECT COUNT(*) FROM application"));

        var submitted = await PostAsync(withdrawals, Death(), HttpStatusCode.Created, key: "portal-1");
        Assert.True((await PostAsync(withdrawals, Death(), HttpStatusCode.OK, key: "portal-1")).GetProperty("replayed").GetBoolean());
        var appId = submitted.GetProperty("id").GetInt64();
        Assert.Equal("submitted", submitted.GetProperty("status").GetString());
        Assert.Equal("已提交", submitted.GetProperty("statusZh").GetString());
        Assert.Equal("************2345", submitted.GetProperty("bankAccount").GetString());

        var queue = await server.GetJsonAsync("/api/regions/990100/applications?kind=withdrawal");
        Assert.Contains(queue.GetProperty("applications").EnumerateArray(), a => a.GetProperty("id").GetInt64() == appId);

        var staff = $"/api/regions/990100/applications/{appId}";
        await PostAsync($"{staff}/accept", Reviewer);
        var review = await server.GetJsonAsync(staff);
        Assert.False(review.GetProperty("differs").GetBoolean());
        await PostAsync($"{staff}/approve", Reviewer);
        var executed = await PostAsync($"{staff}/execute", Reviewer);
        var retried = await PostAsync($"{staff}/execute", Reviewer);

        Assert.Equal("closed", executed.GetProperty("status").GetString());
        Assert.True(retried.GetProperty("replayed").GetBoolean());
        var followed = await server.GetJsonAsync($"{mine}/{appId}");
        Assert.Equal(["submit", "accept", "approve", "execute", "close"], followed.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("reviewer:王审核", followed.GetProperty("events")[1].GetProperty("actor").GetString());
        var account = await server.GetJsonAsync($"/api/accounts/990100:personal:{id}/balance");
        Assert.Equal("closed", account.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Missing_materials_come_back_at_once_and_are_presented_later()
    {
        var id = await PersonAsync();
        await DiesAsync(id);
        var mine = $"/api/insured/990100/{id}/applications";

        var returned = await PostAsync($"/api/insured/990100/{id}/withdrawals", Death("death-certificate"), HttpStatusCode.Created);
        var appId = returned.GetProperty("id").GetInt64();
        Assert.Equal("returned", returned.GetProperty("status").GetString());
        Assert.Equal(["heir-proof", "heir-id"], returned.GetProperty("decision").GetProperty("missingMaterials").EnumerateArray().Select(m => m.GetString()));
        Assert.Contains("继承关系证明", returned.GetProperty("outcome").GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Contains("heir-proof", returned.GetProperty("outcome").GetProperty("en").GetString(), StringComparison.Ordinal);

        var resubmitted = await PostAsync($"{mine}/{appId}/materials", new { materials = new[] { "heir-proof", "heir-id" } });
        Assert.Equal("submitted", resubmitted.GetProperty("status").GetString());
        var withdrawn = await PostAsync($"{mine}/{appId}/withdraw", new { });
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_rejection_reaches_the_applicant_in_Chinese_and_English()
    {
        var id = await PersonAsync();
        await DiesAsync(id);
        var appId = (await PostAsync($"/api/insured/990100/{id}/withdrawals", Death(), HttpStatusCode.Created)).GetProperty("id").GetInt64();

        await PostAsync($"/api/regions/990100/applications/{appId}/reject", new { reviewer = "李审核", reasonZh = "公证书已过期", reasonEn = "The notarial certificate has expired" });

        var list = await server.GetJsonAsync($"/api/insured/990100/{id}/applications");
        var app = list.GetProperty("applications")[0];
        Assert.Equal("rejected", app.GetProperty("status").GetString());
        Assert.Equal("公证书已过期", app.GetProperty("outcome").GetProperty("zh").GetString());
        Assert.Equal("The notarial certificate has expired", app.GetProperty("outcome").GetProperty("en").GetString());
    }

    [Fact]
    public async Task Bad_input_is_a_problem_with_a_stable_code_and_writes_nothing()
    {
        var id = await PersonAsync();
        var other = await PersonAsync();
        await DiesAsync(id);
        var appId = (await PostAsync($"/api/insured/990100/{id}/withdrawals", Death(), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var applications = await CountAsync("SELECT COUNT(*) FROM application");
        var events = await CountAsync("SELECT COUNT(*) FROM application_event");
        var theirs = $"/api/insured/990100/{other}";

        await ProblemAsync($"/api/regions/990100/applications/{appId + 1000}/approve", Reviewer, HttpStatusCode.NotFound, "unknown-application");
        await ProblemAsync($"/api/regions/990100/applications/x1/approve", Reviewer, HttpStatusCode.NotFound, "unknown-application");
        await ProblemAsync($"{theirs}/applications/{appId}/withdraw", new { }, HttpStatusCode.NotFound, "unknown-application");
        await ProblemAsync($"/api/regions/990100/applications/{appId}/execute", Reviewer, HttpStatusCode.Conflict, "application-wrong-status");
        await ProblemAsync($"/api/regions/990100/applications/{appId}/accept", new { }, HttpStatusCode.BadRequest, "missing-field");
        await ProblemAsync($"/api/regions/990100/applications/{appId}/reject", Reviewer, HttpStatusCode.BadRequest, "missing-field");
        await ProblemAsync($"{theirs}/withdrawals", Death("death-certificate", "divorce-paper"), HttpStatusCode.BadRequest, "unknown-material-code");
        await ProblemAsync($"{theirs}/withdrawals", new { reason = "loan" }, HttpStatusCode.BadRequest, "invalid-field");
        var refused = await ProblemAsync($"{theirs}/withdrawals", new { materials = new[] { "written-application" }, reason = "major-disease" },
            (HttpStatusCode)422, "no-legal-basis");
        Assert.NotEmpty(refused.GetProperty("reasons").EnumerateArray());
        // Issue 10 item 1: a death claimed for a living person is refused, naming the missing fact.
        var living = await ProblemAsync($"{theirs}/withdrawals", Death(), (HttpStatusCode)422, "fact-not-on-record");
        Assert.Contains(living.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("values").TryGetProperty("fact", out var f) && f.GetString() == "death");
        await ProblemAsync($"{theirs}/transfers", new { targetRegion = "990100" }, HttpStatusCode.BadRequest, "transfer-target-same-region");
        // Issue 10 item 3: regions Yibao does not know or cannot reach are refused at check and submission.
        foreach (var target in new[] { "999999", "123456", "000000" })
        {
            await ProblemAsync($"{theirs}/transfers", new { targetRegion = target }, (HttpStatusCode)422, "transfer-target-unknown");
            var check = await PostAsync($"{theirs}/transfers/check", new { targetRegion = target });
            Assert.False(check.GetProperty("decision").GetProperty("eligible").GetBoolean());
            Assert.Equal("transfer-target-unknown", check.GetProperty("decision").GetProperty("reasonCode").GetString());
        }

        Assert.Equal(applications, await CountAsync("SELECT COUNT(*) FROM application"));
        Assert.Equal(events, await CountAsync("SELECT COUNT(*) FROM application_event"));
    }

    [Fact]
    public async Task A_transfer_is_executed_dispatched_and_credited_in_the_target_region()
    {
        var id = await PersonAsync("3456.78", alsoInLanzhou: true);
        var submitted = await PostAsync($"/api/insured/990100/{id}/transfers", new { targetRegion = "620100" }, HttpStatusCode.Created);
        var appId = submitted.GetProperty("id").GetInt64();
        Assert.Equal("move-balance", submitted.GetProperty("decision").GetProperty("transfer").GetProperty("mode").GetString());
        var staff = $"/api/regions/990100/applications/{appId}";
        await PostAsync($"{staff}/accept", Reviewer);
        await PostAsync($"{staff}/approve", Reviewer);
        var executed = await PostAsync($"{staff}/execute", Reviewer);
        Assert.Equal("executed", executed.GetProperty("status").GetString());
        var outgoing = await server.GetJsonAsync("/api/regions/990100/transfers");
        Assert.Contains(outgoing.GetProperty("transfers").EnumerateArray(), t => t.GetProperty("direction").GetString() == "out" && t.GetProperty("amount").GetString() == "3456.78");

        var round = await PostAsync("/api/transfers/dispatch", new { });

        Assert.True(round.GetProperty("delivered").GetInt32() >= 1);
        Assert.Equal("closed", (await server.GetJsonAsync($"{staff}")).GetProperty("application").GetProperty("status").GetString());
        var target = await server.GetJsonAsync($"/api/accounts/620100:personal:{id}/balance");
        Assert.Equal("3456.78", target.GetProperty("total").GetString());
        var incoming = await server.GetJsonAsync("/api/regions/620100/transfers?all=true");
        Assert.Contains(incoming.GetProperty("transfers").EnumerateArray(), t => t.GetProperty("direction").GetString() == "in" && t.GetProperty("status").GetString() == "credited");
    }

    [Fact]
    public async Task The_API_document_lists_the_application_endpoints()
    {
        var doc = await server.GetJsonAsync("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/insured/{region}/{idNumber}/applications", "/api/insured/{region}/{idNumber}/withdrawals/check",
                     "/api/insured/{region}/{idNumber}/withdrawals", "/api/insured/{region}/{idNumber}/transfers", "/api/insured/{region}/{idNumber}/transfers/check",
                     "/api/regions/{region}/applications", "/api/regions/{region}/applications/{id}/approve", "/api/regions/{region}/transfers", "/api/transfers/dispatch" })
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), $"missing {path}");
    }
}
