using Npgsql;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Storage.Tests;

/// <summary>
/// Fresh, migrated databases for tests: a temporary SQLite file, or a new database on the
/// PostgreSQL server named by YIBAO_TEST_POSTGRES (./test.sh starts a throwaway one).
/// Disposing runs the ledger invariant checker, so every storage test ends with it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "YIBAO_TEST_POSTGRES";

    private readonly Func<Task> _drop;

    public YibaoDatabase Db { get; }
    public bool VerifyOnDispose { get; set; } = true;

    private TestDatabase(YibaoDatabase db, Func<Task> drop)
    {
        Db = db;
        _drop = drop;
    }

    public static Task<TestDatabase> CreateAsync(Engine engine) =>
        engine == Engine.Sqlite ? CreateSqliteAsync() : CreatePostgresAsync();

    public static async Task<TestDatabase> CreateSqliteAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "yibao-tests");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, $"{Guid.NewGuid():N}.db");
        var db = YibaoDatabase.Open(path);
        await Migrator.MigrateAsync(db);
        return new TestDatabase(db, () =>
        {
            foreach (var f in new[] { path, path + "-wal", path + "-shm" })
            {
                try { File.Delete(f); } catch (IOException) { }
            }
            return Task.CompletedTask;
        });
    }

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with ./test.sh, which starts a throwaway PostgreSQL 15, " +
                $"or export {PostgresVariable}=\"Host=127.0.0.1;Port=...;Username=postgres;Database=postgres\".");

    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var server = PostgresServer;
        var name = $"yibao_t_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var db = YibaoDatabase.Open(cs);
        await Migrator.MigrateAsync(db);
        return new TestDatabase(db, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        });
    }

    /// <summary>A second, independent handle on the same database (its own connection pool), as another process would have.</summary>
    public YibaoDatabase OpenAnotherHandle() =>
        Db.Engine == Engine.Postgres
            ? YibaoDatabase.Open(new NpgsqlConnectionStringBuilder(Db.ConnectionString) { ApplicationName = "second-process" }.ConnectionString)
            : YibaoDatabase.Open(Db.ConnectionString + ";Cache=Private");

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (VerifyOnDispose)
            {
                var report = await LedgerVerifier.VerifyAsync(Db);
                Assert.True(report.Ok, "ledger invariants broken:\n" + string.Join("\n", report.Violations.Select(v => $"{v.Invariant}: {v.Detail}")));
            }
        }
        finally
        {
            await Db.DisposeAsync();
            await _drop();
        }
    }
}
