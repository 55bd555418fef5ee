using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Policy;
using Yibao.Domain.Tests.Features.Crediting;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Tests.Features.Backfill;

/// <summary>Back-pay quotes (K1, K8; WE-08…WE-11) on the real 990100 pack and on packs built here.</summary>
public class BackfillDecisionTests
{
    private static readonly DateOnly PaidOn = new(2025, 6, 16);
    private static readonly YearMonth[] JanToApr = [new(2025, 1), new(2025, 2), new(2025, 3), new(2025, 4)];

    private static DMoney M(string yuan) => DMoney.Parse(yuan);

    private static BackfillPolicy Demo(DateOnly on) => BackfillPolicy.From(TestPacks.Real("990100", on));

    private static BackfillAnswer Flexible(string rate = "0.10", BackfillPolicy? policy = null, DateOnly? paidOn = null, IReadOnlyList<YearMonth>? months = null, string baseAmount = "7000.00", bool explain = true)
    {
        var on = paidOn ?? PaidOn;
        var facts = new BackfillFacts(ArrearsCause.Individual, InsuredStatus.FlexibleEmployed, months ?? JanToApr, on, M(baseAmount), DRate.Parse(rate));
        return BackfillDecision.Decide(facts, policy ?? Demo(on), explain ? Explanation.Build() : Explanation.None);
    }

    /// <summary>990100's rules with one rule replaced (a city version that starts later wins, key by key).</summary>
    private static BackfillPolicy DemoWith(params (string Key, string Value)[] rules)
    {
        var national = TestPacks.Version("n", "2011-07-01", TestPacks.Rules(
            ("backfill.employer-late-fee-daily-rate", "0.0005"),
            ("backfill.individual-late-fee-daily-rate", "0"),
            ("backfill.late-fee-cap-at-principal", "false")));
        var city = TestPacks.Version("demo", "2023-01-01", TestPacks.Rules(
                ("backfill.due-date", "last-day-of-month"),
                ("backfill.individual-late-fee-daily-rate", "0.0005"),
                ("contribution.base-limits", "{ floor: \"4200.00\", ceiling: \"21000.00\" }"),
                ("contribution.average-wage", "\"7000.00\""),
                ("contribution.flexible-rate", "0.10")))
            + TestPacks.Version("variant", "2024-01-01", TestPacks.Rules(rules));
        return BackfillPolicy.From(TestPacks.Load(national, city).For(TestPacks.Demo, new DateOnly(2025, 6, 16)));
    }

    [Theory]
    [InlineData("0.10", "700.00", "2800.00")]
    [InlineData("0.12", "840.00", "3360.00")]
    public void Flexible_principal_is_base_times_rate_per_month(string rate, string perMonth, string principal)
    {
        var answer = Flexible(rate);
        Assert.All(answer.Months, m => Assert.Equal(M(perMonth), m.Principal));
        Assert.Equal(M(principal), answer.Principal);
        Assert.Null(answer.EmployerPart);
        Assert.Equal(LateFeePayer.Individual, answer.LateFeePayer);
    }

    [Fact]
    public void Late_fee_counts_calendar_days_from_the_last_day_of_each_month()
    {
        var answer = Flexible();
        Assert.Equal([136, 108, 77, 47], answer.Months.Select(m => m.DaysLate));
        Assert.Equal([M("47.60"), M("37.80"), M("26.95"), M("16.45")], answer.Months.Select(m => m.LateFee));
        Assert.Equal(M("128.80"), answer.LateFee);
        Assert.Equal(M("2928.80"), answer.Total);
    }

    [Fact]
    public void At_twelve_percent_the_late_fee_is_154_56() =>
        Assert.Equal(M("154.56"), Flexible("0.12").LateFee);

    [Fact]
    public void Due_date_on_the_fifteenth_of_the_next_month_is_a_pack_parameter()
    {
        var answer = Flexible(policy: DemoWith(("backfill.due-date", "fifteenth-of-next-month")));
        Assert.Equal([new DateOnly(2025, 2, 15), new DateOnly(2025, 3, 15), new DateOnly(2025, 4, 15), new DateOnly(2025, 5, 15)], answer.Months.Select(m => m.DueDate));
        Assert.Equal([121, 93, 62, 32], answer.Months.Select(m => m.DaysLate));
        Assert.Equal([M("42.35"), M("32.55"), M("21.70"), M("11.20")], answer.Months.Select(m => m.LateFee));
        Assert.Equal(M("107.80"), answer.LateFee);
    }

    [Fact]
    public void A_region_may_charge_individuals_no_late_fee()
    {
        var answer = Flexible(policy: DemoWith(("backfill.individual-late-fee-daily-rate", "0")));
        Assert.Equal(DMoney.Zero, answer.LateFee);
        Assert.Equal(M("2800.00"), answer.Total);
    }

    [Theory]
    [InlineData("2025-01-31", 0, "0.00")] // paid on the due date: not late
    [InlineData("2025-01-15", 0, "0.00")] // paid early
    [InlineData("2025-02-01", 1, "0.35")] // the 1st of the next month is 1 day late
    public void Payment_on_the_due_date_is_not_late_and_the_next_day_is_one_day(string paid, int days, string fee)
    {
        var answer = Flexible(paidOn: Dates.Parse(paid), months: [new YearMonth(2025, 1)]);
        var line = Assert.Single(answer.Months);
        Assert.Equal(days, line.DaysLate);
        Assert.Equal(M(fee), line.LateFee);
    }

    [Fact]
    public void Half_a_fen_rounds_away_from_zero_in_principal_and_late_fee()
    {
        // 4,200.05 × 10% = 420.005 → 420.01
        Assert.Equal(M("420.01"), Flexible(baseAmount: "4200.05", months: [new YearMonth(2025, 5)]).Principal);
        // 421.00 × 0.0005 × 10 = 2.105 → 2.11
        var answer = Flexible(baseAmount: "4210.00", months: [new YearMonth(2025, 5)], paidOn: new DateOnly(2025, 6, 10));
        Assert.Equal(M("421.00"), answer.Principal);
        Assert.Equal(M("2.11"), answer.LateFee);
    }

    [Fact]
    public void Employer_arrears_owe_both_parts_and_the_employer_pays_the_late_fee()
    {
        var facts = new BackfillFacts(ArrearsCause.Employer, InsuredStatus.Employed, [new YearMonth(2025, 3), new YearMonth(2025, 4)], new DateOnly(2025, 5, 20), M("8000.00"));
        var answer = BackfillDecision.Decide(facts, Demo(new DateOnly(2025, 5, 20)), Explanation.Build());
        Assert.Equal(M("1600.00"), answer.Principal);
        Assert.Equal(M("1280.00"), answer.EmployerPart);
        Assert.Equal(M("320.00"), answer.IndividualPart);
        Assert.Equal([50, 20], answer.Months.Select(m => m.DaysLate));
        Assert.Equal(M("28.00"), answer.LateFee);
        Assert.Equal(M("1628.00"), answer.Total);
        Assert.Equal(LateFeePayer.Employer, answer.LateFeePayer);
        Assert.Equal(M("320.00"), answer.AccountCredit);
        Assert.Contains(answer.Reasons, r => r.RuleId == "backfill.employer-late-fee-daily-rate" && r.Values["lateFeePayer"] == "employer");
    }

    [Fact]
    public void Late_fee_cap_at_the_principal_is_a_pack_flag()
    {
        // WE-11: principal 1,000.00, 2,500 days late.
        var month = new YearMonth(2018, 6);
        var paid = month.LastDay.AddDays(2500);
        var uncapped = Flexible(baseAmount: "10000.00", months: [month], paidOn: paid, policy: DemoWith(("backfill.late-fee-cap-at-principal", "false")));
        Assert.Equal(M("1000.00"), uncapped.Principal);
        Assert.Equal(M("1250.00"), uncapped.LateFee);
        var capped = Flexible(baseAmount: "10000.00", months: [month], paidOn: paid, policy: DemoWith(("backfill.late-fee-cap-at-principal", "true")));
        Assert.Equal(M("1000.00"), capped.LateFee);
        Assert.True(Assert.Single(capped.Months).LateFeeCapped);
    }

    [Fact]
    public void Without_a_base_the_average_wage_applies_and_without_a_rate_the_flexible_rate()
    {
        var facts = new BackfillFacts(ArrearsCause.Individual, InsuredStatus.FlexibleEmployed, JanToApr, PaidOn);
        var answer = BackfillDecision.Decide(facts, Demo(PaidOn), Explanation.Build());
        Assert.Equal(M("2800.00"), answer.Principal);
        Assert.Contains(answer.Reasons, r => r.RuleId == "contribution.average-wage");
        Assert.Contains(answer.Reasons, r => r.RuleId == "contribution.flexible-rate");
    }

    [Fact]
    public void A_base_outside_the_limits_is_clamped()
    {
        var answer = Flexible(baseAmount: "3000.00", months: [new YearMonth(2025, 5)]);
        Assert.Equal(M("4200.00"), Assert.Single(answer.Months).Base);
        Assert.Equal(M("420.00"), answer.Principal);
    }

    public static TheoryData<BackfillFacts, string, string> BadFacts() => new()
    {
        { new BackfillFacts(ArrearsCause.Individual, InsuredStatus.FlexibleEmployed, [], PaidOn), "missing-field", "months" },
        { new BackfillFacts(ArrearsCause.Individual, InsuredStatus.FlexibleEmployed, [new YearMonth(2025, 1), new YearMonth(2025, 1)], PaidOn), "invalid-field", "months" },
        { new BackfillFacts(ArrearsCause.Individual, InsuredStatus.FlexibleEmployed, [new YearMonth(2025, 7)], PaidOn), "invalid-field", "months" },
        { new BackfillFacts(ArrearsCause.Employer, InsuredStatus.Employed, JanToApr, PaidOn, Rate: DRate.Parse("0.10")), "invalid-field", "rate" },
        { new BackfillFacts(ArrearsCause.Employer, InsuredStatus.FlexibleEmployed, JanToApr, PaidOn), "invalid-field", "status" },
        { new BackfillFacts(ArrearsCause.Individual, InsuredStatus.Retired, JanToApr, PaidOn), "invalid-field", "status" },
        { new BackfillFacts(ArrearsCause.Individual, InsuredStatus.FlexibleEmployed, JanToApr, PaidOn, Rate: DRate.Parse("1.5")), "invalid-field", "rate" },
    };

    [Theory]
    [MemberData(nameof(BadFacts))]
    public void Inconsistent_input_is_a_clear_error(BackfillFacts facts, string code, string field)
    {
        var error = Assert.Throws<YibaoException>(() => BackfillDecision.Decide(facts, Demo(PaidOn), Explanation.None));
        Assert.Equal(code, error.Error.Code?.Value);
        Assert.Equal(field, error.Error.Details["field"]);
    }

    [Fact]
    public void Without_explanation_the_quote_is_the_same_and_carries_no_reasons()
    {
        var quiet = Flexible(explain: false);
        Assert.Empty(quiet.Reasons);
        Assert.Equal((M("2800.00"), M("128.80")), (quiet.Principal, quiet.LateFee));
    }

    [Theory]
    [InlineData("backfill.employer-late-fee-daily-rate", "0.001", "above the statutory 0.0005")]
    [InlineData("backfill.individual-late-fee-daily-rate", "-0.0001", "negative")]
    [InlineData("backfill.due-date", "end-of-quarter", "last-day-of-month, fifteenth-of-next-month")]
    public void A_bad_value_is_refused_with_file_and_line(string key, string value, string why)
    {
        var error = TestPacks.Refused("", TestPacks.Version("bad", "2023-01-01", TestPacks.Rules((key, value))));
        Assert.Equal("990100.yaml", error.File);
        Assert.Equal(9, error.Line);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void National_pack_sets_the_statutory_employer_rate_and_no_individual_fee()
    {
        var national = BackfillPolicy.From(TestPacks.Real("990100", new DateOnly(2025, 6, 1)));
        Assert.Equal(0.0005m, national.EmployerLateFeeDailyRate.Value.Value);
        Assert.Equal(Provenance.Official, national.EmployerLateFeeDailyRate.Rule.Provenance);
        Assert.Equal("990100", national.IndividualLateFeeDailyRate.Rule.DefinedBy.Value); // the demo overrides the national 0
        Assert.False(national.LateFeeCapAtPrincipal.Value);
    }
}
