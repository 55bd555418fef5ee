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
/// CPU per completed request over one run, in milliseconds: the machine's busy share of its cores
/// (all processes), the Yibao (or hello-world) server process, PostgreSQL (postmaster, its live
/// backends and those that ended), and this process (the in-process anchor's own work).
/// </summary>
internal sealed record CpuUse(double MachineBusy, double? ServerMs, double? PostgresMs, double? BenchMs);

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
