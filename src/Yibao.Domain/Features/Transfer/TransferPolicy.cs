using Yibao.Domain.Policy;

namespace Yibao.Domain.Features.Transfer;

/// <summary>What happens to the personal-account balance on a transfer (acceptance/README.md <c>mode</c>).</summary>
public enum TransferMode
{
    /// <summary>The whole balance follows the person to the target region (医保办发〔2021〕43号).</summary>
    MoveBalance,
    /// <summary>Nothing moves: the same account stays usable (广东: "不划转、不提现，跨市使用、全省通用").</summary>
    Stays,
    /// <summary>
    /// The balance is paid to the person's bank account. Defined for completeness: the reference
    /// names no region that does this on a transfer (only some regions' payouts to 异地安置
    /// retirees, seed 001, which are not transfers), so no pack uses it yet.
    /// </summary>
    ToBank,
}

/// <summary>Rule keys of transfers between pooling regions (转移接续; 医保办发〔2021〕43号, K6, K7, C0).</summary>
[PolicyKeys]
public static class TransferKeys
{
    /// <summary>L4: "转出地经办机构10个工作日内完成…转出"; a region may shorten it ("鼓励…进一步压缩办理时限"), never lengthen it.</summary>
    public static readonly PolicyKey<int> OutWorkingDays = new(
        "transfer.out-working-days",
        "Working days the source agency has to complete the transfer-out, counted after acceptance on the source region's calendar (L4: at most 10)",
        days => days is < 1 or > 10 ? $"{days} is outside 1–10: 医保办发〔2021〕43号 sets at most 10 working days for the transfer-out" : null)
    { RequiresCalendar = true };

    /// <summary>L4: "转入地经办机构收到《信息表》后…5个工作日内…完成…转入".</summary>
    public static readonly PolicyKey<int> InWorkingDays = new(
        "transfer.in-working-days",
        "Working days the target agency has to complete the transfer-in after receiving the record, on the target region's calendar (L4: at most 5)",
        days => days is < 1 or > 5 ? $"{days} is outside 1–5: 医保办发〔2021〕43号 sets at most 5 working days for the transfer-in" : null)
    { RequiresCalendar = true };

    /// <summary>L4 art. 2: the 办法 covers employee-insurance participants "不含退休人员".</summary>
    public static readonly PolicyKey<bool> ExcludesRetirees = new(
        "transfer.excludes-retirees",
        "Whether retirees are outside the scope of a transfer (L4 art. 2: 不含退休人员)");

    /// <summary>What happens to the balance when source and target are in the same province (广东: stays).</summary>
    public static readonly PolicyKey<TransferMode> WithinProvinceMode = new(
        "transfer.within-province-mode",
        "What happens to the balance on a move between two pooling regions of this province: move-balance, stays (广东) or to-bank");
}

/// <summary>The typed transfer policy of a region on a day, each rule kept for reasons.</summary>
public sealed record TransferPolicy(
    int OutWorkingDays, PolicyValue OutWorkingDaysRule,
    int InWorkingDays, PolicyValue InWorkingDaysRule,
    bool ExcludesRetirees, PolicyValue ExcludesRetireesRule,
    TransferMode WithinProvinceMode, PolicyValue WithinProvinceModeRule)
{
    public static TransferPolicy From(ResolvedPolicy policy) => new(
        policy.Get(TransferKeys.OutWorkingDays), policy.Explain(TransferKeys.OutWorkingDays),
        policy.Get(TransferKeys.InWorkingDays), policy.Explain(TransferKeys.InWorkingDays),
        policy.Get(TransferKeys.ExcludesRetirees), policy.Explain(TransferKeys.ExcludesRetirees),
        policy.Get(TransferKeys.WithinProvinceMode), policy.Explain(TransferKeys.WithinProvinceMode));
}
