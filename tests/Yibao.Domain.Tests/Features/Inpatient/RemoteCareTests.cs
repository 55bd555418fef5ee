using Yibao.Domain.Errors;
using Yibao.Domain.Features.Inpatient;

namespace Yibao.Domain.Tests.Features.Inpatient;

/// <summary>Which remote-care filing is in force on an admission day: policy-reference A8, WE-61.</summary>
public class RemoteCareTests
{
    private static readonly RemoteCareFiling July = RemoteCareFiling.Temporary(RemoteCareKind.TemporaryOther, new DateOnly(2025, 7, 1), 6);

    [Fact]
    public void Temporary_filing_covers_its_last_day_start_plus_six_months_minus_one_day()
    {
        // WE-61 (a): filed 2025-07-01, valid 6 months → to 2025-12-31.
        Assert.Equal(new DateOnly(2025, 12, 31), July.ValidTo);
        Assert.Equal(RemoteCareKind.TemporaryOther, RemoteCare.FromFilings([July], new DateOnly(2025, 12, 31)));
    }

    [Theory]
    [InlineData("2026-01-01")]
    [InlineData("2026-01-05")]
    [InlineData("2025-06-30")]
    public void Temporary_filing_does_not_cover_a_day_outside_its_validity(string day)
    {
        // WE-61 (b): 2026-01-05 is not covered: renew the filing first.
        Assert.Null(RemoteCare.FromFilings([July], DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Temporary_filing_covers_its_first_day()
    {
        Assert.Equal(RemoteCareKind.TemporaryOther, RemoteCare.FromFilings([July], new DateOnly(2025, 7, 1)));
    }

    [Fact]
    public void Validity_months_come_from_the_national_pack()
    {
        var policy = InpatientTestData.PolicyOf("990100", new DateOnly(2025, 7, 1));
        Assert.Equal(6, policy.TemporaryFilingMonths);
        Assert.Equal("000000", policy.TemporaryFilingMonthsRule!.DefinedBy.Value);
        var filing = RemoteCareFiling.Temporary(RemoteCareKind.TemporaryReferral, new DateOnly(2025, 7, 1), policy.TemporaryFilingMonths!.Value);
        Assert.Equal(July.ValidTo, filing.ValidTo);
    }

    [Fact]
    public void Long_term_filing_has_no_end_unless_revoked()
    {
        var filing = RemoteCareFiling.LongTerm(new DateOnly(2020, 3, 1));
        Assert.Null(filing.ValidTo);
        Assert.Equal(RemoteCareKind.LongTerm, RemoteCare.FromFilings([filing], new DateOnly(2040, 1, 1)));
        Assert.Null(RemoteCare.FromFilings([filing], new DateOnly(2020, 2, 29)));
    }

    [Fact]
    public void Revoked_filing_no_longer_covers_from_the_revocation_day()
    {
        var filing = RemoteCareFiling.LongTerm(new DateOnly(2020, 3, 1), revokedOn: new DateOnly(2025, 5, 1));
        Assert.Equal(RemoteCareKind.LongTerm, RemoteCare.FromFilings([filing], new DateOnly(2025, 4, 30)));
        Assert.Null(RemoteCare.FromFilings([filing], new DateOnly(2025, 5, 1)));
    }

    [Fact]
    public void The_filing_that_started_last_applies_when_several_cover_the_day()
    {
        var longTerm = RemoteCareFiling.LongTerm(new DateOnly(2024, 1, 1));
        var emergency = RemoteCareFiling.Temporary(RemoteCareKind.TemporaryEmergency, new DateOnly(2025, 9, 1), 6);
        Assert.Equal(RemoteCareKind.TemporaryEmergency, RemoteCare.FromFilings([emergency, longTerm], new DateOnly(2025, 10, 1)));
        Assert.Equal(RemoteCareKind.LongTerm, RemoteCare.FromFilings([emergency, longTerm], new DateOnly(2026, 3, 1)));
        Assert.Null(RemoteCare.FromFilings([], new DateOnly(2026, 3, 1)));
    }

    [Fact]
    public void Month_end_start_ends_the_day_before_the_clamped_month_day()
    {
        // CONV: start + 6 months − 1 day; 2025-08-31 + 6 months = 2026-02-28.
        var filing = RemoteCareFiling.Temporary(RemoteCareKind.TemporaryOther, new DateOnly(2025, 8, 31), 6);
        Assert.Equal(new DateOnly(2026, 2, 27), filing.ValidTo);
    }

    [Fact]
    public void Temporary_filing_shorter_than_the_national_six_months_is_refused()
    {
        Assert.Equal("invalid-field", Assert.Throws<YibaoException>(() => RemoteCareFiling.Temporary(RemoteCareKind.TemporaryOther, new DateOnly(2025, 7, 1), 5)).Error.Code?.Value);
        Assert.Equal("invalid-field", Assert.Throws<YibaoException>(() => RemoteCareFiling.Temporary(RemoteCareKind.LongTerm, new DateOnly(2025, 7, 1), 6)).Error.Code?.Value);
        Assert.Equal("invalid-field", Assert.Throws<YibaoException>(() => new RemoteCareFiling(RemoteCareKind.None, new DateOnly(2025, 7, 1), null)).Error.Code?.Value);
    }
}
