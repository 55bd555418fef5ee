using Yibao.Domain.Features.Records;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Crediting;

namespace Yibao.Storage.Records;

/// <summary>What an import did. When <see cref="Committed"/> is false, nothing was written (the counts say what would have been).</summary>
public sealed record ImportSummary(
    long Rows,
    long Recorded,
    long Unchanged,
    long PaymentsRecorded,
    long PeopleEnrolled,
    long BadRows,
    bool Committed);

/// <summary>
/// 缴费导入: a whole file of contribution rows, ALL OR NOTHING. The file is streamed (a batch of
/// <see cref="ContributionWriter.BatchSize"/> rows in memory at a time) into ONE transaction;
/// every row is checked and written, and every bad row is reported (line, code, zh/en message)
/// as it is found. At the end, a file without a bad row commits; a file with any bad row rolls
/// back and writes nothing. Why: an agency answers a refused file by sending it again,
/// corrected; if the good rows of the first file had been kept, the second would mix replays
/// and new rows, and half a file (some employees of a month recorded, others not) is the worst
/// state to reason about in gap detection and crediting.
/// <para>Rows keep being written after the first bad row (then rolled back), so that the report
/// also finds a later row that conflicts with an earlier one of the same file.</para>
/// <para>Every recorded month is money in the same transaction: billed to its payer when due, received
/// into the pooled fund when paid (<see cref="Domain.Features.Records.ContributionEntries"/>), so a
/// file that commits has posted its entries and one that rolls back has posted none.</para>
/// <para>Unknown people: a row whose person is not enrolled is bad (<c>unknown-insured</c>)
/// unless the file has a <c>name</c> for them; then they are enrolled from the row (employed by
/// the row's employer, or flexible without one, from the 1st of the row's month) and their
/// personal account is opened. Unknown employers are always bad rows: employers are registered
/// first. A row whose name differs from the enrolled person's is bad (<c>insured-name-mismatch</c>).</para>
/// </summary>
public sealed class ContributionImporter(YibaoDatabase db, TimeProvider clock)
{
    private const int LargeFileCacheKib = 32_768;
    private const int LargeFileCheckpointPages = 50_000;

    /// <param name="region">The pooling region of every row.</param>
    /// <param name="lines">The rows, in file order, with their line numbers.</param>
    /// <param name="source">Recorded on each contribution (e.g. <c>import:contributions-2025-05.csv</c>).</param>
    /// <param name="onBadRow">Called for each bad row, in file order, as soon as it is known.</param>
    /// <param name="onProgress">Called after each batch with the rows read so far.</param>
    /// <param name="ct">Cancels the import; nothing is written.</param>
    public async Task<ImportSummary> ImportAsync(
        RegionCode region,
        IAsyncEnumerable<ContributionLine> lines,
        string source,
        Action<BadRow>? onBadRow = null,
        Action<long>? onProgress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var today = Dates.TodayInChina(clock);
        await using var s = await db.BeginAsync(ct).ConfigureAwait(false);
        // A file's months and their entries go into the journal's key index at random places, like a
        // crediting run's: the same larger page cache and later checkpoint while it is written (SQLite).
        await using var cache = await SqliteCache.EnlargeAsync(s.Connection, LargeFileCacheKib, LargeFileCheckpointPages, ct).ConfigureAwait(false);
        await RecordsStore.RequireRegionAsync(s, region, ct).ConfigureAwait(false);
        await using var writer = new ContributionWriter(s, region, source, clock.GetUtcNow(), enrolUnknownWithName: true);

        long rows = 0, recorded = 0, unchanged = 0, paid = 0, enrolled = 0, bad = 0;
        var batch = new List<ContributionRow>(ContributionWriter.BatchSize);
        // Bad rows are reported in file order: a parse failure waits for the rows before it in
        // the same batch, whose refusals are known only once the batch is written.
        var pending = new List<BadRow>();

        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                foreach (var result in await writer.WriteAsync(batch, ct).ConfigureAwait(false))
                {
                    if (result.Error is not null) pending.Add(new BadRow(result.Row.Line, result.Error));
                    else if (result.Outcome == ContributionOutcome.Recorded) recorded++;
                    else if (result.Outcome == ContributionOutcome.PaymentRecorded) paid++;
                    else unchanged++;
                    if (result.EnrolledNow) enrolled++;
                }
                batch.Clear();
            }
            foreach (var b in pending.OrderBy(b => b.Line))
            {
                bad++;
                onBadRow?.Invoke(b);
            }
            pending.Clear();
            onProgress?.Invoke(rows);
        }

        await foreach (var line in lines.WithCancellation(ct).ConfigureAwait(false))
        {
            rows++;
            if (line.TryParse(today, out var row, out var error)) batch.Add(row!);
            else pending.Add(new BadRow(line.Line, error!));
            if (batch.Count + pending.Count >= ContributionWriter.BatchSize) await FlushAsync().ConfigureAwait(false);
        }
        await FlushAsync().ConfigureAwait(false);

        var commit = bad == 0 && rows > 0;
        if (commit)
        {
            await writer.CompleteAsync(ct).ConfigureAwait(false);
            await s.CommitAsync(ct).ConfigureAwait(false);
            if (rows >= ContributionWriter.BatchSize) await SqliteCache.CheckpointAsync(db, ct).ConfigureAwait(false);
        }
        else await s.RollbackAsync(ct).ConfigureAwait(false);
        return new ImportSummary(rows, recorded, unchanged, paid, enrolled, bad, commit);
    }
}
