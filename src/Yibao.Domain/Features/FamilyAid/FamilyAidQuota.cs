using Yibao.Domain.Errors;
using Yibao.Domain.Decisions;
using Yibao.Domain.Policy;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.FamilyAid;

/// <summary>
/// An owner's account under the 医保钱包 model: the balance, and the part of it earmarked as
/// quotas (共济额度) for bound relatives. The owner may spend only the free part.
/// </summary>
public sealed record QuotaAccount(DMoney Balance, DMoney Earmarked)
{
    public DMoney Free => Balance - Earmarked;
}

/// <summary>The outcome of a quota step: the account after it, the quota left, and for a spend what the account and cash pay.</summary>
public sealed record QuotaStep(
    bool Allowed,
    ResultCode? ReasonCode,
    QuotaAccount After,
    DMoney QuotaLeft,
    DMoney AccountPays,
    DMoney CashPays,
    IReadOnlyList<Reason> Reasons);

/// <summary>
/// 共济额度 (earmarked quota) of the 2026-01-09 cross-province notice (L6; policy-reference A3
/// rule 7, WE-49): "在共济额度内，共济人不能再使用…关系解除后未使用额度返还". Pure steps on a
/// <see cref="QuotaAccount"/>; the ledger (storage) records their consequences.
/// </summary>
public static class FamilyAidQuota
{
    private const string L6 = "2026-01-09 cross-province notice (L6; policy-reference A3 rule 7, WE-49)";

    /// <summary>The owner grants a relative a quota: at most the free balance.</summary>
    public static QuotaStep Grant(QuotaAccount account, DMoney quota, Explanation why)
    {
        if (!quota.IsPositive) throw new ArgumentOutOfRangeException(nameof(quota), quota.ToPlainString(), "a quota is more than zero");
        if (quota > account.Free)
        {
            if (why.Enabled)
                why.Because("A3", Provenance.Official, L6,
                    $"额度 {quota.ToPlainString()} 元超过可用余额 {account.Free.ToPlainString()} 元", $"The quota {quota.ToPlainString()} exceeds the free balance {account.Free.ToPlainString()}",
                    ("quota", quota), ("free", account.Free));
            return new QuotaStep(false, Codes.QuotaExceedsFreeBalance, account, DMoney.Zero, DMoney.Zero, DMoney.Zero, why.Reasons);
        }
        var after = account with { Earmarked = account.Earmarked + quota };
        if (why.Enabled)
            why.Because("A3", Provenance.Official, L6,
                $"圈存共济额度 {quota.ToPlainString()} 元,可用余额 {after.Free.ToPlainString()} 元", $"A quota of {quota.ToPlainString()} is earmarked; the free balance is {after.Free.ToPlainString()}",
                ("quota", quota), ("earmarked", after.Earmarked), ("free", after.Free));
        return new QuotaStep(true, null, after, quota, DMoney.Zero, DMoney.Zero, why.Reasons);
    }

    /// <summary>The owner spends for themself: the account pays up to the free balance, the rest is cash.</summary>
    public static QuotaStep OwnerSpend(QuotaAccount account, DMoney amount, Explanation why)
    {
        if (amount.IsNegative) throw new ArgumentOutOfRangeException(nameof(amount), amount.ToPlainString(), "a spend is not negative");
        var pays = DMoney.Min(amount, DMoney.Max(DMoney.Zero, account.Free));
        var cash = amount - pays;
        var after = account with { Balance = account.Balance - pays };
        if (why.Enabled)
            why.Because("A3", Provenance.Official, L6,
                $"共济额度内的 {account.Earmarked.ToPlainString()} 元本人不能使用:账户支付 {pays.ToPlainString()} 元,现金 {cash.ToPlainString()} 元",
                $"The earmarked {account.Earmarked.ToPlainString()} is not the owner's to spend: the account pays {pays.ToPlainString()}, cash {cash.ToPlainString()}",
                ("amount", amount), ("free", account.Free), ("accountPays", pays), ("cashPays", cash));
        return new QuotaStep(true, null, after, DMoney.Zero, pays, cash, why.Reasons);
    }

    /// <summary>The relative spends: the quota pays up to what is left of it, the rest is cash.</summary>
    public static QuotaStep RelativeSpend(QuotaAccount account, DMoney quotaLeft, DMoney amount, Explanation why)
    {
        if (amount.IsNegative) throw new ArgumentOutOfRangeException(nameof(amount), amount.ToPlainString(), "a spend is not negative");
        if (quotaLeft > account.Earmarked) throw new ArgumentOutOfRangeException(nameof(quotaLeft), quotaLeft.ToPlainString(), "more than the account's earmarked total");
        var pays = DMoney.Min(amount, quotaLeft);
        var cash = amount - pays;
        var after = new QuotaAccount(account.Balance - pays, account.Earmarked - pays);
        var left = quotaLeft - pays;
        if (why.Enabled)
            why.Because("A3", Provenance.Official, L6,
                $"共济额度支付 {pays.ToPlainString()} 元,额度余 {left.ToPlainString()} 元,现金 {cash.ToPlainString()} 元",
                $"The quota pays {pays.ToPlainString()}, leaving {left.ToPlainString()}; cash {cash.ToPlainString()}",
                ("amount", amount), ("quotaLeft", left), ("accountPays", pays), ("cashPays", cash));
        return new QuotaStep(true, null, after, left, pays, cash, why.Reasons);
    }

    /// <summary>The relationship ends: the unused quota returns to the owner's free balance.</summary>
    public static QuotaStep Release(QuotaAccount account, DMoney quotaLeft, Explanation why)
    {
        if (quotaLeft.IsNegative || quotaLeft > account.Earmarked) throw new ArgumentOutOfRangeException(nameof(quotaLeft), quotaLeft.ToPlainString(), "between zero and the earmarked total");
        var after = account with { Earmarked = account.Earmarked - quotaLeft };
        if (why.Enabled)
            why.Because("A3", Provenance.Official, L6,
                $"关系解除,未使用额度 {quotaLeft.ToPlainString()} 元返还,可用余额 {after.Free.ToPlainString()} 元",
                $"The relationship ended: the unused {quotaLeft.ToPlainString()} returns; the free balance is {after.Free.ToPlainString()}",
                ("released", quotaLeft), ("free", after.Free));
        return new QuotaStep(true, null, after, DMoney.Zero, DMoney.Zero, DMoney.Zero, why.Reasons);
    }
}

/// <summary>
/// Automatic dissolution (2026-01-09 notice, policy-reference A3 rule 6, WE-50): a relationship
/// ends on the day either party's insurance relationship terminates or is transferred to
/// another pooling region. A spend on or after that day is not covered.
/// </summary>
public static class FamilyAidDissolution
{
    /// <param name="ownerLeftOn">The day the owner's insurance ended or moved out of the pooling region, if it did.</param>
    /// <param name="relativeLeftOn">The same for the relative.</param>
    public static DateOnly? DissolvedOn(DateOnly? ownerLeftOn, DateOnly? relativeLeftOn) =>
        (ownerLeftOn, relativeLeftOn) switch
        {
            ({ } a, { } b) => a <= b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => null,
        };
}
