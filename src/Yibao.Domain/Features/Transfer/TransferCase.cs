using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.Transfer;

/// <summary>
/// Case kind <c>transfer</c> (acceptance/README.md): the case's region is the source; input
/// <c>{ targetRegion, status, appliedOn, receivedOn?, balance }</c> → <c>{ allowed, reasonCode,
/// mode, acceptedOn, transferOutDeadline, transferInDeadline, provisional, sourceBalanceAfter, targetCredit }</c>
/// (<c>provisional</c>: any deadline counted a day of the provisional year, K17; each day's own flag beside it).
/// </summary>
public static class TransferCase
{
    public static JsonObject Answer(AcceptanceCase c, CaseContext context)
    {
        var input = new CaseInput(c.Input);
        var target = RegionCode.Parse(input.String("targetRegion"));
        if (target == c.Region) throw new YibaoException(ErrorCatalog.InvalidField("targetRegion", "the same region as the source: a transfer is between two pooling regions"));
        var status = input.String("status");
        if (status is not ("employed" or "retired" or "flexible"))
            throw new YibaoException(ErrorCatalog.InvalidField("status", $"unknown status '{status}' (expected employed, retired or flexible)"));
        var balance = input.Money("balance");
        if (balance.IsNegative) throw new YibaoException(ErrorCatalog.InvalidField("balance", "a balance is never below zero"));
        var request = new TransferRequest(c.Region, target, status == "retired", input.Date("appliedOn"), input.DateOrNull("receivedOn"), balance);

        var sourcePolicy = context.Policy(c);
        var targetPolicy = context.Book.For(NearestConfigured(context.Book, target), c.Date);
        var answer = TransferDecision.Decide(request,
            TransferPolicy.From(sourcePolicy), TransferPolicy.From(targetPolicy),
            context.Calendars.For(sourcePolicy.CalendarRegion), context.Calendars.For(CalendarOf(targetPolicy, target)),
            context.Why());

        var output = new JsonObject { ["allowed"] = answer.Allowed };
        if (answer.ReasonCode is { } code) output["reasonCode"] = code.Value;
        if (answer.Mode is { } mode) output["mode"] = TransferNames.Code(mode);
        if (answer.AcceptedOn is { } accepted) output["acceptedOn"] = Dates.Format(accepted);
        if (answer.TransferOutDeadline is { } outDeadline) output["transferOutDeadline"] = Dates.Format(outDeadline);
        if (answer.TransferInDeadline is { } inDeadline) output["transferInDeadline"] = Dates.Format(inDeadline);
        if (answer.Allowed)
        {
            // K17: whether any deadline (and which) counted a day of the provisional year.
            output["provisional"] = answer.Provisional;
            output["acceptedOnProvisional"] = answer.AcceptedOnProvisional;
            output["transferOutDeadlineProvisional"] = answer.TransferOutDeadlineProvisional;
            output["transferInDeadlineProvisional"] = answer.TransferInDeadlineProvisional;
        }
        output["sourceBalanceAfter"] = answer.SourceBalanceAfter.ToPlainString();
        output["targetCredit"] = answer.TargetCredit.ToPlainString();
        if (answer.Mode == TransferMode.ToBank) output["paidToBank"] = answer.PaidToBank.ToPlainString();
        output["reasons"] = CaseOutput.Reasons(answer.Reasons);
        return output;
    }

    /// <summary>
    /// A target region without a pack of its own (most of China's pooling regions) follows its
    /// city's, then its province's, then the national rules: the transfer-in limit is national.
    /// </summary>
    public static RegionCode NearestConfigured(PolicyBook book, RegionCode region)
    {
        foreach (var r in new[] { region, region.City, region.Province })
        {
            if (book.Has(r)) return r;
        }
        return RegionCode.National;
    }

    /// <summary>The target agency keeps its own calendar even when its rules are inherited.</summary>
    public static RegionCode CalendarOf(ResolvedPolicy policy, RegionCode target) =>
        policy.Region == target ? policy.CalendarRegion : target;
}
