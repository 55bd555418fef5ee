using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Yibao.Domain.Errors;
using Yibao.Server.Features.Demo;
using Yibao.Storage;

namespace Yibao.Server.Hosting;

/// <summary>
/// Before the server takes requests: migrate the database and seed the demo region (each
/// safe when several processes start at once). After it listens: say where it is, in one line.
/// </summary>
internal sealed partial class StartupTasks(
    YibaoDatabase db,
    Yibao.Storage.Applications.RegionDatabases regions,
    IOptions<YibaoOptions> options,
    DemoSeeder seeder,
    IServer server,
    ILogger<StartupTasks> log) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var applied = await Migrator.MigrateAsync(db, cancellationToken).ConfigureAwait(false);
        LogMigrated(log, DatabaseLocation.Describe(options.Value.Database), applied);
        // Regions run in databases of their own receive transfers there: their schema must be current too.
        foreach (var other in regions.All.Where(r => !ReferenceEquals(r, db)))
            await Migrator.MigrateAsync(other, cancellationToken).ConfigureAwait(false);
        if (!options.Value.SeedDemo) return;
        try
        {
            var result = await seeder.SeedAsync(ct: cancellationToken).ConfigureAwait(false);
            if (result.AlreadySeeded) LogAlreadySeeded(log, DemoRegion.Code.Value, DemoRegion.Name);
        }
        catch (YibaoException e) when (e.Error.Code is "idempotency-key-reused" or "insured-exists-different" or "employer-exists-different")
        {
            // The demo records in this database were made by an older demo generator (an entry under
            // the same key, a person with other facts). The records and the ledger rightly refuse to
            // change them; the server still works on what is there.
            LogDemoOutdated(log, DemoRegion.Code.Value, e.Error.Code, e.Error.Details.GetValueOrDefault("key") ?? e.Error.Details.GetValueOrDefault("idNumber") ?? "");
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var url = DisplayUrl(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        if (options.Value.SeedDemo)
            LogListeningWithDemo(log, DemoRegion.Code.Value, DemoRegion.Name, url, url + "/scalar");
        else
            LogListening(log, url, url + "/scalar");
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Database}; {Applied} migration(s) applied")]
    private static partial void LogMigrated(ILogger logger, string database, int applied);

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
