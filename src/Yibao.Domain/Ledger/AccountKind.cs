namespace Yibao.Domain.Ledger;

/// <summary>
/// What a ledger account is. Balances are signed sums of postings; only personal accounts
/// carry the no-overdraft rule (a 个人账户 never goes below zero). The others are the
/// agency's side of each movement and may run either sign.
/// </summary>
public enum AccountKind
{
    /// <summary>个人账户: the insured person's account (segments 当年 / 历年).</summary>
    Personal,
    /// <summary>统筹基金: the pooled fund of a region.</summary>
    PooledFund,
    /// <summary>单位应缴: what employers owe (contributions, back-pay, late fees).</summary>
    EmployerReceivable,
    /// <summary>个人应缴: what insured people owe (flexible workers' contributions, back-pay).</summary>
    InsuredReceivable,
    /// <summary>银行清算: money leaving to or arriving from bank accounts (withdrawal payouts).</summary>
    BankClearing,
    /// <summary>跨统筹区清算: balances in flight between regions (transfer out / in).</summary>
    InterRegionClearing,
    /// <summary>滞纳金收入: late fees collected.</summary>
    LateFeeIncome,
    /// <summary>利息支出: interest credited to personal accounts at year end.</summary>
    InterestExpense,
    /// <summary>长期护理保险基金: deductions such as 苏州's 2.00 a month.</summary>
    LongTermCareFund,
    /// <summary>医疗机构结算: what is owed to designated hospitals and pharmacies for settled visits.</summary>
    InstitutionSettlement,
    /// <summary>城乡居民医保基金: resident-scheme premiums paid in, e.g. a relative's premium paid by family aid (家庭共济, 国办发〔2024〕38号).</summary>
    ResidentFund,
    /// <summary>
    /// 应缴待收: contributions that fell due and are not received yet, the other side of the
    /// receivables (单位应缴 / 个人应缴). Money owed is on the books without being the pooled fund's:
    /// the fund receives a contribution when it is paid, from here.
    /// </summary>
    ContributionsBilled,
}

/// <summary>A part of an account's balance. 当年 / 历年 for personal accounts; one main part otherwise.</summary>
public enum Segment
{
    Main,
    /// <summary>当年账户: this insurance year's credits.</summary>
    CurrentYear,
    /// <summary>历年账户: balances carried over from earlier years.</summary>
    Historical,
}

public static class LedgerNames
{
    public static string Code(this AccountKind kind) => kind switch
    {
        AccountKind.Personal => "personal",
        AccountKind.PooledFund => "pooled-fund",
        AccountKind.EmployerReceivable => "employer-receivable",
        AccountKind.InsuredReceivable => "insured-receivable",
        AccountKind.BankClearing => "bank-clearing",
        AccountKind.InterRegionClearing => "inter-region-clearing",
        AccountKind.LateFeeIncome => "late-fee-income",
        AccountKind.InterestExpense => "interest-expense",
        AccountKind.LongTermCareFund => "long-term-care-fund",
        AccountKind.InstitutionSettlement => "institution-settlement",
        AccountKind.ResidentFund => "resident-fund",
        AccountKind.ContributionsBilled => "contributions-billed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParseKind(string code, out AccountKind kind)
    {
        foreach (var k in Enum.GetValues<AccountKind>())
        {
            if (k.Code() == code) { kind = k; return true; }
        }
        kind = default;
        return false;
    }

    public static string Code(this Segment segment) => segment switch
    {
        Segment.Main => "main",
        Segment.CurrentYear => "current-year",
        Segment.Historical => "historical",
        _ => throw new ArgumentOutOfRangeException(nameof(segment)),
    };

    public static bool TryParseSegment(string code, out Segment segment)
    {
        foreach (var s in Enum.GetValues<Segment>())
        {
            if (s.Code() == code) { segment = s; return true; }
        }
        segment = default;
        return false;
    }

    /// <summary>The segments an account of this kind has.</summary>
    public static IReadOnlyList<Segment> Segments(this AccountKind kind) =>
        kind == AccountKind.Personal ? PersonalSegments : MainOnly;

    /// <summary>The no-overdraft rule applies to personal accounts only (DESIGN: never below zero).</summary>
    public static bool MayNotGoNegative(this AccountKind kind) => kind == AccountKind.Personal;

    private static readonly Segment[] PersonalSegments = [Segment.CurrentYear, Segment.Historical];
    private static readonly Segment[] MainOnly = [Segment.Main];
}
