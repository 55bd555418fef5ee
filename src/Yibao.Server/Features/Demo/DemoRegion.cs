using Yibao.Domain.Money;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DomainMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Demo;

/// <summary>
/// The fictional demo region 990100 示例市 in province 990000 示例省 and the example
/// parameters of policy-reference C1 that its demo data is computed with. Every value here
/// is an example ([EX]); none is a real regional rule.
/// </summary>
public static class DemoRegion
{
    public static readonly RegionCode Code = RegionCode.Demo;
    public const string Name = "示例市";
    public static readonly RegionCode Province = RegionCode.DemoProvince;
    public const string ProvinceName = "示例省";

    /// <summary>Districts (市辖区 / 县) of 示例市 used as the area code of demo ID numbers.</summary>
    public static readonly IReadOnlyList<RegionCode> Districts =
        new[] { "990102", "990103", "990104", "990105", "990111", "990121" }.Select(RegionCode.Parse).ToList();

    public const string PolicyVersion = "990100@demo";
    public const string Actor = "system:demo";
    public const string KeyPrefix = "demo/990100";

    /// <summary>The day the demo people's ages and enrolment are reckoned from; fixed, so the data never depends on the clock.</summary>
    public static readonly DateOnly ReferenceDate = new(2025, 1, 1);

    /// <summary>The employee scheme (国发〔1998〕44号) starts personal accounts from 1999.</summary>
    public static readonly DateOnly SchemeStart = new(1999, 1, 1);

    /// <summary>Monthly credits are posted for these months, on the last day of each (C1 due date).</summary>
    public static readonly YearMonth FirstCreditMonth = new(2025, 1);
    public static readonly YearMonth LastCreditMonth = new(2025, 10);

    /// <summary>C1: in-service credit = round(base × 2%) (K3).</summary>
    public static readonly Rate InServiceCreditRate = Rate.FromPercent(2m);

    /// <summary>C1: retirees get a fixed 62.00 a month (K3, WE-03).</summary>
    public static readonly DomainMoney RetireeMonthlyCredit = DomainMoney.FromYuan(62.00m);

    /// <summary>C1: base = declared wage clamped to [4,200.00, 21,000.00] (K2).</summary>
    public static readonly DomainMoney BaseFloor = DomainMoney.FromYuan(4_200m);
    public static readonly DomainMoney BaseCeiling = DomainMoney.FromYuan(21_000m);
}
