using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Yibao.Bench.Writes;

/// <summary>
/// <c>yibao-bench writes</c> (issue 16): in one run, the family-aid spend endpoint of the real
/// server under wrk next to what the engine does for the same transaction (pgbench on the same
/// PostgreSQL; the same transaction in-process on SQLite), balance reads next to a hello-world
/// ASP.NET Core app, and the cold start to the first answer — each figure with its anchor, the
/// ledger verified and the spends counted after every run, pg_stat_statements per request.
/// </summary>
public static class WritesBenchmark
{
    private sealed record Options(
        string[] Engines, int[] Clients, double Seconds, int Owners, bool SkipAnchors, int[] ReadClients, int ColdRuns,
        string[] Sections, double Warmup, int Threads, string? Postgres, bool PgRestart, string Root, string RunDir, bool Keep, string[] ServerExtra, double Quiet, int Attempts)
    {
        public string ServerDll => Path.Combine(Root, "src/Yibao.Server/bin/Release/net10.0/Yibao.Server.dll");
        public string CliDll => Path.Combine(Root, "src/Yibao.Cli/bin/Release/net10.0/yibao.dll");
        public string HelloDll => Path.Combine(Root, "bench/HelloWorld/bin/Release/net10.0/HelloWorld.dll");
        public bool Has(string section) => Sections.Contains(section, StringComparer.Ordinal);
        public bool Engine(string engine) => Engines.Contains(engine, StringComparer.Ordinal);
    }

    /// <summary>What the summary needs from the sections.</summary>
    private sealed class Results
    {
        public readonly Dictionary<(string Engine, int Clients), Measurement> Anchor = [];
        public readonly Dictionary<(string Engine, int Clients), Measurement> Yibao = [];
        public readonly Dictionary<int, (Measurement Yibao, Measurement Hello)> Reads = [];
        public readonly Dictionary<string, List<double>> Cold = new(StringComparer.Ordinal);
        public int VerifiedRuns;
        public int CheckedRuns;
        public int StoredRuns;
        public readonly List<string> Failures = [];
        public string? SqliteDatabase;
    }

    private static readonly TextWriter Out = Console.Out;

    public static async Task<int> RunAsync(string[] args)
    {
        Options o;
        try
        {
            o = Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync("writes: " + e.Message).ConfigureAwait(false);
            return 2;
        }
        Directory.CreateDirectory(o.RunDir);
        foreach (var (file, what) in new[] { (o.ServerDll, "Yibao.Server"), (o.CliDll, "yibao CLI"), (o.HelloDll, "HelloWorld") })
        {
            if (!File.Exists(file))
            {
                await Console.Error.WriteLineAsync($"writes: {what} is not built at {file}; run: dotnet build Yibao.sln -c Release").ConfigureAwait(false);
                return 2;
            }
        }

        Out.WriteLine("# yibao-bench writes (issue 16)");
        Out.WriteLine();
        Out.WriteLine($"- code: {Git(o.Root, "rev-parse --abbrev-ref HEAD")} {Git(o.Root, "rev-parse --short HEAD")} ({Git(o.Root, "log -1 --format=%cd --date=iso")}), Release build of {File.GetLastWriteTime(o.ServerDll):yyyy-MM-dd HH:mm}");
        Out.WriteLine(Format.Inv($"- machine: {Environment.ProcessorCount} cores, load average {Machine.LoadAverage()}, busy {Format.Percent(await Machine.SampleBusyAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))} over 2 s before the run (other work on the machine), .NET {Environment.Version}"));
        Out.WriteLine(Format.Inv($"- load: {o.Seconds:0.#} s per run, clients {string.Join(",", o.Clients)}, {o.Owners:N0} owners each with a binding, a new Idempotency-Key per request, wrk/pgbench threads ≤ {o.Threads}, wrk timeout {Wrk.Timeout}, warm-up {o.Warmup:0.#} s"));
        Out.WriteLine($"- run folder: {o.RunDir} (scripts, server logs, SQLite files)");
        Out.WriteLine();

        var results = new Results();
        try
        {
            if (o.Has("spends") && o.Engine("postgres")) await PostgresSpendsAsync(o, results).ConfigureAwait(false);
            if (o.Has("spends") && o.Engine("sqlite")) await SqliteSpendsAsync(o, results).ConfigureAwait(false);
            if (o.Has("reads")) await ReadsAsync(o, results).ConfigureAwait(false);
            if (o.Has("cold")) await ColdStartAsync(o, results).ConfigureAwait(false);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
        }
        Summary(o, results);
        return results.Failures.Count == 0 ? 0 : 1;
    }

    private static Options Parse(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int[] Ints(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            "--engines", "--clients", "--seconds", "--owners", "--skip-anchors", "--read-clients", "--cold-runs", "--sections", "--warmup",
            "--threads", "--database", "--pg-restart", "--root", "--out", "--keep", "--server-arg", "--quiet", "--attempts",
        };
        var extra = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--server-arg" && i + 1 < args.Length) extra.Add(args[++i]);
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && !known.Contains(args[i])) throw new ArgumentException($"unknown option {args[i]}; options: {string.Join(' ', known.Order(StringComparer.Ordinal))}");
        }
        var engines = Arg("--engines", "postgres,sqlite").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (engines.Any(e => e is not ("postgres" or "sqlite"))) throw new ArgumentException("--engines takes postgres, sqlite or both");
        var sections = Arg("--sections", "spends,reads,cold").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (sections.Any(s => s is not ("spends" or "reads" or "cold"))) throw new ArgumentException("--sections takes spends, reads, cold");
        var postgres = Arg("--database", "") is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable("YIBAO_TEST_POSTGRES");
        if (engines.Contains("postgres") && string.IsNullOrWhiteSpace(postgres))
            throw new ArgumentException("--engines postgres needs a server: run under YIBAO_PG_DURABLE=1 scripts/with-postgres.sh, or give --database Host=…, or --engines sqlite");
        var root = Arg("--root", "") is { Length: > 0 } r ? Path.GetFullPath(r) : FindRoot();
        var runDir = Arg("--out", "") is { Length: > 0 } d ? Path.GetFullPath(d)
            : Path.Combine(Path.GetTempPath(), $"yibao-bench-writes-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        return new Options(engines, Ints(Arg("--clients", "1,8,32")), double.Parse(Arg("--seconds", "20"), CultureInfo.InvariantCulture),
            int.Parse(Arg("--owners", "2000"), CultureInfo.InvariantCulture), args.Contains("--skip-anchors"), Ints(Arg("--read-clients", "8,64")),
            int.Parse(Arg("--cold-runs", "5"), CultureInfo.InvariantCulture), sections, double.Parse(Arg("--warmup", "5"), CultureInfo.InvariantCulture),
            int.Parse(Arg("--threads", "2"), CultureInfo.InvariantCulture), postgres, Arg("--pg-restart", "auto") != "no", root, runDir, args.Contains("--keep"), extra.ToArray(),
            double.Parse(Arg("--quiet", "0"), CultureInfo.InvariantCulture), int.Parse(Arg("--attempts", "3"), CultureInfo.InvariantCulture));
    }

    /// <summary>The checkout: the folder holding Yibao.sln, above the current one or above this program.</summary>
    private static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Yibao.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("no Yibao.sln above the current folder; give --root <checkout>");
    }

    private static string Git(string root, string args)
    {
        try
        {
            var info = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-C");
            info.ArgumentList.Add(root);
            foreach (var a in args.Split(' ')) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? text : "?";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    /// <summary>What else the machine is doing as a section starts: the load average and the busy share of all cores over 2 s.</summary>
    private static async Task MachineLineAsync()
    {
        var busy = await Machine.SampleBusyAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        Out.WriteLine(Format.Inv($"- machine before this section: load average {Machine.LoadAverage()}, {Format.Percent(busy)} of the cores busy over 2 s (other work; the tables' \"others\" column is the same during each run)"));
    }

    /// <summary>
    /// With <c>--quiet P</c>: waits (at most 20 min) until no more than P% of the cores are busy
    /// over 2 s before a run, so that other engineers' builds are not measured with it.
    /// </summary>
    private static async Task WaitForQuietAsync(Options o)
    {
        if (o.Quiet <= 0) return;
        var watch = Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            var busy = await Machine.SampleBusyAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            if (busy <= o.Quiet) break;
            if (watch.Elapsed > TimeSpan.FromMinutes(20))
            {
                Progress(Format.Inv($"still {busy:0}% busy after 20 min; measuring anyway"));
                return;
            }
            if (!said) Progress(Format.Inv($"waiting for a quiet machine ({busy:0}% of the cores busy, --quiet {o.Quiet:0})"));
            said = true;
        }
        if (said) Progress(Format.Inv($"quiet after {watch.Elapsed.TotalSeconds:0} s"));
    }

    /// <summary>
    /// One measured run, after <see cref="WaitForQuietAsync"/>; with <c>--quiet P</c>, a run during
    /// which other processes used more than P% of the cores runs again (up to <c>--attempts</c>).
    /// </summary>
    private static async Task<T> MeasuredAsync<T>(Options o, string what, Func<Task<T>> run, Func<T, Measurement> measurement)
    {
        for (var attempt = 1; ; attempt++)
        {
            await WaitForQuietAsync(o).ConfigureAwait(false);
            var result = await run().ConfigureAwait(false);
            if (o.Quiet <= 0 || attempt >= o.Attempts || measurement(result).Cpu is not { } c || double.IsNaN(c.Others) || c.Others <= o.Quiet) return result;
            Progress(Format.Inv($"{what}: other processes used {c.Others:0}% of the cores during the run; again ({attempt + 1} of {o.Attempts})"));
        }
    }

    private static void Progress(string line)
    {
        Out.WriteLine($"  … {DateTime.Now:HH:mm:ss} {line}");
        Out.Flush();
    }

    // ---------------------------------------------------------------- spends

    /// <summary>
    /// Server arguments shared by every Yibao run under load: the database, no demo seed, no
    /// background transfer rounds during the load, and whatever <c>--server-arg</c> adds.
    /// </summary>
    private static string[] ServerArgs(Options o, string database) =>
        [$"--Yibao:Database={database}", "--Yibao:SeedDemo=false", "--Yibao:TransferDispatchSeconds=0", .. o.ServerExtra];

    /// <summary>
    /// The server says which engine it opened ("Database ready (Postgres)") before it listens: a
    /// server that ignored the database option would be measured on the wrong engine.
    /// </summary>
    private static async Task<string> EngineOfAsync(ChildServer server, string expected)
    {
        for (var i = 0; i < 100; i++)
        {
            var log = server.Tail(200);
            var at = log.IndexOf("Database ready (", StringComparison.Ordinal);
            if (at >= 0)
            {
                var engine = log[(at + "Database ready (".Length)..].Split(')')[0];
                if (!string.Equals(engine, expected, StringComparison.OrdinalIgnoreCase))
                    throw new InvalidOperationException($"the server opened {engine}, not {expected}; see {server.LogPath}");
                return engine;
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
        return "? (the log does not say)";
    }

    private static async Task PostgresSpendsAsync(Options o, Results results)
    {
        Out.WriteLine("## Family-aid spend on PostgreSQL: Yibao's endpoint and pgbench of the same transaction, on the same server");
        Out.WriteLine();
        await MachineLineAsync().ConfigureAwait(false);
        var server = new PgServer(o.Postgres!);
        await server.DescribeAsync().ConfigureAwait(false);
        var whyNoStatements = await server.EnsureStatementStatisticsAsync(o.PgRestart).ConfigureAwait(false);
        var statements = whyNoStatements is null;
        Out.WriteLine($"- {await server.DescribeAsync().ConfigureAwait(false)}");
        Out.WriteLine(statements ? "- pg_stat_statements: loaded (created in the bench databases)" : $"- pg_stat_statements: not used — {whyNoStatements}");

        string? script = null;
        if (!o.SkipAnchors)
        {
            await Anchors.PreparePostgresAsync(server, o.Owners, statements).ConfigureAwait(false);
            script = Path.Combine(o.RunDir, "anchor-postgres.sql");
            await File.WriteAllTextAsync(script, Anchors.PgbenchScript(o.Owners)).ConfigureAwait(false);
        }
        const string database = "yibao_bench_writes";
        await server.CreateDatabaseAsync(database).ConfigureAwait(false);
        if (statements) await PgStatements.CreateExtensionAsync(server, database).ConfigureAwait(false);
        var cs = server.ConnectionString(database);
        var prepared = await SpendData.PrepareAsync(cs, o.Owners, parallel: 4).ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
        await server.ExecAsync(database, "VACUUM ANALYZE").ConfigureAwait(false);
        Out.WriteLine(Format.Inv($"- data: {o.Owners:N0} owners, bindings and opening balances through RecordsStore, LedgerStore and FamilyAidStore.BindRelativeAsync in {prepared.Took.TotalSeconds:0.0} s; spends dated {prepared.Today:yyyy-MM-dd} (today in China)"));
        Out.WriteLine();

        var rows = new List<(Measurement M, double? Ratio)>();
        var statementRows = new List<(string What, int Clients, PgStatements.Use Use)>();
        var luaPath = Path.Combine(o.RunDir, "spend.lua");
        await File.WriteAllTextAsync(luaPath, Wrk.SpendScript(prepared.BindingIds, prepared.Today)).ConfigureAwait(false);
        await using (var yibao = await ChildServer.StartAsync(o.ServerDll, ServerArgs(o, cs), Path.Combine(o.RunDir, "server-postgres"),
                         Path.Combine(o.RunDir, "server-postgres.log"), TimeSpan.FromMinutes(2)).ConfigureAwait(false))
        {
            Progress($"Yibao.Server (pid {yibao.Pid}, {await EngineOfAsync(yibao, "Postgres").ConfigureAwait(false)}) at {yibao.Url}, up in {yibao.StartedIn.TotalSeconds:0.00} s; warm-up {o.Warmup:0.#} s at 8 connections");
            if (o.Warmup > 0) await Wrk.RunAsync("warm-up", yibao.Url, luaPath, 8, o.Threads, o.Warmup, "pg-warm").ConfigureAwait(false);
            foreach (var clients in o.Clients)
            {
                Measurement? anchor = null;
                if (script is not null)
                {
                    PgStatements.Use? anchorUse;
                    (anchor, anchorUse) = await MeasuredAsync(o, $"pgbench {clients}", async () =>
                    {
                        var run = $"a{clients}x{Guid.NewGuid():N}"[..12];
                        var before = statements ? await PgStatements.ReadAsync(server, Anchors.PostgresDatabase).ConfigureAwait(false) : null;
                        var anchorWindow = CpuWindow.Start(postgres: server);
                        var a = await Anchors.RunPgbenchAsync(server, script, clients, o.Threads, o.Seconds, o.RunDir, run).ConfigureAwait(false);
                        a = a with { Cpu = anchorWindow.Stop(a.Ok) };
                        var use = before is null ? null : PgStatements.Between(before, await PgStatements.ReadAsync(server, Anchors.PostgresDatabase).ConfigureAwait(false), a.Ok);
                        return (a, use);
                    }, r => r.a).ConfigureAwait(false);
                    if (anchorUse is not null) statementRows.Add(("pgbench anchor", clients, anchorUse));
                    if (anchor.ChecksFailed) results.Failures.Add($"pgbench {clients}: {string.Join("; ", anchor.Checks)}");
                    results.Anchor[("postgres", clients)] = anchor;
                    rows.Add((anchor, null));
                    Progress(Format.Inv($"pgbench {clients} clients: {anchor.Rate:0}/s, p99 {Format.Ms(anchor.P99)} ms"));
                }

                var (m, yibaoUse) = await MeasuredAsync(o, $"Yibao {clients}", async () =>
                {
                    var prefix = $"pg-c{clients}-{Guid.NewGuid():N}"[..16];
                    var snapshot = statements ? await PgStatements.ReadAsync(server, database).ConfigureAwait(false) : null;
                    var window = CpuWindow.Start(yibao, server);
                    var wrk = await Wrk.RunAsync("Yibao spend", yibao.Url, luaPath, clients, o.Threads, o.Seconds, prefix, Path.Combine(o.RunDir, prefix + ".keys")).ConfigureAwait(false);
                    var measured = wrk.Measurement with { Cpu = window.Stop(wrk.Measurement.Completed) };
                    var use = snapshot is null ? null : PgStatements.Between(snapshot, await PgStatements.ReadAsync(server, database).ConfigureAwait(false), measured.Completed);
                    await CheckAsync(o, results, measured, cs, prefix, wrk).ConfigureAwait(false);
                    return (measured, use);
                }, r => r.measured).ConfigureAwait(false);
                if (yibaoUse is not null) statementRows.Add(("Yibao spend", clients, yibaoUse));
                results.Yibao[("postgres", clients)] = m;
                rows.Add((m, anchor is null ? null : m.Rate / anchor.Rate));
                Progress(Format.Inv($"Yibao {clients} connections: {m.Rate:0}/s, p99 {Format.Ms(m.P99)} ms; {string.Join("; ", m.Checks)}"));
            }
        }

        Out.WriteLine();
        SpendTable(rows);
        Out.WriteLine("- target (issue 16): Yibao ≥ 0.6× pgbench at 8 clients, p99 < 20 ms at 32");
        if (statementRows.Count > 0)
        {
            Out.WriteLine();
            Out.WriteLine("### pg_stat_statements per request (transaction control counted apart)");
            Out.WriteLine();
            var table = new Table("run", "clients", "statements/req", "exec ms/req", "BEGIN/COMMIT per req", "exec ms/req incl. BEGIN/COMMIT");
            foreach (var (what, clients, use) in statementRows)
                table.Row(what, clients, use.StatementsPerRequest.ToString("0.0", CultureInfo.InvariantCulture), use.ExecMsPerRequest.ToString("0.000", CultureInfo.InvariantCulture),
                    use.ControlPerRequest.ToString("0.0", CultureInfo.InvariantCulture), use.AllExecMsPerRequest.ToString("0.000", CultureInfo.InvariantCulture));
            table.Print(Out);
            var reference = o.Clients.Contains(8) ? 8 : o.Clients.Max();
            foreach (var what in new[] { "Yibao spend", "pgbench anchor" })
            {
                if (statementRows.FirstOrDefault(r => r.What == what && r.Clients == reference) is { Use: { } use })
                {
                    Out.WriteLine();
                    Out.WriteLine(Format.Inv($"Where the execution time goes, {what} at {reference} clients ({use.Requests:N0} requests):"));
                    Out.WriteLine();
                    PgStatements.PrintBreakdown(use, Out);
                }
            }
        }
        Out.WriteLine();
        if (!o.Keep)
        {
            await server.DropDatabaseAsync(database).ConfigureAwait(false);
            if (!o.SkipAnchors) await server.DropDatabaseAsync(Anchors.PostgresDatabase).ConfigureAwait(false);
        }
    }

    private static async Task SqliteSpendsAsync(Options o, Results results)
    {
        Out.WriteLine("## Family-aid spend on SQLite: Yibao's endpoint and the same transaction in-process");
        Out.WriteLine();
        await MachineLineAsync().ConfigureAwait(false);
        var anchorFile = Path.Combine(o.RunDir, "sqlite-anchor.db");
        if (!o.SkipAnchors)
        {
            DeleteSqlite(anchorFile);
            Anchors.PrepareSqlite(anchorFile, o.Owners);
        }
        var file = Path.Combine(o.RunDir, "sqlite-yibao.db");
        DeleteSqlite(file);
        var prepared = await SpendData.PrepareAsync(file, o.Owners, parallel: 1).ConfigureAwait(false);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        results.SqliteDatabase = file;
        Out.WriteLine($"- SQLite {SqliteVersion(file)} (Microsoft.Data.Sqlite), files in {o.RunDir}: WAL, synchronous={SqliteSynchronous(file)} on Yibao's connections (the anchor sets FULL), BEGIN IMMEDIATE, busy_timeout 60 s");
        Out.WriteLine(Format.Inv($"- data: {o.Owners:N0} owners as on PostgreSQL, prepared in {prepared.Took.TotalSeconds:0.0} s; spends dated {prepared.Today:yyyy-MM-dd}"));
        Out.WriteLine();

        var rows = new List<(Measurement M, double? Ratio)>();
        var luaPath = Path.Combine(o.RunDir, "spend.lua");
        await File.WriteAllTextAsync(luaPath, Wrk.SpendScript(prepared.BindingIds, prepared.Today)).ConfigureAwait(false);
        if (!o.SkipAnchors) Anchors.RunSqlite(anchorFile, 2, Math.Min(2, o.Warmup), o.Owners, "warm"); // JIT and page cache
        await using (var yibao = await ChildServer.StartAsync(o.ServerDll, ServerArgs(o, file), Path.Combine(o.RunDir, "server-sqlite"),
                         Path.Combine(o.RunDir, "server-sqlite.log"), TimeSpan.FromMinutes(2)).ConfigureAwait(false))
        {
            Progress($"Yibao.Server (pid {yibao.Pid}, {await EngineOfAsync(yibao, "Sqlite").ConfigureAwait(false)}) at {yibao.Url}, up in {yibao.StartedIn.TotalSeconds:0.00} s; warm-up {o.Warmup:0.#} s at 8 connections");
            if (o.Warmup > 0) await Wrk.RunAsync("warm-up", yibao.Url, luaPath, 8, o.Threads, o.Warmup, "sq-warm").ConfigureAwait(false);
            foreach (var clients in o.Clients)
            {
                Measurement? anchor = null;
                if (!o.SkipAnchors)
                {
                    anchor = await MeasuredAsync(o, $"in-process anchor {clients}", () =>
                    {
                        var anchorWindow = CpuWindow.Start();
                        var a = Anchors.RunSqlite(anchorFile, clients, o.Seconds, o.Owners, $"a{clients}x{Guid.NewGuid():N}"[..12]);
                        return Task.FromResult(a with { Cpu = anchorWindow.Stop(a.Ok) });
                    }, a => a).ConfigureAwait(false);
                    if (anchor.ChecksFailed) results.Failures.Add($"in-process anchor {clients}: {string.Join("; ", anchor.Checks)}");
                    results.Anchor[("sqlite", clients)] = anchor;
                    rows.Add((anchor, null));
                    Progress(Format.Inv($"in-process anchor {clients} connections: {anchor.Rate:0}/s, p99 {Format.Ms(anchor.P99)} ms"));
                }
                var m = await MeasuredAsync(o, $"Yibao {clients}", async () =>
                {
                    var prefix = $"sq-c{clients}-{Guid.NewGuid():N}"[..16];
                    var window = CpuWindow.Start(yibao);
                    var wrk = await Wrk.RunAsync("Yibao spend", yibao.Url, luaPath, clients, o.Threads, o.Seconds, prefix, Path.Combine(o.RunDir, prefix + ".keys")).ConfigureAwait(false);
                    var measured = wrk.Measurement with { Cpu = window.Stop(wrk.Measurement.Completed) };
                    await CheckAsync(o, results, measured, file, prefix, wrk).ConfigureAwait(false);
                    return measured;
                }, x => x).ConfigureAwait(false);
                results.Yibao[("sqlite", clients)] = m;
                rows.Add((m, anchor is null ? null : m.Rate / anchor.Rate));
                Progress(Format.Inv($"Yibao {clients} connections: {m.Rate:0}/s, p99 {Format.Ms(m.P99)} ms; {string.Join("; ", m.Checks)}"));
            }
        }
        Out.WriteLine();
        SpendTable(rows);
        Out.WriteLine("- target (issue 16): Yibao ≥ 0.5× the in-process anchor at 8 connections, p99 < 50 ms at 8");
        Out.WriteLine();
    }

    private static string SqliteVersion(string file) => SqliteScalar(file, "SELECT sqlite_version()");

    /// <summary>What a connection opened as Yibao opens them gets: 2 is FULL, 1 NORMAL.</summary>
    private static string SqliteSynchronous(string file) => SqliteScalar(file, "PRAGMA synchronous") switch { "2" => "FULL", "1" => "NORMAL", "3" => "EXTRA", var x => x };

    private static string SqliteScalar(string file, string sql)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(cmd.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "?";
    }

    private static void DeleteSqlite(string file)
    {
        foreach (var f in new[] { file, file + "-wal", file + "-shm" })
        {
            if (File.Exists(f)) File.Delete(f);
        }
    }

    /// <summary>
    /// After a Yibao run: every key answered 2xx has its spend stored, the only spends stored
    /// beyond those are of requests still in flight when wrk stopped (wrk does not wait for them),
    /// and <c>yibao ledger verify</c> passes.
    /// </summary>
    private static async Task CheckAsync(Options o, Results results, Measurement m, string database, string prefix, Wrk.Result wrk)
    {
        results.CheckedRuns++;
        var stored = await SpendData.StoredKeysAsync(database, prefix).ConfigureAwait(false);
        bool ok;
        string what;
        if (wrk.Answered.Count == 0 && m.Ok > 0)
        {
            // The answers carry no idempotencyKey (a changed response): count only.
            var beyond = stored.Count - m.Ok;
            ok = beyond >= 0 && beyond <= wrk.InFlight;
            what = Format.Inv($"stored {stored.Count:N0} for {m.Ok:N0} 2xx, {wrk.InFlight} in flight at the stop (counted only: no idempotencyKey in the answers)");
        }
        else
        {
            var missing = wrk.Answered.Count(k => !stored.Contains(k));
            var beyond = stored.Count(k => !wrk.Answered.Contains(k));
            ok = wrk.Answered.Count == m.Ok && missing == 0 && beyond <= wrk.InFlight;
            what = ok
                ? beyond == 0 ? Format.Inv($"stored {stored.Count:N0} = 2xx") : Format.Inv($"stored {stored.Count:N0} = 2xx + {beyond} of {wrk.InFlight} in flight at the stop")
                : Format.Inv($"stored {stored.Count:N0} for {m.Ok:N0} 2xx ({wrk.Answered.Count:N0} keys read from the answers, {missing} of them not stored; {beyond} stored beyond them, {wrk.InFlight} in flight at the stop)");
        }
        if (ok)
        {
            results.StoredRuns++;
            m.Checks.Add(what);
        }
        else
        {
            m.Checks.Add(what.ToUpperInvariant());
            m.ChecksFailed = true;
            results.Failures.Add($"{m.What} {m.Clients} connections: {what}");
        }
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = o.RunDir };
        foreach (var a in new[] { o.CliDll, "ledger", "verify", "--database", database }) info.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var cli = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var output = await cli.StandardOutput.ReadToEndAsync().ConfigureAwait(false) + await cli.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await cli.WaitForExitAsync().ConfigureAwait(false);
        if (cli.ExitCode == 0)
        {
            results.VerifiedRuns++;
            m.Checks.Add(Format.Inv($"ledger verify OK ({watch.Elapsed.TotalSeconds:0.0} s)"));
        }
        else
        {
            m.Checks.Add($"LEDGER VERIFY FAILED ({cli.ExitCode})");
            m.ChecksFailed = true;
            results.Failures.Add($"{m.What} {m.Clients} connections: yibao ledger verify exit {cli.ExitCode}:\n{output.Trim()}");
        }
    }

    private static void SpendTable(List<(Measurement M, double? Ratio)> rows)
    {
        var table = new Table("run", "clients", "completed", "2xx/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "non-2xx / errors", "ratio to anchor",
            "CPU ms/req: server", "PostgreSQL", "load", "machine busy", "others", "checks");
        foreach (var (m, ratio) in rows)
        {
            table.Row(m.What, m.Clients, Format.Count(m.Completed), Format.Rate(m.Rate), Format.Ms(m.P50), Format.Ms(m.P95), Format.Ms(m.P99), Format.Ms(m.Max),
                NotOk(m), ratio is null ? "" : Format.Ratio(ratio), Format.Cpu(m.Cpu?.ServerMs), Format.Cpu(m.Cpu?.PostgresMs), Format.Cpu(m.Cpu?.LoadMs),
                Busy(m), Others(m), string.Join("; ", m.Checks));
        }
        table.Print(Out);
        foreach (var (m, _) in rows.Where(r => r.M.Sample is not null))
            Out.WriteLine($"- {m.What} at {m.Clients}: first non-2xx answer: {m.Sample}");
    }

    private static string Busy(Measurement m) => m.Cpu is { } c && !double.IsNaN(c.MachineBusy) ? Format.Percent(c.MachineBusy) : "—";

    private static string Others(Measurement m) => m.Cpu is { } c && !double.IsNaN(c.Others) ? Format.Percent(c.Others) : "—";

    private static string NotOk(Measurement m) =>
        m.NotOk == 0 && m.Errors == 0 ? "0" : Format.Inv($"{m.NotOk:N0}{(m.Statuses.Length > 0 ? $" ({m.Statuses})" : "")}{(m.Errors > 0 ? $", {m.Errors:N0} errors" : "")}");

    // ---------------------------------------------------------------- balance reads

    private static async Task ReadsAsync(Options o, Results results)
    {
        Out.WriteLine("## Balance reads on SQLite: GET /api/accounts/{code}/balance next to a hello-world ASP.NET Core app");
        Out.WriteLine();
        await MachineLineAsync().ConfigureAwait(false);
        var file = results.SqliteDatabase;
        IReadOnlyList<string> accounts;
        if (file is null)
        {
            file = Path.Combine(o.RunDir, "sqlite-yibao.db");
            DeleteSqlite(file);
            var prepared = await SpendData.PrepareAsync(file, o.Owners, parallel: 1).ConfigureAwait(false);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            accounts = prepared.OwnerAccounts;
            Out.WriteLine(Format.Inv($"- data: {o.Owners:N0} owners prepared in {prepared.Took.TotalSeconds:0.0} s"));
        }
        else
        {
            accounts = Enumerable.Range(0, o.Owners).Select(i => Yibao.Domain.Ledger.AccountCode.Personal(SpendData.Region, SpendData.Owner(i).Value).Value).ToList();
            Out.WriteLine(Format.Inv($"- data: the SQLite database of the spend runs ({o.Owners:N0} owners with their spends)"));
        }
        Out.WriteLine("- a random owner's account per request; the hello-world app answers the same route with a constant document of the same shape");
        Out.WriteLine();
        var luaPath = Path.Combine(o.RunDir, "balance.lua");
        await File.WriteAllTextAsync(luaPath, Wrk.BalanceScript(accounts)).ConfigureAwait(false);
        var rows = new List<(Measurement M, double? Ratio)>();
        await using (var yibao = await ChildServer.StartAsync(o.ServerDll, ServerArgs(o, file), Path.Combine(o.RunDir, "server-reads"),
                         Path.Combine(o.RunDir, "server-reads.log"), TimeSpan.FromMinutes(2)).ConfigureAwait(false))
        await using (var hello = await ChildServer.StartAsync(o.HelloDll, [], Path.Combine(o.RunDir, "hello"),
                         Path.Combine(o.RunDir, "hello.log"), TimeSpan.FromMinutes(1)).ConfigureAwait(false))
        {
            var warm = Math.Min(3, o.Warmup);
            if (warm > 0)
            {
                await Wrk.RunAsync("warm-up", yibao.Url, luaPath, 8, o.Threads, warm, "r").ConfigureAwait(false);
                await Wrk.RunAsync("warm-up", hello.Url, luaPath, 8, o.Threads, warm, "r").ConfigureAwait(false);
            }
            foreach (var clients in o.ReadClients)
            {
                var measured = new List<Measurement>();
                foreach (var (what, server) in new[] { ("Yibao balance", yibao), ("hello-world", hello) })
                {
                    measured.Add(await MeasuredAsync(o, $"{what} {clients}", async () =>
                    {
                        var window = CpuWindow.Start(server);
                        var wrk = await Wrk.RunAsync(what, server.Url, luaPath, clients, o.Threads, o.Seconds, "r").ConfigureAwait(false);
                        return wrk.Measurement with { Cpu = window.Stop(wrk.Measurement.Completed) };
                    }, x => x).ConfigureAwait(false));
                }
                results.Reads[clients] = (measured[0], measured[1]);
                rows.Add((measured[0], measured[0].Rate / measured[1].Rate));
                rows.Add((measured[1], null));
                Progress(Format.Inv($"{clients} connections: Yibao {measured[0].Rate:0}/s, hello-world {measured[1].Rate:0}/s"));
            }
        }
        Out.WriteLine();
        var table = new Table("app", "connections", "completed", "2xx/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "non-2xx / errors", "ratio to hello-world",
            "CPU ms/req: server", "load", "machine busy", "others");
        foreach (var (m, ratio) in rows)
            table.Row(m.What, m.Clients, Format.Count(m.Completed), Format.Rate(m.Rate), Format.Ms(m.P50), Format.Ms(m.P95), Format.Ms(m.P99), Format.Ms(m.Max), NotOk(m),
                ratio is null ? "" : Format.Ratio(ratio), Format.Cpu(m.Cpu?.ServerMs), Format.Cpu(m.Cpu?.LoadMs), Busy(m), Others(m));
        table.Print(Out);
        foreach (var (m, _) in rows.Where(r => r.M.Sample is not null))
            Out.WriteLine($"- {m.What} at {m.Clients}: first non-2xx answer: {m.Sample}");
        Out.WriteLine("- no target in issue 16; it measured 0.48× at 8 and 0.37× at 64");
        Out.WriteLine();
    }

    // ---------------------------------------------------------------- cold start

    private static async Task ColdStartAsync(Options o, Results results)
    {
        Out.WriteLine("## Cold start: from process start to the first 200 of /health");
        Out.WriteLine();
        await MachineLineAsync().ConfigureAwait(false);
        var dir = Path.Combine(o.RunDir, "cold");
        Directory.CreateDirectory(dir);
        var existing = Path.Combine(dir, "existing.db");
        DeleteSqlite(existing);
        PgServer? pg = o.Engine("postgres") ? new PgServer(o.Postgres!) : null;
        var durable = "";
        if (pg is not null)
        {
            await pg.DescribeAsync().ConfigureAwait(false);
            durable = await pg.ScalarAsync<string>(pg.AdminDatabase, "SHOW fsync").ConfigureAwait(false) == "on" ? "durable (fsync on)" : "NOT durable (fsync off)";
        }

        // The existing-data database is the demo region seeded by a first start (not counted); a first
        // start of the hello-world app (not counted either) warms the runtime's files alike.
        await StartStopAsync(o, o.ServerDll, [$"--Yibao:Database={existing}"], dir, "seed").ConfigureAwait(false);
        await StartStopAsync(o, o.HelloDll, [], dir, "hello-first").ConfigureAwait(false);

        var kinds = new List<(string Name, Func<int, Task<(string Dll, string[] Args, Func<Task> After)>> Setup)>
        {
            ("hello-world", _ => Task.FromResult((o.HelloDll, Array.Empty<string>(), (Func<Task>)(() => Task.CompletedTask)))),
            ("Yibao, SQLite, existing data (demo seeded)", _ => Task.FromResult((o.ServerDll, new[] { $"--Yibao:Database={existing}" }, (Func<Task>)(() => Task.CompletedTask)))),
            ("Yibao, SQLite, fresh file (migrations + demo seed)", i =>
            {
                var fresh = Path.Combine(dir, $"fresh-{i}.db");
                DeleteSqlite(fresh);
                return Task.FromResult((o.ServerDll, new[] { $"--Yibao:Database={fresh}" }, (Func<Task>)(() =>
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    DeleteSqlite(fresh);
                    return Task.CompletedTask;
                })));
            }),
        };
        if (pg is not null)
        {
            kinds.Add(($"Yibao, PostgreSQL {durable}, fresh database (migrations + demo seed)", async i =>
            {
                var name = $"yibao_bench_cold_{i}";
                await pg.CreateDatabaseAsync(name).ConfigureAwait(false);
                return (o.ServerDll, new[] { $"--Yibao:Database={pg.ConnectionString(name)}" }, (Func<Task>)(() => pg.DropDatabaseAsync(name)));
            }));
        }
        foreach (var (name, _) in kinds) results.Cold[name] = [];
        for (var i = 0; i < o.ColdRuns; i++)
        {
            await WaitForQuietAsync(o).ConfigureAwait(false);
            foreach (var (name, setup) in kinds)
            {
                var (dll, args, after) = await setup(i).ConfigureAwait(false);
                var took = await StartStopAsync(o, dll, args, dir, $"cold-{i}").ConfigureAwait(false);
                await after().ConfigureAwait(false);
                results.Cold[name].Add(took.TotalSeconds);
            }
            Progress($"cold start round {i + 1}/{o.ColdRuns}: " + string.Join(", ", results.Cold.Select(kv => Format.Inv($"{kv.Value[^1]:0.00} s"))));
        }
        Out.WriteLine();
        var hello = Median(results.Cold["hello-world"]);
        var table = new Table("start", "runs", "median s", "min s", "max s", "ratio to hello-world (median)");
        foreach (var (name, times) in results.Cold)
            table.Row(name, times.Count, Median(times).ToString("0.00", CultureInfo.InvariantCulture), times.Min().ToString("0.00", CultureInfo.InvariantCulture),
                times.Max().ToString("0.00", CultureInfo.InvariantCulture), name == "hello-world" ? "" : Format.Ratio(Median(times) / hello));
        table.Print(Out);
        Out.WriteLine("- target (issue 16): Yibao on existing data ≤ 2× hello-world");
        Out.WriteLine();
    }

    private static async Task<TimeSpan> StartStopAsync(Options o, string dll, string[] args, string dir, string tag)
    {
        await using var server = await ChildServer.StartAsync(dll, args, Path.Combine(dir, "work"), Path.Combine(dir, $"{tag}.log"), TimeSpan.FromMinutes(3)).ConfigureAwait(false);
        return server.StartedIn;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // ---------------------------------------------------------------- summary

    private static void Summary(Options o, Results results)
    {
        Out.WriteLine("## Summary against issue 16's targets");
        Out.WriteLine();
        var table = new Table("target (issue 16)", "measured", "met");
        void Target(string what, string measured, bool? met) => table.Row(what, measured, met switch { true => "yes", false => "**no**", null => "—" });

        if (results.Yibao.TryGetValue(("postgres", 8), out var pg8))
        {
            var anchor = results.Anchor.GetValueOrDefault(("postgres", 8));
            var ratio = anchor is null ? (double?)null : pg8.Rate / anchor.Rate;
            Target("PostgreSQL: ≥ 0.6× pgbench at 8 clients",
                Format.Inv($"{pg8.Rate:0}/s vs {(anchor is null ? "—" : anchor.Rate.ToString("0", CultureInfo.InvariantCulture))}/s = {Format.Ratio(ratio)}"), ratio is null ? null : ratio >= 0.6);
        }
        if (results.Yibao.TryGetValue(("postgres", 32), out var pg32))
            Target("PostgreSQL: p99 < 20 ms at 32 clients", Format.Inv($"p99 {Format.Ms(pg32.P99)} ms (pgbench {Format.Ms(results.Anchor.GetValueOrDefault(("postgres", 32))?.P99 ?? double.NaN)} ms)"), pg32.P99 < 20);
        if (results.Yibao.TryGetValue(("sqlite", 8), out var sq8))
        {
            var anchor = results.Anchor.GetValueOrDefault(("sqlite", 8));
            var ratio = anchor is null ? (double?)null : sq8.Rate / anchor.Rate;
            Target("SQLite: ≥ 0.5× the in-process anchor at 8",
                Format.Inv($"{sq8.Rate:0}/s vs {(anchor is null ? "—" : anchor.Rate.ToString("0", CultureInfo.InvariantCulture))}/s = {Format.Ratio(ratio)}"), ratio is null ? null : ratio >= 0.5);
            Target("SQLite: p99 < 50 ms at 8", Format.Inv($"p99 {Format.Ms(sq8.P99)} ms"), sq8.P99 < 50);
        }
        if (results.Cold.TryGetValue("hello-world", out var hello) && results.Cold.TryGetValue("Yibao, SQLite, existing data (demo seeded)", out var existing))
        {
            var ratio = Median(existing) / Median(hello);
            Target("cold start ≤ 2× hello-world on existing data", Format.Inv($"{Median(existing):0.00} s vs {Median(hello):0.00} s = {Format.Ratio(ratio)}"), ratio <= 2);
        }
        foreach (var (clients, (yibao, helloRead)) in results.Reads)
            Target(Format.Inv($"balance reads at {clients} (no target; issue 16 measured 0.48× / 0.37×)"), Format.Inv($"{yibao.Rate:0}/s vs {helloRead.Rate:0}/s = {Format.Ratio(yibao.Rate / helloRead.Rate)}, p99 {Format.Ms(yibao.P99)} ms"), null);
        if (results.CheckedRuns > 0)
        {
            Target("ledger verify after every Yibao run", Format.Inv($"{results.VerifiedRuns} of {results.CheckedRuns} passed"), results.VerifiedRuns == results.CheckedRuns);
            Target("spends stored = 2xx answers (each answered key stored; beyond them only requests in flight at wrk's stop)",
                Format.Inv($"{results.StoredRuns} of {results.CheckedRuns} runs"), results.StoredRuns == results.CheckedRuns);
        }
        table.Print(Out);
        Out.WriteLine();
        Out.WriteLine(Format.Inv($"- machine at the end: load average {Machine.LoadAverage()}"));
        foreach (var failure in results.Failures) Out.WriteLine($"- FAILED: {failure}");
        Out.WriteLine($"- scripts, server logs and SQLite files: {o.RunDir}");
    }
}
