using Yibao.Domain.Errors;
using Yibao.Domain.Decisions;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.FamilyAid;

/// <summary>
/// A binding (共济关系) of the owner's account to a relative: made on <see cref="BoundOn"/>,
/// authorising spends from <see cref="WindowStart"/> to <see cref="WindowEnd"/> (both inclusive).
/// <see cref="DissolvedOn"/> is the day it ended automatically, if it did (see <see cref="FamilyAidDissolution"/>);
/// <see cref="RevokedOn"/> the day a party revoked it (解除), if one did. <see cref="OwnerBirthDate"/> and
/// <see cref="RelativeBirthDate"/> come from the two ID numbers when they are known; the relation must agree with them.
/// </summary>
public sealed record FamilyAidBinding(
    FamilyRelation Relation,
    bool RaisingProof,
    DateOnly BoundOn,
    DateOnly WindowStart,
    DateOnly WindowEnd,
    bool RelativeInsured,
    RegionCode OwnerRegion,
    RegionCode RelativeRegion,
    DateOnly? DissolvedOn = null,
    DateOnly? RevokedOn = null,
    DateOnly? OwnerBirthDate = null,
    DateOnly? RelativeBirthDate = null);

/// <summary>One spend for the relative from the owner's account.</summary>
public sealed record FamilyAidSpend(FamilyAidPurpose Purpose, bool Designated, DateOnly SpendOn, DMoney Amount, DMoney OwnerBalance);

/// <summary>Whether a binding may be made, with the refusal code when not.</summary>
public sealed record FamilyAidBindingAnswer(bool Allowed, ResultCode? ReasonCode, IReadOnlyList<Reason> Reasons);

/// <summary>
/// Whether the account pays a spend: allowed → <c>accountPays = min(amount, ownerBalance)</c> and
/// the rest is cash; refused → all cash (K12).
/// </summary>
public sealed record FamilyAidSpendAnswer(
    bool BindingAllowed,
    bool Allowed,
    DMoney AccountPays,
    DMoney CashPays,
    DMoney OwnerBalanceAfter,
    ResultCode? ReasonCode,
    IReadOnlyList<Reason> Reasons);

/// <summary>May the owner bind a relative, and may the account pay for them (家庭共济; policy-reference A3, K12, WE-41…WE-50).</summary>
public static class FamilyAidDecision
{
    private const string A3 = "policy-reference A3, K12";

    /// <param name="binding">The binding asked for.</param>
    /// <param name="onBoundOn">The owner's region's policy on the binding day: the relation must be allowed then.</param>
    /// <param name="why">Collects the reasons (<see cref="Explanation.None"/> in the hot path).</param>
    public static FamilyAidBindingAnswer DecideBinding(FamilyAidBinding binding, FamilyAidPolicy onBoundOn, Explanation why)
    {
        var code = BindingRefusal(binding, onBoundOn, why);
        return new FamilyAidBindingAnswer(code is null, code, why.Reasons);
    }

    /// <param name="binding">The binding the spend rests on.</param>
    /// <param name="spend">The spend.</param>
    /// <param name="onBoundOn">The owner's region's policy on the binding day.</param>
    /// <param name="ownerOnSpendOn">The owner's region's policy on the spend day (purposes, 医保钱包, intra-province aid).</param>
    /// <param name="relativeOnSpendOn">
    /// The relative's region's policy on the spend day, null when Yibao has no pack for it; used
    /// only for a relative in another province, whose region decides its own 医保钱包 date.
    /// </param>
    /// <param name="why">Collects the reasons (<see cref="Explanation.None"/> in the hot path).</param>
    public static FamilyAidSpendAnswer DecideSpend(FamilyAidBinding binding, FamilyAidSpend spend,
        FamilyAidPolicy onBoundOn, FamilyAidPolicy ownerOnSpendOn, FamilyAidPolicy? relativeOnSpendOn, Explanation why)
    {
        var bindingRefusal = BindingRefusal(binding, onBoundOn, why);
        var code = bindingRefusal ?? SpendRefusal(binding, spend, ownerOnSpendOn, relativeOnSpendOn, why);
        if (code is not null)
            return new FamilyAidSpendAnswer(bindingRefusal is null, false, DMoney.Zero, spend.Amount, spend.OwnerBalance, code, why.Reasons);

        var pays = DMoney.Min(spend.Amount, spend.OwnerBalance);
        var cash = spend.Amount - pays;
        var after = spend.OwnerBalance - pays;
        if (why.Enabled)
            why.Because("K12", Provenance.Convention, A3,
                $"账户支付 {pays.ToPlainString()} 元(费用 {spend.Amount.ToPlainString()} 元与余额 {spend.OwnerBalance.ToPlainString()} 元的较小者),现金 {cash.ToPlainString()} 元,余额 {after.ToPlainString()} 元",
                $"The account pays {pays.ToPlainString()} (the lesser of the amount {spend.Amount.ToPlainString()} and the balance {spend.OwnerBalance.ToPlainString()}); cash {cash.ToPlainString()}; balance after {after.ToPlainString()}",
                ("amount", spend.Amount), ("ownerBalance", spend.OwnerBalance), ("accountPays", pays), ("cashPays", cash), ("ownerBalanceAfter", after));
        return new FamilyAidSpendAnswer(true, true, pays, cash, after, null, why.Reasons);
    }

    private static ResultCode? BindingRefusal(FamilyAidBinding b, FamilyAidPolicy policy, Explanation why)
    {
        var relation = b.Relation;
        FamilyRelation asListed;
        switch (relation)
        {
            case FamilyRelation.ParentInLaw or FamilyRelation.SiblingInLaw or FamilyRelation.Cousin or FamilyRelation.NieceNephew or FamilyRelation.UncleAunt:
                if (why.Enabled)
                    why.Because("A3", Provenance.Official, "民法典 art. 1045; 国办发〔2024〕38号 (policy-reference A3 rule 2, WE-42)",
                        $"{FamilyAidNames.Zh(relation)}不是近亲属(姻亲或旁系亲属),不能建立共济关系",
                        $"{FamilyAidNames.Code(relation)} is not a near relative (an in-law or a collateral relative): no binding",
                        ("relation", FamilyAidNames.Code(relation)));
                return Codes.RelationNotNearRelative;
            case FamilyRelation.Stepparent or FamilyRelation.Stepchild:
                if (!b.RaisingProof)
                {
                    if (why.Enabled)
                        why.Because("A3", Provenance.Convention, "民法典 art. 1072 + [CONV] proof required (policy-reference A3 rule 2, WE-42c)",
                            "继父母子女须有抚养教育关系证明方视为父母子女", "A step-relation counts as parent / child only with proof of a raising relationship",
                            ("relation", FamilyAidNames.Code(relation)), ("raisingProof", "false"));
                    return Codes.RaisingProofMissing;
                }
                asListed = relation == FamilyRelation.Stepparent ? FamilyRelation.Parent : FamilyRelation.Child;
                if (why.Enabled)
                    why.Because("A3", Provenance.Official, "民法典 art. 1072 (policy-reference A3 rule 2, WE-42c)",
                        "有抚养教育关系的继父母子女视为父母子女", "A step-relation with a raising relationship counts as parent / child",
                        ("relation", FamilyAidNames.Code(relation)), ("raisingProof", "true"), ("countsAs", FamilyAidNames.Code(asListed)));
                break;
            case FamilyRelation.AdoptiveParent or FamilyRelation.AdoptedChild:
                asListed = relation == FamilyRelation.AdoptiveParent ? FamilyRelation.Parent : FamilyRelation.Child;
                if (why.Enabled)
                    why.Because("A3", Provenance.Official, "民法典 art. 1111 (policy-reference A3 rule 2)",
                        "养父母子女视为父母子女", "An adoptive relation counts as parent / child",
                        ("relation", FamilyAidNames.Code(relation)), ("countsAs", FamilyAidNames.Code(asListed)));
                break;
            default:
                asListed = relation;
                break;
        }

        if (BirthOrderRefusal(b, asListed, why) is { } contradiction) return contradiction;

        if (!policy.Allows(asListed))
        {
            if (why.Enabled)
                why.Because(policy.RelationsRule,
                    $"绑定日 {Dates.Format(b.BoundOn)} 本地区共济范围为{ShowZh(policy.Relations, FamilyAidNames.Zh)},不含{FamilyAidNames.Zh(asListed)}",
                    $"On the binding day {Dates.Format(b.BoundOn)} the region allows {Show(policy.Relations)}, not {FamilyAidNames.Code(asListed)}",
                    ("boundOn", b.BoundOn), ("relation", FamilyAidNames.Code(asListed)), ("allowed", Show(policy.Relations)));
            return Codes.RelationNotYetAllowed;
        }
        if (why.Enabled)
            why.Because(policy.RelationsRule,
                $"绑定日 {Dates.Format(b.BoundOn)} 本地区允许与{FamilyAidNames.Zh(asListed)}共济",
                $"On the binding day {Dates.Format(b.BoundOn)} the region allows binding a {FamilyAidNames.Code(asListed)}",
                ("boundOn", b.BoundOn), ("relation", FamilyAidNames.Code(asListed)));

        if (b.WindowStart < b.BoundOn)
        {
            if (why.Enabled)
                why.Because("K12", Provenance.Seed, "seed 002 (江苏医保云: 开始时间不得早于当前时间); policy-reference A3 rule 4, WE-41c",
                    $"授权开始日 {Dates.Format(b.WindowStart)} 早于绑定日 {Dates.Format(b.BoundOn)}(不得倒签)",
                    $"The window starts {Dates.Format(b.WindowStart)}, before the binding day {Dates.Format(b.BoundOn)} (no backdating)",
                    ("windowStart", b.WindowStart), ("boundOn", b.BoundOn));
            return Codes.WindowStartBeforeBinding;
        }
        if (b.WindowEnd <= b.WindowStart)
        {
            if (why.Enabled)
                why.Because("K12", Provenance.Seed, "seed 002 (江苏医保云: 终止时间不得与开始时间重复); policy-reference A3 rule 4",
                    $"授权终止日 {Dates.Format(b.WindowEnd)} 不晚于开始日 {Dates.Format(b.WindowStart)}",
                    $"The window ends {Dates.Format(b.WindowEnd)}, not after it starts {Dates.Format(b.WindowStart)}",
                    ("windowStart", b.WindowStart), ("windowEnd", b.WindowEnd));
            return Codes.WindowEndNotAfterStart;
        }
        if (why.Enabled)
            why.Because("K12", Provenance.Convention, A3,
                $"授权期 {Dates.Format(b.WindowStart)} 至 {Dates.Format(b.WindowEnd)} 有效(不早于绑定日,终止晚于开始)",
                $"The window {Dates.Format(b.WindowStart)} … {Dates.Format(b.WindowEnd)} is valid (not before the binding day, ends after it starts)",
                ("boundOn", b.BoundOn), ("windowStart", b.WindowStart), ("windowEnd", b.WindowEnd));
        return null;
    }

    /// <summary>
    /// A parent or grandparent (step- and adoptive ones counted as parents) is born before the owner;
    /// a child or grandchild after. Spouses and siblings may be of any age. Conservative on purpose:
    /// only an order of births that cannot be is refused, never an unusual gap.
    /// </summary>
    private static ResultCode? BirthOrderRefusal(FamilyAidBinding b, FamilyRelation asListed, Explanation why)
    {
        if (b.OwnerBirthDate is not { } owner || b.RelativeBirthDate is not { } relative) return null;
        bool? relativeOlder = asListed switch
        {
            FamilyRelation.Parent or FamilyRelation.Grandparent => true,
            FamilyRelation.Child or FamilyRelation.Grandchild => false,
            _ => null,
        };
        if (relativeOlder is not { } older) return null;
        var consistent = older ? relative < owner : relative > owner;
        const string Source = "GB 11643-1999 出生日期 in the ID numbers; [CONV] a parent or grandparent is born before the child or grandchild";
        var relation = FamilyAidNames.Code(b.Relation);
        if (!consistent)
        {
            if (why.Enabled)
                why.Because("A3", Provenance.Convention, Source,
                    older
                        ? $"被共济人({FamilyAidNames.Zh(b.Relation)})出生于 {Dates.Format(relative)},不早于共济人的出生日期 {Dates.Format(owner)}:长辈须早于晚辈出生"
                        : $"被共济人({FamilyAidNames.Zh(b.Relation)})出生于 {Dates.Format(relative)},不晚于共济人的出生日期 {Dates.Format(owner)}:晚辈须晚于长辈出生",
                    older
                        ? $"The relative ({relation}) was born on {Dates.Format(relative)}, not before the owner ({Dates.Format(owner)}): an elder is born first"
                        : $"The relative ({relation}) was born on {Dates.Format(relative)}, not after the owner ({Dates.Format(owner)}): a descendant is born later",
                    ("relation", relation), ("ownerBirthDate", owner), ("relativeBirthDate", relative));
            return Codes.RelationContradictsBirthDates;
        }
        if (why.Enabled)
            why.Because("A3", Provenance.Convention, Source,
                $"出生日期与亲属关系相符(共济人 {Dates.Format(owner)},被共济人 {Dates.Format(relative)})",
                $"The birth dates agree with the relation (owner {Dates.Format(owner)}, relative {Dates.Format(relative)})",
                ("relation", relation), ("ownerBirthDate", owner), ("relativeBirthDate", relative));
        return null;
    }

    private static ResultCode? SpendRefusal(FamilyAidBinding b, FamilyAidSpend s, FamilyAidPolicy owner, FamilyAidPolicy? relative, Explanation why)
    {
        if (b.DissolvedOn is { } dissolved && s.SpendOn >= dissolved)
        {
            if (why.Enabled)
                why.Because("A3", Provenance.Official, "2026-01-09 cross-province notice (L6; policy-reference A3 rule 6, WE-50)",
                    $"共济关系已于 {Dates.Format(dissolved)} 自动解除,{Dates.Format(s.SpendOn)} 的费用不能再由共济账户支付",
                    $"The relationship was dissolved on {Dates.Format(dissolved)}; the spend on {Dates.Format(s.SpendOn)} is not covered",
                    ("dissolvedOn", dissolved), ("spendOn", s.SpendOn));
            return Codes.RelationshipDissolved;
        }

        if (b.RevokedOn is { } revoked && s.SpendOn >= revoked)
        {
            if (why.Enabled)
                why.Because("K12", Provenance.Convention, "policy-reference A3 rule 4 [CONV]: a revocation ends the authorisation window on its day",
                    $"共济关系已于 {Dates.Format(revoked)} 解除,{Dates.Format(s.SpendOn)} 的费用不能再由共济账户支付",
                    $"The binding was revoked on {Dates.Format(revoked)}; the spend on {Dates.Format(s.SpendOn)} is not covered",
                    ("revokedOn", revoked), ("spendOn", s.SpendOn));
            return Codes.BindingRevoked;
        }

        if (s.SpendOn < b.WindowStart || s.SpendOn > b.WindowEnd)
        {
            if (why.Enabled)
                why.Because("K12", Provenance.Convention, "policy-reference K12, A3 rule 4 [CONV] (WE-41b)",
                    $"费用发生日 {Dates.Format(s.SpendOn)} 不在授权期 {Dates.Format(b.WindowStart)} 至 {Dates.Format(b.WindowEnd)} 内",
                    $"The spend day {Dates.Format(s.SpendOn)} is outside the window {Dates.Format(b.WindowStart)} … {Dates.Format(b.WindowEnd)}",
                    ("spendOn", s.SpendOn), ("windowStart", b.WindowStart), ("windowEnd", b.WindowEnd));
            return Codes.OutsideWindow;
        }
        if (why.Enabled)
            why.Because("K12", Provenance.Convention, "policy-reference K12, A3 rule 4 [CONV]",
                $"费用发生日 {Dates.Format(s.SpendOn)} 在授权期内(起止日均含)", $"The spend day {Dates.Format(s.SpendOn)} is inside the window (both ends inclusive)",
                ("spendOn", s.SpendOn), ("windowStart", b.WindowStart), ("windowEnd", b.WindowEnd));

        var purpose = s.Purpose;
        if (purpose is FamilyAidPurpose.Fitness or FamilyAidPurpose.HealthSupplements)
        {
            if (why.Enabled)
                why.Because("A2", Provenance.Official, "国办发〔2021〕14号 (policy-reference A2, WE-46)",
                    "个人账户不得用于体育健身、养生保健消费", "The account never pays for fitness or health supplements",
                    ("purpose", FamilyAidNames.Code(purpose)));
            return Codes.PurposeExcluded;
        }
        if (!owner.Pays(purpose))
        {
            if (why.Enabled)
                why.Because(owner.PurposesRule,
                    $"{Dates.Format(s.SpendOn)} 本地区共济可支付{ShowZh(owner.Purposes, FamilyAidNames.Zh)},不含{FamilyAidNames.Zh(purpose)}",
                    $"On {Dates.Format(s.SpendOn)} the region's aid pays for {Show(owner.Purposes)}, not {FamilyAidNames.Code(purpose)}",
                    ("spendOn", s.SpendOn), ("purpose", FamilyAidNames.Code(purpose)), ("payable", Show(owner.Purposes)));
            return Codes.PurposeNotPayable;
        }
        if (why.Enabled)
            why.Because(owner.PurposesRule,
                $"{Dates.Format(s.SpendOn)} 本地区共济可支付{FamilyAidNames.Zh(purpose)}", $"On {Dates.Format(s.SpendOn)} the region's aid pays for {FamilyAidNames.Code(purpose)}",
                ("spendOn", s.SpendOn), ("purpose", FamilyAidNames.Code(purpose)));

        if (purpose is FamilyAidPurpose.Medical or FamilyAidPurpose.Pharmacy)
        {
            if (!s.Designated)
            {
                if (why.Enabled)
                    why.Because("A2", Provenance.Official, "国办发〔2021〕14号 (policy-reference A2, WE-47)",
                        "就医购药只能在定点医药机构使用个人账户", "Medical and pharmacy costs are payable only at a designated institution",
                        ("purpose", FamilyAidNames.Code(purpose)), ("designated", "false"));
                return Codes.NotDesignated;
            }
            if (!b.RelativeInsured)
            {
                if (why.Enabled)
                    why.Because("A2", Provenance.Official, "国办发〔2024〕38号: 已参保的近亲属 (policy-reference A2, WE-45)",
                        "就医购药费用只能为已参保的近亲属支付;居民医保个人缴费可为未参保的近亲属支付",
                        "Medical costs are payable only for an insured relative; a resident premium may be paid for an uninsured one",
                        ("purpose", FamilyAidNames.Code(purpose)), ("relativeInsured", "false"));
                return Codes.RelativeNotInsured;
            }
            if (why.Enabled)
                why.Because("A2", Provenance.Official, "国办发〔2021〕14号, 〔2024〕38号 (policy-reference A2)",
                    "定点医药机构,近亲属已参保", "A designated institution, and the relative is insured",
                    ("designated", "true"), ("relativeInsured", "true"));
        }

        return RegionRefusal(b, s, owner, relative, why);
    }

    /// <summary>Across pooling regions: within the province by the province's date; across provinces only where both regions opened 医保钱包 (L6).</summary>
    private static ResultCode? RegionRefusal(FamilyAidBinding b, FamilyAidSpend s, FamilyAidPolicy owner, FamilyAidPolicy? relative, Explanation why)
    {
        if (b.RelativeRegion == b.OwnerRegion) return null;
        if (b.RelativeRegion.SameProvinceAs(b.OwnerRegion))
        {
            if (owner.IntraProvinceCrossRegion)
            {
                if (why.Enabled)
                    why.Because(owner.IntraProvinceCrossRegionRule!, "近亲属在省内其他统筹地区参保,省内跨统筹地区共济已开通",
                        "The relative is insured in another pooling region of the province, where aid across pooling regions is open",
                        ("ownerRegion", b.OwnerRegion.Value), ("relativeRegion", b.RelativeRegion.Value));
                return null;
            }
            if (why.Enabled)
            {
                if (owner.IntraProvinceCrossRegionRule is { } rule)
                    why.Because(rule, $"{Dates.Format(s.SpendOn)} 本省尚未开通省内跨统筹地区共济", $"On {Dates.Format(s.SpendOn)} the province had not opened aid across its pooling regions",
                        ("ownerRegion", b.OwnerRegion.Value), ("relativeRegion", b.RelativeRegion.Value), ("spendOn", s.SpendOn));
                else
                    why.Because("A3", Provenance.Official, "policy-reference A3 timeline, C0 FamilyAidIntraProvinceCrossRegion",
                        $"{Dates.Format(s.SpendOn)} 本省没有省内跨统筹地区共济的规则", $"On {Dates.Format(s.SpendOn)} the province has no rule opening aid across its pooling regions",
                        ("ownerRegion", b.OwnerRegion.Value), ("relativeRegion", b.RelativeRegion.Value), ("spendOn", s.SpendOn));
            }
            return Codes.CrossRegionNotOpen;
        }

        var ownerOpen = Opened(owner, s.SpendOn, b.OwnerRegion, "共济人", "owner's", why);
        var relativeOpen = Opened(relative, s.SpendOn, b.RelativeRegion, "被共济人", "relative's", why);
        return ownerOpen && relativeOpen ? null : Codes.CrossProvinceNotOpen;
    }

    private static bool Opened(FamilyAidPolicy? policy, DateOnly spendOn, RegionCode region, string whoZh, string whoEn, Explanation why)
    {
        if (policy?.WalletOpenedOn is { } opened && policy.WalletOpenedOnRule is { } rule)
        {
            var open = opened <= spendOn;
            if (why.Enabled)
                why.Because(rule,
                    open ? $"{whoZh}所在统筹地区 {region} 于 {Dates.Format(opened)} 开通医保钱包,费用发生日 {Dates.Format(spendOn)} 已开通"
                         : $"{whoZh}所在统筹地区 {region} 于 {Dates.Format(opened)} 才开通医保钱包,费用发生日 {Dates.Format(spendOn)} 尚未开通",
                    open ? $"The {whoEn} region {region} opened 医保钱包 on {Dates.Format(opened)}, by the spend day {Dates.Format(spendOn)}"
                         : $"The {whoEn} region {region} opened 医保钱包 only on {Dates.Format(opened)}, after the spend day {Dates.Format(spendOn)}",
                    ("region", region.Value), ("walletOpenedOn", opened), ("spendOn", spendOn));
            return open;
        }
        if (why.Enabled)
            why.Because("A3", Provenance.Official, "2026-01-09 cross-province notice (L6; policy-reference A3 rule 8, WE-48)",
                $"{whoZh}所在统筹地区 {region} 没有开通医保钱包的记录,不能跨省共济",
                $"The {whoEn} region {region} has no record of opening 医保钱包: no cross-province aid",
                ("region", region.Value), ("spendOn", spendOn));
        return false;
    }

    private static string ShowZh<T>(IReadOnlyList<T> values, Func<T, string> zh) where T : struct, Enum =>
        string.Join("、", values.Select(zh));

    private static string Show<T>(IReadOnlyList<T> values) where T : struct, Enum =>
        string.Join(", ", values.Select(v => PolicyValueBinder.Kebab(v.ToString())));
}
