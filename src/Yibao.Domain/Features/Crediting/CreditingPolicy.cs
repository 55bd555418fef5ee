using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Features.Crediting;

/// <summary>在职 / 退休 / 灵活就业: the status of an insured person in employee insurance.</summary>
public enum InsuredStatus
{
    Employed,
    Retired,
    FlexibleEmployed,
}

/// <summary>How a region credits personal accounts in a period.</summary>
public enum CreditingScheme
{
    /// <summary>After 国办发〔2021〕14号: in-service 2% of the own base; retirees a fixed amount (A1.1).</summary>
    Reform,
    /// <summary>Before the reform: 2% plus an employer part by age bracket, as one rate (A1.2, K1).</summary>
    LegacyAgeBrackets,
}

/// <summary>The day on which a legacy age bracket reads the age (周岁): K4 takes the 1st of the contribution month.</summary>
public enum AgeReferenceDay
{
    FirstOfMonth,
    EndOfMonth,
}

/// <summary>The amount a legacy retiree rate applies to.</summary>
public enum LegacyRetireeBasis
{
    /// <summary>The person's own pension (seed 003: 5.4% of the pension).</summary>
    OwnPension,
    /// <summary>The previous year's average wage (<c>contribution.average-wage</c>).</summary>
    AverageWage,
}

/// <summary>
/// A legacy age bracket: people up to and including <see cref="UpToAge"/> (null = no upper
/// end) are credited <see cref="Rate"/> of the base, the individual 2% and the employer part
/// together, applied as one rate (K1). Brackets are listed by age, youngest first.
/// </summary>
public sealed record LegacyAgeBracket(int? UpToAge, DRate Rate);

/// <summary>A legacy retiree credit: <see cref="Rate"/> of the <see cref="Basis"/>.</summary>
public sealed record LegacyRetireeRule(DRate Rate, LegacyRetireeBasis Basis);

/// <summary>
/// A fixed monthly deduction from the credit (e.g. 苏州 长期护理保险 2.00 a month, WE-07), for the
/// statuses it applies to; <c>net = credit − deductions</c>.
/// </summary>
public sealed record CreditDeduction(string Code, string Name, DMoney MonthlyAmount, IReadOnlyList<InsuredStatus> AppliesTo);

/// <summary>Rule keys of monthly crediting to the personal account (个人账户划入; policy-reference A1, K1–K4, C0–C5).</summary>
[PolicyKeys]
public static class CreditingKeys
{
    public static readonly PolicyKey<CreditingScheme> Scheme = new(
        "crediting.scheme",
        "reform (14号文: in-service rate, retiree fixed amount) or legacy-age-brackets (pre-reform)");

    public static readonly PolicyKey<DRate> InServiceRate = new(
        "crediting.in-service-rate",
        "在职职工划入比例: share of the own contribution base credited each month (国办发〔2021〕14号: 原则上 2%)",
        r => r.Value <= 0m || r.Value > 0.1m ? $"{r} is not a credit rate in (0, 0.1]" : null);

    public static readonly PolicyKey<DMoney> RetireeFixedAmount = new(
        "crediting.retiree-fixed-amount",
        "退休人员定额划入 per month, whatever the person's pension (≈2% of the reform-year average pension, A1.1)",
        m => m.IsNegative ? "must not be negative" : null);

    public static readonly PolicyKey<IReadOnlyList<LegacyAgeBracket>> LegacyAgeBrackets = new(
        "crediting.legacy-age-brackets",
        "Pre-reform in-service credit rates by age bracket (up to and including upToAge; the last bracket open-ended)",
        CheckBrackets);

    public static readonly PolicyKey<LegacyRetireeRule> LegacyRetiree = new(
        "crediting.legacy-retiree",
        "Pre-reform retiree credit: a rate of the own pension or of the average wage",
        r => r.Rate.Value <= 0m || r.Rate.Value >= 1m ? $"{r.Rate} is not a rate between 0 and 1 (exclusive)" : null);

    public static readonly PolicyKey<AgeReferenceDay> AgeReference = new(
        "crediting.age-reference-day",
        "The day of the contribution month on which the age (周岁) is read for an age bracket (K4: first-of-month)");

    public static readonly PolicyKey<IReadOnlyList<CreditDeduction>> Deductions = new(
        "crediting.deductions",
        "Fixed monthly deductions from the credit (e.g. 苏州 长期护理保险 2.00), by status",
        CheckDeductions);

    public static readonly PolicyKey<int> InsuranceYearStartMonth = new(
        "crediting.insurance-year-start-month",
        "医保年度 start month (1 = calendar year; 宁波 5 = 1 May)",
        m => m is < 1 or > 12 ? $"{m} is not a month number 1–12" : null);

    public static readonly PolicyKey<bool> YearlyPreCredit = new(
        "crediting.yearly-pre-credit",
        "一次性预划入: the year's credits are pre-credited at the start of the insurance year and unpaid months clawed back at its end (宁波, seed 003)");

    private static string? CheckBrackets(IReadOnlyList<LegacyAgeBracket> brackets)
    {
        if (brackets.Count == 0) return "at least one bracket is needed";
        for (var i = 0; i < brackets.Count; i++)
        {
            var b = brackets[i];
            if (b.Rate.Value <= 0m || b.Rate.Value >= 1m) return $"bracket {i + 1}: {b.Rate} is not a rate between 0 and 1 (exclusive)";
            if (b.UpToAge is null && i != brackets.Count - 1) return $"bracket {i + 1} has no upper age but is not the last";
            if (b.UpToAge is < 0) return $"bracket {i + 1}: negative age";
            if (i > 0 && brackets[i - 1].UpToAge is { } previous && b.UpToAge is { } upTo && upTo <= previous)
                return $"brackets {i} and {i + 1} are not in increasing age order ({previous} then {upTo})";
        }
        return brackets[^1].UpToAge is null ? null : "the last bracket must be open-ended (upToAge: null) so that every age has a rate";
    }

    private static string? CheckDeductions(IReadOnlyList<CreditDeduction> deductions)
    {
        foreach (var d in deductions)
        {
            if (string.IsNullOrWhiteSpace(d.Code) || d.Code.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
                return $"deduction code '{d.Code}' is not kebab-case";
            if (!d.MonthlyAmount.IsPositive) return $"deduction {d.Code}: the monthly amount must be more than 0.00";
            if (d.AppliesTo.Count == 0) return $"deduction {d.Code}: appliesTo lists no status";
        }
        return deductions.GroupBy(d => d.Code).FirstOrDefault(g => g.Count() > 1) is { } twice ? $"deduction code '{twice.Key}' is listed twice" : null;
    }
}

/// <summary>The typed crediting policy of a region for one credited month; every key is read once here.</summary>
public sealed record CreditingPolicy(
    RegionCode Region,
    DateOnly Date,
    Ruled<CreditingScheme>? Scheme,
    Ruled<DRate>? InServiceRate,
    Ruled<DMoney>? RetireeFixedAmount,
    Ruled<IReadOnlyList<LegacyAgeBracket>>? LegacyAgeBrackets,
    Ruled<LegacyRetireeRule>? LegacyRetiree,
    Ruled<AgeReferenceDay>? AgeReference,
    Ruled<IReadOnlyList<CreditDeduction>>? Deductions,
    Ruled<int>? InsuranceYearStartMonth,
    Ruled<bool>? YearlyPreCredit,
    ContributionPolicy Contribution)
{
    public static CreditingPolicy From(ResolvedPolicy policy) => new(
        policy.Region,
        policy.Date,
        Ruled.Optional(policy, CreditingKeys.Scheme),
        Ruled.Optional(policy, CreditingKeys.InServiceRate),
        Ruled.Optional(policy, CreditingKeys.RetireeFixedAmount),
        Ruled.Optional(policy, CreditingKeys.LegacyAgeBrackets),
        Ruled.Optional(policy, CreditingKeys.LegacyRetiree),
        Ruled.Optional(policy, CreditingKeys.AgeReference),
        Ruled.Optional(policy, CreditingKeys.Deductions),
        Ruled.Optional(policy, CreditingKeys.InsuranceYearStartMonth),
        Ruled.Optional(policy, CreditingKeys.YearlyPreCredit),
        ContributionPolicy.From(policy));

    /// <summary>An optional rule this question needs: missing is a <c>policy-rule-missing</c> error.</summary>
    internal Ruled<T> Need<T>(Ruled<T>? rule, PolicyKey<T> key) where T : notnull => Ruled.Need(rule, key, Region, Date);

    /// <summary>The insurance year (医保年度) that contains a month; the calendar year without a rule.</summary>
    public InsuranceYear InsuranceYearOf(YearMonth month) => InsuranceYear.Containing(month, InsuranceYearStartMonth?.Value ?? 1);
}

/// <summary>医保年度: twelve months from <see cref="FirstMonth"/> (宁波: 5月1日–次年4月30日).</summary>
public readonly record struct InsuranceYear(YearMonth FirstMonth)
{
    public YearMonth LastMonth => FirstMonth.AddMonths(11);
    public DateOnly Start => FirstMonth.FirstDay;
    public DateOnly End => LastMonth.LastDay;
    public bool Contains(YearMonth month) => month >= FirstMonth && month <= LastMonth;

    public static InsuranceYear Containing(YearMonth month, int startMonth)
    {
        var year = month.Month >= startMonth ? month.Year : month.Year - 1;
        return new InsuranceYear(new YearMonth(year, startMonth));
    }

    public override string ToString() => $"{Dates.Format(Start)}…{Dates.Format(End)}";
}
