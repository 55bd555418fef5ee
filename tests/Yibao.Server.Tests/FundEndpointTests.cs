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
public sealed class FundServer() : YibaoServerWithClock(new FixedClock(Now))
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Service<RecordsStore>().EnsureRegionAsync(RegionCode.Demo, "示例市", new DateOnly(2020, 1, 1));
    }
}

/// <summary>Contributions recorded through the API reach the pooled fund; GET /fund shows it.</summary>
public sealed class FundEndpointTests(FundServer server) : IClassFixture<FundServer>
{
    private const string Region = "990100";
    private static readonly string Employer = CreditCode.Create('9', '1', RegionCode.Demo, "FD000001").Value;
    private static string Person(int n) => IdNumber.Create(RegionCode.Parse("990102"), new DateOnly(1986, 3, 1).AddDays(n), 300 + n).Value;

    private async Task<JsonElement> PostAsync(string url, object body, HttpStatusCode expected)
    {
        using var response = await server.Client.PostAsync(url, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"POST {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task ProblemAsync(string url, HttpStatusCode status, string code)
    {
        using var response = await server.Client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"GET {url}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(code, JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
    }

    private async Task<long> EntriesAsync()
    {
        await using var c = await server.Service<YibaoDatabase>().ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM journal_entry";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static object Contribution(int person, string month, string? employer, string employerPart, string individualPart, string? paid) => new
    {
        idNumber = Person(person), employerCreditCode = employer, month, @base = "8000.00", employerPart, individualPart,
        dueDate = month + "-28", paidDate = paid,
    };

    [Fact]
    public async Task Contributions_recorded_through_the_api_reach_the_pooled_fund_once_and_the_fund_shows_them()
    {
        await PostAsync($"/api/regions/{Region}/employers", new { creditCode = Employer, name = "示例市基金测试有限公司" }, HttpStatusCode.Created);
        await PostAsync($"/api/regions/{Region}/insured", new
        {
            idNumber = Person(1), name = "钱一", status = "employed", employerCreditCode = Employer, declaredWage = "8000.00", enrolledOn = "2025-01-01",
        }, HttpStatusCode.Created);
        await PostAsync($"/api/regions/{Region}/insured", new
        {
            idNumber = Person(2), name = "孙二", status = "flexible", declaredWage = "6000.00", enrolledOn = "2025-01-01",
        }, HttpStatusCode.Created);
        var url = $"/api/regions/{Region}/contributions";
        object[] months =
        [
            Contribution(1, "2025-08", Employer, "640.00", "160.00", "2025-08-25"),
            Contribution(1, "2025-09", Employer, "640.00", "160.00", null),
            Contribution(2, "2025-09", null, "0.00", "600.00", "2025-10-08"),
        ];
        await PostAsync(url, months, HttpStatusCode.OK);
        var entries = await EntriesAsync();
        await PostAsync(url, months, HttpStatusCode.OK);                                     // the same again: nothing
        Assert.Equal(entries, await EntriesAsync());

        var fund = await server.GetJsonAsync($"/api/regions/{Region}/fund");

        Assert.Equal("990100:pooled-fund", fund.GetProperty("account").GetString());
        Assert.Equal("1400.00", fund.GetProperty("balance").GetString());
        var receivables = fund.GetProperty("receivables");
        Assert.Equal(("800.00", "0.00", "800.00", 1L),
            (receivables.GetProperty("employers").GetString(), receivables.GetProperty("insured").GetString(), receivables.GetProperty("total").GetString(),
             receivables.GetProperty("unpaidMonths").GetInt64()));
        var list = fund.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(["2025-08", "2025-09", "2025-10"], list.Select(m => m.GetProperty("month").GetString()));
        Assert.Equal(["800.00", "0.00", "600.00"], list.Select(m => m.GetProperty("income").GetString()));

        // The month's payment arrives: posted once, the receivable is settled.
        await PostAsync(url, new[] { Contribution(1, "2025-09", Employer, "640.00", "160.00", "2025-11-03") }, HttpStatusCode.OK);
        await PostAsync(url, new[] { Contribution(1, "2025-09", Employer, "640.00", "160.00", "2025-11-03") }, HttpStatusCode.OK);
        Assert.Equal(entries + 1, await EntriesAsync());
        var paid = await server.GetJsonAsync($"/api/regions/{Region}/fund?from=2025-11&to=2025-11");
        Assert.Equal("2200.00", paid.GetProperty("balance").GetString());
        Assert.Equal("0.00", paid.GetProperty("receivables").GetProperty("total").GetString());
        var november = Assert.Single(paid.GetProperty("months").EnumerateArray());
        Assert.Equal(("2025-11", "800.00", "800.00"), (november.GetProperty("month").GetString(), november.GetProperty("contributions").GetString(), november.GetProperty("net").GetString()));
        await server.AssertLedgerIsSoundAsync();
    }

    [Fact]
    public async Task Bad_questions_about_the_fund_are_refused_with_their_codes()
    {
        await ProblemAsync("/api/regions/000000/fund", HttpStatusCode.NotFound, "unknown-region");
        await ProblemAsync($"/api/regions/{Region}/fund?from=2025-13", HttpStatusCode.BadRequest, "invalid-month");
        await ProblemAsync($"/api/regions/{Region}/fund?from=2025-06&to=2025-01", HttpStatusCode.BadRequest, "invalid-date-range");
        await ProblemAsync($"/api/regions/{Region}/fund?from=1970-01&to=2025-01", HttpStatusCode.BadRequest, "fund-range-too-long");
    }
}
