using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Storage;
using Yibao.Storage.Records;

namespace Yibao.Server.Tests;

/// <summary>A server without the demo population whose region 990100 exists; "now" is 2025-11-15 in China.</summary>
public sealed class RecordsServer() : YibaoServerWithClock(new FixedClock(Now))
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Service<RecordsStore>().EnsureRegionAsync(RegionCode.Demo, "示例市", new DateOnly(2020, 1, 1));
    }
}

/// <summary>Employers, enrolment, status events, contributions and gaps over HTTP; every refusal writes nothing.</summary>
public sealed class RecordsEndpointTests(RecordsServer server) : IClassFixture<RecordsServer>
{
    private const string Region = "990100";
    private static readonly RegionCode Area = RegionCode.Parse("110105");

    // Each test uses its own people and employers: the server (and its database) is shared by the class.
    private static string Person(int n) => IdNumber.Create(Area, new DateOnly(1990, 1, 1).AddDays(n), 100 + n).Value;
    private static string Employer(int n) => CreditCode.Create('9', '1', RegionCode.Demo, "RT" + n.ToString("D6", CultureInfo.InvariantCulture)).Value;
    private static string Broken(string code) => code[..17] + (code[17] == 'A' ? "B" : "A");

    private async Task<HttpResponseMessage> PostAsync(string url, object body) =>
        await server.Client.PostAsync(url, new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    private async Task<JsonElement> OkAsync(string url, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await PostAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"POST {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> ProblemAsync(string url, object body, HttpStatusCode status, string code)
    {
        using var response = await PostAsync(url, body);
        return await ProblemOf(response, status, code, $"POST {url}");
    }

    private async Task<JsonElement> GetProblemAsync(string url, HttpStatusCode status, string code)
    {
        using var response = await server.Client.GetAsync(url);
        return await ProblemOf(response, status, code, $"GET {url}");
    }

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode status, string code, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{what}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageZh").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageEn").GetString()));
        return problem;
    }

    private async Task<long> CountAsync(string table)
    {
        await using var c = await server.Service<YibaoDatabase>().ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<long[]> CountsAsync() =>
        [await CountAsync("employer"), await CountAsync("insured"), await CountAsync("insured_status"), await CountAsync("contribution"), await CountAsync("ledger_account")];

    private Task<JsonElement> RegisterAsync(int employer) =>
        OkAsync($"/api/regions/{Region}/employers", new { creditCode = Employer(employer), name = $"测试单位{employer}" });

    private Task<JsonElement> EnrolAsync(int person, int employer, string enrolledOn = "2025-01-01") =>
        OkAsync($"/api/regions/{Region}/insured", new
        {
            idNumber = Person(person), name = $"参保人{person}", status = "employed", employerCreditCode = Employer(employer),
            declaredWage = "8000.00", enrolledOn,
        });

    private static object Contribution(int person, string month, int? employer, string? paid = null, object? basis = null, string? due = null) => new
    {
        idNumber = Person(person),
        employerCreditCode = employer is { } e ? Employer(e) : null,
        month,
        @base = basis ?? "8000.00",
        employerPart = "640.00",
        individualPart = "160.00",
        dueDate = due ?? month + "-28",
        paidDate = paid,
    };

    [Fact]
    public async Task Registering_an_employer_is_created_then_replayed_then_refused_with_other_facts()
    {
        var first = await RegisterAsync(1);
        var again = await OkAsync($"/api/regions/{Region}/employers", new { creditCode = Employer(1), name = "测试单位1" }, HttpStatusCode.OK);

        Assert.True(first.GetProperty("created").GetBoolean());
        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal("2025-11-15", first.GetProperty("registeredOn").GetString());
        await ProblemAsync($"/api/regions/{Region}/employers", new { creditCode = Employer(1), name = "另一个名字" }, HttpStatusCode.Conflict, "employer-exists-different");
    }

    [Fact]
    public async Task Bad_employer_registrations_are_refused_and_write_nothing()
    {
        var before = await CountsAsync();

        var problem = await ProblemAsync($"/api/regions/{Region}/employers", new { creditCode = Broken(Employer(2)), name = "x" }, HttpStatusCode.BadRequest, "invalid-credit-code");
        Assert.Contains("校验码", problem.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        await ProblemAsync($"/api/regions/{Region}/employers", new { creditCode = Employer(2), name = " " }, HttpStatusCode.BadRequest, "missing-field");
        await ProblemAsync($"/api/regions/{Region}/employers", new { name = "x" }, HttpStatusCode.BadRequest, "missing-field");
        await ProblemAsync("/api/regions/990200/employers", new { creditCode = Employer(2), name = "x" }, HttpStatusCode.NotFound, "unknown-region");
        await ProblemAsync("/api/regions/99x100/employers", new { creditCode = Employer(2), name = "x" }, HttpStatusCode.BadRequest, "invalid-region-code");

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Enrolment_returns_the_record_with_its_history_and_opens_the_personal_account()
    {
        await RegisterAsync(3);
        var enrolled = await EnrolAsync(3, 3, "2025-02-01");

        Assert.Equal("employed", enrolled.GetProperty("status").GetString());
        Assert.Equal(Employer(3), enrolled.GetProperty("employerCreditCode").GetString());
        Assert.Equal("8000.00", enrolled.GetProperty("declaredWage").GetString());
        var history = enrolled.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("enrol", Assert.Single(history).GetProperty("event").GetString());
        var account = enrolled.GetProperty("account").GetString();
        Assert.Equal($"{Region}:personal:{Person(3)}", account);
        var balance = await server.GetJsonAsync($"/api/accounts/{account}/balance");
        Assert.Equal("0.00", balance.GetProperty("total").GetString());
        Assert.Equal("参保人3", balance.GetProperty("holderName").GetString());

        var read = await server.GetJsonAsync($"/api/insured/{Region}/{Person(3)}");
        Assert.Equal(enrolled.GetRawText(), read.GetRawText());
        await OkAsync($"/api/regions/{Region}/insured", new
        {
            idNumber = Person(3), name = "参保人3", status = "employed", employerCreditCode = Employer(3), declaredWage = "8000.00", enrolledOn = "2025-02-01",
        }, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Bad_enrolments_are_refused_and_write_nothing()
    {
        await RegisterAsync(4);
        var before = await CountsAsync();
        var url = $"/api/regions/{Region}/insured";
        object Body(string? id = null, string? employer = null, string enrolledOn = "2025-01-01", string? wage = "8000.00", string status = "employed") =>
            new { idNumber = id ?? Person(4), name = "参保人4", status, employerCreditCode = employer ?? Employer(4), declaredWage = wage, enrolledOn };

        await ProblemAsync(url, Body(id: Broken(Person(4))), HttpStatusCode.BadRequest, "invalid-id-number");
        await ProblemAsync(url, Body(employer: Broken(Employer(4))), HttpStatusCode.BadRequest, "invalid-credit-code");
        await ProblemAsync(url, Body(employer: Employer(99)), HttpStatusCode.NotFound, "unknown-employer");
        await ProblemAsync(url, Body(enrolledOn: "1980-01-01"), HttpStatusCode.BadRequest, "invalid-date-range");
        await ProblemAsync(url, Body(enrolledOn: "2025-02-30"), HttpStatusCode.BadRequest, "invalid-date");
        await ProblemAsync(url, Body(wage: "-1.00"), HttpStatusCode.BadRequest, "amount-negative");
        await ProblemAsync(url, Body(wage: "8000.005"), HttpStatusCode.BadRequest, "invalid-amount");
        await ProblemAsync(url, Body(status: "suspended"), HttpStatusCode.BadRequest, "invalid-field");

        Assert.Equal(before, await CountsAsync());
        await GetProblemAsync($"/api/insured/{Region}/{Person(4)}", HttpStatusCode.NotFound, "unknown-insured");
        await GetProblemAsync($"/api/insured/{Region}/{Broken(Person(4))}", HttpStatusCode.BadRequest, "invalid-id-number");
    }

    [Fact]
    public async Task Status_events_build_the_history_and_refusals_name_their_rule()
    {
        await RegisterAsync(5);
        await RegisterAsync(6);
        await EnrolAsync(5, 5, "2024-01-01");
        var url = $"/api/regions/{Region}/insured/{Person(5)}/events";

        await OkAsync(url, new { @event = "leave", effectiveOn = "2024-06-15" });
        var hired = await OkAsync(url, new { @event = "hire", effectiveOn = "2024-07-01", employerCreditCode = Employer(6) });
        var replay = await OkAsync(url, new { @event = "hire", effectiveOn = "2024-07-01", employerCreditCode = Employer(6) }, HttpStatusCode.OK);

        Assert.Equal("employed", hired.GetProperty("insured").GetProperty("status").GetString());
        Assert.Equal(Employer(6), hired.GetProperty("insured").GetProperty("employerCreditCode").GetString());
        Assert.True(replay.GetProperty("replayed").GetBoolean());
        var before = await CountsAsync();

        var early = await ProblemAsync(url, new { @event = "retire", effectiveOn = "2024-06-30" }, (HttpStatusCode)422, "status-event-out-of-order");
        Assert.Equal("2024-07-01", early.GetProperty("details").GetProperty("lastDate").GetString());
        await ProblemAsync(url, new { @event = "rejoin", effectiveOn = "2024-08-01" }, (HttpStatusCode)422, "status-event-not-allowed");
        await ProblemAsync(url, new { @event = "hire", effectiveOn = "2024-08-01" }, HttpStatusCode.BadRequest, "missing-field");
        await ProblemAsync(url, new { @event = "promote", effectiveOn = "2024-08-01" }, HttpStatusCode.BadRequest, "invalid-field");
        await ProblemAsync(url, new { @event = "leave", effectiveOn = "2024/08/01" }, HttpStatusCode.BadRequest, "invalid-date");
        await ProblemAsync(url, new { @event = "leave", effectiveOn = "2026-01-01" }, HttpStatusCode.BadRequest, "invalid-field");
        await ProblemAsync(url, new { @event = "hire", effectiveOn = "2024-08-01", employerCreditCode = Employer(98) }, HttpStatusCode.NotFound, "unknown-employer");
        await ProblemAsync($"/api/regions/{Region}/insured/{Person(55)}/events", new { @event = "leave", effectiveOn = "2024-08-01" }, HttpStatusCode.NotFound, "unknown-insured");
        Assert.Equal(before, await CountsAsync());

        await OkAsync(url, new { @event = "die", effectiveOn = "2025-01-10" });
        await ProblemAsync(url, new { @event = "leave", effectiveOn = "2025-02-01" }, (HttpStatusCode)422, "status-event-after-death");
        var record = await server.GetJsonAsync($"/api/insured/{Region}/{Person(5)}");
        Assert.Equal("deceased", record.GetProperty("status").GetString());
        Assert.Equal("2025-01-10", record.GetProperty("deathDate").GetString());
        Assert.Equal(["enrol", "leave", "hire", "die"], record.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString()));
    }

    [Fact]
    public async Task Contributions_are_taken_one_or_many_and_read_back()
    {
        await RegisterAsync(7);
        await EnrolAsync(7, 7, "2025-01-01");
        var url = $"/api/regions/{Region}/contributions";

        var one = await OkAsync(url, Contribution(7, "2025-01", 7, paid: "2025-01-25"), HttpStatusCode.OK);
        var many = await OkAsync(url, new[] { Contribution(7, "2025-02", 7, basis: 8000.00m), Contribution(7, "2025-01", 7, paid: "2025-01-25") }, HttpStatusCode.OK);
        var paid = await OkAsync(url, new[] { Contribution(7, "2025-02", 7, paid: "2025-03-10") }, HttpStatusCode.OK);

        Assert.Equal(1, one.GetProperty("recorded").GetInt32());
        Assert.Equal((1, 1), (many.GetProperty("recorded").GetInt32(), many.GetProperty("unchanged").GetInt32()));
        Assert.Equal("payment-recorded", paid.GetProperty("items")[0].GetProperty("outcome").GetString());
        var list = await server.GetJsonAsync($"/api/insured/{Region}/{Person(7)}/contributions?from=2025-01&to=2025-12");
        var months = list.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal(["2025-01", "2025-02"], months.Select(m => m.GetProperty("month").GetString()));
        Assert.Equal("800.00", months[1].GetProperty("total").GetString());
        Assert.Equal("2025-03-10", months[1].GetProperty("paidDate").GetString());
    }

    [Fact]
    public async Task Bad_contributions_are_refused_with_their_item_and_write_nothing()
    {
        await RegisterAsync(8);
        await EnrolAsync(8, 8, "2025-01-01");
        var url = $"/api/regions/{Region}/contributions";
        await OkAsync(url, Contribution(8, "2025-01", 8), HttpStatusCode.OK);
        var before = await CountsAsync();

        await ProblemAsync(url, Contribution(8, "2025-1", 8), HttpStatusCode.BadRequest, "invalid-month");
        await ProblemAsync(url, Contribution(8, "2025-02", 8, basis: "-8000.00"), HttpStatusCode.BadRequest, "amount-negative");
        var decimals = await ProblemAsync(url, new[] { Contribution(8, "2025-02", 8), Contribution(8, "2025-03", 8, basis: "8000.001") }, HttpStatusCode.BadRequest, "invalid-amount");
        Assert.Equal("1", decimals.GetProperty("details").GetProperty("item").GetString());
        await ProblemAsync(url, Contribution(8, "2025-02", 8, basis: 8000.001m), HttpStatusCode.BadRequest, "invalid-amount");
        await ProblemAsync(url, Contribution(8, "2025-02", 8, due: "2025-01-31"), HttpStatusCode.BadRequest, "invalid-date-range");
        await ProblemAsync(url, Contribution(8, "2025-02", 8, paid: "2025-12-01"), HttpStatusCode.BadRequest, "invalid-field");
        await ProblemAsync(url, Contribution(8, "2025-02", 97), HttpStatusCode.NotFound, "unknown-employer");
        await ProblemAsync(url, Contribution(88, "2025-02", 8), HttpStatusCode.NotFound, "unknown-insured");
        var conflict = await ProblemAsync(url, new[] { Contribution(8, "2025-02", 8), Contribution(8, "2025-01", 8, basis: "7000.00") }, HttpStatusCode.Conflict, "contribution-conflict");
        Assert.Equal("1", conflict.GetProperty("details").GetProperty("item").GetString());
        Assert.Equal("base", conflict.GetProperty("details").GetProperty("field").GetString());
        await ProblemAsync(url, "not an object", HttpStatusCode.BadRequest, "invalid-field");
        await ProblemAsync(url, Array.Empty<object>(), HttpStatusCode.BadRequest, "missing-field");

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Gaps_of_a_person_and_of_the_region_name_their_cause()
    {
        await RegisterAsync(9);
        await EnrolAsync(9, 9, "2025-06-10");                         // first counted month: 2025-07
        await OkAsync($"/api/regions/{Region}/contributions", new[]
        {
            Contribution(9, "2025-07", 9, paid: "2025-07-20"),
            Contribution(9, "2025-08", 9),                            // unpaid
        }, HttpStatusCode.OK);
        await OkAsync($"/api/regions/{Region}/insured/{Person(9)}/events", new { @event = "leave", effectiveOn = "2025-09-01" });
        await OkAsync($"/api/regions/{Region}/insured/{Person(9)}/events", new { @event = "rejoin", effectiveOn = "2025-09-01" });   // flexible

        var gaps = await server.GetJsonAsync($"/api/insured/{Region}/{Person(9)}/gaps");

        Assert.Equal("2025-10", gaps.GetProperty("to").GetString());            // default: last month ("now" is 2025-11-15)
        Assert.Equal(
            [("2025-08", "employer", "unpaid"), ("2025-09", "individual", "missing"), ("2025-10", "individual", "missing")],
            gaps.GetProperty("months").EnumerateArray().Select(m => (m.GetProperty("month").GetString(), m.GetProperty("cause").GetString(), m.GetProperty("reason").GetString())));
        Assert.Equal("800.00", gaps.GetProperty("months")[0].GetProperty("owed").GetString());
        Assert.Equal(Employer(9), gaps.GetProperty("months")[0].GetProperty("employerCreditCode").GetString());
        Assert.Equal(1, gaps.GetProperty("employerMonths").GetInt32());

        var region = await server.GetJsonAsync($"/api/regions/{Region}/gaps?month=2025-08");
        Assert.Equal("2025-08", region.GetProperty("month").GetString());
        var mine = region.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("idNumber").GetString() == Person(9));
        Assert.Equal(("employer", "unpaid", "参保人9"), (mine.GetProperty("cause").GetString(), mine.GetProperty("reason").GetString(), mine.GetProperty("name").GetString()));

        await GetProblemAsync($"/api/regions/{Region}/gaps?month=2025-8", HttpStatusCode.BadRequest, "invalid-month");
        await GetProblemAsync("/api/regions/990200/gaps?month=2025-08", HttpStatusCode.NotFound, "unknown-region");
        await GetProblemAsync($"/api/insured/{Region}/{Person(9)}/gaps?from=2025-10&to=2025-09", HttpStatusCode.BadRequest, "invalid-date-range");
        await GetProblemAsync($"/api/insured/{Region}/{Person(90)}/gaps", HttpStatusCode.NotFound, "unknown-insured");
    }

    [Fact]
    public async Task The_records_endpoints_are_in_the_API_document()
    {
        var doc = await server.GetJsonAsync("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var path in new[]
                 {
                     "/api/regions/{region}/employers", "/api/regions/{region}/insured/{idNumber}/events", "/api/regions/{region}/contributions",
                     "/api/regions/{region}/gaps", "/api/insured/{region}/{idNumber}", "/api/insured/{region}/{idNumber}/gaps",
                     "/api/insured/{region}/{idNumber}/contributions",
                 })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not documented");
        Assert.True(paths.GetProperty("/api/regions/{region}/insured").TryGetProperty("post", out _));
    }
}
