using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Server.Problems;
using Yibao.Storage;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Server.Tests;

/// <summary>
/// The edge of the API on every engine (issue 10 items 8–10, issue 12): text with control characters,
/// money in its one JSON form, the Idempotency-Key header, typed route values, unknown regions and
/// unreadable bodies are each answered with our code and zh/en message, and write nothing.
/// </summary>
public sealed class EdgeTests
{
    private static readonly RegionCode Region = RegionCode.Demo;
    private static readonly string Owner = IdNumber.Create(Region, new DateOnly(1980, 3, 2), 601).Value;
    private static readonly string Spouse = IdNumber.Create(Region, new DateOnly(1982, 5, 6), 602).Value;
    private static readonly string Stranger = IdNumber.Create(Region, new DateOnly(1979, 6, 1), 603).Value;

    /// <summary>The framework's own words, which no answer may carry.</summary>
    private static readonly string[] FrameworkText = ["Failed to bind", "Failed to read", "Implicit body", "Required parameter", "Expected a supported JSON media type", "System."];

    private static readonly string[] Tables =
    [
        "region", "insured", "employer", "insured_status", "contribution", "batch_run", "backfill_payment", "family_aid_binding", "family_aid_spend",
        "remote_care_filing", "ledger_account", "journal_entry", "posting",
    ];

    /// <summary>A server without the demo, on a database of the given engine, with an owner (3,000.00), an insured spouse and a binding between them.</summary>
    private sealed class Server(string setting) : YibaoServer(seedDemo: false, databasePath: setting), IAsyncDisposable
    {
        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

        public long Binding { get; private set; }

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var records = Service<RecordsStore>();
            await records.EnsureRegionAsync(Region, "示例市", new DateOnly(2020, 1, 1));
            foreach (var (id, name, scheme) in new[] { (Owner, "王共济", InsuredScheme.Employee), (Spouse, "李配偶", InsuredScheme.Resident) })
                await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(Region, IdNumber.Parse(id), name, scheme, InsuredState.FlexibleEmployed, null, null,
                    new DateOnly(2020, 1, 1), null, "CHN")));
            var ledger = Service<LedgerStore>();
            var fund = AccountCode.Of(Region, AccountKind.PooledFund);
            await ledger.OpenAccountAsync(fund, new DateOnly(2020, 1, 1));
            await ledger.PostAsync(new JournalEntryRequest
            {
                IdempotencyKey = "test-opening/edge", Region = Region, ReasonCode = "opening-balance", BusinessDate = new DateOnly(2024, 1, 1),
                Actor = "test", PolicyVersion = "test",
                Postings = [new PostingLine(fund, Segment.Main, -Money.Parse("3000.00")), new PostingLine(AccountCode.Personal(Region, Owner), Segment.Historical, Money.Parse("3000.00"))],
            });
            using var bound = await PostAsync(this, $"/api/insured/990100/{Owner}/family-aid/bindings", Binding("李配偶"));
            Assert.Equal(HttpStatusCode.Created, bound.StatusCode);
            Binding = JsonDocument.Parse(await bound.Content.ReadAsStringAsync()).RootElement.GetProperty("binding").GetProperty("id").GetInt64();
        }
    }

    private static async Task<Server> StartAsync(TestDatabaseHandle database)
    {
        var server = new Server(database.Setting);
        await server.InitializeAsync();
        return server;
    }

    private static string Binding(string relativeName, string method = "online") =>
        $$"""{ "relativeIdNumber": "{{Spouse}}", "relativeName": {{Json(relativeName)}}, "relation": "spouse", "proof": "marriage-certificate", "boundOn": "2025-03-01", "windowStart": "2025-03-01", "windowEnd": "2026-02-28", "consent": { "givenBy": "relative", "method": {{Json(method)}} } }""";

    private static string Spend(long binding, string amount = "\"286.50\"", string institutionName = "示例大药房") =>
        $$"""{ "bindingId": {{binding}}, "purpose": "pharmacy", "spendOn": "2025-05-10", "amount": {{amount}}, "institutionCode": "P99010000001", "institutionName": {{Json(institutionName)}}, "designated": true }""";

    /// <summary>A JSON string literal; control characters and lone surrogates become escapes, as a client would send them.</summary>
    private static string Json(string text)
    {
        var s = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') s.Append('\\').Append(c);
            else if (char.IsControl(c) || char.IsSurrogate(c)) s.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else s.Append(c);
        }
        return s.Append('"').ToString();
    }

    private static async Task<HttpResponseMessage> PostAsync(YibaoServer server, string url, string? json, string? key = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, mediaType);
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await server.Client.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{response.RequestMessage?.RequestUri}: expected {(int)status} {code}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(YibaoProblems.TypeBase + code, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageZh").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("messageEn").GetString()));
        foreach (var words in FrameworkText) Assert.DoesNotContain(words, text, StringComparison.Ordinal);
        return problem;
    }

    private static async Task<Dictionary<string, long>> CountsAsync(YibaoDatabase db)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables)
            counts[table] = long.Parse((await DemoSeedingTests.Scalars(db, $"SELECT COUNT(*) FROM {table}"))[0], CultureInfo.InvariantCulture);
        return counts;
    }

    // ---------------------------------------------------------------- control characters (issue 10 item 8)

    /// <summary>Characters as code points: a theory's text arguments are serialised, and a lone surrogate would not survive.</summary>
    public static TheoryData<Engine, int, string> ControlCharacters
    {
        get
        {
            var data = new TheoryData<Engine, int, string>();
            foreach (var e in TestEngines.Available)
            {
                foreach (var c in new[] { 0x0000, 0x0007, 0x007f, 0x0085, 0xd800, 0xdc00 }) // NUL, BEL, DEL, NEL (C1), lone high and low surrogates
                {
                    data.Add(e, c, "employer name");
                    data.Add(e, c, "relative name");
                    data.Add(e, c, "consent method");
                    data.Add(e, c, "institution name");
                    data.Add(e, c, "destination");
                    data.Add(e, c, "contribution id number");
                    data.Add(e, c, "back-pay month");
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public async Task A_control_character_in_any_text_field_is_refused_naming_the_field_and_writes_nothing(Engine engine, int codePoint, string where)
    {
        var c = ((char)codePoint).ToString();
        await using var database = await TestEngines.CreateAsync(engine);
        await using var server = await StartAsync(database);
        var db = server.Service<YibaoDatabase>();
        var before = await CountsAsync(db);

        var (url, json, key, field) = where switch
        {
            "employer name" => ("/api/regions/990100/employers", $$"""{ "creditCode": "91990100MA0000010E", "name": {{Json("示例" + c + "公司")}} }""", null, "name"),
            "relative name" => ($"/api/insured/990100/{Owner}/family-aid/bindings", Binding("李" + c + "配偶"), null, "relativeName"),
            "consent method" => ($"/api/insured/990100/{Owner}/family-aid/bindings", Binding("李配偶", "online" + c), null, "consent.method"),
            "institution name" => ("/api/regions/990100/family-aid/spends", Spend(server.Binding, institutionName: "示例" + c + "大药房"), "SETL-edge-1", "institutionName"),
            "destination" => ($"/api/insured/990100/{Owner}/remote-care-filings", $$"""{ "category": "other", "destination": {{Json("4401" + c + "00")}}, "filedOn": "2025-07-01" }""", null, "destination"),
            "contribution id number" => ("/api/regions/990100/contributions", $$"""[{ "idNumber": {{Json(Owner[..17] + c)}}, "month": "2025-05", "base": "8000.00", "employerPart": "0.00", "individualPart": "800.00", "dueDate": "2025-05-31" }]""", null, "idNumber"),
            _ => ("/api/regions/990100/backfills", $$"""{ "idNumber": "{{Owner}}", "cause": "individual", "months": ["2025-01", {{Json("2025-02" + c)}}], "paidOn": "2025-06-01" }""", null, "months[1]"),
        };
        using var response = await PostAsync(server, url, json, key);
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-field");
        Assert.Equal(field, problem.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await CountsAsync(db));
    }

    // ---------------------------------------------------------------- money in JSON (issue 10 item 9)

    [Theory]
    [MemberData(nameof(TestEngines.Available), MemberType = typeof(TestEngines))]
    public async Task An_amount_is_a_string_or_a_number_with_at_most_two_decimals_on_every_endpoint(Engine engine)
    {
        await using var database = await TestEngines.CreateAsync(engine);
        await using var server = await StartAsync(database);
        var db = server.Service<YibaoDatabase>();

        // The spend endpoint refused a JSON number with the framework's text; the one rule takes it.
        using (var number = await PostAsync(server, "/api/regions/990100/family-aid/spends", Spend(server.Binding, amount: "10.5"), "SETL-number"))
        {
            Assert.Equal(HttpStatusCode.Created, number.StatusCode);
            Assert.Equal("10.50", JsonDocument.Parse(await number.Content.ReadAsStringAsync()).RootElement.GetProperty("accountPays").GetString());
        }
        using (var text = await PostAsync(server, "/api/regions/990100/family-aid/spends", Spend(server.Binding, amount: "\"20.25\""), "SETL-text"))
            Assert.Equal(HttpStatusCode.Created, text.StatusCode);
        using (var contribution = await PostAsync(server, "/api/regions/990100/contributions",
                   $$"""{ "idNumber": "{{Owner}}", "month": "2025-05", "base": 8000, "employerPart": 0, "individualPart": 800.5, "dueDate": "2025-05-31" }"""))
            Assert.Equal(HttpStatusCode.OK, contribution.StatusCode);

        var before = await CountsAsync(db);
        foreach (var amount in new[] { "\"+1.00\"", "\" 1.00\"", "\"1.00 \"", "\"1,000.00\"", "\"1.234\"", "10.500", "1e3", "1E+2", "\"01.00\"", "\"\"", "true", "[1]", "{}", "\"1.00元\"" })
        {
            using (var spend = await PostAsync(server, "/api/regions/990100/family-aid/spends", Spend(server.Binding, amount: amount), "SETL-bad"))
            {
                var problem = await ProblemAsync(spend, HttpStatusCode.BadRequest, "invalid-amount");
                Assert.Equal("amount", problem.GetProperty("details").GetProperty("field").GetString());
            }
            using (var contribution = await PostAsync(server, "/api/regions/990100/contributions",
                       $$"""[{ "idNumber": "{{Owner}}", "month": "2025-06", "base": {{amount}}, "employerPart": "0.00", "individualPart": "800.00", "dueDate": "2025-06-30" }]"""))
            {
                var problem = await ProblemAsync(contribution, HttpStatusCode.BadRequest, "invalid-amount");
                Assert.Equal(("base", "0"), (problem.GetProperty("details").GetProperty("field").GetString(), problem.GetProperty("details").GetProperty("item").GetString()));
            }
            using (var estimate = await PostAsync(server, $"/api/insured/990100/{Owner}/inpatient-estimate", $$"""{ "admittedOn": "2025-07-01", "tier": 3, "policyCost": {{amount}} }"""))
                Assert.Equal("policyCost", (await ProblemAsync(estimate, HttpStatusCode.BadRequest, "invalid-amount")).GetProperty("details").GetProperty("field").GetString());
        }
        using (var quote = await server.Client.GetAsync($"/api/insured/990100/{Owner}/backfill-quote?months=2025-01&cause=individual&base=1,000.00"))
            Assert.Equal("base", (await ProblemAsync(quote, HttpStatusCode.BadRequest, "invalid-amount")).GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await CountsAsync(db));
    }

    // ---------------------------------------------------------------- Idempotency-Key (issue 12)

    [Theory]
    [MemberData(nameof(TestEngines.Available), MemberType = typeof(TestEngines))]
    public async Task The_callers_key_is_the_Idempotency_Key_header_compared_exactly(Engine engine)
    {
        await using var database = await TestEngines.CreateAsync(engine);
        await using var server = await StartAsync(database);
        var db = server.Service<YibaoDatabase>();
        var spend = Spend(server.Binding, amount: "\"10.00\"");

        using (var first = await PostAsync(server, "/api/regions/990100/family-aid/spends", spend, "SETL-K1"))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using (var quoted = await PostAsync(server, "/api/regions/990100/family-aid/spends", spend, "\"SETL-K1\""))   // the draft's sf-string form: the same key
        {
            Assert.Equal(HttpStatusCode.OK, quoted.StatusCode);
            Assert.True(JsonDocument.Parse(await quoted.Content.ReadAsStringAsync()).RootElement.GetProperty("replayed").GetBoolean());
        }
        using (var otherCase = await PostAsync(server, "/api/regions/990100/family-aid/spends", spend, "setl-k1"))    // never case-folded
            Assert.Equal(HttpStatusCode.Created, otherCase.StatusCode);

        var before = await CountsAsync(db);
        using (var none = await PostAsync(server, "/api/regions/990100/family-aid/spends", spend))
            Assert.Equal("Idempotency-Key", (await ProblemAsync(none, HttpStatusCode.BadRequest, "missing-field")).GetProperty("details").GetProperty("field").GetString());
        foreach (var bad in new[] { "SETL K1", "\"SETL K1\"", "\"SETL\\K1\"", new string('k', 101) })
        {
            using var response = await PostAsync(server, "/api/regions/990100/family-aid/spends", spend, bad);
            Assert.Equal("Idempotency-Key", (await ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-field")).GetProperty("details").GetProperty("field").GetString());
        }
        using (var twice = new HttpRequestMessage(HttpMethod.Post, "/api/regions/990100/family-aid/spends") { Content = new StringContent(spend, Encoding.UTF8, "application/json") })
        {
            twice.Headers.Add("Idempotency-Key", ["SETL-A", "SETL-B"]);
            using var response = await server.Client.SendAsync(twice);
            await ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-field");
        }
        // The body's old field is no way to send a key: without the header the spend is refused, never keyed by it.
        using (var inBody = await PostAsync(server, "/api/regions/990100/family-aid/spends", spend.Replace("{ ", "{ \"idempotencyKey\": \"SETL-K9\", ", StringComparison.Ordinal)))
            await ProblemAsync(inBody, HttpStatusCode.BadRequest, "missing-field");
        Assert.Equal(before, await CountsAsync(db));
    }

    // ---------------------------------------------------------------- route values and unknown regions (issue 10 item 10, issue 12)

    [Theory]
    [MemberData(nameof(TestEngines.Available), MemberType = typeof(TestEngines))]
    public async Task Route_values_are_parsed_once_with_our_codes_and_an_unknown_region_is_404_everywhere(Engine engine)
    {
        await using var database = await TestEngines.CreateAsync(engine);
        await using var server = await StartAsync(database);
        var db = server.Service<YibaoDatabase>();
        var before = await CountsAsync(db);

        var region = await ProblemAsync(await server.Client.GetAsync($"/api/insured/99/{Owner}/gaps"), HttpStatusCode.BadRequest, "invalid-region-code");
        Assert.Equal("99", region.GetProperty("details").GetProperty("value").GetString());
        var wrongCheck = Owner[..17] + (Owner[17] == '0' ? '1' : '0');
        var id = await ProblemAsync(await server.Client.GetAsync($"/api/insured/990100/{wrongCheck}/gaps"), HttpStatusCode.BadRequest, "invalid-id-number");
        Assert.Contains("校验码", id.GetProperty("messageZh").GetString(), StringComparison.Ordinal);
        Assert.Contains("check character", id.GetProperty("messageEn").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await server.Client.GetAsync($"/api/insured/990100/{Owner}/family-aid/bindings/abc"), HttpStatusCode.BadRequest, "invalid-field");
        await ProblemAsync(await server.Client.GetAsync($"/api/insured/990100/{Owner}/family-aid/bindings/-1"), HttpStatusCode.BadRequest, "invalid-field");
        await ProblemAsync(await server.Client.GetAsync($"/api/insured/990100/{Owner}/family-aid/spends?bindingId=1e3"), HttpStatusCode.BadRequest, "invalid-field");
        await ProblemAsync(await server.Client.GetAsync("/api/regions/990100/crediting-runs/2025-13"), HttpStatusCode.BadRequest, "invalid-month");
        // Input errors come before existence: a bad id number in an unknown region is still 400.
        await ProblemAsync(await server.Client.GetAsync("/api/insured/123456/123/gaps"), HttpStatusCode.BadRequest, "invalid-id-number");

        // An unknown region in an insured path was unknown-insured; in a staff path it created a run, an account and its balance rows.
        foreach (var url in new[] { $"/api/insured/123456/{Owner}", $"/api/insured/123456/{Owner}/gaps", $"/api/insured/000000/{Owner}/remote-care-filings",
                     $"/api/insured/999999/{Owner}/family-aid/bindings", "/api/regions/123456/insured", "/api/regions/000000/crediting-runs/2025-10" })
        {
            var problem = await ProblemAsync(await server.Client.GetAsync(url), HttpStatusCode.NotFound, "unknown-region");
            Assert.Equal(url.Split('/')[3], problem.GetProperty("details").GetProperty("region").GetString());
        }
        await ProblemAsync(await PostAsync(server, "/api/regions/000000/crediting-runs", """{ "month": "2025-10" }"""), HttpStatusCode.NotFound, "unknown-region");
        await ProblemAsync(await PostAsync(server, $"/api/insured/123456/{Owner}/remote-care-filings", """{ "category": "other", "destination": "440100" }"""), HttpStatusCode.NotFound, "unknown-region");
        await ProblemAsync(await PostAsync(server, "/api/regions/123456/family-aid/spends", Spend(server.Binding), "SETL-elsewhere"), HttpStatusCode.NotFound, "unknown-region");
        Assert.Equal(before, await CountsAsync(db));

        // A policy endpoint knows a region by its pack, not by the database.
        await ProblemAsync(await server.Client.GetAsync("/api/policies/123456"), HttpStatusCode.NotFound, "unknown-region");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/policies/000000?date=2025-06-01")).StatusCode);

        // A region created after the first miss is seen at once.
        await ProblemAsync(await server.Client.GetAsync("/api/regions/990300/insured"), HttpStatusCode.NotFound, "unknown-region");
        await server.Service<RecordsStore>().EnsureRegionAsync(RegionCode.Parse("990300"), "示例三市", new DateOnly(2020, 1, 1));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/regions/990300/insured")).StatusCode);
    }

    // ---------------------------------------------------------------- bodies the framework cannot read (issue 12)

    [Fact]
    public async Task A_body_that_cannot_be_read_answers_our_code_never_the_frameworks_text()
    {
        await using var database = await TestEngines.CreateAsync(Engine.Sqlite);
        await using var server = await StartAsync(database);
        var db = server.Service<YibaoDatabase>();
        var before = await CountsAsync(db);
        const string Employers = "/api/regions/990100/employers";

        var broken = await ProblemAsync(await PostAsync(server, Employers, "{ \"creditCode\": \"91990100MA0000010E\",\n \"name\": "), HttpStatusCode.BadRequest, "invalid-json");
        Assert.Equal("2", broken.GetProperty("details").GetProperty("line").GetString());
        var wrongKind = await ProblemAsync(await PostAsync(server, Employers, """{ "creditCode": "91990100MA0000010E", "name": 42 }"""), HttpStatusCode.BadRequest, "invalid-json");
        Assert.Equal("name", wrongKind.GetProperty("details").GetProperty("field").GetString());
        await ProblemAsync(await PostAsync(server, Employers, "[1, 2]"), HttpStatusCode.BadRequest, "invalid-json");
        await ProblemAsync(await PostAsync(server, Employers, "not json at all"), HttpStatusCode.BadRequest, "invalid-json");
        await ProblemAsync(await PostAsync(server, "/api/regions/990100/contributions", "{ \"idNumber\": "), HttpStatusCode.BadRequest, "invalid-json");
        await ProblemAsync(await PostAsync(server, $"/api/insured/990100/{Owner}/inpatient-estimate", """{ "admittedOn": "2025-07-01", "tier": "three", "policyCost": "1.00" }"""),
            HttpStatusCode.BadRequest, "invalid-json");
        await ProblemAsync(await PostAsync(server, Employers, null), HttpStatusCode.BadRequest, "missing-body");
        await ProblemAsync(await PostAsync(server, Employers, ""), HttpStatusCode.BadRequest, "missing-body");
        var media = await ProblemAsync(await PostAsync(server, Employers, "creditCode=91990100MA0000010E", mediaType: "text/plain"), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        Assert.Equal("text/plain; charset=utf-8", media.GetProperty("details").GetProperty("contentType").GetString());
        Assert.Equal(before, await CountsAsync(db));
    }
}
