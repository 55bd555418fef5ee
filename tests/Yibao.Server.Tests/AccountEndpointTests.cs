using System.Globalization;
using System.Text.Json;
using Yibao.Domain.Money;

namespace Yibao.Server.Tests;

public sealed class AccountEndpointTests(YibaoServer server) : IClassFixture<YibaoServer>
{
    private const string WholeHistory = "from=1999-01-01&to=2030-12-31&pageSize=500";

    private async Task<List<string>> SomeAccountsAsync(int count)
    {
        var page = await server.GetJsonAsync($"/api/regions/990100/insured?pageSize={count}");
        return page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("account").GetString()!).ToList();
    }

    private static Money Amount(JsonElement e, string property) => Money.Parse(e.GetProperty(property).GetString());

    [Fact]
    public async Task Balance_of_a_seeded_account_equals_the_sum_of_its_statement_lines()
    {
        var funded = 0;
        foreach (var account in await SomeAccountsAsync(20))
        {
            var balance = await server.GetJsonAsync($"/api/accounts/{account}/balance");
            var statement = await server.GetJsonAsync($"/api/accounts/{account}/statement?{WholeHistory}");
            var lines = statement.GetProperty("lines").EnumerateArray().ToList();
            Assert.Equal(statement.GetProperty("totalLines").GetInt64(), lines.Count);

            var total = Amount(balance, "total");
            Assert.False(total.IsNegative, $"{account} has {total}");
            // A flexible worker is not credited (K3): their account has no lines.
            if (lines.Count == 0) continue;
            funded++;
            Assert.Equal(total, Money.Sum(lines.Select(l => Amount(l, "amount"))));
            Assert.Equal(total, Amount(statement, "closing"));
            Assert.Equal(total, Amount(lines[^1], "balanceAfter"));
            Assert.Equal(Money.Zero, Amount(statement, "opening"));

            var segments = balance.GetProperty("segments");
            foreach (var segment in new[] { "current-year", "historical" })
            {
                var sum = Money.Sum(lines.Where(l => l.GetProperty("segment").GetString() == segment).Select(l => Amount(l, "amount")));
                Assert.Equal(Money.Parse(segments.GetProperty(segment).GetString()), sum);
            }
        }
        Assert.True(funded >= 10, $"only {funded} of 20 accounts have any credit");
    }

    [Fact]
    public async Task Balance_names_the_holder_and_the_segments()
    {
        var account = (await SomeAccountsAsync(1))[0];
        var balance = await server.GetJsonAsync($"/api/accounts/{account}/balance");
        Assert.Equal(account, balance.GetProperty("account").GetString());
        Assert.Equal("personal", balance.GetProperty("kind").GetString());
        Assert.Equal("990100", balance.GetProperty("region").GetString());
        Assert.Equal(account.Split(':')[2], balance.GetProperty("holder").GetString());
        Assert.False(string.IsNullOrEmpty(balance.GetProperty("holderName").GetString()));
        Assert.Equal("open", balance.GetProperty("status").GetString());
        Assert.Matches(@"^\d+\.\d\d$", balance.GetProperty("segments").GetProperty("current-year").GetString());
        Assert.Matches(@"^\d+\.\d\d$", balance.GetProperty("total").GetString());
    }

    [Fact]
    public async Task Statement_pages_cover_every_line_once_in_order()
    {
        var account = (await SomeAccountsAsync(1))[0];
        var whole = await server.GetJsonAsync($"/api/accounts/{account}/statement?{WholeHistory}");
        var expected = whole.GetProperty("lines").EnumerateArray().Select(l => l.GetRawText()).ToList();
        Assert.True(expected.Count > 7, $"only {expected.Count} lines");

        var paged = new List<string>();
        for (var page = 1; ; page++)
        {
            var part = await server.GetJsonAsync($"/api/accounts/{account}/statement?from=1999-01-01&to=2030-12-31&page={page}&pageSize=3");
            Assert.Equal(page, part.GetProperty("page").GetInt32());
            Assert.Equal(3, part.GetProperty("pageSize").GetInt32());
            Assert.Equal(expected.Count, part.GetProperty("totalLines").GetInt64());
            var lines = part.GetProperty("lines").EnumerateArray().Select(l => l.GetRawText()).ToList();
            if (lines.Count == 0) break;
            Assert.True(lines.Count <= 3);
            paged.AddRange(lines);
        }
        Assert.Equal(expected, paged);
        var dates = whole.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("businessDate").GetString()).ToList();
        Assert.Equal(dates.Order(StringComparer.Ordinal), dates);
    }

    [Fact]
    public async Task Statement_of_a_range_opens_with_the_balance_before_it()
    {
        var account = (await SomeAccountsAsync(1))[0];
        var before = await server.GetJsonAsync($"/api/accounts/{account}/statement?from=1999-01-01&to=2025-05-31&pageSize=500");
        var range = await server.GetJsonAsync($"/api/accounts/{account}/statement?from=2025-06-01&to=2025-06-30");
        Assert.Equal(Amount(before, "closing"), Amount(range, "opening"));
        var lines = range.GetProperty("lines").EnumerateArray().ToList();
        Assert.All(lines, l => Assert.StartsWith("2025-06", l.GetProperty("businessDate").GetString(), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.GetProperty("reasonCode").GetString() == "monthly-credit");
        Assert.Equal(Amount(range, "opening") + Money.Sum(lines.Select(l => Amount(l, "amount"))), Amount(range, "closing"));
    }

    [Fact]
    public async Task Statement_defaults_to_this_year_until_today_in_China()
    {
        // The server's clock reads 2025-11-14 17:00 UTC, which is already the 15th in China.
        var account = (await SomeAccountsAsync(1))[0];
        var statement = await server.GetJsonAsync($"/api/accounts/{account}/statement");
        Assert.Equal("2025-01-01", statement.GetProperty("from").GetString());
        Assert.Equal("2025-11-15", statement.GetProperty("to").GetString());
        Assert.Equal(50, statement.GetProperty("pageSize").GetInt32());
        Assert.Equal(1, statement.GetProperty("page").GetInt32());

        var onlyTo = await server.GetJsonAsync($"/api/accounts/{account}/statement?to=2024-12-31");
        Assert.Equal("2024-01-01", onlyTo.GetProperty("from").GetString());
    }

    [Fact]
    public async Task A_region_account_has_one_main_segment()
    {
        var fund = await server.GetJsonAsync("/api/accounts/990100:institution-settlement/balance");
        Assert.Equal("institution-settlement", fund.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, fund.GetProperty("holder").ValueKind);
        var segments = fund.GetProperty("segments").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["main"], segments);
        Assert.True(Amount(fund, "total").IsPositive, "pharmacy spends are owed to the institutions");
    }

    [Fact]
    public async Task Insured_list_pages_through_the_region()
    {
        var first = await server.GetJsonAsync("/api/regions/990100/insured?page=1&pageSize=100");
        var second = await server.GetJsonAsync("/api/regions/990100/insured?page=2&pageSize=100");
        var beyond = await server.GetJsonAsync("/api/regions/990100/insured?page=99&pageSize=100");
        var firstIds = first.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("idNumber").GetString()).ToList();
        var secondIds = second.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("idNumber").GetString()).ToList();
        Assert.Equal(100, firstIds.Count);
        Assert.Equal(100, secondIds.Count);
        Assert.Empty(firstIds.Intersect(secondIds));
        Assert.Empty(beyond.GetProperty("items").EnumerateArray());
        Assert.Equal(first.GetProperty("total").GetInt64(), beyond.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Regions_list_the_demo_region_with_its_people()
    {
        var regions = await server.GetJsonAsync("/api/regions");
        // The demo region, and 兰州 where its one transfer went (the person is enrolled there).
        Assert.Equal(["620100", "990100"], regions.EnumerateArray().Select(r => r.GetProperty("code").GetString()));
        Assert.Equal(1, regions[0].GetProperty("insured").GetInt64());
        var demo = regions[1];
        Assert.Equal("990100", demo.GetProperty("code").GetString());
        Assert.Equal("示例市", demo.GetProperty("name").GetString());
        Assert.Equal(300, demo.GetProperty("insured").GetInt64());
        Assert.Equal(DateOnly.Parse("1999-01-01", CultureInfo.InvariantCulture).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), demo.GetProperty("createdOn").GetString());
    }
}
