using System.Globalization;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Crediting;

/// <summary>
/// Why the monthly crediting run (月度划入) did not credit a person's month. Stable codes, listed by
/// the API and the CLI summary; a refusal of the decision itself (e.g. <c>policy-rule-missing</c>)
/// is counted under its own error code.
/// </summary>
public static class CreditingRunSkips
{
    /// <summary>Not yet insured on the 1st of the month (a person joining mid-month is credited from the next month).</summary>
    public const string NotEnrolled = "not-enrolled";
    /// <summary>居民医保 has no personal account.</summary>
    public const string ResidentScheme = "resident-scheme";
    /// <summary>Died on or before the 1st of the month.</summary>
    public const string Deceased = "deceased";
    /// <summary>Insurance suspended (中断) on the 1st of the month.</summary>
    public const string Suspended = "suspended";
    /// <summary>The personal account is closed (注销).</summary>
    public const string AccountClosed = "account-closed";
    /// <summary>An employed person whose contribution for the month is not paid (yet): back-pay credits it later.</summary>
    public const string ContributionUnpaid = "contribution-unpaid";
    /// <summary>The reference defines no credit for flexible workers (the decision refuses, K3).</summary>
    public const string FlexibleNotCredited = "flexible-not-credited"; // the decision's own code, Codes.FlexibleNotCredited
    /// <summary>The month's entry is already in the ledger (an earlier run, or back-pay).</summary>
    public const string AlreadyCredited = "already-credited";
    /// <summary>The month's credit comes to nothing after deductions.</summary>
    public const string NothingToCredit = "nothing-to-credit";
    /// <summary>A status the run does not know.</summary>
    public const string UnknownStatus = "unknown-status";
    /// <summary>一次性预划入: the person's insurance year is already pre-credited (an earlier run of the year).</summary>
    public const string AlreadyPreCredited = "already-pre-credited";
    /// <summary>一次性预划入: an employed person who joined during the year and has no paid contribution in it yet; pre-credited from the month after the first one.</summary>
    public const string AwaitingFirstContribution = "awaiting-first-contribution";

    public static IReadOnlyList<(string Code, string Zh, string En)> All { get; } =
    [
        (NotEnrolled, "当月1日尚未参保(月中参保的自次月起划入)", "Not insured on the 1st of the month (a person joining mid-month is credited from the next month)"),
        (ResidentScheme, "居民医保无个人账户", "Resident insurance has no personal account"),
        (Deceased, "当月1日前已死亡", "Died on or before the 1st of the month"),
        (Suspended, "当月1日处于中断参保状态", "Insurance suspended on the 1st of the month"),
        (AccountClosed, "个人账户已注销", "The personal account is closed"),
        (ContributionUnpaid, "在职职工当月未缴费,补缴后再划入", "Employed, and the month's contribution is not paid; credited after back-pay"),
        (FlexibleNotCredited, "政策依据未规定灵活就业人员的个人账户划入", "The reference defines no personal-account credit for flexible workers"),
        (AlreadyCredited, "当月已划入(幂等键已存在)", "Already credited for the month (the entry's key exists)"),
        (NothingToCredit, "扣减后划入额为零", "Nothing to credit after deductions"),
        (UnknownStatus, "参保状态无法识别", "Unknown insured status"),
        (AlreadyPreCredited, "本医保年度已一次性预划入", "The insurance year is already pre-credited"),
        (AwaitingFirstContribution, "年中参保,本年度尚无已缴费月份:自首次缴费次月起预划入", "Joined during the year with no paid month yet: pre-credited from the month after the first contribution"),
    ];
}

/// <summary>
/// What the run reads about one person for one month: the insured record, the status in force
/// on the 1st of the month (from the status history, null when none is recorded by then),
/// whether history exists at all, that month's contribution and the personal account.
/// </summary>
public sealed record CreditingRunPerson(
    long InsuredId,
    string IdNumber,
    DateOnly BirthDate,
    string Scheme,
    string CurrentStatus,
    string? StatusOnFirst,
    bool HasHistory,
    DateOnly EnrolledOn,
    DateOnly? DeathDate,
    DMoney? DeclaredWage,
    DMoney? ContributionBase,
    bool ContributionPaid,
    long? AccountId,
    bool AccountClosed);

/// <summary>
/// A person's month: credited (<see cref="Net"/> to 当年账户, <see cref="Deduction"/> to the
/// long-term-care fund) or skipped with a reason. In a region that pre-credits its insurance year,
/// <see cref="PreCredit"/> says which months the amounts cover.
/// </summary>
public sealed record CreditingRunOutcome(string? SkipReason, DMoney Gross, DMoney Deduction, DMoney Net, string? Memo, PreCreditSpan? PreCredit = null)
{
    public bool Credited => SkipReason is null;
    public static CreditingRunOutcome Skip(string reason) => new(reason, DMoney.Zero, DMoney.Zero, DMoney.Zero, null);
}

/// <summary>
/// The monthly crediting run of one region and month, as pure rules: who is eligible, what the
/// pack gives each of them (through <see cref="CreditingDecision"/>), and the journal entry that
/// records it. The storage runner reads the facts and writes the entries; this class decides.
/// <para>
/// Eligibility is read on the 1st of the month: the latest status event on or before it, else
/// (no history) the insured record's status if enrolled by then. An employed person is credited
/// only for a month whose contribution is paid, so a month paid later through back-pay is
/// credited then (policy-reference A1: the credit comes out of the contribution); a retiree pays
/// none and is credited every month; flexible workers are refused by the decision (K3).
/// </para>
/// </summary>
public sealed partial class CreditingRunPlan
{
    public const string ReasonCode = "monthly-credit";
    public const string Actor = "system:batch";

    // Shared by the run's read-ahead and a retried chunk, which may decide at the same time.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(InsuredStatus Status, long BaseFen, DateOnly Birth), CreditingRunOutcome> _memo = new();
    private readonly bool _legacy;

    public RegionCode Region { get; }
    public YearMonth Month { get; }
    public CreditingPolicy Policy { get; }
    /// <summary>The pack versions that gave the crediting and contribution rules of the month (recorded on every entry).</summary>
    public string PolicyVersion { get; }
    /// <summary>Entries are dated the last day of the credited month (the month's contributions are due by then, C1).</summary>
    public DateOnly BusinessDate => Month.LastDay;
    public AccountCode PooledFund { get; }
    public AccountCode LongTermCareFund { get; }

    public CreditingRunPlan(ResolvedPolicy resolved, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        Region = resolved.Region;
        Month = month;
        Policy = CreditingPolicy.From(resolved);
        // The monthly credit's own rules: crediting and contribution keys, not the year-end's.
        PolicyVersion = resolved.UsedVersions(key =>
            (key.StartsWith("crediting.", StringComparison.Ordinal) || key.StartsWith("contribution.", StringComparison.Ordinal)) &&
            !key.StartsWith("crediting.year-end-", StringComparison.Ordinal));
        _legacy = Policy.Scheme is { Value: CreditingScheme.LegacyAgeBrackets };
        PooledFund = AccountCode.Of(Region, AccountKind.PooledFund);
        LongTermCareFund = AccountCode.Of(Region, AccountKind.LongTermCareFund);
    }

    /// <summary>True when some status of the month carries a deduction (苏州 长期护理保险), so the run needs the long-term-care fund account.</summary>
    public bool HasDeductions => Policy.Deductions is { Value.Count: > 0 };

    /// <summary>The idempotency key of a person's month: one entry per account and month, whoever posts it.</summary>
    public static string Key(RegionCode region, YearMonth month, string idNumber) => $"credit/{region.Value}/{month}/{idNumber}";

    public string Key(string idNumber) => Key(Region, Month, idNumber);

    /// <summary>The status in force on the 1st of the month, or the skip reason that applies before any rule.</summary>
    public CreditingRunOutcome Decide(CreditingRunPerson person)
    {
        if (StatusOnFirst(person, out var skip) is not { } insured) return skip!;
        if (insured == InsuredStatus.Employed && !person.ContributionPaid) return CreditingRunOutcome.Skip(CreditingRunSkips.ContributionUnpaid);
        var wage = insured == InsuredStatus.Employed ? person.ContributionBase ?? person.DeclaredWage : person.DeclaredWage;
        return Monthly(insured, wage, person.BirthDate);
    }

    /// <summary>The insured status on the 1st of the month, or null with the skip that applies before any rule.</summary>
    private InsuredStatus? StatusOnFirst(CreditingRunPerson person, out CreditingRunOutcome? skip)
    {
        ArgumentNullException.ThrowIfNull(person);
        skip = null;
        var first = Month.FirstDay;
        if (person.Scheme != "employee") return Skipped(CreditingRunSkips.ResidentScheme, out skip);
        if (person.DeathDate is { } died && died <= first) return Skipped(CreditingRunSkips.Deceased, out skip);
        string status;
        if (person.StatusOnFirst is { } recorded) status = recorded;
        else if (!person.HasHistory && person.EnrolledOn <= first) status = person.CurrentStatus;
        else return Skipped(CreditingRunSkips.NotEnrolled, out skip);

        InsuredStatus insured;
        switch (status)
        {
            case "employed": insured = InsuredStatus.Employed; break;
            case "retired": insured = InsuredStatus.Retired; break;
            case "flexible": insured = InsuredStatus.FlexibleEmployed; break;
            case "deceased": return Skipped(CreditingRunSkips.Deceased, out skip);
            case "suspended": return Skipped(CreditingRunSkips.Suspended, out skip);
            default: return Skipped(CreditingRunSkips.UnknownStatus, out skip);
        }
        if (person.AccountClosed) return Skipped(CreditingRunSkips.AccountClosed, out skip);
        return insured;
    }

    private static InsuredStatus? Skipped(string reason, out CreditingRunOutcome? skip)
    {
        skip = CreditingRunOutcome.Skip(reason);
        return null;
    }

    /// <summary>One month's credit for a status and wage, memoised: a region's people share a few thousand bases, so most are looked up.</summary>
    private CreditingRunOutcome Monthly(InsuredStatus insured, DMoney? wage, DateOnly birth)
    {
        var key = (insured, insured == InsuredStatus.Employed ? wage?.Fen ?? -1 : -1, _legacy ? birth : default);
        if (_memo.TryGetValue(key, out var known)) return known;
        var outcome = DecideOnce(insured, wage, birth);
        if (_memo.Count < 100_000) _memo.TryAdd(key, outcome);
        return outcome;
    }

    private CreditingRunOutcome DecideOnce(InsuredStatus status, DMoney? wage, DateOnly birth)
    {
        CreditingAnswer answer;
        try
        {
            answer = CreditingDecision.Decide(new CreditingFacts(status, Month, wage, birth), Policy, Explanation.None);
        }
        catch (YibaoException e)
        {
            // A rule the pack lacks for this month (福州's pre-reform retirees) is the region's gap,
            // not this person's: counted under its code, and the run goes on.
            return CreditingRunOutcome.Skip(e.Error.Code.Value);
        }
        if (!answer.Credited) return CreditingRunOutcome.Skip(answer.RefusalCode?.Value ?? CreditingRunSkips.UnknownStatus);
        if (answer.Net.IsNegative || (answer.Net.IsZero && answer.Deductions.IsZero)) return CreditingRunOutcome.Skip(CreditingRunSkips.NothingToCredit);
        return new CreditingRunOutcome(null, answer.Credit, answer.Deductions, answer.Net, Memo(status, answer));
    }

    private string Memo(InsuredStatus status, CreditingAnswer a)
    {
        var main = status == InsuredStatus.Retired
            ? a.Rate is { } legacyRate
                ? $"{Month} 退休人员划入 {a.Credit.ToPlainString()}(比例 {CreditingDecision.Percent(legacyRate)})"
                : $"{Month} 退休人员定额划入 {a.Credit.ToPlainString()}"
            : $"{Month} 在职职工划入:缴费基数 {a.Base?.ToPlainString()} × {(a.Rate is { } r ? CreditingDecision.Percent(r) : "")}" +
              (a.Age is { } age ? string.Create(CultureInfo.InvariantCulture, $"({age} 周岁)") : "");
        foreach (var d in a.DeductionLines) main += $",扣减{d.Name} {d.Amount.ToPlainString()}";
        return main;
    }

    /// <summary>
    /// The journal entry of a credited month: the pooled fund pays the gross credit (统筹基金划出),
    /// the personal account's current-year segment receives the net, and a deduction goes to the
    /// long-term-care fund as a second posting of the same entry.
    /// </summary>
    public JournalEntryRequest Entry(string idNumber, CreditingRunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.PreCredit is not null) return PreCreditEntry(idNumber, outcome);
        return Entry(idNumber, outcome, Key(idNumber), ReasonCode, BusinessDate);
    }

    private JournalEntryRequest Entry(string idNumber, CreditingRunOutcome outcome, string key, string reasonCode, DateOnly businessDate)
    {
        if (!outcome.Credited) throw new ArgumentException("A skipped month has no entry.", nameof(outcome));
        var lines = new List<PostingLine>(3);
        if (outcome.Net.IsPositive) lines.Add(new PostingLine(AccountCode.Personal(Region, idNumber), Segment.CurrentYear, outcome.Net));
        if (outcome.Deduction.IsPositive) lines.Add(new PostingLine(LongTermCareFund, Segment.Main, outcome.Deduction));
        lines.Add(new PostingLine(PooledFund, Segment.Main, -outcome.Gross));
        return new JournalEntryRequest
        {
            IdempotencyKey = key,
            Region = Region,
            ReasonCode = reasonCode,
            BusinessDate = businessDate,
            Actor = Actor,
            PolicyVersion = PolicyVersion,
            Memo = outcome.Memo,
            Postings = lines,
        };
    }
}

