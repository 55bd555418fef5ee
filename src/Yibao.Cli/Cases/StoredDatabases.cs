using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Yibao.Domain.Errors;
using Yibao.Storage;

namespace Yibao.Cli.Cases;

/// <summary>
/// Fresh, migrated databases for the stored case mode, one per case, so no case sees another's
/// people or entries. The schema is migrated once into a template per run and each case gets a
/// copy: a file copy on SQLite, <c>CREATE DATABASE … TEMPLATE</c> on PostgreSQL (both take a few
/// milliseconds instead of a migration per case). Everything is removed on dispose.
/// </summary>
internal sealed class StoredDatabases : IAsyncDisposable
{
    private readonly string? _server;
    private readonly string _name;
    private readonly string? _folder;
    private int _next;

    private StoredDatabases(string? server, string name, string? folder)
    {
        _server = server;
        _name = name;
        _folder = folder;
    }

    public Engine Engine => _server is null ? Engine.Sqlite : Engine.Postgres;

    /// <param name="postgres">A PostgreSQL connection string to a server (its database is only used to create and drop others); null for temporary SQLite files.</param>
    /// <param name="ct">Cancels the set-up.</param>
    public static async Task<StoredDatabases> CreateAsync(string? postgres, CancellationToken ct)
    {
        var name = $"yibao_cases_{Guid.NewGuid():N}"[..28];
        if (postgres is null)
        {
            var folder = Path.Combine(Path.GetTempPath(), "yibao-stored-cases", name);
            Directory.CreateDirectory(folder);
            var databases = new StoredDatabases(null, name, folder);
            var template = databases.SqlitePath("template");
            await using (var db = YibaoDatabase.Open(template))
            {
                await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
                await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
                await using var checkpoint = c.CreateCommand();
                // Everything into the main file, so a copy of that one file is the whole database.
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                await checkpoint.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return databases;
        }

        if (!postgres.Contains("Host=", StringComparison.OrdinalIgnoreCase))
            throw new YibaoException(ErrorCatalog.InvalidField("database", "with --stored, --database is a PostgreSQL connection string to a server (Host=…); without it each case gets a temporary SQLite file"));
        var server = new StoredDatabases(postgres, name, null);
        await server.AdminAsync($"CREATE DATABASE {name}_t", ct).ConfigureAwait(false);
        try
        {
            await using var db = YibaoDatabase.Open(server.ConnectionStringFor($"{name}_t"));
            await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return server;
    }

    /// <summary>A new database with the schema and nothing else; disposing it drops it.</summary>
    public async Task<FreshDatabase> NewAsync(CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _next);
        if (_server is null)
        {
            var path = SqlitePath(n.ToString("D4", CultureInfo.InvariantCulture));
            File.Copy(SqlitePath("template"), path);
            return new FreshDatabase(YibaoDatabase.Open(path), () =>
            {
                foreach (var f in new[] { path, path + "-wal", path + "-shm" })
                {
                    try { File.Delete(f); } catch (IOException) { /* removed with the folder at the end */ }
                }
                return Task.CompletedTask;
            });
        }

        var name = $"{_name}_{n}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AdminAsync($"CREATE DATABASE {name} TEMPLATE {_name}_t", ct).ConfigureAwait(false);
                break;
            }
            catch (PostgresException e) when (e.SqlState == "55006" && attempt < 10)
            {
                // The template's last migration connection is still closing on the server.
                await Task.Delay(100 * attempt, ct).ConfigureAwait(false);
            }
        }
        return new FreshDatabase(YibaoDatabase.Open(ConnectionStringFor(name)), () => AdminAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", CancellationToken.None));
    }

    private string SqlitePath(string name) => Path.Combine(_folder!, name + ".db");

    private string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(_server) { Database = database, Pooling = true }.ConnectionString;

    private async Task AdminAsync(string sql, CancellationToken ct)
    {
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(sql, admin);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return;
        }
        await AdminAsync($"DROP DATABASE IF EXISTS {_name}_t WITH (FORCE)", CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>One case's database; disposing it closes its connections and removes it.</summary>
internal sealed class FreshDatabase(YibaoDatabase db, Func<Task> drop) : IAsyncDisposable
{
    public YibaoDatabase Db { get; } = db;

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync().ConfigureAwait(false);
        await drop().ConfigureAwait(false);
    }
}
