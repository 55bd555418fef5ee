using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Yibao.Bench.Writes;

/// <summary>
/// The PostgreSQL server of a run (<c>YIBAO_TEST_POSTGRES</c>, as <c>scripts/with-postgres.sh</c>
/// exports it, or <c>--database</c>): databases of the benchmark's own made and dropped on it,
/// its settings, the postmaster's process id for CPU readings, and pg_stat_statements.
/// </summary>
internal sealed class PgServer(string adminConnectionString)
{
    private readonly NpgsqlConnectionStringBuilder _admin = new(adminConnectionString);

    public string Host => _admin.Host ?? "127.0.0.1";
    public int Port => _admin.Port;
    public string User => _admin.Username ?? "postgres";
    public string? Password => _admin.Password;

    /// <summary>The server's <c>bin</c> folder (pgbench, pg_ctl), by its major version; null until <see cref="DescribeAsync"/>.</summary>
    public string? BinDirectory { get; private set; }

    public int? Postmaster { get; private set; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_admin.ConnectionString) { Database = database }.ConnectionString;

    public async Task<T> ScalarAsync<T>(string database, string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString(database));
        await c.OpenAsync().ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(sql, c);
        return (T)Convert.ChangeType((await cmd.ExecuteScalarAsync().ConfigureAwait(false))!, typeof(T), CultureInfo.InvariantCulture);
    }

    public async Task ExecAsync(string database, string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString(database));
        await c.OpenAsync().ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public string AdminDatabase => _admin.Database ?? "postgres";

    public async Task CreateDatabaseAsync(string name)
    {
        await DropDatabaseAsync(name).ConfigureAwait(false);
        await ExecAsync(AdminDatabase, $"CREATE DATABASE \"{name}\"").ConfigureAwait(false);
    }

    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecAsync(AdminDatabase, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").ConfigureAwait(false);
    }

    /// <summary>Version and the settings that decide what a commit costs, in one line; finds the postmaster and the server's binaries.</summary>
    public async Task<string> DescribeAsync()
    {
        var version = await ScalarAsync<string>(AdminDatabase, "SHOW server_version").ConfigureAwait(false);
        var major = await ScalarAsync<int>(AdminDatabase, "SELECT current_setting('server_version_num')::int / 10000").ConfigureAwait(false);
        var bin = $"/usr/lib/postgresql/{major.ToString(CultureInfo.InvariantCulture)}/bin";
        BinDirectory = Directory.Exists(bin) ? bin : null;
        var backend = await ScalarAsync<int>(AdminDatabase, "SELECT pg_backend_pid()").ConfigureAwait(false);
        Postmaster = Machine.ParentOf(backend);
        var settings = new List<string>();
        foreach (var name in new[] { "fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "max_connections", "shared_preload_libraries" })
            settings.Add($"{name}={await ScalarAsync<string>(AdminDatabase, $"SHOW {name}").ConfigureAwait(false)}");
        return $"PostgreSQL {version} at {Host}:{Port.ToString(CultureInfo.InvariantCulture)}: {string.Join(", ", settings)}";
    }

    /// <summary>PostgreSQL's CPU seconds so far (postmaster, live children, ended backends), or null when this process cannot read them.</summary>
    public double? CpuSeconds => Postmaster is { } pid ? Machine.PostgresCpuSeconds(pid) : null;

    /// <summary>
    /// pg_stat_statements needs <c>shared_preload_libraries</c>, which only a restart sets, and
    /// <c>scripts/with-postgres.sh</c> does not pass it. When the server is such a throwaway one
    /// (its data folder under <c>/tmp/yibao-pg.</c>) and this process may run its <c>pg_ctl</c>,
    /// the setting is added with ALTER SYSTEM and the server restarted with its own options
    /// (pg_ctl keeps them in postmaster.opts: port, fsync …). Anything else is left alone and the
    /// statement figures are skipped. Answers null when ready, else why not.
    /// </summary>
    public async Task<string?> EnsureStatementStatisticsAsync(bool mayRestart)
    {
        var preload = await ScalarAsync<string>(AdminDatabase, "SHOW shared_preload_libraries").ConfigureAwait(false);
        if (preload.Contains("pg_stat_statements", StringComparison.Ordinal)) return null;
        var dataDir = await ScalarAsync<string>(AdminDatabase, "SHOW data_directory").ConfigureAwait(false);
        if (!mayRestart)
            return "pg_stat_statements is not in shared_preload_libraries (--pg-restart no)";
        if (!dataDir.StartsWith("/tmp/yibao-pg.", StringComparison.Ordinal))
            return $"pg_stat_statements is not in shared_preload_libraries, and {dataDir} is not a scripts/with-postgres.sh server, so it is not restarted; " +
                   "start PostgreSQL with -c shared_preload_libraries=pg_stat_statements";
        if (BinDirectory is null) return "no pg_ctl for this server's version";
        var libraries = preload.Trim().Length == 0 ? "pg_stat_statements" : preload + ",pg_stat_statements";
        await ExecAsync(AdminDatabase, $"ALTER SYSTEM SET shared_preload_libraries = '{libraries}'").ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
        var pgCtl = $"{BinDirectory}/pg_ctl restart -D {dataDir} -m fast -w -l {dataDir}/bench-restart.log";
        var root = Environment.UserName == "root";
        var info = root ? new ProcessStartInfo("su", ["postgres", "-s", "/bin/bash", "-c", pgCtl]) : new ProcessStartInfo("bash", ["-c", pgCtl]);
        info.UseShellExecute = false;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("pg_ctl did not start");
        var output = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false) + await process.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0) return $"pg_ctl restart failed ({process.ExitCode}): {output.Trim()}";
        NpgsqlConnection.ClearAllPools();
        await DescribeAsync().ConfigureAwait(false);
        preload = await ScalarAsync<string>(AdminDatabase, "SHOW shared_preload_libraries").ConfigureAwait(false);
        return preload.Contains("pg_stat_statements", StringComparison.Ordinal) ? null : "the restart did not load pg_stat_statements";
    }
}
