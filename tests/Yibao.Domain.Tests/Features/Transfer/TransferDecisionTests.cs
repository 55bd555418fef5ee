using Yibao.Domain.Calendars;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Domain.Tests.Features.Transfer;

/// <summary>Transfers on the real packs and calendars: policy-reference A5, K6, K7, part (e), WE-31 … WE-40.</summary>
public class TransferDecisionTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static TransferAnswer Decide(string source, string target, string appliedOn, string? receivedOn = null, bool retired = false,
        string balance = "3456.78", Explanation? why = null)
    {
        var day = D(appliedOn);
        var book = PolicyPackLoader.Embedded;
        var request = new TransferRequest(RegionCode.Parse(source), RegionCode.Parse(target), retired, day, receivedOn is null ? null : D(receivedOn), DMoney.Parse(balance));
        return TransferDecision.Decide(request,
            TransferPolicy.From(book.For(RegionCode.Parse(source), day)), TransferPolicy.From(book.For(RegionCode.Parse(target), day)),
            HolidayCalendars.Shipped.For(RegionCode.Parse(source)), HolidayCalendars.Shipped.For(RegionCode.Parse(target)),
            why ?? Explanation.Build());
    }

    [Fact]
    public void Retiree_transfer_is_refused()
    {
        var a = Decide("520200", "620100", "2025-06-03", retired: true, balance: "2100.00");
        Assert.False(a.Allowed);
        Assert.Equal("retiree-not-transferable", a.ReasonCode?.Value);
        Assert.Null(a.Mode);
        Assert.Null(a.TransferOutDeadline);
        Assert.Equal("2100.00", a.SourceBalanceAfter.ToPlainString());
        Assert.Equal(DMoney.Zero, a.TargetCredit);
        Assert.Equal("transfer.excludes-retirees", Assert.Single(a.Reasons).RuleId);
    }

    [Fact]
    public void A_cross_province_transfer_moves_the_whole_balance_with_no_fee()
    {
        var a = Decide("990100", "620100", "2025-10-04");
        Assert.Equal(TransferMode.MoveBalance, a.Mode);
        Assert.Equal(DMoney.Zero, a.SourceBalanceAfter);
        Assert.Equal("3456.78", a.TargetCredit.ToPlainString());
        Assert.Equal(DMoney.Zero, a.PaidToBank);
    }

    [Fact]
    public void Within_Guangdong_the_balance_stays_in_the_same_account()
    {
        var a = Decide("440100", "440300", "2025-06-03", balance: "4000.00");
        Assert.True(a.Allowed);
        Assert.Equal(TransferMode.Stays, a.Mode);
        Assert.Equal("4000.00", a.SourceBalanceAfter.ToPlainString());
        Assert.Equal(DMoney.Zero, a.TargetCredit);
        Assert.Contains(a.Reasons, r => r.RuleId == "transfer.within-province-mode" && r.Provenance == Provenance.OfficialLocal);
    }

    [Fact]
    public void Leaving_Guangdong_moves_the_balance()
    {
        var a = Decide("440100", "620100", "2025-06-03", balance: "4000.00");
        Assert.Equal(TransferMode.MoveBalance, a.Mode);
        Assert.Equal("4000.00", a.TargetCredit.ToPlainString());
    }

    [Fact]
    public void Within_another_province_the_balance_moves()
    {
        // 江苏 inside the province: "先划转后清算", the balance still follows the person.
        Assert.Equal(TransferMode.MoveBalance, Decide("320583", "320500", "2025-06-03").Mode);
    }

    [Fact]
    public void Application_on_a_holiday_is_accepted_on_the_next_working_day()
    {
        // WE-38: Sat 2025-10-04, inside National Day.
        var a = Decide("990100", "620100", "2025-10-04", receivedOn: "2025-10-22");
        Assert.Equal(D("2025-10-09"), a.AcceptedOn);
        Assert.Equal(D("2025-10-22"), a.TransferOutDeadline);
        Assert.Equal(D("2025-10-29"), a.TransferInDeadline);
    }

    [Fact]
    public void Application_on_a_Saturday_before_a_make_up_Sunday_is_accepted_on_that_Sunday()
    {
        // 2026-09-19 (Sat) → 2026-09-20 (Sun) is a 调休 working day (K6, WE-36).
        var a = Decide("990100", "620100", "2026-09-19");
        Assert.Equal(D("2026-09-20"), a.AcceptedOn);
        Assert.Equal(D("2026-10-10"), a.TransferOutDeadline);
    }

    [Fact]
    public void Acceptance_on_a_working_day_is_the_application_day_and_the_day_itself_does_not_count()
    {
        // WE-31: Fri 2025-09-26 → 10 working days across National Day → 2025-10-16; received that day → 2025-10-23.
        var a = Decide("990100", "620100", "2025-09-26", receivedOn: "2025-10-16");
        Assert.Equal(D("2025-09-26"), a.AcceptedOn);
        Assert.Equal(D("2025-10-16"), a.TransferOutDeadline);
        Assert.Equal(D("2025-10-23"), a.TransferInDeadline);
    }

    [Fact]
    public void Without_a_receipt_day_the_transfer_in_counts_from_the_transfer_out_deadline()
    {
        // WE-32: 2026-02-10 → 2026-03-02 → 2026-03-09.
        var a = Decide("990100", "620100", "2026-02-10");
        Assert.Equal(D("2026-03-02"), a.TransferOutDeadline);
        Assert.Equal(D("2026-03-09"), a.TransferInDeadline);
    }

    [Theory]
    [InlineData("2026-02-10", "2026-03-05", "2026-03-02")]
    [InlineData("2025-02-24", "2025-03-14", "2025-03-10")]
    public void The_Lhasa_overlay_moves_the_transfer_out_deadline_against_the_national_calendar(string accepted, string lhasa, string national)
    {
        // WE-37 (a) and (b): the same application out of 拉萨 and out of a region on the national calendar.
        Assert.Equal(D(lhasa), Decide("540100", "620100", accepted).TransferOutDeadline);
        Assert.Equal(D(national), Decide("990100", "620100", accepted).TransferOutDeadline);
    }

    [Fact]
    public void The_transfer_in_uses_the_target_calendar()
    {
        // WE-37 (c): 拉萨 → 兰州, received 2026-03-05, on 兰州's national calendar.
        Assert.Equal(D("2026-03-12"), Decide("540100", "620100", "2026-02-10", receivedOn: "2026-03-05").TransferInDeadline);
        // Into 拉萨, received Fri 2026-02-13: 拉萨's 藏历新年 keeps 02-24 … 02-26 off as well.
        Assert.Equal(D("2026-03-03"), Decide("620100", "540100", "2026-02-02", receivedOn: "2026-02-13").TransferInDeadline);
        Assert.Equal(D("2026-02-27"), Decide("540100", "620100", "2026-02-02", receivedOn: "2026-02-13").TransferInDeadline);
    }

    [Fact]
    public void A_receipt_before_acceptance_is_dates_out_of_order()
    {
        var e = Assert.Throws<YibaoException>(() => Decide("990100", "620100", "2025-10-04", receivedOn: "2025-10-08"));
        Assert.Equal("invalid-date-range", e.Error.Code?.Value);
    }

    [Fact]
    public void Every_step_gives_a_reason()
    {
        var a = Decide("540100", "620100", "2026-02-10");
        Assert.Equal(["transfer.excludes-retirees", "K7", "K6", "transfer.out-working-days", "transfer.in-working-days", "K7"], a.Reasons.Select(r => r.RuleId));
        Assert.Contains(a.Reasons, r => r.Values.TryGetValue("calendar", out var c) && c == "540100");
    }

    [Fact]
    public void Without_explanation_no_reasons_are_recorded()
    {
        Assert.Empty(Decide("990100", "620100", "2025-10-04", why: Explanation.None).Reasons);
        Assert.Empty(Decide("990100", "620100", "2025-10-04", retired: true, why: Explanation.None).Reasons);
    }

    [Fact]
    public void A_transfer_whose_deadlines_reach_the_provisional_year_says_which_are_provisional()
    {
        var a = Decide("990100", "620100", "2026-12-24");

        Assert.Equal(new DateOnly(2026, 12, 24), a.AcceptedOn);
        Assert.Equal(new DateOnly(2027, 1, 8), a.TransferOutDeadline);
        Assert.Equal(new DateOnly(2027, 1, 15), a.TransferInDeadline);
        Assert.False(a.AcceptedOnProvisional);
        Assert.True(a.TransferOutDeadlineProvisional);
        Assert.True(a.TransferInDeadlineProvisional);
        Assert.True(a.Provisional);
        var provisional = a.Reasons.Where(r => r.RuleId == "K17").ToList();
        Assert.Equal(2, provisional.Count);
        Assert.StartsWith("转出期限 2027-01-08 为暂定：2027 年放假安排尚未公布，按《全国年节及纪念日放假办法》暂定", provisional[0].TextZh, StringComparison.Ordinal);
        Assert.StartsWith("The transfer-in deadline 2027-01-15 is provisional", provisional[1].TextEn, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transfer_inside_the_published_years_is_not_provisional()
    {
        var a = Decide("990100", "620100", "2026-09-18");

        Assert.False(a.Provisional);
        Assert.DoesNotContain(a.Reasons, r => r.RuleId == "K17");
    }

    [Fact]
    public void A_transfer_received_in_2026_keeps_an_official_transfer_in_deadline()
    {
        var a = Decide("990100", "620100", "2026-12-21", receivedOn: "2026-12-22");

        Assert.Equal(new DateOnly(2027, 1, 5), a.TransferOutDeadline);
        Assert.True(a.TransferOutDeadlineProvisional);
        Assert.Equal(new DateOnly(2026, 12, 29), a.TransferInDeadline);
        Assert.False(a.TransferInDeadlineProvisional);
        Assert.True(a.Provisional);
    }

    [Fact]
    public void A_Lhasa_transfer_in_the_provisional_year_says_its_overlay_is_missing()
    {
        var a = Decide("540100", "620100", "2027-01-20");

        Assert.True(a.TransferOut!.OverlayMissing);
        Assert.False(a.TransferIn!.OverlayMissing); // 兰州 keeps no overlay of its own
        Assert.Contains(a.Reasons, r => r.RuleId == "K5" && r.TextZh.StartsWith("转出期限", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2022-01-27", "2022-01-27", "2022-02-15", "2022-02-22")]
    [InlineData("2023-09-28", "2023-09-28", "2023-10-18", "2023-10-25")]
    [InlineData("2024-04-27", "2024-04-28", "2024-05-14", "2024-05-21")]
    public void Transfers_applied_in_2022_to_2024_compute_on_their_real_dates(string applied, string accepted, string transferOut, string transferIn)
    {
        var a = Decide("990100", "620100", applied);

        Assert.True(a.Allowed);
        Assert.Equal(D(accepted), a.AcceptedOn);
        Assert.Equal(D(transferOut), a.TransferOutDeadline);
        Assert.Equal(D(transferIn), a.TransferInDeadline);
        Assert.False(a.Provisional);
    }
}
