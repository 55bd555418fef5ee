using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.Inpatient;

/// <summary>Stays and policies shared by the inpatient tests (990100 C1 values from the real packs).</summary>
internal static class InpatientTestData
{
    public static readonly DateOnly Day = new(2025, 6, 1);

    public static InpatientPolicy PolicyOf(string region = "990100", DateOnly? date = null) =>
        InpatientPolicy.From(PolicyPackLoader.Embedded.For(RegionCode.Parse(region), date ?? Day));

    public static InpatientPolicy Demo { get; } = PolicyOf();

    public static DMoney M(string yuan) => DMoney.Parse(yuan);

    /// <summary>WE-51's stay: in-service, tier 3, first admission, 20,000.00, local, nothing paid yet, empty account.</summary>
    public static InpatientStay Stay(
        InsuranceScheme scheme = InsuranceScheme.Employee,
        InsuredStatus status = InsuredStatus.Employed,
        int tier = 3,
        int admission = 1,
        string policyCost = "20000.00",
        string selfPayCost = "0.00",
        string fundPaidThisYear = "0.00",
        RemoteCareKind remoteCare = RemoteCareKind.None,
        string accountBalance = "0.00") =>
        new(scheme, status, tier, admission, M(policyCost), M(selfPayCost), M(fundPaidThisYear), remoteCare, M(accountBalance));

    public static InpatientSplit Split(InpatientStay stay, InpatientPolicy? policy = null, bool explain = false) =>
        InpatientDecision.Decide(in stay, policy ?? Demo, explain ? Explanation.Build() : Explanation.None);
}
