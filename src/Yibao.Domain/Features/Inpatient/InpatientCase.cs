using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Inpatient;

/// <summary>The <c>inpatient</c> case kind (acceptance README): one stay's fund / personal / account / cash split.</summary>
public static class InpatientCase
{
    public static JsonObject Answer(AcceptanceCase c, CaseContext context)
    {
        var stay = Read(new CaseInput(c.Input));
        var policy = InpatientPolicy.From(context.Policy(c));
        var split = InpatientDecision.Decide(in stay, policy, context.Why());
        return Output(split);
    }

    /// <summary>
    /// Reads a stay. <c>selfPayCost</c> and <c>accountBalance</c> default to 0.00 (a resident has no
    /// personal account), <c>remoteCare</c> to <c>none</c>; <c>status</c> is required for the employee scheme only.
    /// </summary>
    public static InpatientStay Read(CaseInput input)
    {
        var scheme = input.String("scheme") switch
        {
            "employee" => InsuranceScheme.Employee,
            "resident" => InsuranceScheme.Resident,
            var other => throw new YibaoException(ErrorCatalog.InvalidField("scheme", $"'{other}' is not one of: employee, resident")),
        };
        var status = scheme == InsuranceScheme.Resident
            ? InsuredStatus.Employed
            : input.String("status") switch
            {
                "employed" => InsuredStatus.Employed,
                "retired" => InsuredStatus.Retired,
                "flexible" => InsuredStatus.Flexible,
                var other => throw new YibaoException(ErrorCatalog.InvalidField("status", $"'{other}' is not one of: employed, retired, flexible")),
            };
        var remoteCare = (input.StringOrNull("remoteCare") ?? "none") switch
        {
            "none" => RemoteCareKind.None,
            "long-term" => RemoteCareKind.LongTerm,
            "temporary-referral" => RemoteCareKind.TemporaryReferral,
            "temporary-emergency" => RemoteCareKind.TemporaryEmergency,
            "temporary-other" => RemoteCareKind.TemporaryOther,
            var other => throw new YibaoException(ErrorCatalog.InvalidField("remoteCare", $"'{other}' is not one of: none, long-term, temporary-referral, temporary-emergency, temporary-other")),
        };
        return new InpatientStay(
            scheme,
            status,
            input.Int("tier"),
            input.Int("admission"),
            input.Money("policyCost"),
            input.MoneyOrNull("selfPayCost") ?? DMoney.Zero,
            input.Money("fundPaidThisYear"),
            remoteCare,
            input.MoneyOrNull("accountBalance") ?? DMoney.Zero);
    }

    public static JsonObject Output(in InpatientSplit split)
    {
        var answer = new JsonObject { ["settled"] = split.Settled };
        if (!split.Settled)
        {
            answer["reasonCode"] = split.RefusalCode?.Value;
            answer["missingRule"] = split.MissingRule;
            if (split.Deductible is { } known) answer["deductible"] = known.ToPlainString();
        }
        else
        {
            answer["deductible"] = split.Deductible!.Value.ToPlainString();
            answer["ratio"] = InpatientDecision.Show(split.Ratio);
            answer["uncappedFund"] = split.UncappedFund.ToPlainString();
            answer["fund"] = split.Fund.ToPlainString();
            answer["individual"] = split.Individual.ToPlainString();
            answer["accountPays"] = split.AccountPays.ToPlainString();
            answer["cash"] = split.Cash.ToPlainString();
            answer["capLeft"] = split.CapLeft.ToPlainString();
        }
        answer["reasons"] = CaseOutput.Reasons(split.Reasons);
        return answer;
    }
}
