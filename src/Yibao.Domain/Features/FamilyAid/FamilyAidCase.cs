using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Features.FamilyAid;

/// <summary>
/// Case kind <c>family-aid</c> (acceptance/README.md). The case's region is the owner's.
/// Input <c>{ relation, raisingProof, boundOn, windowStart, windowEnd, relativeInsured,
/// relativeRegion }</c> and, for a spend, <c>{ purpose, designated, spendOn, amount, ownerBalance }</c>;
/// optionally <c>ownerLeftRegionOn</c> / <c>relativeLeftRegionOn</c> (the day a party's insurance
/// ended or moved to another pooling region: the relationship dissolves that day, WE-50).
/// A binding question → <c>{ bindingAllowed, reasonCode }</c>; a spend → <c>{ bindingAllowed,
/// allowed, accountPays, cashPays, ownerBalanceAfter, reasonCode }</c>.
/// </summary>
/// <remarks>
/// The relation is judged by the policy in force on <c>boundOn</c>, the spend by the policy in
/// force on <c>spendOn</c> (K12: "the relation is allowed on boundOn").
/// </remarks>
public static class FamilyAidCase
{
    public static JsonObject Answer(AcceptanceCase c, CaseContext context)
    {
        var input = new CaseInput(c.Input);
        var relation = Parse<FamilyRelation>(input, "relation");
        var boundOn = input.Date("boundOn");
        var relativeRegion = input.StringOrNull("relativeRegion") is { } rr ? RegionCode.Parse(rr) : c.Region;
        var binding = new FamilyAidBinding(
            relation,
            input.Bool("raisingProof", false),
            boundOn,
            input.Date("windowStart"),
            input.Date("windowEnd"),
            RelativeInsured(input),
            c.Region,
            relativeRegion,
            FamilyAidDissolution.DissolvedOn(input.DateOrNull("ownerLeftRegionOn"), input.DateOrNull("relativeLeftRegionOn")));
        var onBoundOn = FamilyAidPolicy.From(context.Book.For(c.Region, boundOn));
        var why = context.Why();

        if (!input.Has("purpose"))
        {
            foreach (var spendField in (string[])["spendOn", "amount"])
            {
                if (input.Has(spendField)) throw new YibaoException(ErrorCatalog.MissingField("purpose").With("because", spendField));
            }
            var bindingAnswer = FamilyAidDecision.DecideBinding(binding, onBoundOn, why);
            var result = new JsonObject { ["bindingAllowed"] = bindingAnswer.Allowed };
            if (bindingAnswer.ReasonCode is { } bindingCode) result["reasonCode"] = bindingCode.Value;
            result["reasons"] = CaseOutput.Reasons(bindingAnswer.Reasons);
            return result;
        }

        var purpose = Parse<FamilyAidPurpose>(input, "purpose");
        var spendOn = input.Date("spendOn");
        var ownerBalance = input.Money("ownerBalance");
        if (ownerBalance.IsNegative) throw new YibaoException(ErrorCatalog.InvalidField("ownerBalance", "a balance is never below zero"));
        var spend = new FamilyAidSpend(
            purpose,
            purpose is FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy ? input.Bool("designated") : input.Bool("designated", false),
            spendOn,
            Money.Money.ParsePositive(input.String("amount")),
            ownerBalance);
        var ownerOnSpendOn = FamilyAidPolicy.From(context.Book.For(c.Region, spendOn));
        var relativeOnSpendOn = Configured(context.Book, relativeRegion) is { } r ? FamilyAidPolicy.From(context.Book.For(r, spendOn)) : null;

        var answer = FamilyAidDecision.DecideSpend(binding, spend, onBoundOn, ownerOnSpendOn, relativeOnSpendOn, why);
        var output = new JsonObject
        {
            ["bindingAllowed"] = answer.BindingAllowed,
            ["allowed"] = answer.Allowed,
            ["accountPays"] = answer.AccountPays.ToPlainString(),
            ["cashPays"] = answer.CashPays.ToPlainString(),
            ["ownerBalanceAfter"] = answer.OwnerBalanceAfter.ToPlainString(),
        };
        if (answer.ReasonCode is { } code) output["reasonCode"] = code.Value;
        output["reasons"] = CaseOutput.Reasons(answer.Reasons);
        return output;
    }

    /// <summary>Whether the relative is insured matters for medical costs: required then, false when absent otherwise.</summary>
    private static bool RelativeInsured(CaseInput input) =>
        input.StringOrNull("purpose") is "medical" or "pharmacy" ? input.Bool("relativeInsured") : input.Bool("relativeInsured", false);

    /// <summary>The relative's region's own pack, or its city's or province's; null when Yibao knows none of them.</summary>
    private static RegionCode? Configured(PolicyBook book, RegionCode region)
    {
        foreach (var r in (RegionCode[])[region, region.City, region.Province])
        {
            if (book.Has(r)) return r;
        }
        return null;
    }

    private static T Parse<T>(CaseInput input, string field) where T : struct, Enum
    {
        var text = input.String(field);
        return FamilyAidNames.TryParse<T>(text, out var value)
            ? value
            : throw new YibaoException(ErrorCatalog.InvalidField(field, $"unknown {field} '{text}' (expected one of: {string.Join(", ", FamilyAidNames.Codes<T>())})"));
    }
}
