namespace Yibao.Domain.Errors;

/// <summary>异地就医备案: the errors of filings and of the inpatient estimate that reads them.</summary>
public static partial class ErrorCatalog
{
    public static Refusal RemoteCareFilingNotFound(string region, string filing) =>
        Codes.RemoteCareFilingNotFound.Refuse($"统筹地区 {region} 没有该异地就医备案:{filing}", $"No remote-care filing {filing} in region {region}")
            .With("region", region).With("filing", filing);
    public static Refusal RemoteCareFilingOverlaps(string filing, string validFrom, string validTo) =>
        Codes.RemoteCareFilingOverlaps.Refuse($"与有效期重叠的异地就医备案冲突({filing}:{validFrom} 至 {validTo});请先撤销原备案", $"The validity overlaps a filing in force ({filing}: {validFrom} … {validTo}); revoke it first")
            .With("filing", filing).With("validFrom", validFrom).With("validTo", validTo);
    public static Refusal RemoteCareFilingAlreadyRevoked(string filing, string revokedOn) =>
        Codes.RemoteCareFilingAlreadyRevoked.Refuse($"该备案已于 {revokedOn} 撤销", $"The filing was already revoked on {revokedOn}")
            .With("filing", filing).With("revokedOn", revokedOn);
    public static Refusal RemoteCareFilingNotEligible(string category, string why, string whyZh) =>
        Codes.RemoteCareFilingNotEligible.Refuse($"不符合该类异地就医备案的条件:{whyZh}", $"Not eligible for this kind of remote-care filing: {why}")
            .With("category", category);
    public static Refusal RemoteCareFilingRequired(string hospitalRegion, string admittedOn) =>
        Codes.RemoteCareFilingRequired.Refuse($"入院日 {admittedOn} 没有覆盖 {hospitalRegion} 的有效异地就医备案;请先办理或续办备案", $"No remote-care filing covering {hospitalRegion} is in force on the admission day {admittedOn}; file or renew first")
            .With("hospitalRegion", hospitalRegion).With("admittedOn", admittedOn);
}
