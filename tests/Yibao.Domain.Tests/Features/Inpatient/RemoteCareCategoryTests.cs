using Yibao.Domain.Errors;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Features.RemoteCare;

// Beside the inpatient tests: a namespace ...Tests.Features.RemoteCare would hide the domain's RemoteCare class from them.
namespace Yibao.Domain.Tests.Features.Inpatient;

/// <summary>Filing categories, the remote-care input each selects, and their validity (policy-reference A8, K13, WE-61).</summary>
public class RemoteCareCategoryTests
{
    private static readonly DateOnly July = new(2025, 7, 1);

    [Theory]
    [InlineData("moved", RemoteCareKind.LongTerm)]
    [InlineData("resident-elsewhere", RemoteCareKind.LongTerm)]
    [InlineData("retiree-elsewhere", RemoteCareKind.LongTerm)]
    [InlineData("referral", RemoteCareKind.TemporaryReferral)]
    [InlineData("emergency", RemoteCareKind.TemporaryEmergency)]
    [InlineData("other", RemoteCareKind.TemporaryOther)]
    public void Each_category_selects_its_remote_care_input(string code, RemoteCareKind kind)
    {
        var category = RemoteCareCategories.Parse(code);
        Assert.Equal(code, category.Code());
        Assert.Equal(kind, category.Kind());
        Assert.Equal(kind == RemoteCareKind.LongTerm, category.IsLongTerm());
    }

    [Fact]
    public void A_long_term_filing_is_open_ended_and_refuses_an_end()
    {
        var filing = RemoteCareCategories.Validity(RemoteCareCategory.Moved, July, null, 6);
        Assert.Null(filing.ValidTo);
        Assert.True(filing.Covers(new DateOnly(2040, 1, 1)));
        Assert.Equal("invalid-field", Assert.Throws<YibaoException>(() => RemoteCareCategories.Validity(RemoteCareCategory.Moved, July, July.AddYears(1), 6)).Error.Code?.Value);
    }

    [Fact]
    public void A_temporary_filing_lasts_at_least_the_regions_months()
    {
        Assert.Equal(new DateOnly(2025, 12, 31), RemoteCareCategories.Validity(RemoteCareCategory.Other, July, null, 6).ValidTo); // WE-61
        Assert.Equal(new DateOnly(2026, 6, 30), RemoteCareCategories.Validity(RemoteCareCategory.Referral, July, null, 12).ValidTo);
        Assert.Equal(new DateOnly(2026, 3, 31), RemoteCareCategories.Validity(RemoteCareCategory.Emergency, July, new DateOnly(2026, 3, 31), 6).ValidTo);
        Assert.Equal("invalid-field", Assert.Throws<YibaoException>(() => RemoteCareCategories.Validity(RemoteCareCategory.Other, July, new DateOnly(2025, 12, 30), 6)).Error.Code?.Value);
        Assert.Equal("invalid-date-range", Assert.Throws<YibaoException>(() => RemoteCareCategories.Validity(RemoteCareCategory.Other, July, new DateOnly(2025, 6, 30), 6)).Error.Code?.Value);
    }

    [Fact]
    public void An_unknown_category_is_a_named_error()
    {
        Assert.Equal("invalid-field", Assert.Throws<YibaoException>(() => RemoteCareCategories.Parse("holiday")).Error.Code?.Value);
        Assert.Equal("missing-field", Assert.Throws<YibaoException>(() => RemoteCareCategories.Parse(" ")).Error.Code?.Value);
    }
}
