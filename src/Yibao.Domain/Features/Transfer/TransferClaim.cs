using Yibao.Domain.Regions;

namespace Yibao.Domain.Features.Transfer;

/// <summary>What a transfer applicant states: the pooling region they move to (转入地).</summary>
public sealed record TransferClaim(RegionCode TargetRegion);
