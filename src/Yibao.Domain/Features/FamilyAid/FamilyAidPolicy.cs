using Yibao.Domain.Errors;
using Yibao.Domain.Policy;

namespace Yibao.Domain.Features.FamilyAid;

/// <summary>The relative's relation to the account owner (acceptance/README.md <c>relation</c>).</summary>
public enum FamilyRelation
{
    Spouse,
    Parent,
    Child,
    Sibling,
    /// <summary>祖父母、外祖父母.</summary>
    Grandparent,
    /// <summary>孙子女、外孙子女.</summary>
    Grandchild,
    /// <summary>继父母: a parent only with a raising relationship (民法典 art. 1072).</summary>
    Stepparent,
    /// <summary>继子女: a child only with a raising relationship (民法典 art. 1072).</summary>
    Stepchild,
    /// <summary>养父母: a parent (民法典 art. 1111).</summary>
    AdoptiveParent,
    /// <summary>养子女: a child (民法典 art. 1111).</summary>
    AdoptedChild,
    /// <summary>公婆 / 岳父母: 姻亲, never a near relative.</summary>
    ParentInLaw,
    SiblingInLaw,
    Cousin,
    NieceNephew,
    UncleAunt,
}

/// <summary>What the owner's account would pay for (acceptance/README.md <c>purpose</c>).</summary>
public enum FamilyAidPurpose
{
    /// <summary>The relative's personal share at a designated medical institution.</summary>
    Medical,
    /// <summary>Drugs, devices and consumables at a designated pharmacy.</summary>
    Pharmacy,
    /// <summary>The relative's individual resident-insurance premium (国办发〔2024〕38号).</summary>
    ResidentPremium,
    /// <summary>The relative's long-term-care insurance contribution (2026-01-09 notice).</summary>
    LtcPremium,
    /// <summary>体育健身: never payable (国办发〔2021〕14号).</summary>
    Fitness,
    /// <summary>养生保健: never payable (国办发〔2021〕14号).</summary>
    HealthSupplements,
}

/// <summary>Rule keys of family mutual aid (家庭共济; policy-reference A3, K12, C0).</summary>
[PolicyKeys]
public static class FamilyAidKeys
{
    /// <summary>The earliest cross-province pilot (苏州, 2024-12-02; policy-reference A3 timeline).</summary>
    public static readonly DateOnly FirstWalletPilot = new(2024, 12, 2);

    public static readonly PolicyKey<IReadOnlyList<FamilyRelation>> Relations = new(
        "family-aid.relations",
        "The near relatives an owner may bind on a day: spouse, parent, child (L3) and, from the region's date, sibling, grandparent, grandchild (L5). Step and adoptive relations follow parent / child",
        CheckRelations);

    public static readonly PolicyKey<IReadOnlyList<FamilyAidPurpose>> Purposes = new(
        "family-aid.purposes",
        "What the account may pay for a bound relative on a day: medical, pharmacy (L3), resident-premium (L5), ltc-premium (L6)",
        CheckPurposes);

    public static readonly PolicyKey<bool> IntraProvinceCrossRegion = new(
        "family-aid.intra-province-cross-region",
        "Whether the account may pay for a relative insured in another pooling region of the same province (every province by 2024-10)");

    public static readonly PolicyKey<DateOnly> WalletOpenedOn = new(
        "family-aid.wallet-opened-on",
        "The day this region opened 医保钱包 (cross-province aid); both the owner's and the relative's regions must have opened it on the spend day (L6)",
        date => date < FirstWalletPilot ? $"{date:yyyy-MM-dd} is before the first cross-province pilot ({FirstWalletPilot:yyyy-MM-dd}, 苏州)" : null);

    private static readonly FamilyRelation[] NearRelatives =
        [FamilyRelation.Spouse, FamilyRelation.Parent, FamilyRelation.Child, FamilyRelation.Sibling, FamilyRelation.Grandparent, FamilyRelation.Grandchild];

    private static string? CheckRelations(IReadOnlyList<FamilyRelation> relations)
    {
        if (relations.Distinct().Count() != relations.Count) return "a relation is listed twice";
        foreach (var r in relations)
        {
            if (r is FamilyRelation.Stepparent or FamilyRelation.Stepchild or FamilyRelation.AdoptiveParent or FamilyRelation.AdoptedChild)
                return $"'{FamilyAidNames.Code(r)}' is not listed: step and adoptive relations count as parent / child by law (民法典 arts. 1072, 1111)";
            if (!NearRelatives.Contains(r))
                return $"'{FamilyAidNames.Code(r)}' is not a near relative (民法典 art. 1045: 配偶、父母、子女、兄弟姐妹、祖父母、外祖父母、孙子女、外孙子女)";
        }
        foreach (var r in (FamilyRelation[])[FamilyRelation.Spouse, FamilyRelation.Parent, FamilyRelation.Child])
        {
            if (!relations.Contains(r)) return $"'{FamilyAidNames.Code(r)}' is missing: spouse, parents and children may be bound everywhere since 国办发〔2021〕14号";
        }
        return null;
    }

    private static string? CheckPurposes(IReadOnlyList<FamilyAidPurpose> purposes)
    {
        if (purposes.Distinct().Count() != purposes.Count) return "a purpose is listed twice";
        foreach (var p in purposes)
        {
            if (p is FamilyAidPurpose.Fitness or FamilyAidPurpose.HealthSupplements)
                return $"'{FamilyAidNames.Code(p)}' can never be paid from the account (国办发〔2021〕14号: 不得用于体育健身、养生保健消费)";
        }
        return null;
    }
}

/// <summary>The typed family-aid policy of a region on a day, each rule kept for reasons.</summary>
public sealed record FamilyAidPolicy(
    IReadOnlyList<FamilyRelation> Relations, PolicyValue RelationsRule,
    IReadOnlyList<FamilyAidPurpose> Purposes, PolicyValue PurposesRule,
    bool IntraProvinceCrossRegion, PolicyValue? IntraProvinceCrossRegionRule,
    DateOnly? WalletOpenedOn, PolicyValue? WalletOpenedOnRule)
{
    public static FamilyAidPolicy From(ResolvedPolicy policy)
    {
        var intra = policy.Has(FamilyAidKeys.IntraProvinceCrossRegion);
        var wallet = policy.Has(FamilyAidKeys.WalletOpenedOn);
        return new FamilyAidPolicy(
            policy.Get(FamilyAidKeys.Relations), policy.Explain(FamilyAidKeys.Relations),
            policy.Get(FamilyAidKeys.Purposes), policy.Explain(FamilyAidKeys.Purposes),
            intra && policy.Get(FamilyAidKeys.IntraProvinceCrossRegion), intra ? policy.Explain(FamilyAidKeys.IntraProvinceCrossRegion) : null,
            wallet ? policy.Get(FamilyAidKeys.WalletOpenedOn) : null, wallet ? policy.Explain(FamilyAidKeys.WalletOpenedOn) : null);
    }

    public bool Allows(FamilyRelation relation)
    {
        for (var i = 0; i < Relations.Count; i++)
        {
            if (Relations[i] == relation) return true;
        }
        return false;
    }

    public bool Pays(FamilyAidPurpose purpose)
    {
        for (var i = 0; i < Purposes.Count; i++)
        {
            if (Purposes[i] == purpose) return true;
        }
        return false;
    }
}

/// <summary>The kebab-case codes of the family-aid enums (acceptance/README.md, the packs).</summary>
public static class FamilyAidNames
{
    public static string Code(FamilyRelation relation) => Kebab(relation.ToString());
    public static string Code(FamilyAidPurpose purpose) => Kebab(purpose.ToString());
    public static string Code(RelationProof proof) => Kebab(proof.ToString());
    public static string Code(FamilyAidParty party) => Kebab(party.ToString());
    public static string Code(ConsentMethod method) => Kebab(method.ToString());

    /// <summary>Parses a code or throws <c>missing-field</c> / <c>invalid-field</c> naming the field and the codes allowed.</summary>
    public static T Parse<T>(string? text, string field) where T : struct, Enum =>
        string.IsNullOrWhiteSpace(text) ? throw new YibaoException(ErrorCatalog.MissingField(field))
        : TryParse<T>(text.Trim(), out var value) ? value
        : throw new YibaoException(ErrorCatalog.InvalidField(field, $"'{text}' is not one of: {string.Join(", ", Codes<T>())}"));

    /// <summary>The relation in Chinese, for statements (配偶, 父母, …).</summary>
    public static string Zh(FamilyRelation relation) => relation switch
    {
        FamilyRelation.Spouse => "配偶",
        FamilyRelation.Parent => "父母",
        FamilyRelation.Child => "子女",
        FamilyRelation.Sibling => "兄弟姐妹",
        FamilyRelation.Grandparent => "(外)祖父母",
        FamilyRelation.Grandchild => "(外)孙子女",
        FamilyRelation.Stepparent => "继父母",
        FamilyRelation.Stepchild => "继子女",
        FamilyRelation.AdoptiveParent => "养父母",
        FamilyRelation.AdoptedChild => "养子女",
        FamilyRelation.ParentInLaw => "岳父母/公婆",
        FamilyRelation.SiblingInLaw => "兄弟姐妹的配偶",
        FamilyRelation.Cousin => "堂表兄弟姐妹",
        FamilyRelation.NieceNephew => "侄甥",
        FamilyRelation.UncleAunt => "叔伯姑舅姨",
        _ => Code(relation),
    };

    /// <summary>The purpose in Chinese, for statements.</summary>
    public static string Zh(FamilyAidPurpose purpose) => purpose switch
    {
        FamilyAidPurpose.Medical => "就医",
        FamilyAidPurpose.Pharmacy => "购药",
        FamilyAidPurpose.ResidentPremium => "居民医保缴费",
        FamilyAidPurpose.LtcPremium => "长期护理保险缴费",
        FamilyAidPurpose.Fitness => "体育健身",
        FamilyAidPurpose.HealthSupplements => "养生保健",
        _ => Code(purpose),
    };

    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (Kebab(candidate.ToString()) == text) { value = candidate; return true; }
        }
        value = default;
        return false;
    }

    public static IEnumerable<string> Codes<T>() where T : struct, Enum => Enum.GetValues<T>().Select(v => Kebab(v.ToString()));

    // The binder's own spelling, so a code reads the same in a pack and in a request.
    private static string Kebab(string name) => PolicyValueBinder.Kebab(name);
}
