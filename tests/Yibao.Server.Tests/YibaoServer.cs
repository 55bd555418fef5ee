using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Server.Tests;

/// <summary>
/// The real server in-process on a temporary SQLite file of its own, configured the way an
/// operator would (<c>Yibao:Database</c>). Disposing it proves the ledger invariants on the
/// database the tests used, then deletes the file.
/// </summary>
public class YibaoServer : IAsyncLifetime
{
    /// <summary>"Now" for the server: 2025-11-15 01:00 in China, still the 14th in UTC.</summary>
    public static readonly DateTimeOffset Now = new(2025, 11, 14, 17, 0, 0, TimeSpan.Zero);

    private readonly bool _seedDemo;
    private readonly TimeProvider _clock;

    public string DatabasePath { get; }
    public WebApplicationFactory<Program> Factory { get; }
    public HttpClient Client { get; private set; } = null!;

    public YibaoServer() : this(seedDemo: true) { }

    protected YibaoServer(bool seedDemo, TimeProvider? clock = null, string? databasePath = null)
    {
        _seedDemo = seedDemo;
        _clock = clock ?? new FixedClock(Now);
        DatabasePath = databasePath ?? NewDatabasePath();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Yibao:Database"] = DatabasePath,
                ["Yibao:SeedDemo"] = _seedDemo.ToString(CultureInfo.InvariantCulture),
            }));
            web.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(_clock)));
        });
    }

    public static string NewDatabasePath()
    {
        var dir = Path.Combine(Path.GetTempPath(), "yibao-server-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{Guid.NewGuid():N}.db");
    }

    public T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    public virtual async Task InitializeAsync()
    {
        Client = Factory.CreateClient(); // starts the host: migrations run here
        await Service<Yibao.Server.Hosting.StartupWork>().Done; // the demo seeding, after the host listens
    }

    public async Task<JsonElement> GetJsonAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task AssertLedgerIsSoundAsync()
    {
        var report = await LedgerVerifier.VerifyAsync(Service<YibaoDatabase>());
        Assert.True(report.Ok, "ledger invariants broken:\n" + string.Join("\n", report.Violations.Select(v => $"{v.Invariant}: {v.Detail}")));
    }

    public async Task DisposeAsync()
    {
        try
        {
            await AssertLedgerIsSoundAsync();
        }
        finally
        {
            Client?.Dispose();
            await Factory.DisposeAsync();
            DeleteDatabase(DatabasePath);
        }
    }

    public static void DeleteDatabase(string path)
    {
        foreach (var f in new[] { path, path + "-wal", path + "-shm" })
        {
            try { File.Delete(f); } catch (IOException) { }
        }
    }
}

/// <summary>A server whose database has the schema but no demo region.</summary>
public sealed class EmptyServer() : YibaoServer(seedDemo: false);

/// <summary>A server without the demo region whose clock is the given one.</summary>
public class YibaoServerWithClock(TimeProvider clock) : YibaoServer(seedDemo: false, clock: clock);

/// <summary>A clock that stands still.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
