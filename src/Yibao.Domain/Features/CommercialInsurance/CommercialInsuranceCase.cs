using System.Text.Json.Nodes;
using Yibao.Domain.Cases;

namespace Yibao.Domain.Features.CommercialInsurance;

/// <summary>Case kind <c>commercial-insurance</c>: input <c>{ historicalBalance }</c> → <c>{ maxPurchase }</c>.</summary>
public static class CommercialInsuranceCase
{
    public static JsonObject Answer(AcceptanceCase c, CaseContext context)
    {
        var input = new CaseInput(c.Input);
        var policy = CommercialInsurancePolicy.From(context.Policy(c));
        var answer = CommercialInsuranceDecision.Decide(input.Money("historicalBalance"), policy, context.Why());
        return new JsonObject
        {
            ["maxPurchase"] = answer.MaxPurchase.ToPlainString(),
            ["reasons"] = CaseOutput.Reasons(answer.Reasons),
        };
    }
}
