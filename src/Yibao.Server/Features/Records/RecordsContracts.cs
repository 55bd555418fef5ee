using System.ComponentModel;
using Yibao.Domain.Features.Records;
using Yibao.Storage.Records;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Records;

/// <summary>单位登记: register an employer in the region of the path.</summary>
public sealed record EmployerRequest(
    [property: Description("统一社会信用代码, 18 characters (GB 32100-2015), e.g. `91990100MA0000010E`.")] string? CreditCode,
    [property: Description("单位名称.")] string? Name);

/// <summary>参保登记: enrol a person in the region of the path; opens their personal account.</summary>
public sealed record EnrolmentRequest(
    [property: Description("公民身份号码, 18 characters (a 15-digit legacy number is upgraded).")] string? IdNumber,
    [property: Description("姓名.")] string? Name,
    [property: Description("`employee` (default) or `resident`.")] string? Scheme,
    [property: Description("`employed` (default, needs `employerCreditCode`), `flexible` or `retired`.")] string? Status,
    [property: Description("The employer's credit code; an employed person only. The employer must be registered in the region.")] string? EmployerCreditCode,
    [property: Description("缴费基数 / 申报工资 a month, yuan with at most two decimals, e.g. \"8000.00\".")]DMoney? DeclaredWage,
    [property: Description("参保日期, YYYY-MM-DD; not before the birth date in the ID number.")] string? EnrolledOn,
    [property: Description("退休日期 of a person enrolled as retired (default: the enrolment day); refused for other statuses.")] string? RetirementDate,
    [property: Description("国籍, ISO 3166-1 alpha-3 (default CHN).")] string? Nationality);

/// <summary>A status change to append to a person's history.</summary>
public sealed record StatusEventRequest(
    [property: Description("`hire`, `leave`, `retire`, `die` or `rejoin`.")] string? Event,
    [property: Description("生效日期, YYYY-MM-DD: on or after the last recorded change, not in the future.")] string? EffectiveOn,
    [property: Description("The employer: required for `hire`, optional for `rejoin` (without it the person rejoins as flexible), refused otherwise.")] string? EmployerCreditCode);

/// <summary>One contribution month of one enrolled person.</summary>
public sealed record ContributionRequest(
    [property: Description("公民身份号码 of an enrolled person.")] string? IdNumber,
    [property: Description("The employer that owes the month (registered in the region); omit for a flexible worker.")] string? EmployerCreditCode,
    [property: Description("缴费月份, YYYY-MM.")] string? Month,
    [property: Description("缴费基数, yuan, at most two decimals, not negative.")]DMoney? Base,
    [property: Description("单位缴费, yuan, at most two decimals, not negative, not above the base.")]DMoney? EmployerPart,
    [property: Description("个人缴费, yuan, at most two decimals, not negative, not above the base.")]DMoney? IndividualPart,
    [property: Description("应缴日期, YYYY-MM-DD, not before the month begins.")] string? DueDate,
    [property: Description("到账日期, YYYY-MM-DD, not in the future; omit while unpaid.")] string? PaidDate);

/// <summary>A registered employer.</summary>
public sealed record EmployerResponse(string CreditCode, string Region, string Name, DateOnly RegisteredOn, bool Created);

/// <summary>One event of a status history.</summary>
/// <param name="Event">enrol, hire, leave, retire, die or rejoin.</param>
/// <param name="EffectiveOn">The day it took effect.</param>
/// <param name="Status">The status from that day: employed, retired, flexible, suspended or deceased.</param>
/// <param name="EmployerCreditCode">The employer from that day, when employed.</param>
public sealed record StatusEventResponse(string Event, DateOnly EffectiveOn, string Status, string? EmployerCreditCode);

/// <summary>参保人: the record and its whole status history.</summary>
public sealed record InsuredResponse(
    string Region,
    string IdNumber,
    string Name,
    string Sex,
    DateOnly BirthDate,
    string Scheme,
    string Status,
    string? EmployerCreditCode,
    string? DeclaredWage,
    DateOnly EnrolledOn,
    DateOnly? RetirementDate,
    DateOnly? DeathDate,
    string Nationality,
    string Account,
    IReadOnlyList<StatusEventResponse> History)
{
    public static InsuredResponse From(InsuredRecord r) => new(
        r.Region.Value, r.IdNumber.Value, r.Name, r.Sex == Domain.Identity.Sex.Male ? "M" : "F", r.BirthDate, r.Scheme.Code(), r.Status.Code(),
        r.Employer?.Value, r.DeclaredWage?.ToPlainString(), r.EnrolledOn, r.RetirementDate, r.DeathDate, r.Nationality, r.Account.Value,
        r.History.Events.Select(e => new StatusEventResponse(e.Kind.Code(), e.EffectiveOn, e.Status.Code(), e.Employer?.Value)).ToList());
}

/// <summary>The result of appending a status event: the event, whether it was already recorded, and the record after it.</summary>
public sealed record StatusEventResultResponse(StatusEventResponse Event, bool Replayed, InsuredResponse Insured);

/// <summary>One recorded contribution month; amounts in yuan.</summary>
public sealed record ContributionResponse(
    string Month, string? EmployerCreditCode, string Base, string EmployerPart, string IndividualPart, string Total, DateOnly DueDate, DateOnly? PaidDate, bool Paid)
{
    public static ContributionResponse From(ContributionMonth c) => new(
        c.Month.ToString(), c.Employer?.Value, c.Base.ToPlainString(), c.EmployerPart.ToPlainString(), c.IndividualPart.ToPlainString(),
        c.Total.ToPlainString(), c.DueDate, c.PaidDate, c.IsPaid);
}

/// <summary>A person's contribution months.</summary>
public sealed record ContributionListResponse(string Region, string IdNumber, string? From, string? To, IReadOnlyList<ContributionResponse> Months);

/// <summary>What recording one item did: recorded, unchanged or payment-recorded.</summary>
public sealed record RecordedItem(string IdNumber, string Month, string Outcome);

/// <summary>The outcome of a contribution request, all items taken.</summary>
public sealed record ContributionsRecordedResponse(string Region, int Recorded, int Unchanged, int PaymentsRecorded, IReadOnlyList<RecordedItem> Items)
{
    public static ContributionsRecordedResponse From(string region, IReadOnlyList<ContributionRowResult> results) => new(
        region,
        results.Count(r => r.Outcome == ContributionOutcome.Recorded),
        results.Count(r => r.Outcome == ContributionOutcome.Unchanged),
        results.Count(r => r.Outcome == ContributionOutcome.PaymentRecorded),
        results.Select(r => new RecordedItem(r.Row.IdNumber.Value, r.Row.Contribution.Month.ToString(), OutcomeCode(r.Outcome!.Value))).ToList());

    public static string OutcomeCode(ContributionOutcome outcome) => outcome switch
    {
        ContributionOutcome.Recorded => "recorded",
        ContributionOutcome.Unchanged => "unchanged",
        ContributionOutcome.PaymentRecorded => "payment-recorded",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}
