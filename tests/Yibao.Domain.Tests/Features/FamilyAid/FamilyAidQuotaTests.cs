using Yibao.Domain.Errors;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.FamilyAid;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.FamilyAid;

/// <summary>The earmarked quota (共济额度) of the 2026-01-09 notice: policy-reference A3 rule 7, WE-49.</summary>
public class FamilyAidQuotaTests
{
    private static DMoney M(string s) => DMoney.Parse(s);

    [Fact]
    public void The_WE_49_sequence_earmarks_spends_and_releases_the_quota()
    {
        var why = Explanation.Build();
        var account = new QuotaAccount(M("3000.00"), DMoney.Zero);

        var grant = FamilyAidQuota.Grant(account, M("1000.00"), why);
        Assert.True(grant.Allowed);
        Assert.Equal(M("2000.00"), grant.After.Free);

        var own = FamilyAidQuota.OwnerSpend(grant.After, M("2500.00"), why);
        Assert.Equal(M("2000.00"), own.AccountPays);
        Assert.Equal(M("500.00"), own.CashPays);
        Assert.Equal(M("1000.00"), own.After.Balance);
        Assert.Equal(DMoney.Zero, own.After.Free);

        var mother = FamilyAidQuota.RelativeSpend(own.After, grant.QuotaLeft, M("350.00"), why);
        Assert.Equal(M("350.00"), mother.AccountPays);
        Assert.Equal(M("650.00"), mother.QuotaLeft);
        Assert.Equal(M("650.00"), mother.After.Balance);
        Assert.Equal(M("650.00"), mother.After.Earmarked);
        Assert.Equal(DMoney.Zero, mother.After.Free);

        var released = FamilyAidQuota.Release(mother.After, mother.QuotaLeft, why);
        Assert.Equal(M("650.00"), released.After.Free);
        Assert.Equal(DMoney.Zero, released.After.Earmarked);
        Assert.Equal(4, why.Reasons.Count);
    }

    [Fact]
    public void A_quota_above_the_free_balance_is_refused()
    {
        var account = new QuotaAccount(M("3000.00"), M("2500.00"));
        var a = FamilyAidQuota.Grant(account, M("500.01"), Explanation.Build());
        Assert.False(a.Allowed);
        Assert.Equal(Codes.QuotaExceedsFreeBalance, a.ReasonCode);
        Assert.Equal(account, a.After);
        Assert.True(FamilyAidQuota.Grant(account, M("500.00"), Explanation.None).Allowed);
    }

    [Fact]
    public void A_relative_spend_beyond_the_quota_is_paid_in_cash_for_the_rest()
    {
        var a = FamilyAidQuota.RelativeSpend(new QuotaAccount(M("3000.00"), M("100.00")), M("100.00"), M("150.00"), Explanation.None);
        Assert.Equal(M("100.00"), a.AccountPays);
        Assert.Equal(M("50.00"), a.CashPays);
        Assert.Equal(DMoney.Zero, a.QuotaLeft);
        Assert.Empty(a.Reasons);
    }
}
