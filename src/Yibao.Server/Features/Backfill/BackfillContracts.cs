using System.ComponentModel;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Policy;
using Yibao.Server.Contracts;
using Yibao.Storage.Backfill;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Backfill;

/// <summary>补缴到账: a back-pay payment to post for a person of the region in the path.</summary>
public sealed record BackfillPaymentBody(
    [property: Description("公民身份号码 of an enrolled person.")] string? IdNumber,
    [property: Description("Who caused the arrears: `employer` (the employer pays both parts and the late fee) or `individual` (the person pays).")] string? Cause,
    [property: Description("The owed months paid, YYYY-MM, none twice, none after the payment month.")] IReadOnlyList<string>? Months,
    [property: Description("到账日期, YYYY-MM-DD: the day the money arrived; not in the future.")] string? PaidOn,
    [property: Description("缴费基数, yuan (\"8000.00\"); default: the declared wage on record for employer-caused arrears, the average wage for an individual (K8).")] DMoney? Base,
    [property: Description("An individual's chosen total rate (\"0.10\"); default: the region's flexible-worker rate. Refused for employer-caused arrears.")] string? Rate);

/// <summary>One owed month of a quote.</summary>
public sealed record BackfillMonthResponse(
    string Month, string Base, string EmployerPart, string IndividualPart, string Principal, DateOnly DueDate, int DaysLate, string LateFee, bool LateFeeCapped);

/// <summary>
/// 补缴测算: what back-paying the months on a day costs, on the facts on record (status, declared
/// wage) and the region's rules in force that day, with the reasons. <c>total = principal + lateFee</c>.
/// </summary>
public sealed record BackfillQuoteResponse(
    string Region,
    string IdNumber,
    string Cause,
    string Status,
    DateOnly PaidOn,
    string Principal,
    string LateFee,
    string Total,
    string? EmployerPart,
    string? IndividualPart,
    string? AccountCredit,
    string LateFeePayer,
    IReadOnlyList<BackfillMonthResponse> Months,
    string PolicyVersion,
    IReadOnlyList<ReasonResponse> Reasons)
{
    public static BackfillQuoteResponse From(BackfillQuote q)
    {
        var a = q.Answer;
        return new BackfillQuoteResponse(q.Region.Value, q.IdNumber, q.Cause.Code(), StatusCode(q.Status), q.PaidOn,
            a.Principal.ToPlainString(), a.LateFee.ToPlainString(), a.Total.ToPlainString(),
            a.EmployerPart?.ToPlainString(), a.IndividualPart?.ToPlainString(), a.AccountCredit?.ToPlainString(), a.LateFeePayer.Code(),
            a.Months.Select(m => new BackfillMonthResponse(m.Month.ToString(), m.Base.ToPlainString(), m.EmployerPart.ToPlainString(),
                m.IndividualPart.ToPlainString(), m.Principal.ToPlainString(), m.DueDate, m.DaysLate, m.LateFee.ToPlainString(), m.LateFeeCapped)).ToList(),
            q.PolicyVersion, ReasonResponse.From(a.Reasons));
    }

    private static string StatusCode(InsuredStatus s) => s switch
    {
        InsuredStatus.Employed => "employed",
        InsuredStatus.Retired => "retired",
        _ => "flexible",
    };
}

/// <summary>One benefit status a back-pay recorded (待遇状态).</summary>
/// <param name="Kind"><c>retroactive</c> (covered retroactively), <c>waiting</c> (待遇等待期), <c>benefits-from</c> (open-ended from <c>from</c>) or <c>not-covered</c>.</param>
/// <param name="From">First day, inclusive.</param>
/// <param name="To">Last day, inclusive; null when open-ended.</param>
/// <param name="ReasonCode">Stable code of why.</param>
/// <param name="ReasonZh">Why, in Chinese.</param>
/// <param name="ReasonEn">Why, in English.</param>
/// <param name="RuleId">The rule (pack key or reference id) behind it.</param>
/// <param name="PolicyVersion">The pack versions in force on the payment day.</param>
/// <param name="BackfillKey">The back-pay that established it.</param>
/// <param name="PaidOn">Its payment day.</param>
public sealed record BenefitStatusResponse(
    string Kind, DateOnly From, DateOnly? To, string ReasonCode, string ReasonZh, string ReasonEn, string RuleId, string PolicyVersion, string BackfillKey, DateOnly PaidOn)
{
    public static BenefitStatusResponse Of(BenefitStatusRow r) =>
        new(r.Kind.Code(), r.From, r.To, r.ReasonCode, r.ReasonZh, r.ReasonEn, r.RuleId, r.PolicyVersion, r.BackfillKey, r.PaidOn);
}

/// <summary>A person's benefit status, by start date.</summary>
public sealed record BenefitStatusListResponse(string Region, string IdNumber, IReadOnlyList<BenefitStatusResponse> Items);

/// <summary>
/// 补缴入账: a posted back-pay as the ledger holds it. <c>entryKeys</c> are its own journal entries
/// (principal, late fee, payment); <c>creditKeys</c> the monthly credits of the paid months it posted,
/// whose personal-account nets make <c>accountCredit</c>. <c>replayed</c> is true when the same
/// payment had already been posted and nothing was written this time.
/// </summary>
public sealed record BackfillPostingResponse(
    string Key,
    string Region,
    string IdNumber,
    string Cause,
    IReadOnlyList<string> Months,
    DateOnly PaidOn,
    string Principal,
    string LateFee,
    string Total,
    string EmployerPart,
    string IndividualPart,
    string AccountCredit,
    string LateFeePayer,
    string PolicyVersion,
    IReadOnlyList<string> EntryKeys,
    IReadOnlyList<string> CreditKeys,
    IReadOnlyList<BenefitStatusResponse> BenefitStatus,
    bool Replayed)
{
    public static BackfillPostingResponse From(BackfillPosting p) =>
        new(p.Key, p.Region.Value, p.IdNumber, p.Cause.Code(), p.Months.Select(m => m.ToString()).ToList(), p.PaidOn,
            p.Principal.ToPlainString(), p.LateFee.ToPlainString(), p.Total.ToPlainString(), p.EmployerPart.ToPlainString(),
            p.IndividualPart.ToPlainString(), p.AccountCredit.ToPlainString(), p.LateFeePayer.Code(), p.PolicyVersion,
            p.EntryKeys, p.CreditKeys, p.BenefitStatus.Select(BenefitStatusResponse.Of).ToList(), p.Replayed);
}

/// <summary>A person's posted back-pays, by payment day.</summary>
public sealed record BackfillListResponse(string Region, string IdNumber, IReadOnlyList<BackfillPostingResponse> Items);

internal static class BackfillCauses
{
    public static ArrearsCause Parse(string? text) => text?.Trim() switch
    {
        null or "" => throw new Domain.Errors.YibaoException(Domain.Errors.ErrorCatalog.MissingField("cause")),
        "employer" => ArrearsCause.Employer,
        "individual" => ArrearsCause.Individual,
        var other => throw new Domain.Errors.YibaoException(Domain.Errors.ErrorCatalog.InvalidField("cause", $"'{other}' is not one of: employer, individual")),
    };
}
