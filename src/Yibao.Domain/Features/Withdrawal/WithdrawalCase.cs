using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.Withdrawal;

/// <summary>
/// Case kind <c>withdrawal</c> (acceptance/README.md): input <c>{ reason, status, retiredOn,
/// balance, materials, writtenApplication, heirInsuredInRegion }</c>, plus the optional
/// <c>byAgent</c> (an agent applies: power of attorney and agent ID are required too) and
/// <c>targetRegion</c> (required for <c>transfer-impossible</c>: where the person moves) →
/// <c>{ eligible, complete, payout, payTo, accountStatusAfter, missingMaterials, reasonCode }</c>.
/// </summary>
public static class WithdrawalCase
{
    public static JsonObject Answer(AcceptanceCase c, CaseContext context)
    {
        var input = new CaseInput(c.Input);
        var policy = WithdrawalPolicy.From(context.Policy(c));
        var request = Request(input, c.Region, c.Date, policy);
        var answer = WithdrawalDecision.Decide(request, policy, context.Why());
        var output = new JsonObject
        {
            ["eligible"] = answer.Eligible,
            ["complete"] = answer.Complete,
            ["payout"] = answer.Payout.ToPlainString(),
            ["payTo"] = WithdrawalNames.Kebab(answer.PayTo.ToString()),
            ["accountStatusAfter"] = WithdrawalNames.Kebab(answer.AccountStatusAfter.ToString()),
            ["missingMaterials"] = new JsonArray(answer.MissingMaterials.Select(m => (JsonNode?)WithdrawalDecision.Show(m)).ToArray()),
        };
        if (answer.ReasonCode is { } code) output["reasonCode"] = code.Value;
        output["reasons"] = CaseOutput.Reasons(answer.Reasons);
        return output;
    }

    /// <summary>Reads and checks the input; a missing field, an unknown code or dates out of order is a clear error.</summary>
    public static WithdrawalRequest Request(CaseInput input, RegionCode region, DateOnly date, WithdrawalPolicy policy)
    {
        var reasonText = input.String("reason");
        if (!WithdrawalNames.TryParseReason(reasonText, out var reason))
            throw new YibaoException(ErrorCatalog.InvalidField("reason",
                $"unknown reason '{reasonText}' (expected one of: {string.Join(", ", Enum.GetValues<WithdrawalReason>().Select(WithdrawalNames.Code))})"));

        var retired = IsRetired(input, date);
        var balance = input.Money("balance");
        if (balance.IsNegative) throw new YibaoException(ErrorCatalog.InvalidField("balance", "a balance is never below zero"));

        var materials = new List<WithdrawalMaterial>();
        foreach (var text in input.Strings("materials"))
        {
            if (!WithdrawalNames.TryParseMaterial(text, out var material))
                throw new YibaoException(ErrorCatalog.InvalidField("materials",
                    $"unknown material code '{text}' (expected one of: {string.Join(", ", Enum.GetValues<WithdrawalMaterial>().Select(WithdrawalNames.Code))})"));
            materials.Add(material);
        }

        // Absent, the written application is whatever the materials show.
        var written = input.Bool("writtenApplication", materials.Contains(WithdrawalMaterial.WrittenApplication));
        var byAgent = input.Bool("byAgent", false);
        var rule = policy.RuleFor(reason);
        var heirInsured = reason == WithdrawalReason.Death && rule.PayTo == WithdrawalPayee.HeirAccountWhenInsured
            ? input.Bool("heirInsuredInRegion")
            : input.Bool("heirInsuredInRegion", false);

        RegionCode? target = null;
        if (reason == WithdrawalReason.TransferImpossible)
        {
            target = RegionCode.Parse(input.String("targetRegion"));
            if (target == region) throw new YibaoException(ErrorCatalog.InvalidField("targetRegion", "the same region as the application: there is no move between regions"));
        }
        return new WithdrawalRequest(region, reason, retired, balance, materials, written, byAgent, heirInsured, target);
    }

    /// <summary><c>status</c> is employed, retired or flexible; a <c>retiredOn</c> must agree with it on the application day.</summary>
    private static bool IsRetired(CaseInput input, DateOnly date)
    {
        var status = input.String("status");
        if (status is not ("employed" or "retired" or "flexible"))
            throw new YibaoException(ErrorCatalog.InvalidField("status", $"unknown status '{status}' (expected employed, retired or flexible)"));
        var retiredOn = input.DateOrNull("retiredOn");
        if (status == "retired" && retiredOn is { } on && on > date)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(on), Dates.Format(date)).With("field", "retiredOn"));
        if (status != "retired" && retiredOn is { } before && before <= date)
            throw new YibaoException(ErrorCatalog.InvalidField("retiredOn", $"retired on {Dates.Format(before)}, but status is '{status}'"));
        return status == "retired";
    }
}
