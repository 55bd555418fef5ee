using System.Globalization;
using Yibao.Domain.Ledger;
using Yibao.Domain.Time;
using DomainMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Demo;

/// <summary>
/// The journal entries that give one demo person their balance, in the order they are posted
/// (business-date order). Money only ever moves through these balanced entries: a historical
/// opening balance, the monthly credits (划入) and pharmacy spends (刷卡购药), which take the
/// current-year segment first and the historical one for the rest, and are skipped when the
/// account could not pay them, so a personal account never goes below zero.
/// </summary>
public static class DemoLedgerPlan
{
    public const string OpeningBalanceReason = "opening-balance";
    public const string MonthlyCreditReason = "monthly-credit";
    public const string PharmacySpendReason = "pharmacy-spend";

    private static readonly AccountCode PooledFund = AccountCode.Of(DemoRegion.Code, AccountKind.PooledFund);
    private static readonly AccountCode InstitutionSettlement = AccountCode.Of(DemoRegion.Code, AccountKind.InstitutionSettlement);

    /// <summary>The credit of one month (K3): round(base × 2%) in service, the fixed 62.00 for a retiree.</summary>
    public static DomainMoney MonthlyCredit(DemoPerson person) =>
        person.Status == DemoStatus.Retired
            ? DemoRegion.RetireeMonthlyCredit
            : person.Base.MultiplyRoundHalfAwayFromZero(DemoRegion.InServiceCreditRate);

    public static IReadOnlyList<JournalEntryRequest> For(DemoPerson person)
    {
        var id = person.Id.Value;
        var account = person.Account;
        var entries = new List<JournalEntryRequest>();
        var current = DomainMoney.Zero;
        var historical = DomainMoney.Zero;

        if (person.HistoricalOpening.IsPositive)
        {
            entries.Add(Entry($"{DemoRegion.KeyPrefix}/{OpeningBalanceReason}/{id}", OpeningBalanceReason, DemoRegion.ReferenceDate,
                "历年账户期初余额(示例数据)",
                new PostingLine(account, Segment.Historical, person.HistoricalOpening),
                new PostingLine(PooledFund, Segment.Main, -person.HistoricalOpening)));
            historical += person.HistoricalOpening;
        }

        var credit = MonthlyCredit(person);
        var spends = new Queue<DemoSpend>(person.Spends);
        for (var month = DemoRegion.FirstCreditMonth; month <= DemoRegion.LastCreditMonth; month = month.AddMonths(1))
        {
            while (spends.Count > 0 && spends.Peek().On < month.LastDay)
                Spend(spends.Dequeue());
            entries.Add(Entry($"{DemoRegion.KeyPrefix}/credit/{month}/{id}", MonthlyCreditReason, month.LastDay,
                CreditMemo(person, month),
                new PostingLine(account, Segment.CurrentYear, credit),
                new PostingLine(PooledFund, Segment.Main, -credit)));
            current += credit;
        }
        while (spends.Count > 0) Spend(spends.Dequeue());
        return entries;

        void Spend(DemoSpend spend)
        {
            if (spend.Amount > current + historical) return;
            var fromCurrent = DomainMoney.Min(spend.Amount, current);
            var fromHistorical = spend.Amount - fromCurrent;
            var lines = new List<PostingLine>();
            if (fromCurrent.IsPositive) lines.Add(new PostingLine(account, Segment.CurrentYear, -fromCurrent));
            if (fromHistorical.IsPositive) lines.Add(new PostingLine(account, Segment.Historical, -fromHistorical));
            lines.Add(new PostingLine(InstitutionSettlement, Segment.Main, spend.Amount));
            entries.Add(Entry($"{DemoRegion.KeyPrefix}/{PharmacySpendReason}/{Dates.Format(spend.On)}/{id}", PharmacySpendReason, spend.On,
                $"{spend.Pharmacy} 刷卡购药", [.. lines]));
            current -= fromCurrent;
            historical -= fromHistorical;
        }
    }

    private static string CreditMemo(DemoPerson person, YearMonth month) => person.Status switch
    {
        DemoStatus.Retired => $"{month} 退休人员定额划入 {DemoRegion.RetireeMonthlyCredit.ToPlainString()}",
        DemoStatus.Flexible => string.Create(CultureInfo.InvariantCulture, $"{month} 灵活就业人员划入:缴费基数 {person.Base.ToPlainString()} × 2%"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{month} 在职职工划入:缴费基数 {person.Base.ToPlainString()} × 2%"),
    };

    private static JournalEntryRequest Entry(string key, string reason, DateOnly on, string memo, params PostingLine[] postings) => new()
    {
        IdempotencyKey = key,
        Region = DemoRegion.Code,
        ReasonCode = reason,
        BusinessDate = on,
        Actor = DemoRegion.Actor,
        PolicyVersion = DemoRegion.PolicyVersion,
        Memo = memo,
        Postings = postings,
    };
}
