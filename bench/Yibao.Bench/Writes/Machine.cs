using System.Globalization;

namespace Yibao.Bench.Writes;

/// <summary>
/// What the machine is doing, from /proc: the share of all cores busy between two readings, the
/// CPU time of a process (and of its ended children it waited for), the load average. Linux only;
/// elsewhere every reading is null and the tables say so.
/// </summary>
internal static class Machine
{
    /// <summary>Clock ticks per second of /proc's times (USER_HZ); 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100.0;

    public readonly record struct CpuReading(long Busy, long Total);

    public static CpuReading? ReadCpu()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal (guest is inside user)
            var idle = v[3] + v[4];
            var total = v.Take(8).Sum();
            return new CpuReading(total - idle, total);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The busy share of all cores between two readings, in percent.</summary>
    public static double BusyPercent(CpuReading? before, CpuReading? after) =>
        before is { } b && after is { } a && a.Total > b.Total ? 100.0 * (a.Busy - b.Busy) / (a.Total - b.Total) : double.NaN;

    /// <summary>The busy share of all cores over <paramref name="span"/> now: what else runs on the machine before a measurement.</summary>
    public static async Task<double> SampleBusyAsync(TimeSpan span)
    {
        var before = ReadCpu();
        await Task.Delay(span).ConfigureAwait(false);
        return BusyPercent(before, ReadCpu());
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    /// <summary>
    /// A process's CPU time in seconds: its own user and system time, plus (with
    /// <paramref name="withEndedChildren"/>) that of the children it waited for — PostgreSQL's
    /// postmaster waits for every backend, so a backend that ended still counts.
    /// </summary>
    public static double? ProcessCpuSeconds(int pid, bool withEndedChildren = false)
    {
        var f = StatFields(pid);
        if (f is null) return null;
        // Fields after "(comm)": state=0 ppid=1 … utime=11 stime=12 cutime=13 cstime=14.
        var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        if (withEndedChildren) ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }

    public static int? ParentOf(int pid) => StatFields(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : null;

    /// <summary>The CPU seconds of PostgreSQL: the postmaster with its ended children, and every live child (backends, checkpointer, WAL writer …).</summary>
    public static double? PostgresCpuSeconds(int postmaster)
    {
        var total = ProcessCpuSeconds(postmaster, withEndedChildren: true);
        if (total is null) return null;
        try
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
                if (ParentOf(pid) == postmaster && ProcessCpuSeconds(pid) is { } child) total += child;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return total;
    }

    private static string[]? StatFields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            return text[(close + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Asks a process to stop as Ctrl+C would (SIGTERM, by kill(1)), so the server shuts down cleanly.</summary>
    public static bool Terminate(int pid)
    {
        if (!OperatingSystem.IsLinux()) return false;
        using var kill = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        });
        kill?.WaitForExit();
        return kill?.ExitCode == 0;
    }
}
