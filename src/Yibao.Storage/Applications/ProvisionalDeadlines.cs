using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Applications;

/// <summary>One application whose deadlines were counted again on a published calendar.</summary>
public sealed record RecomputedDeadlines(long ApplicationId, ApplicationDeadlines Before, ApplicationDeadlines After);

/// <summary>
/// K17: a deadline counted on a provisional year is counted again once that year's notice is
/// loaded. Every open application whose deadlines are provisional gets them from the calendars
/// loaded now; where they changed (or are no longer provisional), the row and its decisions take
/// the new ones, with an audit record naming the old and new deadline and why. Nothing else of the
/// application changes. The server runs it at start-up, after loading the calendars.
/// </summary>
public static class ProvisionalDeadlines
{
    public const string Action = "recompute-deadlines";
    public const string ReasonCode = "calendar-notice-loaded";

    public static async Task<IReadOnlyList<RecomputedDeadlines>> RecomputeAsync(YibaoDatabase db, PolicyBook book, HolidayCalendars calendars, TimeProvider clock,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = new List<long>();
        await using (var c = await db.ConnectAsync(ct).ConfigureAwait(false))
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"SELECT id FROM application WHERE deadlines_provisional = 1 AND status NOT IN ({ApplicationLifecycle.SqlList(ApplicationLifecycle.Final)}) ORDER BY id";
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) ids.Add(Long(r, 0));
        }
        var changed = new List<RecomputedDeadlines>();
        foreach (var id in ids)
        {
            var done = await db.RunAsync(async s =>
            {
                var app = await ApplicationRows.ReadAsync(s, id, forUpdate: true, withEvents: false, ct).ConfigureAwait(false);
                if (app is null || !app.DeadlinesProvisional) return null;
                var before = app.Standing.Deadlines;
                var after = Count(app, book, calendars);
                if (after == before) return null;
                await ApplicationRows.RecomputeDeadlinesAsync(s, app, after, clock.GetUtcNow(), Why(before, after, calendars), ct).ConfigureAwait(false);
                return new RecomputedDeadlines(id, before, after);
            }, ct).ConfigureAwait(false);
            if (done is not null) changed.Add(done);
        }
        return changed;
    }

    private static ApplicationDeadlines Count(ApplicationRecord app, PolicyBook book, HolidayCalendars calendars)
    {
        if (app.Kind == ApplicationKind.Transfer)
            return TransferApplication.Deadlines(app.Region, app.Transfer!.TargetRegion, app.AppliedOn, book, calendars);
        var policy = book.For(app.Region, app.AppliedOn);
        return WithdrawalApplication.Deadlines(app.AppliedOn, policy, calendars.For(policy.CalendarRegion), Explanation.None);
    }

    private static (string Zh, string En, string Note) Why(ApplicationDeadlines before, ApplicationDeadlines after, HolidayCalendars calendars)
    {
        var years = string.Join("、", new[] { before.DueOn.Year, before.TargetDueOn?.Year ?? before.DueOn.Year }.Distinct().Where(calendars.IsPublished).Select(y => y.ToString(CultureInfo.InvariantCulture)));
        var target = before.TargetDueOn is { } b && after.TargetDueOn is { } a && a != b ? $";转入期限 {Dates.Format(b)} → {Dates.Format(a)}" : "";
        var targetEn = before.TargetDueOn is { } b2 && after.TargetDueOn is { } a2 && a2 != b2 ? $"; transfer-in deadline {Dates.Format(b2)} → {Dates.Format(a2)}" : "";
        return ($"{years} 年放假安排已公布,办理期限按正式安排重新计算:{Dates.Format(before.DueOn)} → {Dates.Format(after.DueOn)}{target}" + (after.Provisional ? "(仍含暂定日期)" : ""),
            $"The {years} holiday notice is loaded; the deadline is counted again on it: {Dates.Format(before.DueOn)} → {Dates.Format(after.DueOn)}{targetEn}" + (after.Provisional ? " (still partly provisional)" : ""),
            $"due {Dates.Format(before.DueOn)} -> {Dates.Format(after.DueOn)}");
    }
}
