using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Yibao.Domain.Errors;

namespace Yibao.Storage;

/// <summary>
/// The one retry policy of Yibao's transactions. A transaction that failed for a reason that says
/// nothing about the request — PostgreSQL chose it as a deadlock victim (40P01) or could not
/// serialise it (40001), SQLite was busy or locked, or a concurrent writer committed the same key
/// between this transaction's look-up and its insert (a unique violation, or a ledger posting that
/// did not apply because the facts moved) — runs again, whole, after a short randomised pause. The
/// next run reads the facts afresh, so the race it lost becomes a replay or a clear refusal.
/// Anything else is not retried. After <see cref="Attempts"/> runs the answer is <c>ledger-busy</c>.
/// </summary>
public static class Transient
{
    public const int Attempts = 6;

    /// <summary>Whether a failure is worth running the whole transaction again for.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
            or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.LockNotAvailable,
        SqliteException sq => sq.SqliteErrorCode is 5 or 6 || IsUniqueViolation(sq),
        LedgerRaceException => true,
        _ => false,
    };

    /// <summary>A unique constraint refused a row: someone else committed the same key first.</summary>
    public static bool IsUniqueViolation(DbException e) => e switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sq => sq.SqliteErrorCode == 19 && sq.Message.Contains("UNIQUE", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Runs <paramref name="work"/> until it succeeds, fails for a reason that is not transient, or has run <see cref="Attempts"/> times.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work().ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e))
            {
                if (attempt >= Attempts) throw new YibaoException(ErrorCatalog.LedgerBusy());
                // 2, 4, 8 … ms with jitter, so two losers of the same race do not meet again.
                var pause = (1 << attempt) + Random.Shared.Next(0, 1 << attempt);
                await Task.Delay(pause, ct).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>
/// A ledger posting inside a transaction did not apply because the facts changed under it (a
/// concurrent writer); the transaction must roll back and run again (<see cref="Transient"/>).
/// </summary>
public class LedgerRaceException(string message) : Exception(message);
