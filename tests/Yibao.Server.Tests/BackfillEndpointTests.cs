using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Storage.Records;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Server.Tests;

/// <summary>补缴 over HTTP: the quote, posting a payment (idempotent), problem details, benefit status.</summary>
public sealed class BackfillEndpointTests(EmptyServer server) : IClassFixture<EmptyServer>
{
    private static readonly RegionCode Region = RegionCode.Demo;
    private static readonly CreditCode Employer = CreditCode.Create('9', '1', Region, "BF000002");
    private static int _next;

    /// <summary>A valid ID number nobody is enrolled with.</summary>
    private static readonly string Unknown = IdNumber.Create(Region, new DateOnly(1985, 6, 1), 998).Value;

    /// <summary>A new employee of the test employer (declared wage 8,000.00), enrolled through the records service.</summary>
    private async Task<string> EmployeeAsync()
    {
        var records = server.Service<RecordsStore>();
        await records.EnsureRegionAsync(Region, "示例市", new DateOnly(2020, 1, 1));
        await records.RegisterEmployerAsync(new Employer(Employer, Region, "示例市接口测试有限公司"));
        var id = IdNumber.Create(Region, new DateOnly(1985, 6, 1), Interlocked.Increment(ref _next) * 2 + 1);
        await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(Region, id, "张先生", InsuredScheme.Employee, InsuredState.Employed,
            Employer, Money.Parse("8000.00"), new DateOnly(2020, 1, 1), null, "CHN")));
        return id.Value;
    }

    private static object We10(string id, string paidOn = "2025-05-20") =>
        new { idNumber = id, cause = "employer", months = new[] { "2025-03", "2025-04" }, paidOn };

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("messageZh").GetString()));
        return problem;
    }

    [Fact]
    public async Task The_quote_reads_the_record_and_gives_WE10_with_reasons_and_writes_nothing()
    {
        var id = await EmployeeAsync();
        var quote = await server.GetJsonAsync($"/api/insured/990100/{id}/backfill-quote?months=2025-03,2025-04&cause=employer&paidOn=2025-05-20");

        Assert.Equal("1600.00", quote.GetProperty("principal").GetString());
        Assert.Equal("28.00", quote.GetProperty("lateFee").GetString());
        Assert.Equal("1628.00", quote.GetProperty("total").GetString());
        Assert.Equal("1280.00", quote.GetProperty("employerPart").GetString());
        Assert.Equal("320.00", quote.GetProperty("accountCredit").GetString());
        Assert.Equal("employer", quote.GetProperty("lateFeePayer").GetString());
        Assert.Equal("employed", quote.GetProperty("status").GetString());
        Assert.Equal(50, quote.GetProperty("months")[0].GetProperty("daysLate").GetInt32());
        Assert.NotEmpty(quote.GetProperty("reasons").EnumerateArray());
        Assert.StartsWith("990100@", quote.GetProperty("policyVersion").GetString(), StringComparison.Ordinal);
        var list = await server.GetJsonAsync($"/api/insured/990100/{id}/backfills");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Posting_a_payment_moves_the_money_once_and_a_retry_is_a_replay()
    {
        var id = await EmployeeAsync();
        using var first = await server.Client.PostAsJsonAsync("/api/regions/990100/backfills", We10(id));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var posted = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("1628.00", posted.GetProperty("total").GetString());
        Assert.Equal("320.00", posted.GetProperty("accountCredit").GetString());
        Assert.False(posted.GetProperty("replayed").GetBoolean());
        Assert.Equal(3, posted.GetProperty("entryKeys").GetArrayLength());
        Assert.Equal(2, posted.GetProperty("creditKeys").GetArrayLength());

        using var again = await server.Client.PostAsJsonAsync("/api/regions/990100/backfills", We10(id));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetBoolean());

        var balance = await server.GetJsonAsync($"/api/accounts/990100:personal:{id}/balance");
        Assert.Equal("320.00", balance.GetProperty("total").GetString());
        var status = await server.GetJsonAsync($"/api/insured/990100/{id}/benefit-status");
        var retro = Assert.Single(status.GetProperty("items").EnumerateArray());
        Assert.Equal("retroactive", retro.GetProperty("kind").GetString());
        Assert.Equal("2025-03-01", retro.GetProperty("from").GetString());
        Assert.Equal("2025-04-30", retro.GetProperty("to").GetString());
        var list = await server.GetJsonAsync($"/api/insured/990100/{id}/backfills");
        Assert.Single(list.GetProperty("items").EnumerateArray());
        await server.AssertLedgerIsSoundAsync();
    }

    [Fact]
    public async Task A_month_paid_already_is_a_conflict_and_writes_nothing()
    {
        var id = await EmployeeAsync();
        using (var first = await server.Client.PostAsJsonAsync("/api/regions/990100/backfills", We10(id)))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await server.Client.PostAsJsonAsync("/api/regions/990100/backfills",
            new { idNumber = id, cause = "employer", months = new[] { "2025-04", "2025-05" }, paidOn = "2025-06-03" });
        var problem = await ProblemAsync(second, HttpStatusCode.Conflict, "backfill-month-already-paid");
        Assert.Equal("2025-04", problem.GetProperty("details").GetProperty("month").GetString());
        var list = await server.GetJsonAsync($"/api/insured/990100/{id}/backfills");
        Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("320.00", (await server.GetJsonAsync($"/api/accounts/990100:personal:{id}/balance")).GetProperty("total").GetString());
    }

    [Theory]
    [InlineData("""{ "cause": "employer", "months": ["2025-03"], "paidOn": "2025-05-20" }""", 400, "missing-field")]
    [InlineData("""{ "idNumber": "ID", "cause": "boss", "months": ["2025-03"], "paidOn": "2025-05-20" }""", 400, "invalid-field")]
    [InlineData("""{ "idNumber": "ID", "cause": "employer", "months": ["2025-13"], "paidOn": "2025-05-20" }""", 400, "invalid-month")]
    [InlineData("""{ "idNumber": "ID", "cause": "employer", "months": [], "paidOn": "2025-05-20" }""", 400, "missing-field")]
    [InlineData("""{ "idNumber": "ID", "cause": "employer", "months": ["2025-03"], "paidOn": "2025-05-20", "rate": "0.10" }""", 400, "invalid-field")]
    [InlineData("""{ "idNumber": "ID", "cause": "employer", "months": ["2025-03"], "paidOn": "2026-01-01" }""", 400, "invalid-field")]
    [InlineData("""{ "idNumber": "UNKNOWN", "cause": "employer", "months": ["2025-03"], "paidOn": "2025-05-20" }""", 404, "unknown-insured")]
    public async Task Bad_input_answers_problem_details_and_writes_nothing(string body, int status, string code)
    {
        var id = await EmployeeAsync();
        body = body.Replace("\"ID\"", $"\"{id}\"", StringComparison.Ordinal).Replace("UNKNOWN", Unknown, StringComparison.Ordinal);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync("/api/regions/990100/backfills", content);
        await ProblemAsync(response, (HttpStatusCode)status, code);
        var list = await server.GetJsonAsync($"/api/insured/990100/{id}/backfills");
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_quote_of_an_unknown_person_or_without_a_cause_is_refused()
    {
        using (var unknown = await server.Client.GetAsync($"/api/insured/990100/{Unknown}/backfill-quote?months=2025-03&cause=employer&paidOn=2025-05-20"))
            await ProblemAsync(unknown, HttpStatusCode.NotFound, "unknown-insured");
        var id = await EmployeeAsync();
        using (var noCause = await server.Client.GetAsync($"/api/insured/990100/{id}/backfill-quote?months=2025-03&paidOn=2025-05-20"))
            await ProblemAsync(noCause, HttpStatusCode.BadRequest, "missing-field");
        using (var badId = await server.Client.GetAsync("/api/insured/990100/123/benefit-status"))
            await ProblemAsync(badId, HttpStatusCode.BadRequest, "invalid-id-number");
    }
}
