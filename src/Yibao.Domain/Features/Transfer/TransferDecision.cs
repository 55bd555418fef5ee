using Yibao.Domain.Calendars;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Features.Transfer;

/// <summary>
/// A request to transfer the insurance relationship from <see cref="Source"/> to
/// <see cref="Target"/>. <see cref="ReceivedOn"/> is the day the target receives the
/// transfer-out record (《参保人员基本医疗保险信息表》); null when not yet known.
/// </summary>
public sealed record TransferRequest(
    RegionCode Source,
    RegionCode Target,
    bool Retired,
    DateOnly AppliedOn,
    DateOnly? ReceivedOn,
    DMoney Balance);

/// <summary>
/// The answer. For a refusal only <see cref="Allowed"/>, <see cref="ReasonCode"/> and the
/// unchanged balance are set. <see cref="PaidToBank"/> is non-zero only in the
/// <see cref="TransferMode.ToBank"/> mode. Each day the calendars gave says whether it is
/// provisional (暂定, K17): <see cref="Acceptance"/>, <see cref="TransferOut"/>, <see cref="TransferIn"/>.
/// </summary>
public sealed record TransferAnswer(
    bool Allowed,
    ResultCode? ReasonCode,
    TransferMode? Mode,
    DateOnly? AcceptedOn,
    DateOnly? TransferOutDeadline,
    DateOnly? TransferInDeadline,
    DMoney SourceBalanceAfter,
    DMoney TargetCredit,
    DMoney PaidToBank,
    IReadOnlyList<Reason> Reasons)
{
    /// <summary>受理日 as the source calendar gave it (null for a refusal).</summary>
    public WorkingDayAnswer? Acceptance { get; init; }

    /// <summary>转出期限 as the source calendar gave it (null for a refusal).</summary>
    public WorkingDayAnswer? TransferOut { get; init; }

    /// <summary>转入期限 as the target calendar gave it (null for a refusal).</summary>
    public WorkingDayAnswer? TransferIn { get; init; }

    /// <summary>The acceptance day read a day of the provisional year.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AcceptedOnProvisional => Acceptance?.Provisional ?? false;

    /// <summary>The transfer-out deadline counted a day of the provisional year.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool TransferOutDeadlineProvisional => TransferOut?.Provisional ?? false;

    /// <summary>The transfer-in deadline counted a day of the provisional year.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool TransferInDeadlineProvisional => TransferIn?.Provisional ?? false;

    /// <summary>Any of the days is provisional (acceptance/README.md <c>provisional</c>): computed again once the notice is loaded.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Provisional => AcceptedOnProvisional || TransferOutDeadlineProvisional || TransferInDeadlineProvisional;
}

/// <summary>Transfer between pooling regions: scope, what happens to the balance, and the deadlines (转移接续; K6, K7, WE-31…WE-40).</summary>
public static class TransferDecision
{
    private const string K6 = "policy-reference K6 and part (e)";
    private const string K7 = "policy-reference K7 (医保办发〔2021〕43号)";

    /// <param name="request">The transfer asked for.</param>
    /// <param name="source">The source region's policy on the day asked.</param>
    /// <param name="target">The target region's policy on the day asked (only its transfer-in time limit is used).</param>
    /// <param name="sourceCalendar">The source agency's working days (national calendar plus its overlays).</param>
    /// <param name="targetCalendar">The target agency's working days.</param>
    /// <param name="why">Collects the reasons (<see cref="Explanation.None"/> when not shown).</param>
    public static TransferAnswer Decide(TransferRequest request, TransferPolicy source, TransferPolicy target,
        WorkingDayCalendar sourceCalendar, WorkingDayCalendar targetCalendar, Explanation why)
    {
        if (request.Retired && source.ExcludesRetirees)
        {
            if (why.Enabled)
                why.Because(source.ExcludesRetireesRule,
                    "退休人员不在转移接续范围内(不含退休人员),医保关系不转移;可办理异地安置(长期异地就医备案)",
                    "Retirees are outside the scope of a transfer: the relationship does not move; file for long-term remote care instead",
                    ("retired", "true"), ("excludesRetirees", "true"));
            return new TransferAnswer(false, Codes.RetireeNotTransferable, null, null, null, null, request.Balance, DMoney.Zero, DMoney.Zero, why.Reasons);
        }
        if (why.Enabled && source.ExcludesRetirees)
            why.Because(source.ExcludesRetireesRule, "在职或灵活就业人员,属于转移接续范围", "An employed or flexible worker is within the scope of a transfer",
                ("retired", "false"));

        var sameProvince = request.Source.SameProvinceAs(request.Target);
        var mode = sameProvince ? source.WithinProvinceMode : TransferMode.MoveBalance;
        if (why.Enabled)
        {
            if (sameProvince)
                why.Because(source.WithinProvinceModeRule,
                    $"转出地 {request.Source} 与转入地 {request.Target} 同省,省内转移方式为{TransferNames.Zh(mode)}",
                    $"Source {request.Source} and target {request.Target} are in the same province: the within-province mode is {TransferNames.Code(mode)}",
                    ("source", request.Source.Value), ("target", request.Target.Value), ("mode", TransferNames.Code(mode)));
            else
                why.Because("K7", Provenance.Official, K7,
                    $"跨省转移:个人账户余额随医保关系全部划转,不收费、不部分划转",
                    "A transfer to another province: the whole balance follows the relationship, with no fee and no partial transfer",
                    ("source", request.Source.Value), ("target", request.Target.Value), ("mode", "move-balance"));
        }

        var acceptance = sourceCalendar.NextWorkingDayOnOrAfterDetailed(request.AppliedOn);
        var accepted = acceptance.Date;
        if (why.Enabled)
        {
            if (accepted == request.AppliedOn)
                why.Because("K6", Provenance.Convention, K6, $"{Dates.Format(accepted)} 是转出地工作日,当日受理", $"{Dates.Format(accepted)} is a working day of the source region: accepted that day",
                    ("appliedOn", request.AppliedOn), ("acceptedOn", accepted));
            else
                why.Because("K6", Provenance.Convention, K6,
                    $"{Dates.Format(request.AppliedOn)} 不是转出地工作日({sourceCalendar.HolidayName(request.AppliedOn) ?? "周末"}),顺延至下一个工作日 {Dates.Format(accepted)} 受理",
                    $"{Dates.Format(request.AppliedOn)} is not a working day of the source region ({(sourceCalendar.HolidayName(request.AppliedOn) is { } holiday ? StatutoryHolidays.English(holiday) : "weekend")}): accepted on the next working day, {Dates.Format(accepted)}",
                    ("appliedOn", request.AppliedOn), ("acceptedOn", accepted));
        }

        var transferOut = sourceCalendar.AddWorkingDaysDetailed(accepted, source.OutWorkingDays);
        var outDeadline = transferOut.Date;
        if (why.Enabled)
            why.Because(source.OutWorkingDaysRule,
                $"转出地 {source.OutWorkingDays} 个工作日内完成转出:自 {Dates.Format(accepted)} 次日起按转出地日历计算,期限 {Dates.Format(outDeadline)}",
                $"The source completes the transfer-out within {source.OutWorkingDays} working days, counted from the day after {Dates.Format(accepted)} on the source calendar: by {Dates.Format(outDeadline)}",
                ("acceptedOn", accepted), ("workingDays", source.OutWorkingDays), ("calendar", sourceCalendar.Region.Value), ("transferOutDeadline", outDeadline));

        if (request.ReceivedOn is { } received && received < accepted)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(accepted), Dates.Format(received)).With("field", "receivedOn"));
        var inFrom = request.ReceivedOn ?? outDeadline;
        var transferIn = targetCalendar.AddWorkingDaysDetailed(inFrom, target.InWorkingDays);
        var inDeadline = transferIn.Date;
        if (why.Enabled)
            why.Because(target.InWorkingDaysRule,
                $"转入地收到信息表({(request.ReceivedOn is null ? "按转出期限 " : "")}{Dates.Format(inFrom)})后 {target.InWorkingDays} 个工作日内完成转入,按转入地日历计算,期限 {Dates.Format(inDeadline)}",
                $"The target completes the transfer-in within {target.InWorkingDays} working days of receiving the record ({(request.ReceivedOn is null ? "taken as the transfer-out deadline " : "")}{Dates.Format(inFrom)}), on the target calendar: by {Dates.Format(inDeadline)}",
                ("receivedOn", inFrom), ("workingDays", target.InWorkingDays), ("calendar", targetCalendar.Region.Value), ("transferInDeadline", inDeadline));

        // A day counted on the provisional calendar (K17) or without the region's own overlay says so, per day.
        acceptance.Explain(why, "受理日", "The acceptance day");
        transferOut.Explain(why, "转出期限", "The transfer-out deadline");
        transferIn.Explain(why, "转入期限", "The transfer-in deadline");

        var (after, credit, bank) = mode switch
        {
            TransferMode.Stays => (request.Balance, DMoney.Zero, DMoney.Zero),
            TransferMode.ToBank => (DMoney.Zero, DMoney.Zero, request.Balance),
            _ => (DMoney.Zero, request.Balance, DMoney.Zero),
        };
        if (why.Enabled)
            why.Because("K7", Provenance.Official, K7,
                mode switch
                {
                    TransferMode.Stays => $"个人账户不划转:余额 {request.Balance.ToPlainString()} 元留在原账户,全省通用",
                    TransferMode.ToBank => $"余额 {request.Balance.ToPlainString()} 元支付至本人银行账户,转出账户清零",
                    _ => $"余额 {request.Balance.ToPlainString()} 元全部划入转入地账户,转出账户清零",
                },
                mode switch
                {
                    TransferMode.Stays => $"Nothing moves: the balance {request.Balance.ToPlainString()} stays in the same account, usable province-wide",
                    TransferMode.ToBank => $"The balance {request.Balance.ToPlainString()} is paid to the person's bank account; the source account ends at 0.00",
                    _ => $"The whole balance {request.Balance.ToPlainString()} is credited in the target region; the source account ends at 0.00",
                },
                ("balance", request.Balance), ("sourceBalanceAfter", after), ("targetCredit", credit));

        return new TransferAnswer(true, null, mode, accepted, outDeadline, inDeadline, after, credit, bank, why.Reasons)
        {
            Acceptance = acceptance,
            TransferOut = transferOut,
            TransferIn = transferIn,
        };
    }
}

/// <summary>The kebab-case codes of <see cref="TransferMode"/> (acceptance/README.md, the packs).</summary>
public static class TransferNames
{
    public static string Code(TransferMode mode) => mode switch
    {
        TransferMode.MoveBalance => "move-balance",
        TransferMode.Stays => "stays",
        TransferMode.ToBank => "to-bank",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>The mode in Chinese, for reasons.</summary>
    public static string Zh(TransferMode mode) => mode switch
    {
        TransferMode.MoveBalance => "余额随关系划转",
        TransferMode.Stays => "不划转、省内通用",
        TransferMode.ToBank => "余额转入本人银行账户",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
