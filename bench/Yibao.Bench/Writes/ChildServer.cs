using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Yibao.Bench.Writes;

/// <summary>
/// A server (Yibao.Server or the hello-world app) run as a child process with <c>dotnet</c>,
/// in a working folder of its own (so its default <c>data/yibao.db</c> is never this checkout's),
/// its output in a log file. It counts as up at the first 200 of <c>/health</c>; stopping it is
/// SIGTERM (a clean shutdown), then a kill after 10 s.
/// </summary>
internal sealed class ChildServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly object _logLock = new();
    private bool _logClosed;

    public string Url { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;

    /// <summary>From <see cref="Process.Start()"/> to the first 200 of /health.</summary>
    public TimeSpan StartedIn { get; private set; }

    private ChildServer(Process process, StreamWriter log, string url, string logPath)
    {
        _process = process;
        _log = log;
        Url = url;
        LogPath = logPath;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/> --urls http://127.0.0.1:port</c> and waits for /health to answer 200.</summary>
    public static async Task<ChildServer> StartAsync(string dll, IEnumerable<string> args, string workDir, string logPath, TimeSpan timeout)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} is not built; run: dotnet build Yibao.sln -c Release", dll);
        Directory.CreateDirectory(workDir);
        var port = FreePort();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url);
        // The server's own settings come from the command line only.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("Yibao__", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(name);

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ChildServer(process, log, url, logPath);
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitForHealthAsync(watch, timeout).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return server;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        lock (_logLock)
        {
            if (!_logClosed) _log.WriteLine(line);
        }
    }

    private async Task WaitForHealthAsync(Stopwatch watch, TimeSpan timeout)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the server exited ({_process.ExitCode}) before answering /health; see {LogPath}:\n{Tail()}");
            try
            {
                using var answer = await http.GetAsync(Url + "/health").ConfigureAwait(false);
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    StartedIn = watch.Elapsed;
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"no 200 from {Url}/health within {timeout.TotalSeconds:0} s; see {LogPath}:\n{Tail()}");
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>The CPU seconds the server has used so far.</summary>
    public double? CpuSeconds => Machine.ProcessCpuSeconds(_process.Id);

    public string Tail(int lines = 15)
    {
        lock (_logLock)
        {
            if (!_logClosed) _log.Flush();
        }
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Machine.Terminate(_process.Id);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        _process.Dispose();
        lock (_logLock)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }
}
