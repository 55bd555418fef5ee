using Yibao.Domain.Decisions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.CommercialInsurance;

public sealed record CommercialInsuranceAnswer(DMoney MaxPurchase, IReadOnlyList<Reason> Reasons);

/// <summary>How much of the 历年结余 may buy commercial health insurance (无锡, seed 003; K14, WE-62).</summary>
public static class CommercialInsuranceDecision
{
    public static CommercialInsuranceAnswer Decide(DMoney historicalBalance, CommercialInsurancePolicy policy, Explanation why)
    {
        foreach (var bracket in policy.Brackets)
        {
            if (historicalBalance < bracket.From || (bracket.Below is { } below && historicalBalance >= below)) continue;
            why.Because(policy.BracketsRule,
                $"历年结余 {historicalBalance.ToPlainString()} 元在 [{bracket.From.ToPlainString()}, {bracket.Below?.ToPlainString() ?? "∞"}) 档,可购买上限 {bracket.Limit.ToPlainString()} 元",
                $"Historical balance {historicalBalance.ToPlainString()} falls in [{bracket.From.ToPlainString()}, {bracket.Below?.ToPlainString() ?? "∞"}): limit {bracket.Limit.ToPlainString()}",
                ("historicalBalance", historicalBalance), ("from", bracket.From), ("below", bracket.Below?.ToPlainString() ?? "none"), ("limit", bracket.Limit));
            return new CommercialInsuranceAnswer(bracket.Limit, why.Reasons);
        }
        why.Because(policy.BracketsRule,
            $"历年结余 {historicalBalance.ToPlainString()} 元低于最低档,不能购买",
            $"Historical balance {historicalBalance.ToPlainString()} is below every bracket: no purchase",
            ("historicalBalance", historicalBalance));
        return new CommercialInsuranceAnswer(DMoney.Zero, why.Reasons);
    }
}
