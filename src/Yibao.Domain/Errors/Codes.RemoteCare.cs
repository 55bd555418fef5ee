namespace Yibao.Domain.Errors;

/// <summary>异地就医备案: filings and the estimates that read them.</summary>
public static partial class Codes
{
    public static readonly ResultCode RemoteCareFilingNotFound = ResultCode.NotFound("remote-care-filing-not-found", "没有该异地就医备案", "No such remote-care filing");
    public static readonly ResultCode RemoteCareFilingOverlaps = ResultCode.Conflict("remote-care-filing-overlaps",
        "与有效期重叠的异地就医备案冲突;请先撤销原备案", "The validity overlaps a filing in force; revoke it first");
    public static readonly ResultCode RemoteCareFilingAlreadyRevoked = ResultCode.Conflict("remote-care-filing-already-revoked", "该备案已撤销", "The filing was already revoked");
    public static readonly ResultCode RemoteCareFilingNotEligible = ResultCode.Rule("remote-care-filing-not-eligible", "不符合该类异地就医备案的条件", "Not eligible for this kind of remote-care filing");
    public static readonly ResultCode UnknownDestination = ResultCode.Invalid("unknown-destination",
        "就医地不是真实的行政区划代码(GB/T 2260 中没有这个省、市或县)", "The destination is not a real region code (GB/T 2260 has no such province, city or county)");
    public static readonly ResultCode RemoteCareFilingRequired = ResultCode.Rule("remote-care-filing-required",
        "就医之日没有覆盖就医地的有效异地就医备案;请先办理或续办备案", "No remote-care filing covering the place is in force on the day; file or renew first");
}
