using System.Globalization;
using System.Runtime.CompilerServices;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Gaps;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Storage.Records;

/// <summary>One person's gap in a region's month.</summary>
public sealed record RegionGap(IdNumber IdNumber, string Name, GapMonth Gap);

public sealed partial class RecordsStore
{
    /// <summary>People read per round of the region query: bounded memory whatever the region's size.</summary>
    public const int GapBatchSize = 1000;

    /// <summary>
    /// A person's gaps (断缴) from <paramref name="from"/> (default: their first counted month)
    /// to <paramref name="to"/>, by cause (<see cref="GapDetection"/>).
    /// </summary>
    public async Task<GapReport> GetGapsAsync(RegionCode region, IdNumber idNumber, YearMonth? from, YearMonth to, CancellationToken ct = default)
    {
        if (from is { } f && f > to) throw new YibaoException(ErrorCatalog.InvalidDateRange(f.ToString(), to.ToString()));
        await RegionRows.RequireAsync(db, region, ct).ConfigureAwait(false);
        var record = await GetInsuredAsync(region, idNumber, ct).ConfigureAwait(false)
                     ?? throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber.Value));
        var contributions = await GetContributionsAsync(region, idNumber, from, to, ct).ConfigureAwait(false);
        return GapDetection.Find(record.Scheme, record.History, contributions, from, to);
    }

    /// <summary>
    /// Every gap of a region in one month, streamed: people are read in id order a batch at a
    /// time (keyset paging), each batch with its histories and that month's contributions in two
    /// more queries, and decided by the same pure <see cref="GapDetection.ForMonth"/>. Memory
    /// holds one batch; each batch is its own short read, so a long stream holds no lock and no
    /// snapshot (a person changed meanwhile is read as of their batch).
    /// </summary>
    public async IAsyncEnumerable<RegionGap> StreamRegionGapsAsync(RegionCode region, YearMonth month, [EnumeratorCancellation] CancellationToken ct = default)
    {
        // Refused before the first item: once a stream has started, its answer is already on its way.
        await RegionRows.RequireAsync(db, region, ct).ConfigureAwait(false);
        var firstDay = month.FirstDay;
        long after = 0;
        while (true)
        {
            var (found, gaps, last) = await ReadGapBatchAsync(region, month, firstDay, after, ct).ConfigureAwait(false);
            foreach (var gap in gaps) yield return gap;
            if (found < GapBatchSize) yield break;
            after = last;
        }
    }

    private sealed record GapCandidate(long Id, IdNumber IdNumber, string Name, InsuredState Status, CreditCode? Employer, DateOnly EnrolledOn);

    private async Task<(int Found, List<RegionGap> Gaps, long LastId)> ReadGapBatchAsync(
        RegionCode region, YearMonth month, DateOnly firstDay, long after, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var people = new List<GapCandidate>();
        await using (var cmd = c.CreateCommand())
        {
            // `region_code || ''` keeps both planners on the primary key (id order, LIMIT) instead
            // of the (region_code, id_number) index, which would sort the whole region per batch.
            cmd.CommandText =
                "SELECT i.id, i.id_number, i.name, i.status, e.credit_code, i.enrolled_on FROM insured i LEFT JOIN employer e ON e.id = i.employer_id " +
                "WHERE i.id > @after AND i.region_code || '' = @r AND i.scheme = 'employee' AND i.enrolled_on <= @day ORDER BY i.id LIMIT @n";
            cmd.With("after", after).With("r", region.Value).With("day", firstDay).With("n", GapBatchSize);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                people.Add(new GapCandidate(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), IdNumber.Parse(r.GetString(1)), r.GetString(2),
                    ParseState(r.GetString(3)), r.IsDBNull(4) ? null : CreditCode.Parse(r.GetString(4)), r.GetFieldValue<DateOnly>(5)));
            }
        }
        if (people.Count == 0) return (0, [], after);
        var lo = people[0].Id;
        var hi = people[^1].Id;

        var events = new Dictionary<long, List<StatusEvent>>();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText =
                "SELECT s.insured_id, s.event, s.effective_on, s.status, e.credit_code FROM insured_status s LEFT JOIN employer e ON e.id = s.employer_id " +
                "WHERE s.insured_id >= @lo AND s.insured_id <= @hi AND s.effective_on <= @day ORDER BY s.insured_id, s.effective_on, s.id";
            cmd.With("lo", lo).With("hi", hi).With("day", firstDay);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
                if (!events.TryGetValue(id, out var list)) events[id] = list = [];
                list.Add(ReadEvent(r, 1));
            }
        }

        var contributions = new Dictionary<long, ContributionMonth>();
        await using (var cmd = c.CreateCommand())
        {
            // By (insured_id, month), the unique index: a batch reads only its own people's month.
            cmd.CommandText =
                "SELECT c.insured_id, c.month, e.credit_code, c.base, c.employer_part, c.individual_part, c.due_date, c.paid_date " +
                "FROM contribution c LEFT JOIN employer e ON e.id = c.employer_id " +
                "WHERE c.insured_id >= @lo AND c.insured_id <= @hi AND c.month = @m";
            cmd.With("lo", lo).With("hi", hi).With("m", month.ToString());
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                contributions[Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture)] = ContributionWriter.ReadContribution(r, 1);
        }

        var gaps = new List<RegionGap>();
        foreach (var p in people)
        {
            var history = events.TryGetValue(p.Id, out var list)
                ? StatusHistory.FromRecorded(list)
                : ImpliedHistory(p.Status, p.Employer, p.EnrolledOn);
            if (GapDetection.ForMonth(InsuredScheme.Employee, history, month, contributions.GetValueOrDefault(p.Id)) is { } gap)
                gaps.Add(new RegionGap(p.IdNumber, p.Name, gap));
        }
        return (people.Count, gaps, hi);
    }
}
