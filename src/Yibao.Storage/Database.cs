using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Yibao.Domain.Errors;

namespace Yibao.Storage;

public enum Engine { Sqlite, Postgres }

/// <summary>
/// One Yibao database: an engine and a connection string. SQLite (an embedded file in WAL
/// mode) is the default; PostgreSQL is chosen by giving a connection string with <c>Host=</c>.
/// Correctness under concurrency comes from the database (transactions, constraints,
/// conditional updates), never from in-process locks, so several processes may share one.
/// </summary>
public sealed class YibaoDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;

    /// <summary>
    /// SQLite has one writer at a time, by design. Writers of this process queue here, in the
    /// order they came, for the one writer connection — instead of colliding in SQLite's busy
    /// handler, where a waiting writer sleeps and retries and some wait seconds while the machine
    /// idles. The tail is then the queue's length. Correctness still comes from the database
    /// (BEGIN IMMEDIATE, the conditional updates and constraints), so another process on the
    /// same file stays correct, only slower (its writers meet ours in the busy handler).
    /// </summary>
    private readonly SemaphoreSlim? _writeQueue;
    private SqliteConnection? _writer;

    /// <summary>How long a writer waits in the queue before the request is answered <c>ledger-busy</c>.</summary>
    public static readonly TimeSpan WriteQueueTimeout = TimeSpan.FromSeconds(60);

    public Engine Engine { get; }
    public string ConnectionString { get; }

    private YibaoDatabase(Engine engine, string connectionString)
    {
        Engine = engine;
        ConnectionString = connectionString;
        if (engine == Engine.Postgres)
            _postgres = NpgsqlDataSource.Create(WithPostgresDefaults(connectionString));
        else
            _writeQueue = new SemaphoreSlim(1, 1);
    }

    /// <summary>
    /// <c>Host=…</c> (or <c>postgres://</c>) is PostgreSQL; a path, <c>Data Source=…</c> or
    /// <c>sqlite:</c> prefix is SQLite.
    /// </summary>
    public static YibaoDatabase Open(string connectionOrPath)
    {
        var (engine, connection, file) = Parse(connectionOrPath);
        if (engine == Engine.Sqlite)
        {
            var dir = Path.GetDirectoryName(file);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        return new YibaoDatabase(engine, connection);
    }

    /// <summary>The engine and connection string a setting names, and the SQLite file's full path (null for PostgreSQL); opens nothing.</summary>
    public static (Engine Engine, string ConnectionString, string? File) Parse(string connectionOrPath)
    {
        ArgumentNullException.ThrowIfNull(connectionOrPath);
        var s = connectionOrPath.Trim();
        if (s.Contains("Host=", StringComparison.OrdinalIgnoreCase) || s.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
            return (Engine.Postgres, s, null);
        if (s.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)) s = s["sqlite:".Length..];
        var builder = s.Contains('=', StringComparison.Ordinal)
            ? new SqliteConnectionStringBuilder(s)
            : new SqliteConnectionStringBuilder { DataSource = s };
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        builder.Pooling = true;
        builder.DefaultTimeout = 60;
        return (Engine.Sqlite, builder.ToString(), Path.GetFullPath(builder.DataSource));
    }

    public static YibaoDatabase OpenSqliteFile(string path) => Open(path);

    /// <summary>
    /// Yibao sends the same few statements all day: let Npgsql prepare them on the server after
    /// two uses, and skip the DISCARD ALL on each return to the pool, which would also drop
    /// them (Yibao keeps no session state: no temporary tables, no SET). Measured on this
    /// machine: one posting 1.05 ms → 0.7 ms. An explicit setting in the connection string wins.
    /// </summary>
    private static string WithPostgresDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = connectionString.ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal);
        if (!given.Contains("MAXAUTOPREPARE", StringComparison.Ordinal)) builder.MaxAutoPrepare = 32;
        if (!given.Contains("NORESETONCLOSE", StringComparison.Ordinal)) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>Opens a connection with the engine's per-connection settings applied.</summary>
    public async Task<DbConnection> ConnectAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(ct).ConfigureAwait(false);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        // busy_timeout: a writer waits for the single SQLite write lock instead of failing;
        // foreign_keys is off by default in SQLite and must be asked for per connection.
        cmd.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA foreign_keys = ON;";
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Starts a unit of work. On SQLite this is <c>BEGIN IMMEDIATE</c> (the write lock is taken
    /// up front, so two writers never deadlock upgrading a read lock); on PostgreSQL it is
    /// READ COMMITTED, where conditional updates re-check their condition on the latest row.
    /// </summary>
    public async Task<DbSession> BeginAsync(CancellationToken ct = default)
    {
        if (_writeQueue is not null) return await BeginSqliteWriterAsync(_writeQueue, ct).ConfigureAwait(false);
        var connection = await ConnectAsync(ct).ConfigureAwait(false);
        try
        {
            var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
            return new DbSession(this, connection, tx);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The next turn of the one SQLite writer connection (<see cref="_writeQueue"/>), in an IMMEDIATE transaction.</summary>
    private async Task<DbSession> BeginSqliteWriterAsync(SemaphoreSlim queue, CancellationToken ct)
    {
        if (!await queue.WaitAsync(WriteQueueTimeout, ct).ConfigureAwait(false)) throw new YibaoException(ErrorCatalog.LedgerBusy());
        try
        {
            if (_writer is not { State: ConnectionState.Open })
            {
                if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
                _writer = (SqliteConnection)await ConnectAsync(ct).ConfigureAwait(false);
            }
            var writer = _writer;
            var tx = writer.BeginTransaction(deferred: false);
            return new DbSession(this, writer, tx, readOnly: false, release: broken =>
            {
                // A connection that failed mid-transaction is not trusted again: the next writer opens a new one.
                if (broken && ReferenceEquals(_writer, writer))
                {
                    _writer = null;
                    writer.Dispose();
                }
                queue.Release();
            });
        }
        catch
        {
            queue.Release();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and commits it; any exception rolls everything back. Not retried.</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct = default)
    {
        await using var session = await BeginAsync(ct).ConfigureAwait(false);
        var result = await work(session).ConfigureAwait(false);
        await session.CommitAsync(ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// One request's unit of work, the shape every feature follows: in one transaction, load the
    /// facts (locked where the decision depends on them), decide, write the consequences. It
    /// commits when the work answers a value and rolls back when it answers a refusal (a refusal
    /// writes nothing); a transient failure runs the whole of it again (<see cref="Transient"/>).
    /// </summary>
    public Task<Outcome<T>> RunAsync<T>(Func<DbSession, Task<Outcome<T>>> work, CancellationToken ct = default) =>
        Transient.RunAsync(async () =>
        {
            await using var session = await BeginAsync(ct).ConfigureAwait(false);
            var outcome = await work(session).ConfigureAwait(false);
            if (!outcome.IsRefused) await session.CommitAsync(ct).ConfigureAwait(false);
            return outcome;
        }, ct);

    /// <summary>
    /// Reads in one consistent transaction that writes nothing and takes no write lock (SQLite:
    /// a deferred transaction, a snapshot of the WAL; PostgreSQL: REPEATABLE READ, READ ONLY),
    /// for a question answered on the same facts a write would read (a check before applying).
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var connection = await ConnectAsync(ct).ConfigureAwait(false);
        DbTransaction tx;
        try
        {
            if (Engine == Engine.Sqlite)
            {
                tx = ((SqliteConnection)connection).BeginTransaction(deferred: true);
            }
            else
            {
                tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
                await using var readOnly = connection.CreateCommand();
                readOnly.Transaction = tx;
                readOnly.CommandText = "SET TRANSACTION READ ONLY";
                await readOnly.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await using var session = new DbSession(this, connection, tx, readOnly: true);
        return await work(session).ConfigureAwait(false);
    }

    /// <summary>As <see cref="RunAsync{T}(Func{DbSession, Task{Outcome{T}}}, CancellationToken)"/>, for work that is never refused.</summary>
    public Task<T> RunAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct = default) =>
        Transient.RunAsync(() => InTransactionAsync(work, ct), ct);

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync().ConfigureAwait(false);
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        _writeQueue?.Dispose();
        if (Engine == Engine.Sqlite) SqliteConnection.ClearAllPools();
    }
}

/// <summary>A connection and its open transaction; everything written through it commits or rolls back together.</summary>
public sealed class DbSession(YibaoDatabase database, DbConnection connection, DbTransaction transaction, bool readOnly = false,
    Action<bool>? release = null) : IAsyncDisposable
{
    private bool _completed;

    public YibaoDatabase Database { get; } = database;
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;
    public Engine Engine => Database.Engine;

    /// <summary>A read-only session (<see cref="YibaoDatabase.ReadAsync{T}"/>): nothing may be locked or written through it.</summary>
    public bool ReadOnly { get; } = readOnly;

    /// <summary><c> FOR UPDATE</c> where the engine locks rows (PostgreSQL) and the session may lock; SQLite's writer already holds the database's write lock.</summary>
    public string ForUpdate(string? of = null) => Engine == Engine.Postgres && !ReadOnly ? (of is null ? " FOR UPDATE" : $" FOR UPDATE OF {of}") : "";

    public DbCommand Command(string sql)
    {
        var cmd = Connection.CreateCommand();
        cmd.Transaction = Transaction;
        cmd.CommandText = sql;
        return cmd;
    }

    private string? _doomed;

    /// <summary>
    /// Marks the unit of work as one that must not commit: part of it was written and the rest
    /// refused (a ledger posting that did not apply), so committing would store half of it.
    /// </summary>
    public void Doom(string why) => _doomed ??= why;

    public async Task CommitAsync(CancellationToken ct = default)
    {
        if (_doomed is not null) throw new InvalidOperationException($"this transaction must roll back: {_doomed}");
        await Transaction.CommitAsync(ct).ConfigureAwait(false);
        _completed = true;
    }

    public async Task RollbackAsync(CancellationToken ct = default)
    {
        if (_completed) return;
        await Transaction.RollbackAsync(ct).ConfigureAwait(false);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        var broken = false;
        if (!_completed)
        {
            try { await Transaction.RollbackAsync().ConfigureAwait(false); }
            catch (InvalidOperationException) { broken = true; /* the connection already failed; nothing to undo */ }
            catch (DbException) { broken = true; /* same: a broken connection rolls back on its own */ }
        }
        await Transaction.DisposeAsync().ConfigureAwait(false);
        // The SQLite writer connection is the database's and stays open for the next writer.
        if (release is null) await Connection.DisposeAsync().ConfigureAwait(false);
        else release(broken);
    }
}

internal static class DbCommandExtensions
{
    public static DbCommand With(this DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return cmd;
    }
}
