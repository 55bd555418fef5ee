using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Time;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Features.Backfill;

/// <summary>
/// Case kind <c>backfill</c>: input <c>{ cause, status, months, base?, rate?, paidOn }</c> →
/// <c>{ principal, lateFee, total, employerPart, individualPart, accountCredit, lateFeePayer, months, reasons }</c>.
/// The payment day selects the policy version (K16): a quote for a later payment uses the rules in force then.
/// </summary>
public static class BackfillCase
{
    public static JsonObject Answer(AcceptanceCase c, CaseContext context)
    {
        var input = new CaseInput(c.Input);
        var cause = input.String("cause") switch
        {
            "individual" => ArrearsCause.Individual,
            "employer" => ArrearsCause.Employer,
            var other => throw new YibaoException(ErrorCatalog.InvalidField("cause", $"'{other}' is not one of: individual, employer")),
        };
        var months = input.Strings("months").Select(YearMonth.Parse).ToList();
        var rate = input.StringOrNull("rate") is { } r ? DRate.Parse(r) : (DRate?)null;
        var facts = new BackfillFacts(cause, CreditingCase.Status(input.String("status")), months, input.Date("paidOn"), input.MoneyOrNull("base"), rate);
        var resolved = context.Book.For(c.Region, facts.PaidOn);
        var answer = BackfillDecision.Decide(facts, BackfillPolicy.From(resolved), context.Why());
        return new JsonObject
        {
            ["principal"] = answer.Principal.ToPlainString(),
            ["lateFee"] = answer.LateFee.ToPlainString(),
            ["total"] = answer.Total.ToPlainString(),
            ["employerPart"] = answer.EmployerPart?.ToPlainString(),
            ["individualPart"] = answer.IndividualPart?.ToPlainString(),
            ["accountCredit"] = answer.AccountCredit?.ToPlainString(),
            ["lateFeePayer"] = answer.LateFeePayer == LateFeePayer.Employer ? "employer" : "individual",
            ["months"] = new JsonArray(answer.Months.Select(m => (JsonNode?)new JsonObject
            {
                ["month"] = m.Month.ToString(),
                ["base"] = m.Base.ToPlainString(),
                ["employerPart"] = m.EmployerPart.ToPlainString(),
                ["individualPart"] = m.IndividualPart.ToPlainString(),
                ["principal"] = m.Principal.ToPlainString(),
                ["dueDate"] = Dates.Format(m.DueDate),
                ["daysLate"] = m.DaysLate,
                ["lateFee"] = m.LateFee.ToPlainString(),
                ["lateFeeCapped"] = m.LateFeeCapped,
            }).ToArray()),
            ["policyVersion"] = resolved.VersionId,
            ["reasons"] = CaseOutput.Reasons(answer.Reasons),
        };
    }
}
