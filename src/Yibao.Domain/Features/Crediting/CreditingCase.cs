using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.Crediting;

/// <summary>
/// Case kind <c>crediting</c>: input <c>{ status, month, declaredWage | base, idNumber, birthDate, pension }</c>
/// → <c>{ credited, base, credit, deductions, net, rate, age, deductionLines, reasonCode, reasons }</c>.
/// The credited month selects the policy version (K16: the case date is its 1st day).
/// </summary>
public static class CreditingCase
{
    public static JsonObject Answer(AcceptanceCase c, CaseContext context)
    {
        var input = new CaseInput(c.Input);
        var month = input.Month("month");
        var facts = new CreditingFacts(
            Status(input.String("status")),
            month,
            input.MoneyOrNull("declaredWage") ?? input.MoneyOrNull("base"),
            BirthDate(input),
            input.MoneyOrNull("pension"));
        if (facts.DeclaredWage is { IsNegative: true }) throw new YibaoException(ErrorCatalog.InvalidField("declaredWage", "must not be negative"));
        var resolved = context.Book.For(c.Region, month.FirstDay);
        var policy = CreditingPolicy.From(resolved);
        var answer = CreditingDecision.Decide(facts, policy, context.Why());
        return new JsonObject
        {
            ["credited"] = answer.Credited,
            ["reasonCode"] = answer.RefusalCode?.Value,
            ["base"] = answer.Base?.ToPlainString(),
            ["credit"] = answer.Credited ? answer.Credit.ToPlainString() : null,
            ["deductions"] = answer.Credited ? answer.Deductions.ToPlainString() : null,
            ["net"] = answer.Credited ? answer.Net.ToPlainString() : null,
            ["rate"] = answer.Rate?.ToString(),
            ["age"] = answer.Age,
            ["deductionLines"] = new JsonArray(answer.DeductionLines.Select(d => (JsonNode?)new JsonObject
            {
                ["code"] = d.Code,
                ["name"] = d.Name,
                ["amount"] = d.Amount.ToPlainString(),
            }).ToArray()),
            ["policyVersion"] = resolved.VersionId,
            ["reasons"] = CaseOutput.Reasons(answer.Reasons),
        };
    }

    internal static InsuredStatus Status(string text) => text switch
    {
        "employed" => InsuredStatus.Employed,
        "retired" => InsuredStatus.Retired,
        "flexible" => InsuredStatus.FlexibleEmployed,
        _ => throw new YibaoException(ErrorCatalog.InvalidField("status", $"'{text}' is not one of: employed, retired, flexible")),
    };

    /// <summary>The birth date encoded in the ID number (K4); a <c>birthDate</c> given as well must agree with it.</summary>
    private static DateOnly? BirthDate(CaseInput input)
    {
        var given = input.DateOrNull("birthDate");
        if (input.StringOrNull("idNumber") is not { } text) return given;
        var fromId = IdNumber.Parse(text).BirthDate;
        if (given is { } g && g != fromId)
            throw new YibaoException(ErrorCatalog.InvalidField("birthDate", $"{Dates.Format(g)} differs from the birth date in the ID number ({Dates.Format(fromId)})"));
        return fromId;
    }
}
