using System.Text.Json.Serialization;
using Yibao.Domain.Decisions;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Calendars;

/// <summary>
/// A day computed on a region's working-day calendar (受理日, 办理期限), and what it rests on:
/// whether the count read a day of the provisional year (暂定, K17), and whether the region keeps
/// a holiday overlay of its own (e.g. 拉萨's 藏历新年) that is not loaded for a year it read.
/// </summary>
/// <param name="Date">The day: the acceptance day or the deadline.</param>
/// <param name="ProvisionalYear">The provisional year whose days the count read (K17), or null when every day read is from a published notice.</param>
/// <param name="OverlayMissingYears">Years the count read in which the region's own overlay is not loaded, though the region has one in other years; counted on the national calendar alone.</param>
/// <param name="Region">The region whose calendar answered.</param>
public sealed record WorkingDayAnswer(DateOnly Date, int? ProvisionalYear, IReadOnlyList<int> OverlayMissingYears, RegionCode Region)
{
    /// <summary>暂定: the answer counted a day of a year whose holiday notice is not published yet; it is computed again when the notice is loaded.</summary>
    [JsonIgnore]
    public bool Provisional => ProvisionalYear is not null;

    /// <summary>The region's own holiday notice is missing for a year the count read: the answer has the national holidays only.</summary>
    [JsonIgnore]
    public bool OverlayMissing => OverlayMissingYears.Count > 0;

    /// <summary>The region's name as its overlay files give it (e.g. 拉萨市), for the Chinese reason; null when unknown.</summary>
    public string? RegionName { get; init; }

    /// <summary>The reasons to show beside the day: empty for a day resting on published notices alone.</summary>
    [JsonIgnore]
    public IReadOnlyList<Reason> Reasons => Explain(null, null);

    /// <summary>
    /// The reasons, naming what the day is (e.g. <c>转出期限</c> / <c>The transfer-out deadline</c>), so
    /// an answer with several days says which of them is provisional. Empty when nothing is to be said.
    /// </summary>
    public IReadOnlyList<Reason> Explain(string? whatZh, string? whatEn)
    {
        if (!Provisional && !OverlayMissing) return [];
        var reasons = new List<Reason>();
        if (ProvisionalYear is { } year)
            reasons.Add(CalendarReasons.Provisional(year, Date, whatZh, whatEn));
        foreach (var missing in OverlayMissingYears)
            reasons.Add(CalendarReasons.OverlayMissing(Region, RegionName, missing, missing == ProvisionalYear, Date, whatZh, whatEn));
        return reasons;
    }

    /// <summary>Adds the reasons of <see cref="Explain(string?, string?)"/> to a decision's explanation.</summary>
    public void Explain(Explanation why, string whatZh, string whatEn)
    {
        ArgumentNullException.ThrowIfNull(why);
        if (!why.Enabled) return;
        foreach (var reason in Explain(whatZh, whatEn)) why.Because(reason);
    }
}

/// <summary>The reasons a working-day answer gives about its calendar, in Chinese and English (K17).</summary>
public static class CalendarReasons
{
    /// <summary>The rule id of a provisional-calendar reason: the convention K17 of the policy reference.</summary>
    public const string ProvisionalRuleId = "K17";

    /// <summary>The rule id of a missing-overlay reason (K5: the region's overlay decides first).</summary>
    public const string OverlayRuleId = "K5";

    /// <summary>
    /// <c>2027 年放假安排尚未公布，按《全国年节及纪念日放假办法》暂定</c>, prefixed with what the day is
    /// when given (<c>转出期限 2027-01-15 为暂定：…</c>).
    /// </summary>
    public static Reason Provisional(int year, DateOnly? date = null, string? whatZh = null, string? whatEn = null)
    {
        var zh = $"{year} 年放假安排尚未公布，按《全国年节及纪念日放假办法》暂定";
        var en = $"The {year} holiday arrangement is not published yet; computed provisionally from the statutory holidays";
        if (whatZh is not null && date is { } d)
        {
            zh = $"{whatZh} {Dates.Format(d)} 为暂定：{zh}；通知公布后将重新计算";
            en = $"{whatEn ?? "The day"} {Dates.Format(d)} is provisional: the {year} holiday arrangement is not published yet, so it is computed from the statutory holidays; it is computed again once the notice is loaded";
        }
        var values = new List<(string, object)> { ("provisionalYear", year) };
        if (date is { } at) values.Add(("date", at));
        return Because(ProvisionalRuleId, Provenance.Convention, StatutoryHolidays.Source, zh, en, values);
    }

    /// <summary>The region keeps its own holidays (art. 4), and its notice for <paramref name="year"/> is not loaded: never guessed, so the national days alone count.</summary>
    public static Reason OverlayMissing(RegionCode region, string? regionName, int year, bool provisionalYear, DateOnly? date = null, string? whatZh = null, string? whatEn = null)
    {
        var who = regionName is null ? region.Value : $"{regionName}({region.Value})";
        var zh = provisionalYear
            ? $"{who} {year} 年的地方节假日安排尚未公布，暂定日历只含全国法定节假日，不推算地方假日"
            : $"未载入 {who} {year} 年的地方节假日安排，只按全国安排计算";
        var en = provisionalYear
            ? $"The regional holiday arrangement of {region.Value} for {year} is not published: the provisional calendar has the national statutory holidays only; regional holidays are never guessed"
            : $"No regional holiday arrangement of {region.Value} is loaded for {year}: counted on the national calendar only";
        if (whatZh is not null && date is { } d)
        {
            zh = $"{whatZh} {Dates.Format(d)}：{zh}";
            en = $"{whatEn ?? "The day"} {Dates.Format(d)}: {en}";
        }
        var values = new List<(string, object)> { ("region", region.Value), ("year", year) };
        if (date is { } at) values.Add(("date", at));
        return Because(OverlayRuleId, Provenance.Convention, "《全国年节及纪念日放假办法》第四条; policy-reference K5, K17", zh, en, values);
    }

    private static Reason Because(string ruleId, Provenance provenance, string source, string zh, string en, List<(string Name, object Value)> values)
    {
        var why = Explanation.Build();
        why.Because(ruleId, provenance, source, zh, en, [.. values]);
        return why.Reasons[0];
    }
}
