using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Server.Features.Demo;

/// <summary>
/// The fictional demo region 990100 示例市 in province 990000 示例省. Its people, employers and
/// their histories are examples ([EX]); the money is computed by the region's policy pack through
/// the real paths (contribution import, monthly crediting, year-end), never here.
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

    /// <summary>Where the demo's one transfer goes (兰州, a region with a pack): the person is enrolled there too, so the exchange completes.</summary>
    public static readonly RegionCode TransferTarget = RegionCode.Parse("620100");
    public const string TransferTargetName = "兰州市";

    public const string PolicyVersion = "990100@demo";
    public const string Actor = "system:demo";
    public const string KeyPrefix = "demo/990100";

    /// <summary>The day the demo people's ages are reckoned from; fixed, so the people never depend on the clock.</summary>
    public static readonly DateOnly ReferenceDate = new(2025, 1, 1);

    /// <summary>The employee scheme (国发〔1998〕44号) starts personal accounts from 1999.</summary>
    public static readonly DateOnly SchemeStart = new(1999, 1, 1);

    /// <summary>
    /// The demo region's records start here (the system "went live" on 2025-01-01): people insured
    /// before are enrolled on this day, with their status then, so every month since enrolment is
    /// on record and the gaps a person has are real ones. Each month on record costs the seeding a
    /// crediting run and its share of the contributions; a later start would leave no year-end to try.
    /// </summary>
    public static readonly DateOnly GoLive = new(2025, 1, 1);
    public static readonly YearMonth FirstMonth = YearMonth.Of(GoLive);

    /// <summary>Every life event of the demo (hire, leave, retire, die) and every spend falls before this month ends.</summary>
    public static readonly YearMonth LastEventMonth = new(2025, 10);

    /// <summary>Employers registered in the region.</summary>
    public const int Employers = 12;
}
