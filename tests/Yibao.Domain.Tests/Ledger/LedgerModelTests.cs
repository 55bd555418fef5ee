using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Ledger;

public class LedgerModelTests
{
    private static readonly AccountCode Person = AccountCode.Personal(RegionCode.Demo, "11010519491231002X");
    private static readonly AccountCode Fund = AccountCode.Of(RegionCode.Demo, AccountKind.PooledFund);

    private static JournalEntryRequest Entry(params PostingLine[] lines) => new()
    {
        IdempotencyKey = "k",
        Region = RegionCode.Demo,
        ReasonCode = "monthly-credit",
        BusinessDate = new DateOnly(2025, 5, 1),
        Actor = "test",
        PolicyVersion = "990100@2023-01-01",
        Postings = lines,
    };

    [Fact]
    public void Account_codes_round_trip_and_carry_their_region()
    {
        var parsed = AccountCode.Parse(Person.Value);
        Assert.Equal(Person, parsed);
        Assert.Equal("990100:personal:11010519491231002X", Person.Value);
        Assert.Equal(AccountKind.Personal, parsed.Kind);
        Assert.Equal(RegionCode.Demo, parsed.Region);
        Assert.Equal("990100:pooled-fund", Fund.Value);
        Assert.False(AccountCode.TryParse("990100:personal", out _));
        Assert.False(AccountCode.TryParse("990100:no-such-kind", out _));
        Assert.False(AccountCode.TryParse("9901:pooled-fund", out _));
    }

    [Fact]
    public void Personal_accounts_have_current_year_and_historical_segments()
    {
        Assert.Equal([Segment.CurrentYear, Segment.Historical], AccountKind.Personal.Segments());
        Assert.Equal([Segment.Main], AccountKind.PooledFund.Segments());
        Assert.True(AccountKind.Personal.MayNotGoNegative());
        Assert.False(AccountKind.PooledFund.MayNotGoNegative());
    }

    [Fact]
    public void A_balanced_entry_validates_and_an_unbalanced_one_names_its_sum()
    {
        var ok = Entry(new PostingLine(Person, Segment.CurrentYear, DMoney.Parse("120.00")), new PostingLine(Fund, Segment.Main, DMoney.Parse("-120.00")));
        Assert.Null(ok.Validate());
        var bad = Entry(new PostingLine(Person, Segment.CurrentYear, DMoney.Parse("120.00")), new PostingLine(Fund, Segment.Main, DMoney.Parse("-119.99")));
        var error = bad.Validate();
        Assert.Equal("entry-unbalanced", error!.Code?.Value);
        Assert.Equal("0.01", error.Details["sum"]);
    }

    [Fact]
    public void Content_hash_ignores_posting_order_and_actor_but_not_amounts()
    {
        var a = Entry(new PostingLine(Person, Segment.CurrentYear, DMoney.Parse("1.00")), new PostingLine(Fund, Segment.Main, DMoney.Parse("-1.00")));
        var b = a with { Postings = [a.Postings[1], a.Postings[0]], Actor = "someone-else" };
        var c = Entry(new PostingLine(Person, Segment.CurrentYear, DMoney.Parse("1.01")), new PostingLine(Fund, Segment.Main, DMoney.Parse("-1.01")));
        Assert.Equal(a.ContentHash(), b.ContentHash());
        Assert.NotEqual(a.ContentHash(), c.ContentHash());
        Assert.NotEqual(a.ContentHash(), a.ContentHash(reverses: 7));
    }

    [Theory]
    [InlineData("990100", true, false, "990000", "990100")]
    [InlineData("990000", false, true, "990000", "990000")]
    [InlineData("320583", false, false, "320000", "320500")]
    public void Region_codes_know_their_province_and_city(string code, bool isCity, bool isProvince, string province, string city)
    {
        var r = RegionCode.Parse(code);
        Assert.Equal(isCity, r.IsCity);
        Assert.Equal(isProvince, r.IsProvince);
        Assert.Equal(province, r.Province.Value);
        Assert.Equal(city, r.City.Value);
    }

    [Theory]
    [InlineData("99010")]
    [InlineData("99010a")]
    [InlineData("")]
    public void Malformed_region_codes_are_refused(string code) =>
        Assert.Equal("invalid-region-code", Assert.Throws<Errors.YibaoException>(() => RegionCode.Parse(code)).Error.Code?.Value);

    [Fact]
    public void Year_months_add_and_count_across_years()
    {
        var feb = YearMonth.Parse("2025-02");
        Assert.Equal("2026-01", feb.AddMonths(11).ToString());
        Assert.Equal(4, feb.MonthsUntil(YearMonth.Parse("2025-06")));
        Assert.Equal(new DateOnly(2025, 2, 28), feb.LastDay);
        Assert.False(YearMonth.TryParse("2025-13", out _));
    }
}
