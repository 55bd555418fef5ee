using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Server.Tests;

/// <summary>家庭共济 over HTTP: binding, who may spend, an institution's spend (idempotent), revocation, problem details that write nothing.</summary>
public sealed class FamilyAidEndpointTests(EmptyServer server) : IClassFixture<EmptyServer>
{
    private static readonly RegionCode Region = RegionCode.Demo;
    private static int _next;

    /// <summary>A valid ID number nobody is enrolled with.</summary>
    private static readonly string Unknown = IdNumber.Create(Region, new DateOnly(1979, 6, 1), 997).Value;

    private sealed record Family(string Owner, string Spouse);

    /// <summary>A new owner (employee scheme, 3,000.00 in the account from the pooled fund) and their insured spouse, through the records service.</summary>
    private async Task<Family> FamilyAsync(string balance = "3000.00")
    {
        var records = server.Service<RecordsStore>();
        await records.EnsureRegionAsync(Region, "示例市", new DateOnly(2020, 1, 1));
        var n = Interlocked.Increment(ref _next);
        var owner = IdNumber.Create(Region, new DateOnly(1980, 3, 2), n * 2 + 1);
        var spouse = IdNumber.Create(Region, new DateOnly(1982, 5, 6), n * 2);
        foreach (var (id, name, scheme) in new[] { (owner, "王共济", InsuredScheme.Employee), (spouse, "李配偶", InsuredScheme.Resident) })
            await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(Region, id, name, scheme, InsuredState.FlexibleEmployed, null, null,
                new DateOnly(2020, 1, 1), null, "CHN")));
        var ledger = server.Service<LedgerStore>();
        var fund = AccountCode.Of(Region, AccountKind.PooledFund);
        await ledger.OpenAccountAsync(fund, new DateOnly(2020, 1, 1));
        await ledger.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = $"test-opening/{owner.Value}", Region = Region, ReasonCode = "opening-balance", BusinessDate = new DateOnly(2024, 1, 1),
            Actor = "test", PolicyVersion = "test",
            Postings = [new PostingLine(fund, Segment.Main, -Money.Parse(balance)), new PostingLine(AccountCode.Personal(Region, owner.Value), Segment.Historical, Money.Parse(balance))],
        });
        return new Family(owner.Value, spouse.Value);
    }

    private static object SpouseBinding(Family f, string relation = "spouse", string windowStart = "2025-03-01", string windowEnd = "2026-02-28") => new
    {
        relativeIdNumber = f.Spouse, relativeName = "李配偶", relation, proof = "marriage-certificate", proofReference = "J990100-2010-1",
        boundOn = "2025-03-01", windowStart, windowEnd, consent = new { givenBy = "relative", method = "online" },
    };

    private static object Spend(long binding, string key, string spendOn = "2025-05-10", string amount = "286.50", string purpose = "pharmacy") => new
    {
        bindingId = binding, idempotencyKey = key, purpose, spendOn, amount, institutionCode = "P99010000001", institutionName = "示例大药房", designated = true,
    };

    /// <summary>Posts a spend the way an institution does: the body, and its <c>idempotencyKey</c> as the <c>Idempotency-Key</c> header.</summary>
    private Task<HttpResponseMessage> PostSpendAsync(object spend) => PostSpendAsync(JsonSerializer.Serialize(spend));

    private async Task<HttpResponseMessage> PostSpendAsync(string json)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        var key = body["idempotencyKey"]?.GetValue<string>();
        body.Remove("idempotencyKey");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/regions/990100/family-aid/spends")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return await server.Client.SendAsync(request);
    }

    private async Task<long> BindAsync(Family f)
    {
        using var response = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings", SpouseBinding(f));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("binding").GetProperty("id").GetInt64();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("messageZh").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("messageEn").GetString()));
        return problem;
    }

    private async Task<string> BalanceAsync(string owner) =>
        (await server.GetJsonAsync($"/api/accounts/990100:personal:{owner}/balance")).GetProperty("total").GetString()!;

    [Fact]
    public async Task Bind_spend_retry_and_revoke_WE41_end_to_end()
    {
        var f = await FamilyAsync();
        using (var bound = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings", SpouseBinding(f)))
        {
            Assert.Equal(HttpStatusCode.Created, bound.StatusCode);
            var body = await bound.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(body.GetProperty("created").GetBoolean());
            var b = body.GetProperty("binding");
            Assert.Equal(("spouse", "marriage-certificate", true), (b.GetProperty("relation").GetString(), b.GetProperty("proof").GetString(), b.GetProperty("relativeInsured").GetBoolean()));
            Assert.Equal(("relative", f.Spouse, "online", "2025-03-01"), (b.GetProperty("consent").GetProperty("givenBy").GetString(),
                b.GetProperty("consent").GetProperty("idNumber").GetString(), b.GetProperty("consent").GetProperty("method").GetString(),
                b.GetProperty("consent").GetProperty("givenOn").GetString()));
            Assert.NotEmpty(body.GetProperty("reasons").EnumerateArray());
        }
        using (var again = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings", SpouseBinding(f)))
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var list = await server.GetJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings");
        var binding = Assert.Single(list.GetProperty("asOwner").EnumerateArray()).GetProperty("id").GetInt64();
        var forSpouse = await server.GetJsonAsync($"/api/insured/990100/{f.Spouse}/family-aid/in-force?date=2025-05-10");
        Assert.Equal(f.Owner, Assert.Single(forSpouse.GetProperty("asRelative").EnumerateArray()).GetProperty("ownerIdNumber").GetString());

        using (var spent = await PostSpendAsync(Spend(binding, $"SETL-{f.Owner}")))
        {
            Assert.Equal(HttpStatusCode.Created, spent.StatusCode);
            var s = await spent.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("286.50", "0.00", "2713.50"), (s.GetProperty("accountPays").GetString(), s.GetProperty("cashPays").GetString(), s.GetProperty("ownerBalanceAfter").GetString()));
            Assert.Equal(("李配偶", "spouse", "pharmacy"), (s.GetProperty("relativeName").GetString(), s.GetProperty("relation").GetString(), s.GetProperty("purpose").GetString()));
            Assert.False(s.GetProperty("replayed").GetBoolean());
        }
        using (var retry = await PostSpendAsync(Spend(binding, $"SETL-{f.Owner}")))
        {
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
            Assert.True((await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetBoolean());
        }
        Assert.Equal("2713.50", await BalanceAsync(f.Owner));
        var statement = await server.GetJsonAsync($"/api/accounts/990100:personal:{f.Owner}/statement?from=2025-05-01&to=2025-05-31");
        Assert.Contains("配偶 李配偶", statement.GetRawText(), StringComparison.Ordinal);
        var spends = await server.GetJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/spends?bindingId={binding}");
        Assert.Single(spends.GetProperty("items").EnumerateArray());

        using (var revoke = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Spouse}/family-aid/bindings/{binding}/revoke", new { revokedOn = "2025-06-01" }))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            var r = await revoke.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("2025-06-01", "relative"), (r.GetProperty("binding").GetProperty("revokedOn").GetString(), r.GetProperty("binding").GetProperty("revokedBy").GetString()));
        }
        using (var after = await PostSpendAsync(Spend(binding, $"SETL2-{f.Owner}", "2025-06-02")))
        {
            var problem = await ProblemAsync(after, HttpStatusCode.UnprocessableEntity, "binding-revoked");
            Assert.Equal(("0.00", "286.50"), (problem.GetProperty("accountPays").GetString(), problem.GetProperty("cashPays").GetString()));
            Assert.NotEmpty(problem.GetProperty("reasons").EnumerateArray());
            Assert.Equal("2025-06-01", problem.GetProperty("details").GetProperty("revokedOn").GetString());
        }
        Assert.Equal("2713.50", await BalanceAsync(f.Owner));
        Assert.Single((await server.GetJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/spends")).GetProperty("items").EnumerateArray());
        await server.AssertLedgerIsSoundAsync();
    }

    [Theory]
    [InlineData("UNKNOWN", "spouse", "2025-03-01", "2026-02-28", 404, "unknown-insured")]
    [InlineData("OWNER", "friend", "2025-03-01", "2026-02-28", 400, "invalid-field")]                        // not a relation at all
    [InlineData("OWNER", "cousin", "2025-03-01", "2026-02-28", 422, "relation-not-near-relative")]           // WE-42b
    [InlineData("OWNER", "parent-in-law", "2025-03-01", "2026-02-28", 422, "relation-not-near-relative")]    // WE-42
    [InlineData("OWNER", "parent", "2025-03-01", "2026-02-28", 422, "relation-contradicts-birth-dates")]    // issue 10 item 7: the "parent" (1982) is younger than the owner (1980)
    [InlineData("OWNER", "grandparent", "2025-03-01", "2026-02-28", 422, "relation-contradicts-birth-dates")]
    [InlineData("OWNER", "spouse", "2025-03-01", "2025-03-01", 400, "window-end-not-after-start")]          // dates out of order
    [InlineData("OWNER", "spouse", "2025-02-20", "2026-02-28", 400, "window-start-before-binding")]          // WE-41c
    [InlineData("OWNER", "spouse", "2025-03-01", "2025-13-01", 400, "invalid-date")]
    public async Task A_bad_or_refused_binding_is_a_problem_with_its_code_and_writes_nothing(string who, string relation, string start, string end, int status, string code)
    {
        var f = await FamilyAsync();
        var owner = who == "UNKNOWN" ? Unknown : f.Owner;
        using var response = await server.Client.PostAsJsonAsync($"/api/insured/990100/{owner}/family-aid/bindings", SpouseBinding(f, relation, start, end));
        var problem = await ProblemAsync(response, (HttpStatusCode)status, code);
        if (status == 422) Assert.NotEmpty(problem.GetProperty("reasons").EnumerateArray());
        var list = await server.GetJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings");
        Assert.Empty(list.GetProperty("asOwner").EnumerateArray());
    }

    [Fact]
    public async Task A_binding_without_consent_or_for_oneself_is_refused()
    {
        var f = await FamilyAsync();
        using (var noConsent = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings",
                   new { relativeIdNumber = f.Spouse, relativeName = "李配偶", relation = "spouse", proof = "personal-commitment", boundOn = "2025-03-01", windowStart = "2025-03-01", windowEnd = "2026-02-28" }))
            await ProblemAsync(noConsent, HttpStatusCode.BadRequest, "missing-field");
        using (var self = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings",
                   new { relativeIdNumber = f.Owner, relativeName = "王共济", relation = "spouse", proof = "personal-commitment", boundOn = "2025-03-01", windowStart = "2025-03-01", windowEnd = "2026-02-28",
                         consent = new { givenBy = "owner", method = "written" } }))
            await ProblemAsync(self, HttpStatusCode.BadRequest, "family-aid-self-binding");
        using (var spouseAsOwner = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Spouse}/family-aid/bindings",
                   new { relativeIdNumber = f.Owner, relativeName = "王共济", relation = "spouse", proof = "personal-commitment", boundOn = "2025-03-01", windowStart = "2025-03-01", windowEnd = "2026-02-28",
                         consent = new { givenBy = "relative", method = "in-person" } }))
            await ProblemAsync(spouseAsOwner, HttpStatusCode.UnprocessableEntity, "family-aid-owner-not-eligible"); // a resident has no account
        Assert.Empty((await server.GetJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings")).GetProperty("asOwner").EnumerateArray());
    }

    [Theory]
    [InlineData("""{ "bindingId": 999999, "idempotencyKey": "K", "purpose": "pharmacy", "spendOn": "2025-05-10", "amount": "10.00", "institutionCode": "P1", "designated": true }""", 404, "family-aid-binding-not-found")]
    [InlineData("""{ "bindingId": BINDING, "purpose": "pharmacy", "spendOn": "2025-05-10", "amount": "10.00", "institutionCode": "P1", "designated": true }""", 400, "missing-field")]
    [InlineData("""{ "bindingId": BINDING, "idempotencyKey": "K", "purpose": "gym", "spendOn": "2025-05-10", "amount": "10.00" }""", 400, "invalid-field")]
    [InlineData("""{ "bindingId": BINDING, "idempotencyKey": "K", "purpose": "pharmacy", "spendOn": "2025-05-10", "amount": "0.00", "institutionCode": "P1", "designated": true }""", 400, "amount-not-positive")]
    [InlineData("""{ "bindingId": BINDING, "idempotencyKey": "K", "purpose": "pharmacy", "spendOn": "2025-05-10", "amount": "1.234", "institutionCode": "P1", "designated": true }""", 400, "invalid-amount")]
    [InlineData("""{ "bindingId": BINDING, "idempotencyKey": "K", "purpose": "pharmacy", "spendOn": "2025-05-10", "amount": "10.00", "designated": true }""", 400, "missing-field")]
    [InlineData("""{ "bindingId": BINDING, "idempotencyKey": "K", "purpose": "pharmacy", "spendOn": "2026-03-01", "amount": "10.00", "institutionCode": "P1", "designated": true }""", 400, "invalid-field")]
    [InlineData("""{ "bindingId": BINDING, "idempotencyKey": "K", "purpose": "pharmacy", "spendOn": "2025-05-10", "amount": "10.00", "institutionCode": "P1", "designated": false }""", 422, "not-designated")]
    [InlineData("""{ "bindingId": BINDING, "idempotencyKey": "K", "purpose": "fitness", "spendOn": "2025-05-10", "amount": "500.00" }""", 422, "purpose-excluded")]
    [InlineData("""{ "bindingId": BINDING, "idempotencyKey": "K", "purpose": "pharmacy", "spendOn": "2025-02-28", "amount": "10.00", "institutionCode": "P1", "designated": true }""", 422, "outside-window")]
    public async Task A_bad_or_refused_spend_is_a_problem_with_its_code_and_moves_nothing(string body, int status, string code)
    {
        var f = await FamilyAsync();
        var binding = await BindAsync(f);
        using var response = await PostSpendAsync(body.Replace("BINDING", binding.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await ProblemAsync(response, (HttpStatusCode)status, code);
        Assert.Equal("3000.00", await BalanceAsync(f.Owner));
        Assert.Empty((await server.GetJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/spends")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_same_key_with_other_content_is_a_conflict_and_unknown_bindings_and_people_are_not_found()
    {
        var f = await FamilyAsync();
        var binding = await BindAsync(f);
        using (var first = await PostSpendAsync(Spend(binding, $"K-{f.Owner}")))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using (var reused = await PostSpendAsync(Spend(binding, $"K-{f.Owner}", amount: "300.00")))
            await ProblemAsync(reused, HttpStatusCode.Conflict, "idempotency-key-reused");
        Assert.Equal("2713.50", await BalanceAsync(f.Owner));

        using (var unknownBinding = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings/999999/revoke", new { revokedOn = "2025-06-01" }))
            await ProblemAsync(unknownBinding, HttpStatusCode.NotFound, "family-aid-binding-not-found");
        using (var badId = await server.Client.GetAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings/abc"))
            await ProblemAsync(badId, HttpStatusCode.BadRequest, "invalid-field");
        using (var unknownPerson = await server.Client.GetAsync($"/api/insured/990100/{Unknown}/family-aid/bindings"))
            await ProblemAsync(unknownPerson, HttpStatusCode.NotFound, "unknown-insured");
        using (var early = await server.Client.PostAsJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings/{binding}/revoke", new { revokedOn = "2025-05-10" }))
            await ProblemAsync(early, HttpStatusCode.Conflict, "family-aid-revocation-before-spend");
        Assert.Null((await server.GetJsonAsync($"/api/insured/990100/{f.Owner}/family-aid/bindings/{binding}")).GetProperty("revokedOn").GetString());
    }
}
