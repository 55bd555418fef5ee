using Yibao.Domain.Errors;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.Inpatient;

/// <summary>The remote-care situation of a stay (异地就医, A8): local, or the filing category it falls under.</summary>
public enum RemoteCareKind
{
    /// <summary>Treated in the insured region (or no filing applies): no change.</summary>
    None = 0,
    /// <summary>长期异地居住 / 异地安置 filing: the insured region's benefits, unreduced.</summary>
    LongTerm = 1,
    /// <summary>临时外出, 异地转诊 (referral).</summary>
    TemporaryReferral = 2,
    /// <summary>临时外出, 急诊抢救 (emergency).</summary>
    TemporaryEmergency = 3,
    /// <summary>临时外出, other (not referred).</summary>
    TemporaryOther = 4,
}

/// <summary>
/// A remote-care filing (异地就医备案) and the days it covers. Long-term filings have no end
/// unless revoked (A8); a temporary one is valid from its start to start + N months − 1 day
/// (N = the region's <see cref="InpatientKeys.TemporaryFilingMonths"/>, at least 6; WE-61, CONV).
/// A revocation takes effect on its day: the filing no longer covers that day [CONV].
/// </summary>
public sealed record RemoteCareFiling
{
    public RemoteCareFiling(RemoteCareKind kind, DateOnly validFrom, DateOnly? validTo, DateOnly? revokedOn = null)
    {
        if (kind == RemoteCareKind.None)
            throw new YibaoException(ErrorCatalog.InvalidField("kind", "a filing is long-term or temporary (referral, emergency, other), not none"));
        if (kind == RemoteCareKind.LongTerm && validTo is not null)
            throw new YibaoException(ErrorCatalog.InvalidField("validTo", "a long-term filing has no end; revoke it instead"));
        if (kind != RemoteCareKind.LongTerm && validTo is null)
            throw new YibaoException(ErrorCatalog.InvalidField("validTo", "a temporary filing has an end"));
        if (validTo is { } end && end < validFrom)
            throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(validFrom), Dates.Format(end)));
        Kind = kind;
        ValidFrom = validFrom;
        ValidTo = validTo;
        RevokedOn = revokedOn;
    }

    public RemoteCareKind Kind { get; }
    public DateOnly ValidFrom { get; }
    /// <summary>Last day covered (inclusive); null for a long-term filing.</summary>
    public DateOnly? ValidTo { get; }
    /// <summary>The day a revocation took effect; from that day the filing covers nothing.</summary>
    public DateOnly? RevokedOn { get; }

    public static RemoteCareFiling LongTerm(DateOnly validFrom, DateOnly? revokedOn = null) =>
        new(RemoteCareKind.LongTerm, validFrom, null, revokedOn);

    /// <summary>A temporary filing valid from <paramref name="validFrom"/> for <paramref name="months"/> months: to start + months − 1 day (WE-61: 2025-07-01 + 6 → 2025-12-31).</summary>
    public static RemoteCareFiling Temporary(RemoteCareKind kind, DateOnly validFrom, int months, DateOnly? revokedOn = null)
    {
        if (kind is not (RemoteCareKind.TemporaryReferral or RemoteCareKind.TemporaryEmergency or RemoteCareKind.TemporaryOther))
            throw new YibaoException(ErrorCatalog.InvalidField("kind", "a temporary filing is a referral, an emergency or other"));
        if (months < InpatientKeys.MinTemporaryFilingMonths)
            throw new YibaoException(ErrorCatalog.InvalidField("months", $"a temporary filing is valid for at least {InpatientKeys.MinTemporaryFilingMonths} months (L9)"));
        return new(kind, validFrom, validFrom.AddMonths(months).AddDays(-1), revokedOn);
    }

    public bool Covers(DateOnly day) =>
        ValidFrom <= day
        && (ValidTo is not { } end || day <= end)
        && (RevokedOn is not { } revoked || day < revoked);
}

/// <summary>Which remote-care input applies to a stay elsewhere (A8, WE-61).</summary>
public static class RemoteCare
{
    /// <summary>
    /// The category of the filing in force on the admission day, or null when no filing covers it
    /// (WE-61 b: the person must renew the filing first; the caller decides how an unfiled stay
    /// elsewhere is handled). When several filings cover the day, the one that started last
    /// applies, and on a tie the one listed last [CONV].
    /// </summary>
    public static RemoteCareKind? FromFilings(IReadOnlyList<RemoteCareFiling> filings, DateOnly admittedOn) =>
        InForce(filings, admittedOn)?.Kind;

    /// <summary>The filing in force on the day (see <see cref="FromFilings"/>), or null.</summary>
    public static RemoteCareFiling? InForce(IReadOnlyList<RemoteCareFiling> filings, DateOnly day)
    {
        RemoteCareFiling? best = null;
        for (var i = 0; i < filings.Count; i++)
        {
            var filing = filings[i];
            if (filing.Covers(day) && (best is null || filing.ValidFrom >= best.ValidFrom)) best = filing;
        }
        return best;
    }
}
