using System.Threading.Channels;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Crediting;

namespace Yibao.Server.Features.Crediting;

/// <summary>Runs asked for over HTTP, waiting for the background worker (in this process only; the run's state is in the database).</summary>
public sealed class CreditingRunQueue
{
    private readonly Channel<(RegionCode Region, YearMonth Month)> _runs = Channel.CreateUnbounded<(RegionCode, YearMonth)>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(RegionCode region, YearMonth month) => _runs.Writer.TryWrite((region, month));

    internal ChannelReader<(RegionCode Region, YearMonth Month)> Reader => _runs.Reader;
}

/// <summary>
/// Works through the queued monthly crediting runs one at a time, in the background of the
/// server. Nothing about a run lives only here: its row, checkpoint and entries are in the
/// database, so a server that stops mid-run leaves it resumable (ask again and it goes on),
/// and two servers asked for the same month share its chunks without crediting anything twice.
/// </summary>
public sealed partial class CreditingRunWorker(CreditingRunQueue queue, IServiceProvider services, ILogger<CreditingRunWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved on the first run, not at start-up: the runner needs the compiled policy packs.
        CreditingRunner? runner = null;
        await foreach (var (region, month) in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                runner ??= services.GetRequiredService<CreditingRunner>();
                var result = await runner.RunAsync(region, month, null, stoppingToken).ConfigureAwait(false);
                var run = result.Run;
                LogFinished(log, region.Value, month.ToString(), run.Id, run.AccountsDone, run.AccountsSkipped, result.Elapsed.TotalSeconds);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (YibaoException e)
            {
                LogRefused(log, region.Value, month.ToString(), e.Error.Code.Value);
            }
#pragma warning disable CA1031 // A failed run is recorded on its row (status failed) and must not stop the worker for the next one.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(log, e, region.Value, month.ToString());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Crediting run {Region} {Month} (run {RunId}) finished: {Done} credited, {Skipped} skipped in {Seconds:F1} s")]
    private static partial void LogFinished(ILogger logger, string region, string month, long runId, long done, long skipped, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Crediting run {Region} {Month} refused: {Code}")]
    private static partial void LogRefused(ILogger logger, string region, string month, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Crediting run {Region} {Month} failed; it is marked failed and resumes from its checkpoint when started again")]
    private static partial void LogFailed(ILogger logger, Exception e, string region, string month);
}
