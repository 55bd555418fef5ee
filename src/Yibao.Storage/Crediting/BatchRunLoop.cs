using System.Diagnostics;
using System.Threading.Channels;

namespace Yibao.Storage.Crediting;

/// <summary>A chunk read and decided ahead of its write: the checkpoint it starts after, how many accounts it holds and the last one's id.</summary>
internal interface IPreparedChunk
{
    long From { get; }
    int Count { get; }
    long LastId { get; }
}

/// <summary>What one chunk did: the run's row after it, how many accounts it went through and wrote, and whether it was the last.</summary>
internal sealed record ChunkStep(BatchRunRecord Run, long Processed, long Done, bool Finished);

/// <summary>
/// The loop both batch runs share: chunk after chunk from the run's checkpoint until a chunk
/// comes back short. A chunk that another process claimed first is skipped (the loop re-reads
/// the checkpoint); a chunk that did not apply (a deadlock with an online posting, an account
/// closed meanwhile) is rolled back and tried again with fresh reads; any other failure marks
/// the run failed, resumable from its checkpoint. Cancellation leaves the run running, and
/// resumable just the same.
/// </summary>
internal static class BatchRunLoop
{
    public delegate Task<ChunkStep?> Chunk(BatchRunRecord run, int chunkNumber, CancellationToken ct);

    public static async Task<BatchRunResult> RunAsync(YibaoDatabase db, BatchRunRecord run, Chunk chunk, IProgress<BatchRunProgress>? progress, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        if (run.Finished) return new BatchRunResult(run, AlreadyFinished: true, 0, 0, watch.Elapsed);
        long doneNow = 0, processedNow = 0;
        var chunkNumber = 0;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var step = await WithRetriesAsync(run, chunkNumber, chunk, ct).ConfigureAwait(false);
                if (step is null)
                {
                    // Another process moved the run on: go on from where it is now.
                    run = await BatchRuns.GetAsync(db, run.Region, run.Kind, run.Period, ct).ConfigureAwait(false) ?? run;
                    if (run.Status != BatchRuns.Running) break;
                    continue;
                }
                chunkNumber++;
                doneNow += step.Done;
                processedNow += step.Processed;
                run = step.Run;
                progress?.Report(new BatchRunProgress(run.Id, run.AccountsTotal, run.Processed, run.AccountsDone, run.AccountsSkipped, run.SumCredited, run.SumDeducted));
                if (step.Finished) break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await BatchRuns.FailAsync(db, run.Id, e.Message, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        var final = await BatchRuns.GetAsync(db, run.Region, run.Kind, run.Period, ct).ConfigureAwait(false) ?? run;
        return new BatchRunResult(final, AlreadyFinished: false, doneNow, processedNow, watch.Elapsed);
    }

    /// <summary>
    /// The same loop with reading ahead: while one chunk is written (in its transaction, after
    /// claiming the checkpoint it starts from), the next is read and decided on another connection,
    /// so the database's write, its reads and the decisions run side by side. At most two chunks
    /// are in memory. A prepared chunk whose checkpoint is no longer the run's (another process
    /// went first), or whose write must be retried, is thrown away and read again.
    /// </summary>
    public static async Task<BatchRunResult> RunPipelinedAsync<T>(YibaoDatabase db, BatchRunRecord run, int chunkSize,
        Func<long, CancellationToken, Task<T>> prepare, Func<BatchRunRecord, T, int, CancellationToken, Task<ChunkStep?>> write,
        IProgress<BatchRunProgress>? progress, CancellationToken ct) where T : IPreparedChunk
    {
        var watch = Stopwatch.StartNew();
        if (run.Finished) return new BatchRunResult(run, AlreadyFinished: true, 0, 0, watch.Elapsed);
        long doneNow = 0, processedNow = 0;
        var chunkNumber = 0;
        try
        {
            while (true)
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var ahead = Channel.CreateBounded<T>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
                var producer = ProduceAsync(run.Checkpoint, chunkSize, prepare, ahead.Writer, stop.Token);
                var restart = false;
                var finished = false;
                try
                {
                    await foreach (var prepared in ahead.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                    {
                        ct.ThrowIfCancellationRequested();
                        ChunkStep? step;
                        try
                        {
                            step = await write(run, prepared, chunkNumber, ct).ConfigureAwait(false);
                        }
                        catch (Exception e) when (Transient.IsTransient(e))
                        {
                            // Read it again, fresh, and write it alone; the pipeline starts over after it.
                            step = await WithRetriesAsync(run, chunkNumber, async (r, n, c) =>
                                await write(r, await prepare(r.Checkpoint, c).ConfigureAwait(false), n, c).ConfigureAwait(false), ct).ConfigureAwait(false);
                            restart = true;
                        }
                        if (step is null)
                        {
                            run = await BatchRuns.GetAsync(db, run.Region, run.Kind, run.Period, ct).ConfigureAwait(false) ?? run;
                            restart = run.Status == BatchRuns.Running;
                            finished = !restart;
                            break;
                        }
                        chunkNumber++;
                        doneNow += step.Done;
                        processedNow += step.Processed;
                        run = step.Run;
                        progress?.Report(new BatchRunProgress(run.Id, run.AccountsTotal, run.Processed, run.AccountsDone, run.AccountsSkipped, run.SumCredited, run.SumDeducted));
                        if (step.Finished) { finished = true; break; }
                        if (restart) break;
                    }
                }
                finally
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    try { await producer.ConfigureAwait(false); }
                    catch (OperationCanceledException) { /* stopped on purpose */ }
                }
                if (finished || !restart) break;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await BatchRuns.FailAsync(db, run.Id, e.Message, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        var final = await BatchRuns.GetAsync(db, run.Region, run.Kind, run.Period, ct).ConfigureAwait(false) ?? run;
        return new BatchRunResult(final, AlreadyFinished: false, doneNow, processedNow, watch.Elapsed);
    }

    private static async Task ProduceAsync<T>(long from, int chunkSize, Func<long, CancellationToken, Task<T>> prepare, ChannelWriter<T> writer, CancellationToken ct)
        where T : IPreparedChunk
    {
        // Off the caller's thread: reading and deciding run beside the writes.
        await Task.Yield();
        Exception? failure = null;
        try
        {
            while (true)
            {
                var chunk = await prepare(from, ct).ConfigureAwait(false);
                await writer.WriteAsync(chunk, ct).ConfigureAwait(false);
                if (chunk.Count < chunkSize) break;
                from = chunk.LastId;
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            writer.TryComplete(failure is OperationCanceledException ? null : failure);
        }
    }

    // A chunk is one transaction: the one retry policy runs it again whole (a deadlock with a
    // concurrent posting on a shared row, a balance row that moved under it).
    private static Task<ChunkStep?> WithRetriesAsync(BatchRunRecord run, int chunkNumber, Chunk chunk, CancellationToken ct) =>
        Transient.RunAsync(() => chunk(run, chunkNumber, ct), ct);

    /// <summary>The run's row after a chunk, as the chunk's own transaction wrote it.</summary>
    public static BatchRunRecord After(BatchRunRecord run, long checkpoint, long done, long skipped, long credited, long deducted,
        IReadOnlyDictionary<string, long> skippedByReason, bool finished) => run with
    {
        Checkpoint = checkpoint,
        AccountsDone = run.AccountsDone + done,
        AccountsSkipped = run.AccountsSkipped + skipped,
        SumCredited = run.SumCredited + credited,
        SumDeducted = run.SumDeducted + deducted,
        SkippedByReason = skippedByReason,
        Status = finished ? BatchRuns.Finished : run.Status,
    };
}
