using Yibao.Domain.Policy;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.CommercialInsurance;

/// <summary>
/// One bracket of 历年结余 → purchase limit: balances from <see cref="From"/> (inclusive) up to
/// <see cref="Below"/> (exclusive; null = no upper end) may buy up to <see cref="Limit"/>.
/// </summary>
public sealed record PurchaseBracket(DMoney From, DMoney? Below, DMoney Limit);

/// <summary>Rule keys of the commercial-insurance purchase (用历年结余购买商业健康保险; seed 003, K14).</summary>
[PolicyKeys]
public static class CommercialInsuranceKeys
{
    public static readonly PolicyKey<IReadOnlyList<PurchaseBracket>> Brackets = new(
        "commercial-insurance.purchase-brackets",
        "Historical-balance brackets and the purchase limit of each (brackets may not overlap or leave gaps)",
        CheckBrackets);

    /// <summary>
    /// 民法典 art. 1259: "以上/以下" include the number, so "3000以上至6000以下 / 6000以上" puts 6,000 in
    /// both brackets. A pack must resolve it with half-open brackets; an overlap is refused (WE-62).
    /// </summary>
    private static string? CheckBrackets(IReadOnlyList<PurchaseBracket> brackets)
    {
        for (var i = 0; i < brackets.Count; i++)
        {
            var b = brackets[i];
            if (b.Below is { } below && below <= b.From) return $"bracket {i + 1} ends ({below.ToPlainString()}) at or before it starts ({b.From.ToPlainString()})";
            if (b.Limit.IsNegative) return $"bracket {i + 1} has a negative limit";
            if (i == 0) continue;
            var previous = brackets[i - 1];
            if (previous.Below is null || b.From < previous.Below.Value)
                return $"brackets {i} and {i + 1} overlap: {Show(previous)} and {Show(b)} both contain {b.From.ToPlainString()} (以上/以下 include the number, 民法典 art. 1259: make one end exclusive)";
            if (b.From > previous.Below.Value)
                return $"brackets {i} and {i + 1} leave a gap from {previous.Below.Value.ToPlainString()} to {b.From.ToPlainString()}";
        }
        return null;
    }

    private static string Show(PurchaseBracket b) => $"[{b.From.ToPlainString()}, {b.Below?.ToPlainString() ?? "∞"})";
}

/// <summary>The typed commercial-insurance policy of a region on a day.</summary>
public sealed record CommercialInsurancePolicy(IReadOnlyList<PurchaseBracket> Brackets, PolicyValue BracketsRule)
{
    public static CommercialInsurancePolicy From(ResolvedPolicy policy) =>
        new(policy.Get(CommercialInsuranceKeys.Brackets), policy.Explain(CommercialInsuranceKeys.Brackets));
}
