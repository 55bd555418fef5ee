using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.WaitingPeriod;

/// <summary>
/// Case kind <c>waiting-period</c>. Employee (<c>context: transfer</c> only):
/// <c>{ lastPaidMonth, resumedMonth, gapBackfilled, paidOn }</c> → <c>{ waitingMonths, benefitsFrom, retroactiveFrom, retroactiveTo }</c>.
/// Resident: <c>{ coverageYear, paidOn, inEnrolmentPeriod, breakYears, repairYears, newborn, birthDate }</c>
/// → <c>{ waitingMonths, benefitsFrom, benefitsTo, repairCost }</c>. The case date selects the policy version (K16).
/// </summary>
public static class WaitingPeriodCase
{
    public static JsonObject Answer(AcceptanceCase c, CaseContext context)
    {
        var input = new CaseInput(c.Input);
        var resolved = context.Policy(c);
        var policy = WaitingPeriodPolicy.From(resolved);
        var result = input.String("scheme") switch
        {
            "employee" => Employee(input, policy, context),
            "resident" => Resident(input, policy, context),
            var other => throw new YibaoException(ErrorCatalog.InvalidField("scheme", $"'{other}' is not one of: employee, resident")),
        };
        result["policyVersion"] = resolved.VersionId;
        return result;
    }

    private static JsonObject Employee(CaseInput input, WaitingPeriodPolicy policy, CaseContext context)
    {
        var waitingContext = input.String("context");
        if (waitingContext != "transfer")
            throw new YibaoException(ErrorCatalog.InvalidField("context",
                $"'{waitingContext}' is not defined: the reference fixes the employee waiting period only when resuming on a transfer (context 'transfer', 医保办发〔2021〕43号, K9); other contexts are local rules"));
        var facts = new EmployeeGapFacts(input.Month("lastPaidMonth"), input.Month("resumedMonth"), input.Bool("gapBackfilled"), input.DateOrNull("paidOn"));
        var answer = WaitingPeriodDecision.DecideEmployee(facts, policy, context.Why());
        return new JsonObject
        {
            ["allowed"] = answer.Allowed,
            ["reasonCode"] = answer.RefusalCode?.Value,
            ["gapMonths"] = answer.GapMonths,
            ["waitingMonths"] = answer.Allowed ? answer.WaitingMonths : null,
            ["benefitsFrom"] = Format(answer.BenefitsFrom),
            ["retroactiveFrom"] = Format(answer.RetroactiveFrom),
            ["retroactiveTo"] = Format(answer.RetroactiveTo),
            ["reasons"] = CaseOutput.Reasons(answer.Reasons),
        };
    }

    private static JsonObject Resident(CaseInput input, WaitingPeriodPolicy policy, CaseContext context)
    {
        var facts = new ResidentFacts(
            input.Int("coverageYear"),
            input.Date("paidOn"),
            input.Bool("inEnrolmentPeriod"),
            input.Has("breakYears") ? input.Int("breakYears") : 0,
            input.Has("repairYears") ? input.Int("repairYears") : 0,
            input.Bool("newborn", false),
            input.DateOrNull("birthDate"));
        var answer = WaitingPeriodDecision.DecideResident(facts, policy, context.Why());
        return new JsonObject
        {
            ["allowed"] = answer.Allowed,
            ["reasonCode"] = answer.RefusalCode?.Value,
            ["waitingMonths"] = answer.WaitingMonths,
            ["benefitsFrom"] = Format(answer.BenefitsFrom),
            ["benefitsTo"] = Dates.Format(answer.BenefitsTo),
            ["coveredThisYear"] = answer.CoveredThisYear,
            ["repairYearsCredited"] = answer.RepairYearsCredited,
            ["maxUsefulRepairYears"] = answer.MaxUsefulRepairYears,
            ["repairCost"] = answer.RepairCost.ToPlainString(),
            ["reasons"] = CaseOutput.Reasons(answer.Reasons),
        };
    }

    private static string? Format(DateOnly? date) => date is { } d ? Dates.Format(d) : null;
}
