using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Storage.Backfill;

/// <summary>
/// A back-pay (补缴) payment to post: whose, for which owed months, paid on which day, and who
/// caused the arrears. <see cref="Base"/> and <see cref="Rate"/> are the payer's choices of the
/// quote (K8); the insured's status and employer are read from the records, never taken from here.
/// For employer-caused arrears a missing base is the insured's declared wage on record.
/// </summary>
public sealed record BackfillPaymentRequest(
    RegionCode Region,
    string IdNumber,
    ArrearsCause Cause,
    IReadOnlyList<YearMonth> Months,
    DateOnly PaidOn,
    DMoney? Base = null,
    DRate? Rate = null,
    string Actor = "system");

/// <summary>
/// A back-pay quote for a person on record: the decision's answer (with its reasons) on the facts
/// read from the database, the status it was decided on and the policy version in force on the payment day.
/// </summary>
public sealed record BackfillQuote(
    RegionCode Region,
    string IdNumber,
    ArrearsCause Cause,
    InsuredStatus Status,
    DateOnly PaidOn,
    string PolicyVersion,
    BackfillAnswer Answer);

/// <summary>The kinds of benefit status a back-pay establishes (待遇状态).</summary>
public enum BenefitStatusKind
{
    /// <summary>追溯享受: the window is covered retroactively once paid.</summary>
    Retroactive,
    /// <summary>待遇等待期: no benefits in the window.</summary>
    Waiting,
    /// <summary>享受待遇起始日: benefits from <see cref="BenefitStatusRow.From"/>, open-ended.</summary>
    BenefitsFrom,
    /// <summary>不予追溯: the window stays uncovered although paid.</summary>
    NotCovered,
}

/// <summary>One recorded benefit status of an insured person, with the reason and the policy version behind it.</summary>
public sealed record BenefitStatusRow(
    BenefitStatusKind Kind,
    DateOnly From,
    DateOnly? To,
    string ReasonCode,
    string ReasonZh,
    string ReasonEn,
    string RuleId,
    string PolicyVersion,
    string BackfillKey,
    DateOnly PaidOn);

/// <summary>
/// A posted back-pay, as stored: the figures moved through the ledger, the keys of its own journal
/// entries (<see cref="EntryKeys"/>: principal, late fee, payment) and of the monthly credits it
/// posted (<see cref="CreditKeys"/>, <c>credit/{region}/{month}/{idNumber}</c>; their personal-account
/// nets sum to <see cref="AccountCredit"/>), and the benefit status it recorded. <see cref="Replayed"/> is true when an earlier call
/// with the same key had already posted it and nothing was written this time.
/// </summary>
public sealed record BackfillPosting(
    string Key,
    RegionCode Region,
    string IdNumber,
    ArrearsCause Cause,
    IReadOnlyList<YearMonth> Months,
    DateOnly PaidOn,
    DMoney Principal,
    DMoney LateFee,
    DMoney EmployerPart,
    DMoney IndividualPart,
    DMoney AccountCredit,
    LateFeePayer LateFeePayer,
    string PolicyVersion,
    IReadOnlyList<string> EntryKeys,
    IReadOnlyList<string> CreditKeys,
    IReadOnlyList<BenefitStatusRow> BenefitStatus,
    bool Replayed,
    IReadOnlyList<Reason> Reasons)
{
    public DMoney Total => Principal + LateFee;
}

/// <summary>Stable names of the back-pay's codes in the ledger and the tables.</summary>
public static class BackfillNames
{
    /// <summary>Reason code of the entry that charges the principal and credits the pooled fund and the personal account.</summary>
    public const string PrincipalReason = "backfill-principal";
    /// <summary>Reason code of the entry that charges the late fee (滞纳金) to its payer.</summary>
    public const string LateFeeReason = "backfill-late-fee";
    /// <summary>Reason code of the entry that settles the payer's receivable from the bank.</summary>
    public const string PaymentReason = "backfill-payment";

    public static string Code(this ArrearsCause cause) => cause == ArrearsCause.Employer ? "employer" : "individual";
    public static string Code(this LateFeePayer payer) => payer == LateFeePayer.Employer ? "employer" : "individual";

    public static string Code(this BenefitStatusKind kind) => kind switch
    {
        BenefitStatusKind.Retroactive => "retroactive",
        BenefitStatusKind.Waiting => "waiting",
        BenefitStatusKind.BenefitsFrom => "benefits-from",
        BenefitStatusKind.NotCovered => "not-covered",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static BenefitStatusKind ParseKind(string code) => code switch
    {
        "retroactive" => BenefitStatusKind.Retroactive,
        "waiting" => BenefitStatusKind.Waiting,
        "benefits-from" => BenefitStatusKind.BenefitsFrom,
        "not-covered" => BenefitStatusKind.NotCovered,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown benefit status kind"),
    };

    public static ArrearsCause ParseCause(string code) => code == "employer" ? ArrearsCause.Employer : ArrearsCause.Individual;
    public static LateFeePayer ParsePayer(string code) => code == "employer" ? LateFeePayer.Employer : LateFeePayer.Individual;
}
