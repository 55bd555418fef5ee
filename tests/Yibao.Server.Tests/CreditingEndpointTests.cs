using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Storage;
using Yibao.Storage.Records;

namespace Yibao.Server.Tests;

/// <summary>A server without the demo population whose region 990100 exists; "now" is 2025-11-15 in China.</summary>
public sealed class CreditingServer() : YibaoServerWithClock(new FixedClock(Now))
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Service<RecordsStore>().EnsureRegionAsync(RegionCode.Demo, "示例市", new DateOnly(2020, 1, 1));
    }
}

/// <summary>The monthly crediting run over HTTP: people enrolled and paid through the records API, the run started and watched, the credits read back.</summary>
public sealed class CreditingEndpointTests(CreditingServer server) : IClassFixture<CreditingServer>
{
    private const string Region = "990100";
    private static readonly RegionCode Area = RegionCode.Parse("990102");

    private static string Person(int n) => IdNumber.Create(Area, new DateOnly(1985, 1, 1).AddDays(n), 200 + n).Value;
    private static readonly string Employer = CreditCode.Create('9', '1', RegionCode.Demo, "CR000001").Value;

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string url, object body)
    {
        var response = await server.Client.PostAsync(url, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement, response);
    }

    private async Task<JsonElement> ExpectAsync(string url, object body, HttpStatusCode expected)
    {
        var (status, json, response) = await PostAsync(url, body);
        using (response)
            Assert.True(expected == status, $"POST {url}: expected {(int)expected}, got {(int)status}: {json}");
        return json;
    }

    private async Task ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageZh").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageEn").GetString()));
    }

    /// <summary>Three employed people at 8,000.00: the first two paid May 2025, the third did not.</summary>
    private async Task EnrolAndPayAsync(int first)
    {
        await ExpectAsync($"/api/regions/{Region}/employers", new { creditCode = Employer, name = "示例市信用测试有限公司" }, HttpStatusCode.Created);
        for (var n = first; n < first + 3; n++)
        {
            await ExpectAsync($"/api/regions/{Region}/insured", new
            {
                idNumber = Person(n), name = $"划入测试{n}", status = "employed", employerCreditCode = Employer, declaredWage = "8000.00", enrolledOn = "2024-01-01",
            }, HttpStatusCode.Created);
            await ExpectAsync($"/api/regions/{Region}/contributions", new
            {
                idNumber = Person(n), employerCreditCode = Employer, month = "2025-05", @base = "8000.00", employerPart = "640.00", individualPart = "160.00",
                dueDate = "2025-05-31", paidDate = n < first + 2 ? "2025-05-20" : null,
            }, HttpStatusCode.OK);
        }
    }

    private async Task<JsonElement> WaitFinishedAsync(string url)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await server.GetJsonAsync(url);
            if (run.GetProperty("status").GetString() == "finished") return run;
            Assert.NotEqual("failed", run.GetProperty("status").GetString());
            await Task.Delay(50);
        }
        throw new TimeoutException($"{url} did not finish");
    }

    [Fact]
    public async Task Staff_start_a_run_watch_it_finish_and_the_insured_read_their_credit()
    {
        await EnrolAndPayAsync(first: 0);

        var (status, started, response) = await PostAsync($"/api/regions/{Region}/crediting-runs", new { month = "2025-05" });
        using (response)
        {
            Assert.Equal(HttpStatusCode.Accepted, status);
            Assert.Equal($"/api/regions/{Region}/crediting-runs/2025-05", response.Headers.Location?.ToString());
        }
        Assert.Equal("2025-05", started.GetProperty("month").GetString());
        Assert.Contains("990100@", started.GetProperty("policyVersion").GetString(), StringComparison.Ordinal);

        var run = await WaitFinishedAsync($"/api/regions/{Region}/crediting-runs/2025-05");
        Assert.Equal(3, run.GetProperty("accounts").GetInt64());
        Assert.Equal(2, run.GetProperty("credited").GetInt64());
        Assert.Equal(1, run.GetProperty("skippedByReason").GetProperty("contribution-unpaid").GetInt64());
        Assert.Equal("320.00", run.GetProperty("sumCredited").GetString());
        Assert.Equal("320.00", run.GetProperty("pooledFundPaid").GetString());

        var credits = await server.GetJsonAsync($"/api/insured/{Region}/{Person(0)}/credits?year=2025");
        Assert.Equal("2025-01", credits.GetProperty("from").GetString());
        Assert.Equal("2025-12", credits.GetProperty("to").GetString());
        Assert.Equal("160.00", credits.GetProperty("total").GetString());
        var may = Assert.Single(credits.GetProperty("credits").EnumerateArray());
        Assert.Equal("2025-05", may.GetProperty("month").GetString());
        Assert.Equal("160.00", may.GetProperty("amount").GetString());
        Assert.Equal("2025-05-31", may.GetProperty("businessDate").GetString());
        Assert.Contains("缴费基数 8000.00", may.GetProperty("memo").GetString(), StringComparison.Ordinal);
        var unpaid = await server.GetJsonAsync($"/api/insured/{Region}/{Person(2)}/credits?year=2025");
        Assert.Empty(unpaid.GetProperty("credits").EnumerateArray());

        // Asked again: the month is done, nothing changes, and the answer says so.
        var again = await ExpectAsync($"/api/regions/{Region}/crediting-runs", new { month = "2025-05" }, HttpStatusCode.OK);
        Assert.True(again.GetProperty("alreadyFinished").GetBoolean());
        Assert.Equal("320.00", again.GetProperty("sumCredited").GetString());
        await server.AssertLedgerIsSoundAsync();
    }

    [Fact]
    public async Task A_region_not_served_here_is_unknown_region_and_nothing_is_written()
    {
        long Count(string sql)
        {
            using var c = server.Service<YibaoDatabase>().ConnectAsync().GetAwaiter().GetResult();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        // 000000 has a policy pack (the national one) but is not a region of this database.
        var (_, _, response) = await PostAsync("/api/regions/000000/crediting-runs", new { month = "2025-10" });
        using (response) await ProblemAsync(response, HttpStatusCode.NotFound, "unknown-region");
        using (var run = await server.Client.GetAsync("/api/regions/000000/crediting-runs/2025-10"))
            await ProblemAsync(run, HttpStatusCode.NotFound, "unknown-region");

        Assert.Equal(0, Count("SELECT COUNT(*) FROM batch_run WHERE region_code = '000000'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_account WHERE region_code = '000000'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM account_balance WHERE region_code = '000000'"));
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_their_codes_and_start_nothing()
    {
        long Runs()
        {
            using var c = server.Service<YibaoDatabase>().ConnectAsync().GetAwaiter().GetResult();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM batch_run WHERE period IN ('2025-12', '2025-13')";
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        foreach (var (body, code, httpStatus) in new (object, string, HttpStatusCode)[]
                 {
                     (new { month = "2025-12" }, "crediting-month-in-future", HttpStatusCode.UnprocessableEntity),
                     (new { month = "2025-13" }, "invalid-month", HttpStatusCode.BadRequest),
                     (new { }, "missing-field", HttpStatusCode.BadRequest),
                 })
        {
            var (_, _, response) = await PostAsync($"/api/regions/{Region}/crediting-runs", body);
            using (response) await ProblemAsync(response, httpStatus, code);
        }
        var (_, _, unknownRegion) = await PostAsync("/api/regions/110100/crediting-runs", new { month = "2025-05" });
        using (unknownRegion) await ProblemAsync(unknownRegion, HttpStatusCode.NotFound, "unknown-region");
        var (_, _, badRegion) = await PostAsync("/api/regions/99x100/crediting-runs", new { month = "2025-05" });
        using (badRegion) await ProblemAsync(badRegion, HttpStatusCode.BadRequest, "invalid-region-code");
        Assert.Equal(0, Runs());

        using (var notRun = await server.Client.GetAsync($"/api/regions/{Region}/crediting-runs/2024-01"))
            await ProblemAsync(notRun, HttpStatusCode.NotFound, "batch-run-not-found");
        using (var badId = await server.Client.GetAsync($"/api/insured/{Region}/11010519900101000A/credits"))
            await ProblemAsync(badId, HttpStatusCode.BadRequest, "invalid-id-number");
        using (var noAccount = await server.Client.GetAsync($"/api/insured/{Region}/{Person(99)}/credits"))
            await ProblemAsync(noAccount, HttpStatusCode.NotFound, "unknown-account");
        using (var badYear = await server.Client.GetAsync($"/api/insured/{Region}/{Person(0)}/credits?year=20x5"))
            await ProblemAsync(badYear, HttpStatusCode.BadRequest, "invalid-field");
    }
}
