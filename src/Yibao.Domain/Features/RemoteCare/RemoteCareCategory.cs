using Yibao.Domain.Errors;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;

namespace Yibao.Domain.Features.RemoteCare;

/// <summary>
/// Who files for remote care (异地就医备案人员类别, policy-reference A8). The first three are
/// long-term residents elsewhere (异地长期居住人员); the last three are temporarily away (临时外出就医人员).
/// </summary>
public enum RemoteCareCategory
{
    /// <summary>异地长期居住: household registration elsewhere, or living elsewhere for more than 180 days.</summary>
    Moved,
    /// <summary>常驻异地工作: posted elsewhere for 180 days or more continuously.</summary>
    ResidentElsewhere,
    /// <summary>异地安置退休: a retiree settled elsewhere in China.</summary>
    RetireeElsewhere,
    /// <summary>转诊转院: referred to a hospital elsewhere.</summary>
    Referral,
    /// <summary>急诊抢救: emergency treatment elsewhere.</summary>
    Emergency,
    /// <summary>其他临时外出就医: temporarily away, not referred.</summary>
    Other,
}

/// <summary>The categories' codes, the remote-care input each selects, and the validity a filing of each gets (A8, K13, WE-61).</summary>
public static class RemoteCareCategories
{
    public static string Code(this RemoteCareCategory category) => PolicyValueBinder.Kebab(category.ToString());

    public static bool TryParse(string? text, out RemoteCareCategory category)
    {
        foreach (var candidate in Enum.GetValues<RemoteCareCategory>())
        {
            if (candidate.Code() == text) { category = candidate; return true; }
        }
        category = default;
        return false;
    }

    public static RemoteCareCategory Parse(string? text) =>
        string.IsNullOrWhiteSpace(text) ? throw new YibaoException(ErrorCatalog.MissingField("category"))
        : TryParse(text.Trim(), out var c) ? c
        : throw new YibaoException(ErrorCatalog.InvalidField("category",
            $"'{text}' is not one of: {string.Join(", ", Enum.GetValues<RemoteCareCategory>().Select(v => v.Code()))}"));

    public static bool IsLongTerm(this RemoteCareCategory category) =>
        category is RemoteCareCategory.Moved or RemoteCareCategory.ResidentElsewhere or RemoteCareCategory.RetireeElsewhere;

    /// <summary>The inpatient decision's remote-care input for a stay under a filing of this category (K13).</summary>
    public static RemoteCareKind Kind(this RemoteCareCategory category) => category switch
    {
        RemoteCareCategory.Moved or RemoteCareCategory.ResidentElsewhere or RemoteCareCategory.RetireeElsewhere => RemoteCareKind.LongTerm,
        RemoteCareCategory.Referral => RemoteCareKind.TemporaryReferral,
        RemoteCareCategory.Emergency => RemoteCareKind.TemporaryEmergency,
        RemoteCareCategory.Other => RemoteCareKind.TemporaryOther,
        _ => throw new ArgumentOutOfRangeException(nameof(category)),
    };

    /// <summary>The stored and API code of a remote-care input (<c>long-term</c>, <c>temporary-referral</c>, …).</summary>
    public static string Code(this RemoteCareKind kind) => InpatientDecision.RemoteCareEn(kind);

    /// <summary>
    /// The filing's validity. Long-term: open-ended ("valid indefinitely, unless changed", A8) — an
    /// end is refused, a revocation ends it. Temporary: at least the region's months from the start
    /// (<see cref="InpatientKeys.TemporaryFilingMonths"/>, nationally at least 6, L9): by default to
    /// start + months − 1 day (WE-61, CONV); a later end may be asked for, an earlier one is refused.
    /// </summary>
    /// <param name="category">The category filed under.</param>
    /// <param name="validFrom">The first day covered.</param>
    /// <param name="validTo">The last day covered as asked for, or null for the default.</param>
    /// <param name="temporaryMonths">The region's temporary validity in months on <paramref name="validFrom"/>.</param>
    public static RemoteCareFiling Validity(RemoteCareCategory category, DateOnly validFrom, DateOnly? validTo, int temporaryMonths)
    {
        if (category.IsLongTerm())
        {
            if (validTo is not null)
                throw new YibaoException(ErrorCatalog.InvalidField("validTo", "a long-term filing is valid until it is revoked (policy-reference A8); give no end"));
            return RemoteCareFiling.LongTerm(validFrom);
        }
        var least = RemoteCareFiling.Temporary(category.Kind(), validFrom, temporaryMonths);
        if (validTo is not { } end) return least;
        if (end < validFrom) throw new YibaoException(ErrorCatalog.InvalidDateRange(Dates.Format(validFrom), Dates.Format(end)).With("field", "validTo"));
        if (end < least.ValidTo)
            throw new YibaoException(ErrorCatalog.InvalidField("validTo", $"a temporary filing is valid for at least {temporaryMonths} months, to {Dates.Format(least.ValidTo!.Value)} (L9, policy-reference A8)")
                .With("value", Dates.Format(end)).With("least", Dates.Format(least.ValidTo!.Value)));
        return new RemoteCareFiling(category.Kind(), validFrom, end);
    }
}
