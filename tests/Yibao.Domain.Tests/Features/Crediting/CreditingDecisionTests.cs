using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.Crediting;

/// <summary>Monthly crediting on the real packs (990100 C1, 福州, 苏州) and on packs built here (K1–K4, WE-01…WE-07).</summary>
public class CreditingDecisionTests
{
    private static readonly DateOnly BornOn = new(1980, 3, 2); // ID 350102198003020053 (WE-05)

    private static DMoney M(string yuan) => DMoney.Parse(yuan);

    private static CreditingPolicy Real(string region, YearMonth month) => CreditingPolicy.From(TestPacks.Real(region, month.FirstDay));

    private static CreditingAnswer Credit(string region, string month, InsuredStatus status, string? wage = null, DateOnly? birth = null, string? pension = null, bool explain = true)
    {
        var m = YearMonth.Parse(month);
        var facts = new CreditingFacts(status, m, wage is null ? null : M(wage), birth, pension is null ? null : M(pension));
        return CreditingDecision.Decide(facts, Real(region, m), explain ? Explanation.Build() : Explanation.None);
    }

    [Fact]
    public void In_service_credit_is_two_percent_of_the_own_base()
    {
        var answer = Credit("990100", "2025-05", InsuredStatus.Employed, "6000.00");
        Assert.True(answer.Credited);
        Assert.Equal(M("6000.00"), answer.Base);
        Assert.Equal(M("120.00"), answer.Credit);
        Assert.Equal(DMoney.Zero, answer.Deductions);
        Assert.Equal(M("120.00"), answer.Net);
        Assert.Contains(answer.Reasons, r => r.RuleId == "crediting.in-service-rate" && r.Values["credit"] == "120.00");
    }

    [Theory]
    [InlineData("3000.00", "4200.00", "84.00")]     // WE-02a: below the floor
    [InlineData("4199.99", "4200.00", "84.00")]     // one fen below the floor
    [InlineData("4200.00", "4200.00", "84.00")]     // exactly at the floor: the wage is the base
    [InlineData("4200.01", "4200.01", "84.00")]
    [InlineData("21000.00", "21000.00", "420.00")]  // exactly at the ceiling
    [InlineData("21000.01", "21000.00", "420.00")]
    [InlineData("30000.00", "21000.00", "420.00")]  // WE-02b: above the ceiling
    public void Base_is_the_wage_clamped_to_floor_and_ceiling_both_inclusive(string wage, string expectedBase, string expectedCredit)
    {
        var answer = Credit("990100", "2025-05", InsuredStatus.Employed, wage);
        Assert.Equal(M(expectedBase), answer.Base);
        Assert.Equal(M(expectedCredit), answer.Credit);
    }

    [Theory]
    [InlineData("6000.25", "120.01")] // 120.005 → 120.01: half away from zero (K1)
    [InlineData("6000.24", "120.00")] // 120.0048
    [InlineData("6000.75", "120.02")] // 120.015 → 120.02
    public void Credit_rounds_half_away_from_zero_once(string wage, string credit) =>
        Assert.Equal(M(credit), Credit("990100", "2025-05", InsuredStatus.Employed, wage).Credit);

    [Fact]
    public void Retiree_gets_the_fixed_amount_whatever_the_pension()
    {
        var answer = Credit("990100", "2025-01", InsuredStatus.Retired, pension: "4800.00");
        Assert.Equal(M("62.00"), answer.Credit);
        Assert.NotEqual(M("96.00"), answer.Credit); // WE-03 negative test: never 2% × 4,800.00
        Assert.Null(answer.Base);
        Assert.Equal(M("62.00"), answer.Net);
        var year = Enumerable.Range(1, 12).Select(m => Credit("990100", $"2025-{m:D2}", InsuredStatus.Retired, pension: "4800.00", explain: false).Credit);
        Assert.Equal(M("744.00"), DMoney.Sum(year));
    }

    [Theory]
    [InlineData("520200", "60.00")]
    [InlineData("620100", "65.00")]
    [InlineData("540100", "90.00")]
    [InlineData("320500", "100.00")]
    public void Seed_regions_credit_their_example_retiree_amount(string region, string amount) =>
        Assert.Equal(M(amount), Credit(region, "2025-05", InsuredStatus.Retired).Credit);

    [Theory]
    [InlineData("2021-02", 40, "0.028", "140.00")]
    [InlineData("2021-03", 40, "0.028", "140.00")] // birthday on 03-02: still 40 on 03-01
    [InlineData("2021-04", 41, "0.035", "175.00")]
    public void Fuzhou_legacy_rate_follows_the_age_on_the_first_of_the_month(string month, int age, string rate, string credit)
    {
        var answer = Credit("350100", month, InsuredStatus.Employed, "5000.00", BornOn);
        Assert.Equal(age, answer.Age);
        Assert.Equal(decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture), answer.Rate!.Value.Value);
        Assert.Equal(M(credit), answer.Credit);
        Assert.Contains(answer.Reasons, r => r.RuleId == "crediting.legacy-age-brackets" && r.Values["age"] == age.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1980-04-01", "2021-04-01", 41)] // born on the 1st: the new age is reached that day
    [InlineData("1980-03-02", "2021-03-01", 40)]
    [InlineData("1980-03-02", "2021-03-02", 41)]
    [InlineData("1980-02-29", "2021-02-28", 40)]
    [InlineData("1980-02-29", "2021-03-01", 41)]
    public void Age_is_completed_years_on_the_day(string birth, string on, int age) =>
        Assert.Equal(age, CreditingDecision.CompletedYears(Dates.Parse(birth), Dates.Parse(on)));

    [Fact]
    public void Born_on_the_first_of_the_month_moves_to_the_next_bracket_that_month()
    {
        var answer = Credit("350100", "2021-04", InsuredStatus.Employed, "5000.00", new DateOnly(1980, 4, 1));
        Assert.Equal(41, answer.Age);
        Assert.Equal(M("175.00"), answer.Credit);
    }

    private static string LegacyPack(string referenceDay) => TestPacks.Version("legacy", "2000-01-01", TestPacks.Rules(
        ("crediting.scheme", "legacy-age-brackets"),
        ("crediting.age-reference-day", referenceDay),
        ("crediting.legacy-age-brackets", "[{ upToAge: 40, rate: 0.028 }, { upToAge: null, rate: 0.035 }]")));

    [Theory]
    [InlineData("first-of-month", "140.00")]
    [InlineData("end-of-month", "175.00")] // WE-05: the region's alternative convention
    public void Age_reference_day_is_a_pack_parameter(string referenceDay, string credit)
    {
        var book = TestPacks.Load("", LegacyPack(referenceDay));
        var policy = CreditingPolicy.From(book.For(TestPacks.Demo, new DateOnly(2021, 3, 1)));
        var answer = CreditingDecision.Decide(new CreditingFacts(InsuredStatus.Employed, new YearMonth(2021, 3), M("5000.00"), BornOn), policy, Explanation.Build());
        Assert.Equal(M(credit), answer.Credit);
    }

    [Theory]
    [InlineData(30, "45.00")]
    [InlineData(35, "45.00")] // exactly 35: "35周岁及以下"
    [InlineData(40, "51.00")]
    [InlineData(50, "55.50")]
    public void Seed_003_age_brackets_are_data(int age, string credit)
    {
        var book = TestPacks.Load("", TestPacks.Version("seed-003", "2000-01-01", TestPacks.Rules(
            ("crediting.scheme", "legacy-age-brackets"),
            ("crediting.age-reference-day", "first-of-month"),
            ("crediting.legacy-age-brackets", "[{ upToAge: 35, rate: 0.03 }, { upToAge: 45, rate: 0.034 }, { upToAge: null, rate: 0.037 }]"),
            ("crediting.legacy-retiree", "{ rate: 0.054, basis: own-pension }"))));
        var policy = CreditingPolicy.From(book.For(TestPacks.Demo, new DateOnly(2020, 6, 1)));
        var born = new DateOnly(2020 - age, 6, 1);
        var answer = CreditingDecision.Decide(new CreditingFacts(InsuredStatus.Employed, new YearMonth(2020, 6), M("1500.00"), born), policy, Explanation.Build());
        Assert.Equal(M(credit), answer.Credit);

        var retiree = CreditingDecision.Decide(new CreditingFacts(InsuredStatus.Retired, new YearMonth(2020, 6), Pension: M("1500.00")), policy, Explanation.Build());
        Assert.Equal(M("81.00"), retiree.Credit); // 5.4% of the own pension
    }

    [Fact]
    public void Suzhou_deducts_long_term_care_from_in_service_and_retiree_credits()
    {
        var employed = Credit("320500", "2025-05", InsuredStatus.Employed, "6000.00");
        Assert.Equal((M("120.00"), M("2.00"), M("118.00")), (employed.Credit, employed.Deductions, employed.Net));
        Assert.Equal("ltc-premium", Assert.Single(employed.DeductionLines).Code);
        var retired = Credit("320500", "2025-05", InsuredStatus.Retired);
        Assert.Equal((M("100.00"), M("2.00"), M("98.00")), (retired.Credit, retired.Deductions, retired.Net));
    }

    [Fact]
    public void Flexible_worker_crediting_is_refused_not_invented()
    {
        var answer = Credit("990100", "2025-05", InsuredStatus.FlexibleEmployed, "6000.00");
        Assert.False(answer.Credited);
        Assert.Equal(Codes.FlexibleNotCredited, answer.RefusalCode);
        Assert.Equal("K3", Assert.Single(answer.Reasons).RuleId);
    }

    [Fact]
    public void Same_question_on_two_dates_follows_the_policy_version_in_force()
    {
        // 福州: legacy 2% + 1.5% in 2021; the national reform scheme (2% of the base) from 2025.
        var legacy = Credit("350100", "2021-04", InsuredStatus.Employed, "5000.00", BornOn);
        var reform = Credit("350100", "2025-04", InsuredStatus.Employed, "5000.00", BornOn);
        Assert.Equal(M("175.00"), legacy.Credit);
        Assert.Equal(M("100.00"), reform.Credit);
        Assert.Null(reform.Age);
    }

    [Fact]
    public void Demo_region_has_no_crediting_rule_before_its_reform_date()
    {
        var error = Assert.Throws<YibaoException>(() => Credit("990100", "2022-12", InsuredStatus.Employed, "6000.00"));
        Assert.Equal("policy-rule-missing", error.Error.Code?.Value);
        Assert.Equal("crediting.scheme", error.Error.Details["key"]);
        Assert.Equal(M("120.00"), Credit("990100", "2023-01", InsuredStatus.Employed, "6000.00").Credit);
    }

    [Fact]
    public void Legacy_credit_needs_the_birth_date()
    {
        var error = Assert.Throws<YibaoException>(() => Credit("350100", "2021-04", InsuredStatus.Employed, "5000.00"));
        Assert.Equal("missing-field", error.Error.Code?.Value);
    }

    [Fact]
    public void In_service_credit_needs_the_wage()
    {
        var error = Assert.Throws<YibaoException>(() => Credit("990100", "2025-05", InsuredStatus.Employed));
        Assert.Equal("declaredWage", error.Error.Details["field"]);
    }

    [Fact]
    public void Without_explanation_the_answer_is_the_same_and_carries_no_reasons()
    {
        var quiet = Credit("320500", "2025-05", InsuredStatus.Employed, "6000.00", explain: false);
        var loud = Credit("320500", "2025-05", InsuredStatus.Employed, "6000.00");
        Assert.Empty(quiet.Reasons);
        Assert.NotEmpty(loud.Reasons);
        Assert.Equal((loud.Base, loud.Credit, loud.Deductions, loud.Net), (quiet.Base, quiet.Credit, quiet.Deductions, quiet.Net));
    }

    [Fact]
    public void Every_reason_names_its_rule_and_source_in_both_languages()
    {
        var answer = Credit("350100", "2021-03", InsuredStatus.Employed, "5000.00", BornOn);
        Assert.All(answer.Reasons, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.RuleId));
            Assert.False(string.IsNullOrWhiteSpace(r.TextZh));
            Assert.False(string.IsNullOrWhiteSpace(r.TextEn));
            Assert.False(string.IsNullOrWhiteSpace(r.Source));
        });
        Assert.Contains(answer.Reasons, r => r.RuleId == "crediting.age-reference-day" && r.Values["age"] == "40");
    }
}
