using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Server.Features.Demo;
using Yibao.Storage;

namespace Yibao.Server.Hosting;

/// <summary>
/// Before the server takes requests, only what a first answer cannot do without: the holiday
/// calendars (a bad file stops the start with its file and line) and the database's schema.
/// Once it listens, in the background (<see cref="StartupWork"/>): the policy packs compiled,
/// deadlines counted on a provisional year counted again (K17), and the demo region seeded — each
/// safe when several processes start at once, none holding up the first answer.
/// </summary>
internal sealed partial class StartupTasks(
    YibaoDatabase db,
    Yibao.Storage.Transfer.RegionDatabases regions,
    IOptions<YibaoOptions> options,
    IServiceProvider services,
    StartupWork work,
    IServer server,
    HolidayCalendars calendars,
    TimeProvider clock,
    ILogger<StartupTasks> log) : IHostedLifecycleService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _background = Task.CompletedTask;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // The calendars were loaded (and checked) to build this service; say what they cover.
        foreach (var warning in calendars.Warnings) LogCalendarWarning(log, warning.File, warning.Line, warning.En);
        LogCalendars(log, string.Join(", ", calendars.Years), calendars.ProvisionalYear?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none",
            Path.GetFullPath(options.Value.Calendars));
        var applied = await Migrator.MigrateAsync(db, cancellationToken).ConfigureAwait(false);
        LogMigrated(log, DatabaseLocation.Describe(options.Value.Database), applied);
        // Regions run in databases of their own receive transfers there: their schema must be current too.
        foreach (var other in regions.All.Where(r => !ReferenceEquals(r, db)))
            await Migrator.MigrateAsync(other, cancellationToken).ConfigureAwait(false);
    }

    private async Task AfterStartAsync(CancellationToken cancellationToken)
    {
        // Compiled now rather than by the first request that needs a rule.
        var book = services.GetRequiredService<Yibao.Domain.Policy.PolicyBook>();
        // K17: a notice loaded since the last start replaces a provisional year; deadlines counted on it are counted again.
        foreach (var region in regions.All)
        {
            var recomputed = await Yibao.Storage.Applications.ProvisionalDeadlines.RecomputeAsync(region, book, calendars, clock, cancellationToken).ConfigureAwait(false);
            if (recomputed.Count > 0) LogRecomputed(log, recomputed.Count);
        }
        if (!options.Value.SeedDemo) return;
        try
        {
            var result = await services.GetRequiredService<DemoSeeder>().SeedAsync(ct: cancellationToken).ConfigureAwait(false);
            if (result.AlreadySeeded) LogAlreadySeeded(log, DemoRegion.Code.Value, DemoRegion.Name);
        }
        catch (YibaoException e) when (e.Error.Is(Codes.IdempotencyKeyReused) || e.Error.Is(Codes.InsuredExistsDifferent) || e.Error.Is(Codes.EmployerExistsDifferent))
        {
            // The demo records in this database were made by an older demo generator (an entry under
            // the same key, a person with other facts). The records and the ledger rightly refuse to
            // change them; the server still works on what is there.
            LogDemoOutdated(log, DemoRegion.Code.Value, e.Error.Code.Value, e.Error.Details.GetValueOrDefault("key") ?? e.Error.Details.GetValueOrDefault("idNumber") ?? "");
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var url = DisplayUrl(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        if (options.Value.SeedDemo)
            LogListeningWithDemo(log, DemoRegion.Code.Value, DemoRegion.Name, url, url + "/scalar");
        else
            LogListening(log, url, url + "/scalar");
        _background = Task.Run(async () =>
        {
            try
            {
                await AfterStartAsync(_stopping.Token).ConfigureAwait(false);
                work.Finished(null);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                work.Finished(null);
            }
            catch (Exception e)
            {
                LogBackgroundFailed(log, e);
                work.Finished(e);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _background.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The first address, http preferred, with a wildcard host shown as localhost so it can be clicked.</summary>
    internal static string DisplayUrl(ICollection<string> addresses)
    {
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                      ?? addresses.FirstOrDefault();
        if (address is null) return "http://localhost";
        foreach (var wildcard in new[] { "//[::]", "//0.0.0.0", "//+", "//*" })
            address = address.Replace(wildcard, "//localhost", StringComparison.Ordinal);
        return address.TrimEnd('/');
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Holiday calendars: published {Published}; provisional {Provisional} (statutory rule, K17); agency folder {Folder}")]
    private static partial void LogCalendars(ILogger logger, string published, string provisional, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Holiday calendar {File}:{Line}: {Warning}")]
    private static partial void LogCalendarWarning(ILogger logger, string file, int line, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadlines of {Count} open application(s) counted again on a newly loaded holiday notice")]
    private static partial void LogRecomputed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Database}; {Applied} migration(s) applied")]
    private static partial void LogMigrated(ILogger logger, string database, int applied);

    [LoggerMessage(Level = LogLevel.Error, Message = "Start-up work after listening failed; the server goes on answering")]
    private static partial void LogBackgroundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo region {Region} {RegionName} is already seeded; nothing to do")]
    private static partial void LogAlreadySeeded(ILogger logger, string region, string regionName);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Demo region {Region} was seeded by an older version of the demo data ({Code}: {Key}) and is left as it is; delete the database file to seed it afresh")]
    private static partial void LogDemoOutdated(ILogger logger, string region, string code, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "Yibao 医保个人账户 — demo region {Region} {RegionName} at {Url} (API reference: {ApiReference})")]
    private static partial void LogListeningWithDemo(ILogger logger, string region, string regionName, string url, string apiReference);

    [LoggerMessage(Level = LogLevel.Information, Message = "Yibao 医保个人账户 at {Url} (API reference: {ApiReference})")]
    private static partial void LogListening(ILogger logger, string url, string apiReference);
}

/// <summary>
/// The start-up work done after the server listens (<see cref="StartupTasks"/>): <see cref="Done"/>
/// completes when it has (faulted if it failed), so tests and tools that need the demo seeded can wait.
/// </summary>
public sealed class StartupWork
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Done => _done.Task;

    internal void Finished(Exception? error)
    {
        if (error is null) _done.TrySetResult();
        else _done.TrySetException(error);
    }
}
