using Microsoft.Extensions.Options;
using Yibao.Storage.Transfer;

namespace Yibao.Server.Features.Transfer;

/// <summary>
/// Delivers and credits transfers between regions in the background, one round every
/// <c>Yibao:TransferDispatchSeconds</c>. A round is safe to run in several servers at once and to
/// interrupt anywhere: the inbox takes a message once and credits it once.
/// </summary>
public sealed partial class TransferDispatchWorker(IServiceProvider services, IOptions<YibaoOptions> options, TimeProvider clock, ILogger<TransferDispatchWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.TransferDispatchSeconds;
        if (seconds == 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                // Resolved on the first round, not at start-up: the exchange needs the compiled policy packs.
                var round = await services.GetRequiredService<TransferExchange>().RoundAsync(stoppingToken).ConfigureAwait(false);
                if (round.Delivered + round.Redelivered + round.Credited + round.Failed + round.Waiting > 0)
                    LogRound(log, round.Delivered, round.Redelivered, round.Credited, round.Failed, round.Waiting);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round is retried at the next tick; nothing is lost (the outbox keeps the message).
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(log, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Transfer round: {Delivered} delivered, {Redelivered} already delivered, {Credited} credited, {Failed} failed, {Waiting} waiting")]
    private static partial void LogRound(ILogger logger, int delivered, int redelivered, int credited, int failed, int waiting);

    [LoggerMessage(Level = LogLevel.Error, Message = "Transfer round failed; the next round tries again")]
    private static partial void LogFailed(ILogger logger, Exception e);
}
