using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Yibao.Bench.Writes;

/// <summary>
/// pg_stat_statements of one database, read before and after a run: the difference is what that
/// run's requests made PostgreSQL execute — calls and execution time per statement, per request.
/// Transaction control (BEGIN, COMMIT, ROLLBACK) is counted apart from the statements that do work.
/// </summary>
internal static partial class PgStatements
{
    public sealed record Row(string Query, long Calls, double ExecMs);

    public sealed record Snapshot(Dictionary<(long User, long Query, bool TopLevel), Row> Rows);

    /// <summary>The statements of a run, per request.</summary>
    public sealed record Use(double Requests, IReadOnlyList<Row> Statements, IReadOnlyList<Row> TransactionControl)
    {
        public double StatementsPerRequest => Statements.Sum(r => r.Calls) / Requests;
        public double ExecMsPerRequest => Statements.Sum(r => r.ExecMs) / Requests;
        public double ControlPerRequest => TransactionControl.Sum(r => r.Calls) / Requests;
        public double AllExecMsPerRequest => (Statements.Sum(r => r.ExecMs) + TransactionControl.Sum(r => r.ExecMs)) / Requests;
    }

    public static async Task CreateExtensionAsync(PgServer server, string database) =>
        await server.ExecAsync(database, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements").ConfigureAwait(false);

    public static async Task<Snapshot> ReadAsync(PgServer server, string database)
    {
        var rows = new Dictionary<(long, long, bool), Row>();
        await using var c = new NpgsqlConnection(server.ConnectionString(database));
        await c.OpenAsync().ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            "SELECT userid::bigint, queryid, toplevel, query, calls, total_exec_time FROM pg_stat_statements " +
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND queryid IS NOT NULL", c);
        await using var r = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        while (await r.ReadAsync().ConfigureAwait(false))
        {
            var query = r.GetString(3);
            if (query.Contains("pg_stat_statements", StringComparison.Ordinal)) continue; // these readings themselves
            rows[(r.GetInt64(0), r.GetInt64(1), r.GetBoolean(2))] = new Row(query, r.GetInt64(4), r.GetDouble(5));
        }
        return new Snapshot(rows);
    }

    public static Use Between(Snapshot before, Snapshot after, long requests)
    {
        var statements = new List<Row>();
        var control = new List<Row>();
        foreach (var (key, row) in after.Rows)
        {
            var was = before.Rows.GetValueOrDefault(key);
            var calls = row.Calls - (was?.Calls ?? 0);
            if (calls <= 0) continue;
            var diff = new Row(OneLine(row.Query), calls, row.ExecMs - (was?.ExecMs ?? 0));
            (IsTransactionControl(row.Query) ? control : statements).Add(diff);
        }
        return new Use(Math.Max(1, requests), statements.OrderByDescending(s => s.ExecMs).ToList(), control);
    }

    private static bool IsTransactionControl(string query) =>
        TransactionControl().IsMatch(query);

    [GeneratedRegex(@"^\s*(BEGIN|COMMIT|ROLLBACK|END|START\s+TRANSACTION)\b(?!\s+TO\b)", RegexOptions.IgnoreCase)]
    private static partial Regex TransactionControl();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static string OneLine(string query) => Spaces().Replace(query, " ").Trim();

    /// <summary>The statements of a run by execution time, as a table: calls and milliseconds per request, share of the time.</summary>
    public static void PrintBreakdown(Use use, TextWriter output, int top = 14)
    {
        var total = use.Statements.Sum(s => s.ExecMs);
        // Statements run a handful of times in the run (the harness's own checks, a pool's reset) are left out of the rows, not of the totals.
        var shown = use.Statements.Where(s => s.Calls >= use.Requests / 200).ToList();
        var table = new Table("statement (pg_stat_statements, normalised)", "calls/req", "exec ms/req", "share");
        foreach (var s in shown.Take(top))
            table.Row(Cut(s.Query, 110), (s.Calls / use.Requests).ToString("0.00", CultureInfo.InvariantCulture),
                (s.ExecMs / use.Requests).ToString("0.000", CultureInfo.InvariantCulture), Format.Percent(total > 0 ? 100 * s.ExecMs / total : 0));
        if (shown.Count > top)
        {
            var rest = shown.Skip(top).ToList();
            table.Row($"({rest.Count} more)", (rest.Sum(s => s.Calls) / use.Requests).ToString("0.00", CultureInfo.InvariantCulture),
                (rest.Sum(s => s.ExecMs) / use.Requests).ToString("0.000", CultureInfo.InvariantCulture), Format.Percent(total > 0 ? 100 * rest.Sum(s => s.ExecMs) / total : 0));
        }
        foreach (var s in use.TransactionControl.Where(s => s.Calls >= use.Requests / 200))
            table.Row("[transaction control] " + Cut(s.Query, 80), (s.Calls / use.Requests).ToString("0.00", CultureInfo.InvariantCulture),
                (s.ExecMs / use.Requests).ToString("0.000", CultureInfo.InvariantCulture), "");
        table.Print(output);
    }

    private static string Cut(string s, int max) => (s.Length <= max ? s : s[..(max - 1)] + "…").Replace("|", "\\|", StringComparison.Ordinal);
}
