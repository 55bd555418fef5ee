using Npgsql;
using Yibao.Storage;

namespace Yibao.Server.Tests;

/// <summary>
/// The database engines a test can run on: a temporary SQLite file always, and a fresh
/// database on the PostgreSQL server named by YIBAO_TEST_POSTGRES when there is one
/// (./test.sh starts a throwaway PostgreSQL 15 and sets it).
/// </summary>
public static class TestEngines
{
    public const string PostgresVariable = "YIBAO_TEST_POSTGRES";

    private static string? PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    public static TheoryData<Engine> Available
    {
        get
        {
            var engines = new TheoryData<Engine> { Engine.Sqlite };
            if (PostgresServer is not null) engines.Add(Engine.Postgres);
            return engines;
        }
    }

    /// <summary>A new, empty database: its <c>Yibao:Database</c> value and how to remove it.</summary>
    public static async Task<TestDatabaseHandle> CreateAsync(Engine engine)
    {
        if (engine == Engine.Sqlite)
        {
            var path = YibaoServer.NewDatabasePath();
            return new TestDatabaseHandle(path, () => { YibaoServer.DeleteDatabase(path); return Task.CompletedTask; });
        }
        var server = PostgresServer ?? throw new InvalidOperationException($"{PostgresVariable} is not set");
        var name = $"yibao_srv_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        return new TestDatabaseHandle(connectionString, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }
}

/// <summary>A test database: the setting that selects it, and its removal.</summary>
public sealed class TestDatabaseHandle(string setting, Func<Task> drop) : IAsyncDisposable
{
    public string Setting { get; } = setting;

    /// <summary>Another handle on the same database with its own connection pool, as a second process would have.</summary>
    public YibaoDatabase OpenAnother() =>
        Setting.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            ? YibaoDatabase.Open(new NpgsqlConnectionStringBuilder(Setting) { ApplicationName = "second-process" }.ConnectionString)
            : YibaoDatabase.Open($"Data Source={Setting};Cache=Private");

    public async ValueTask DisposeAsync() => await drop();
}
