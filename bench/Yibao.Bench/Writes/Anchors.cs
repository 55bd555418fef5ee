using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Yibao.Bench.Writes;

/// <summary>
/// The transaction of a family-aid spend with nothing around it, on tables of its own: the
/// owner's balance read under lock, the conditional debit (<c>balance &gt;= amount</c>), the journal
/// entry with its unique key, and two postings (owner and counter-account). What the engine can
/// do for this shape is the anchor Yibao's endpoint is measured against.
/// </summary>
internal static class Anchors
{
    /// <summary>One yuan, as the wrk load spends.</summary>
    public const long AmountFen = 100;

    /// <summary>Every anchor account starts with 1,000,000.00 yuan: no debit is ever refused.</summary>
    public const long OpeningFen = 100_000_000;

    // ---------------------------------------------------------------- PostgreSQL: pgbench

    public const string PostgresDatabase = "yibao_bench_anchor";

    /// <summary>The anchor's tables in a database of their own on the same server: accounts 1…n, and 0 the counter-account.</summary>
    public static async Task PreparePostgresAsync(PgServer server, int accounts, bool statements)
    {
        await server.CreateDatabaseAsync(PostgresDatabase).ConfigureAwait(false);
        await server.ExecAsync(PostgresDatabase,
            "CREATE TABLE anchor_balance (account_id int PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));" +
            "CREATE TABLE anchor_entry (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, idempotency_key text NOT NULL UNIQUE, " +
            "  account_id int NOT NULL, amount bigint NOT NULL, recorded_at timestamptz NOT NULL);" +
            "CREATE TABLE anchor_posting (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, entry_id bigint NOT NULL REFERENCES anchor_entry (id), " +
            "  account_id int NOT NULL, amount bigint NOT NULL);" +
            "CREATE INDEX ix_anchor_posting_entry ON anchor_posting (entry_id);" +
            "CREATE INDEX ix_anchor_posting_account ON anchor_posting (account_id, id);" +
            Format.Inv($"INSERT INTO anchor_balance SELECT g, {OpeningFen} FROM generate_series(0, {accounts}) g;")).ConfigureAwait(false);
        await server.ExecAsync(PostgresDatabase, "VACUUM ANALYZE").ConfigureAwait(false);
        if (statements) await PgStatements.CreateExtensionAsync(server, PostgresDatabase).ConfigureAwait(false);
    }

    /// <summary>The pgbench script: one spend per transaction, a random account, a key unique per run, client and transaction.</summary>
    public static string PgbenchScript(int accounts) => Format.Inv($"""
        -- yibao-bench writes: the PostgreSQL anchor, the transaction shape of a family-aid spend.
        -- By hand: pgbench -n -M prepared -c 8 -j 2 -T 20 -D run=r1 -D n=0 -f <this file> {PostgresDatabase}
        \set aid random(1, {accounts})
        \set amt {AmountFen}
        \set neg -1 * :amt
        \set n :n + 1
        BEGIN;
        SELECT balance FROM anchor_balance WHERE account_id = :aid FOR UPDATE;
        UPDATE anchor_balance SET balance = balance - :amt WHERE account_id = :aid AND balance >= :amt;
        INSERT INTO anchor_entry (idempotency_key, account_id, amount, recorded_at) VALUES (:run::text || '/' || :client_id::text || '/' || :n::text, :aid, :amt, now()) RETURNING id AS entry_id \gset
        INSERT INTO anchor_posting (entry_id, account_id, amount) VALUES (:entry_id, :aid, :neg), (:entry_id, 0, :amt);
        END;

        """);

    public static async Task<Measurement> RunPgbenchAsync(PgServer server, string script, int clients, int threads, double seconds, string runDir, string run)
    {
        var pgbench = server.BinDirectory is { } bin && File.Exists(Path.Combine(bin, "pgbench")) ? Path.Combine(bin, "pgbench") : "pgbench";
        var logPrefix = Path.Combine(runDir, $"pgbench-{run}");
        var info = new ProcessStartInfo(pgbench) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "-h", server.Host, "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", server.User, "-n", "-M", "prepared",
                     "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Max(1, Math.Min(threads, clients)).ToString(CultureInfo.InvariantCulture),
                     "-T", Math.Max(1, (int)Math.Round(seconds)).ToString(CultureInfo.InvariantCulture),
                     "-D", $"run={run}", "-D", "n=0", "-f", script, "--log", $"--log-prefix={logPrefix}", PostgresDatabase,
                 })
            info.ArgumentList.Add(a);
        if (server.Password is { } password) info.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("pgbench did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);

        string? Line(string start) => output.Split('\n').FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal));
        var processed = Line("number of transactions actually processed:") is { } p
            ? long.Parse(p.Split(':')[1].Trim().Split(' ')[0].Split('/')[0], CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench failed (exit {process.ExitCode}):\n{output}");
        var failed = Line("number of failed transactions:") is { } f ? long.Parse(f.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) : 0;
        var tps = Line("tps = ") is { } t ? double.Parse(t["tps = ".Length..].Split(' ')[0], CultureInfo.InvariantCulture) : double.NaN;
        var aborted = output.Contains("aborted", StringComparison.Ordinal) ? output.Split('\n').Count(l => l.Contains("aborted in command", StringComparison.Ordinal)) : 0;

        // Latency of every transaction from the per-transaction logs (-l): "client tx latency_us script epoch_s epoch_us".
        var latencies = new List<long>((int)processed);
        foreach (var file in Directory.EnumerateFiles(runDir, Path.GetFileName(logPrefix) + ".*"))
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ');
                if (parts.Length >= 3 && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var us)) latencies.Add(us);
            }
        }
        var sorted = latencies.Order().ToArray();
        var stored = await server.ScalarAsync<long>(PostgresDatabase, $"SELECT COUNT(*) FROM anchor_entry WHERE idempotency_key LIKE '{run}/%'").ConfigureAwait(false);
        var m = new Measurement("pgbench anchor", clients, processed + failed, processed, failed,
            double.IsNaN(tps) || tps <= 0 ? seconds : processed / tps,
            Percentiles.Of(sorted, 50) / 1000, Percentiles.Of(sorted, 95) / 1000, Percentiles.Of(sorted, 99) / 1000, sorted.Length > 0 ? sorted[^1] / 1000.0 : double.NaN)
        {
            Errors = aborted,
        };
        m.Checks.Add(stored == processed ? "entries = transactions" : $"ENTRIES {stored} ≠ {processed} TRANSACTIONS");
        if (stored != processed) m.ChecksFailed = true;
        return m;
    }

    // ---------------------------------------------------------------- SQLite: in-process

    /// <summary>The same tables in a SQLite file of their own (WAL).</summary>
    public static void PrepareSqlite(string file, int accounts)
    {
        using var c = OpenSqlite(file);
        using var cmd = c.CreateCommand();
        cmd.CommandText =
            "PRAGMA journal_mode = WAL;" +
            "CREATE TABLE anchor_balance (account_id INTEGER PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0));" +
            "CREATE TABLE anchor_entry (id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, account_id INTEGER NOT NULL, " +
            "  amount INTEGER NOT NULL, recorded_at TEXT NOT NULL);" +
            "CREATE TABLE anchor_posting (id INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL REFERENCES anchor_entry (id), " +
            "  account_id INTEGER NOT NULL, amount INTEGER NOT NULL);" +
            "CREATE INDEX ix_anchor_posting_entry ON anchor_posting (entry_id);" +
            "CREATE INDEX ix_anchor_posting_account ON anchor_posting (account_id, id);" +
            Format.Inv($"WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < {accounts}) ") +
            Format.Inv($"INSERT INTO anchor_balance SELECT n, {OpeningFen} FROM g;");
        cmd.ExecuteNonQuery();
    }

    /// <summary>
    /// A connection as Yibao opens one (busy_timeout 60 s, foreign keys on) with
    /// <c>synchronous = FULL</c> said explicitly: every commit is flushed.
    /// </summary>
    private static SqliteConnection OpenSqlite(string file)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 60 }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
        cmd.ExecuteNonQuery();
        return c;
    }

    /// <summary>
    /// <paramref name="writers"/> connections, each on a thread of its own looping on the spend
    /// transaction (<c>BEGIN IMMEDIATE</c>, prepared statements) for <paramref name="seconds"/>:
    /// writers that collide wait in SQLite's busy handler, as Yibao's do.
    /// </summary>
    public static Measurement RunSqlite(string file, int writers, double seconds, int accounts, string run)
    {
        var latencies = new List<long>[writers];
        var failures = new long[writers];
        using var start = new Barrier(writers + 1);
        var deadline = TimeSpan.FromSeconds(seconds);
        var clock = new Stopwatch();
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            var mine = latencies[w] = new List<long>(200_000);
            var random = new Random(w + 1);
            using var c = OpenSqlite(file);
            using var read = Prepared(c, "SELECT balance FROM anchor_balance WHERE account_id = @a", "@a");
            using var debit = Prepared(c, "UPDATE anchor_balance SET balance = balance - @amt WHERE account_id = @a AND balance >= @amt", "@amt", "@a");
            using var entry = Prepared(c, "INSERT INTO anchor_entry (idempotency_key, account_id, amount, recorded_at) VALUES (@k, @a, @amt, @at) RETURNING id",
                "@k", "@a", "@amt", "@at");
            using var postings = Prepared(c, "INSERT INTO anchor_posting (entry_id, account_id, amount) VALUES (@e, @a, @neg), (@e, 0, @amt)", "@e", "@a", "@neg", "@amt");
            var n = 0;
            start.SignalAndWait();
            while (clock.Elapsed < deadline)
            {
                var began = Stopwatch.GetTimestamp();
                var account = random.Next(1, accounts + 1);
                try
                {
                    using var tx = c.BeginTransaction(deferred: false);
                    read.Transaction = debit.Transaction = entry.Transaction = postings.Transaction = tx;
                    read.Parameters["@a"].Value = account;
                    _ = Convert.ToInt64(read.ExecuteScalar(), CultureInfo.InvariantCulture);
                    debit.Parameters["@amt"].Value = AmountFen;
                    debit.Parameters["@a"].Value = account;
                    if (debit.ExecuteNonQuery() != 1) throw new InvalidOperationException("anchor debit refused");
                    entry.Parameters["@k"].Value = $"{run}/{w}/{n++}";
                    entry.Parameters["@a"].Value = account;
                    entry.Parameters["@amt"].Value = AmountFen;
                    entry.Parameters["@at"].Value = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
                    var id = Convert.ToInt64(entry.ExecuteScalar(), CultureInfo.InvariantCulture);
                    postings.Parameters["@e"].Value = id;
                    postings.Parameters["@a"].Value = account;
                    postings.Parameters["@neg"].Value = -AmountFen;
                    postings.Parameters["@amt"].Value = AmountFen;
                    postings.ExecuteNonQuery();
                    tx.Commit();
                    mine.Add(Stopwatch.GetTimestamp() - began);
                }
                catch (SqliteException)
                {
                    failures[w]++;
                }
            }
        }) { IsBackground = true, Name = $"anchor-{w}" }).ToArray();
        foreach (var t in threads) t.Start();
        start.SignalAndWait();
        clock.Start();
        foreach (var t in threads) t.Join();
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        var toMs = 1000.0 / Stopwatch.Frequency;
        using (var c = OpenSqlite(file))
        using (var count = c.CreateCommand())
        {
            count.CommandText = $"SELECT COUNT(*) FROM anchor_entry WHERE idempotency_key LIKE '{run}/%'";
            var stored = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            var m = new Measurement("in-process anchor", writers, sorted.Length + failures.Sum(), sorted.Length, failures.Sum(), elapsed,
                Percentiles.Of(sorted, 50) * toMs, Percentiles.Of(sorted, 95) * toMs, Percentiles.Of(sorted, 99) * toMs, sorted.Length > 0 ? sorted[^1] * toMs : double.NaN)
            {
                Errors = failures.Sum(),
            };
            m.Checks.Add(stored == sorted.Length ? "entries = transactions" : $"ENTRIES {stored} ≠ {sorted.Length} TRANSACTIONS");
            if (stored != sorted.Length) m.ChecksFailed = true;
            return m;
        }
    }

    private static SqliteCommand Prepared(SqliteConnection c, string sql, params string[] names)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in names) cmd.Parameters.Add(new SqliteParameter { ParameterName = name, Value = 0 });
        cmd.Prepare();
        return cmd;
    }
}
