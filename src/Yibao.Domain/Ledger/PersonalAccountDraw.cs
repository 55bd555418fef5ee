using Yibao.Domain.Errors;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Ledger;

/// <summary>
/// Takes an amount out of a personal account, 当年账户 first and then 历年账户 (the order settlement
/// uses: this year's credits are spent before the carried-over balance). The lines are the
/// account's side of an entry; the caller adds the other side. Never more than the account holds.
/// </summary>
public static class PersonalAccountDraw
{
    /// <summary>The personal account's postings (negative) for drawing <paramref name="amount"/>; refuses more than <c>current + historical</c>.</summary>
    public static IReadOnlyList<PostingLine> Lines(AccountCode account, DMoney current, DMoney historical, DMoney amount)
    {
        if (account.Kind != AccountKind.Personal) throw new ArgumentException("Only a personal account has 当年 / 历年 segments.", nameof(account));
        if (amount.IsNegative || current.IsNegative || historical.IsNegative) throw new ArgumentException("Amounts and balances are never negative here.", nameof(amount));
        if (amount > current + historical)
            throw new YibaoException(ErrorCatalog.InsufficientBalance(account.Value, "current-year+historical", (current + historical).ToPlainString(), amount.ToPlainString()));
        var fromCurrent = DMoney.Min(amount, current);
        var fromHistorical = amount - fromCurrent;
        var lines = new List<PostingLine>(2);
        if (fromCurrent.IsPositive) lines.Add(new PostingLine(account, Segment.CurrentYear, -fromCurrent));
        if (fromHistorical.IsPositive) lines.Add(new PostingLine(account, Segment.Historical, -fromHistorical));
        return lines;
    }
}
