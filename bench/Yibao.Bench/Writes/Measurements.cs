using System.Globalization;
using System.Text;

namespace Yibao.Bench.Writes;

/// <summary>
/// One measured load: how many requests (or transactions) completed, how many answered 2xx, the
/// rate over the run and the latency percentiles in milliseconds. <see cref="Cpu"/> is the CPU
/// each side spent per completed request, when it was read.
/// </summary>
internal sealed record Measurement(
    string What,
    int Clients,
    long Completed,
    long Ok,
    long NotOk,
    double Seconds,
    double P50,
    double P95,
    double P99,
    double Max)
{
    /// <summary>2xx answers (committed transactions) per second.</summary>
    public double Rate => Seconds > 0 ? Ok / Seconds : 0;

    /// <summary>Socket errors and timeouts (wrk), aborted clients (pgbench), failed transactions (in-process).</summary>
    public long Errors { get; init; }

    /// <summary>The non-2xx answers by status, e.g. "409:3, 500:1"; empty when none.</summary>
    public string Statuses { get; init; } = "";

    /// <summary>The first non-2xx body seen, cut short, to say why.</summary>
    public string? Sample { get; init; }

    public CpuUse? Cpu { get; init; }

    /// <summary>The checks after a run: ledger verify, rows stored = 2xx answers; empty when none ran.</summary>
    public List<string> Checks { get; } = [];

    public bool ChecksFailed { get; set; }
}

/// <summary>
/// Where the CPU went over one run: per completed request, in milliseconds, the Yibao (or
/// hello-world) server process, PostgreSQL (postmaster, its live backends and those that ended)
/// and the load (this process with the children it waited for: wrk or pgbench, or the in-process
/// anchor's own work); and, in percent of all cores, the machine's busy share and the share of it
/// none of these used — other work on the machine, which makes a figure unreliable when large.
/// </summary>
internal sealed record CpuUse(double MachineBusy, double? ServerMs, double? PostgresMs, double? LoadMs, double Others);

/// <summary>The readings at the start of a run, for <see cref="CpuUse"/> at its end.</summary>
internal sealed class CpuWindow
{
    private readonly ChildServer? _server;
    private readonly PgServer? _postgres;
    private readonly double? _server0, _postgres0, _load0;
    private readonly Machine.CpuReading? _machine0;
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

    private CpuWindow(ChildServer? server, PgServer? postgres)
    {
        _server = server;
        _postgres = postgres;
        _server0 = server?.CpuSeconds;
        _postgres0 = postgres?.CpuSeconds;
        _load0 = Machine.ProcessCpuSeconds(Environment.ProcessId, withEndedChildren: true);
        _machine0 = Machine.ReadCpu();
    }

    public static CpuWindow Start(ChildServer? server = null, PgServer? postgres = null) => new(server, postgres);

    public CpuUse Stop(long requests)
    {
        var machine = Machine.ReadCpu();
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalSeconds;
        double? Delta(double? before, double? after) => before is { } b && after is { } a ? a - b : null;
        var server = Delta(_server0, _server?.CpuSeconds);
        var postgres = Delta(_postgres0, _postgres?.CpuSeconds);
        var load = Delta(_load0, Machine.ProcessCpuSeconds(Environment.ProcessId, withEndedChildren: true));
        var busySeconds = _machine0 is { } m0 && machine is { } m1 ? (m1.Busy - m0.Busy) / 100.0 : double.NaN;
        var others = 100.0 * (busySeconds - (server ?? 0) - (postgres ?? 0) - (load ?? 0)) / (wall * Environment.ProcessorCount);
        double? PerRequest(double? seconds) => seconds is { } v && requests > 0 ? v * 1000.0 / requests : null;
        return new CpuUse(Machine.BusyPercent(_machine0, machine), PerRequest(server), PerRequest(postgres), PerRequest(load), Math.Max(0, others));
    }
}

internal static class Percentiles
{
    /// <summary>Nearest-rank percentile of a sorted array of values (any unit).</summary>
    public static double Of(long[] sorted, double percent)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>A plain Markdown table with right-aligned numbers, printed as it is so it can be pasted into the README.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Row(params object?[] cells)
    {
        _rows.Add(cells.Select(c => c switch
        {
            null => "—",
            double d when double.IsNaN(d) => "—",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => c.ToString() ?? "",
        }).ToArray());
        return this;
    }

    public void Print(TextWriter output)
    {
        // A column of figures is right-aligned; one of words (the first, the checks) left-aligned.
        var numeric = headers.Select((_, i) => i > 0 && _rows.All(r => i >= r.Length || r[i].Length == 0 || char.IsDigit(r[i][0]) || r[i][0] is '—' or '-' or '*' or '<' or '≤')).ToArray();
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        var text = new StringBuilder();
        text.Append('|');
        for (var i = 0; i < headers.Length; i++) text.Append(' ').Append(headers[i].PadRight(widths[i])).Append(" |");
        text.AppendLine().Append('|');
        for (var i = 0; i < headers.Length; i++) text.Append(numeric[i] ? new string('-', widths[i] + 1) + ":" : new string('-', widths[i] + 2)).Append('|');
        text.AppendLine();
        foreach (var row in _rows)
        {
            text.Append('|');
            for (var i = 0; i < headers.Length; i++)
            {
                var cell = i < row.Length ? row[i] : "";
                text.Append(' ').Append(numeric[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])).Append(" |");
            }
            text.AppendLine();
        }
        output.Write(text.ToString());
        output.Flush();
    }
}

internal static class Format
{
    public static string Ms(double value) => double.IsNaN(value) ? "—" : value.ToString(value < 10 ? "0.00" : value < 100 ? "0.0" : "0", CultureInfo.InvariantCulture);

    public static string Rate(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Ratio(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";

    public static string Cpu(double? ms) => ms is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    public static string Percent(double value) => value.ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
