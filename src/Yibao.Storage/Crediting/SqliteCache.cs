using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Yibao.Storage.Crediting;

/// <summary>
/// SQLite settings for one connection for the length of a batch step, set back to SQLite's
/// defaults when disposed so a pooled connection does not keep them. Nothing on PostgreSQL.
/// <list type="bullet">
/// <item>A larger page cache: the 2 MiB default makes every chunk read again the index pages the
/// last one touched (the journal's key index takes random inserts).</item>
/// <item>A later automatic checkpoint: by default every commit over 1,000 WAL pages copies its
/// pages into the database file, so the same index pages are copied once per chunk. Checkpointing
/// less often copies each page's last version once; the run checkpoints at its end.</item>
/// </list>
/// </summary>
internal sealed class SqliteCache : IAsyncDisposable
{
    private const int DefaultCacheKib = 2_000;
    private const int DefaultCheckpointPages = 1_000;

    private readonly DbConnection? _connection;

    private SqliteCache(DbConnection? connection) => _connection = connection;

    public static async Task<SqliteCache> EnlargeAsync(DbConnection connection, int cacheKib, int checkpointPages, CancellationToken ct)
    {
        if (connection is not SqliteConnection) return new SqliteCache(null);
        await SetAsync(connection, Math.Max(cacheKib, DefaultCacheKib), Math.Max(checkpointPages, DefaultCheckpointPages), ct).ConfigureAwait(false);
        return new SqliteCache(connection);
    }

    /// <summary>Copies the WAL into the database file now (PASSIVE: never waits for readers), so the next online commit does not pay for the run's pages.</summary>
    public static async Task CheckpointAsync(YibaoDatabase db, CancellationToken ct)
    {
        if (db.Engine != Engine.Sqlite) return;
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task SetAsync(DbConnection connection, int cacheKib, int checkpointPages, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        // Both values are ints from our options, never user text. A negative cache_size is in KiB.
        cmd.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = -{cacheKib}; PRAGMA wal_autocheckpoint = {checkpointPages}");
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null || _connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await SetAsync(_connection, DefaultCacheKib, DefaultCheckpointPages, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            // The connection is failing anyway; the pool discards a broken connection.
        }
    }
}
