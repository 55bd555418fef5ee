using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Yibao.Bench.Writes;

/// <summary>
/// wrk with a Lua script of ours: each thread counts its requests (so every spend carries a new
/// <c>Idempotency-Key</c>: <c>{prefix}-{thread}-{n}</c>), picks a random binding or account per
/// request, counts answers by status, and <c>done()</c> prints one line with the totals and
/// wrk's latency percentiles. The scripts are written into the run folder so that a run can be
/// repeated by hand (the key prefix is wrk's first script argument).
/// </summary>
internal static class Wrk
{
    /// <summary>The wrk timeout: long enough that a slow answer is measured rather than dropped as a timeout (wrk's default is 2 s).</summary>
    public const string Timeout = "30s";

    public static string SpendScript(IReadOnlyList<long> bindingIds, DateOnly spendOn) =>
        Script("family-aid spends: POST /api/regions/990100/family-aid/spends, a random binding and a new Idempotency-Key per request",
            "bindings", bindingIds.Select(id => id.ToString(CultureInfo.InvariantCulture)),
            $$"""
              function request()
                counter = counter + 1
                local key = prefix .. "-" .. tid .. "-" .. counter
                local body = '{"bindingId":' .. items[math.random(#items)] ..
                  ',"purpose":"pharmacy","spendOn":"{{spendOn:yyyy-MM-dd}}","amount":"1.00","institutionCode":"P99010000001","institutionName":"示例大药房","designated":true}'
                return wrk.format("POST", "/api/regions/990100/family-aid/spends",
                  { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key }, body)
              end
              """);

    public static string BalanceScript(IReadOnlyList<string> accounts) =>
        Script("balance reads: GET /api/accounts/{code}/balance of a random account per request",
            "accounts", accounts.Select(a => $"\"{a}\""),
            """
            function request()
              counter = counter + 1
              return wrk.format("GET", "/api/accounts/" .. items[math.random(#items)] .. "/balance")
            end
            """);

    private static string Script(string what, string itemsName, IEnumerable<string> items, string request)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"-- yibao-bench writes, {what}.");
        text.AppendLine("-- By hand: wrk -t2 -c8 -d20s --timeout 30s --latency -s <this file> http://127.0.0.1:<port> -- <key prefix> [<file for the keys answered 2xx>]");
        text.AppendLine(CultureInfo.InvariantCulture, $"-- {itemsName}:");
        text.Append("local items = {");
        var n = 0;
        foreach (var item in items)
        {
            if (n++ % 20 == 0) text.AppendLine().Append("  ");
            text.Append(item).Append(", ");
        }
        text.AppendLine().AppendLine("}");
        text.AppendLine(
            """
            local threads = {}

            function setup(thread)
              thread:set("tid", #threads)
              table.insert(threads, thread)
            end

            function init(args)
              prefix = args[1] or ("manual-" .. os.time())
              keysfile = args[2]
              counter, ok, created, non2xx, statuses, answered = 0, 0, 0, 0, {}, {}
              math.randomseed(os.time() * 1000 + tid)
            end
            """);
        text.AppendLine(request);
        text.AppendLine(
            """
            function response(status, headers, body)
              if status >= 200 and status < 300 then
                ok = ok + 1
                if status == 201 then created = created + 1 end
                if keysfile then
                  local key = string.match(body, '"idempotencyKey":"([^"]*)"')
                  if key then answered[#answered + 1] = key end
                end
              else
                non2xx = non2xx + 1
                statuses[status] = (statuses[status] or 0) + 1
                if sample == nil then sample = body end
              end
            end

            function done(summary, latency, requests)
              local o, c, n, sent, st, smp = 0, 0, 0, 0, {}, ""
              -- done() runs in wrk's main Lua state: what init() set is in the threads'.
              local path = threads[1]:get("keysfile")
              local f = path and io.open(path, "w")
              for _, t in ipairs(threads) do
                sent = sent + t:get("counter")
                if f then
                  for _, k in ipairs(t:get("answered")) do f:write(k, "\n") end
                end
                o = o + t:get("ok")
                c = c + t:get("created")
                n = n + t:get("non2xx")
                for k, v in pairs(t:get("statuses")) do st[k] = (st[k] or 0) + v end
                if t:get("sample") ~= nil then smp = t:get("sample") end
              end
              if f then f:close() end
              local parts = {}
              for k, v in pairs(st) do table.insert(parts, k .. ":" .. v) end
              local e = summary.errors
              io.write(string.format(
                "YIBAO-WRK requests=%d sent=%d ok=%d created=%d non2xx=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d timeout=%d statuses=%s sample=%s\n",
                summary.requests, sent, o, c, n, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
                e.connect, e.read, e.write, e.timeout, table.concat(parts, ","), (string.gsub(string.sub(smp, 1, 300), "[\r\n]", " "))))
            end
            """);
        return text.ToString();
    }

    /// <summary>
    /// A run's figures, the 201 answers among the 2xx, the requests sent (so those still in flight
    /// when wrk stopped are <c>Sent - Completed</c>) and, for spends, the keys answered 2xx.
    /// </summary>
    public sealed record Result(Measurement Measurement, long Created, long Sent, IReadOnlySet<string> Answered, string RawOutput)
    {
        public long InFlight => Math.Clamp(Sent - Measurement.Completed, 0, Measurement.Clients);
    }

    /// <summary>Runs wrk for <paramref name="seconds"/> at <paramref name="connections"/> connections and reads its summary line.</summary>
    public static async Task<Result> RunAsync(string what, string url, string script, int connections, int threads, double seconds, string prefix, string? keysFile = null)
    {
        var info = new ProcessStartInfo("wrk")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[]
                 {
                     "-t", Math.Max(1, Math.Min(threads, connections)).ToString(CultureInfo.InvariantCulture),
                     "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", seconds.ToString("0.###", CultureInfo.InvariantCulture) + "s",
                     "--timeout", Timeout, "--latency", "-s", script, url, "--", prefix,
                 })
            info.ArgumentList.Add(a);
        if (keysFile is not null) info.ArgumentList.Add(keysFile);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (apt-get install -y wrk)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("YIBAO-WRK ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"wrk printed no summary (exit {process.ExitCode}):\n{output}");
        var sampleAt = line.IndexOf(" sample=", StringComparison.Ordinal);
        var sample = line[(sampleAt + " sample=".Length)..].Trim();
        var values = line[..sampleAt].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        long L(string k) => long.Parse(values[k], CultureInfo.InvariantCulture);
        var errors = L("connect") + L("read") + L("write") + L("timeout");
        var measurement = new Measurement(what, connections, L("requests"), L("ok"), L("non2xx"), L("duration_us") / 1e6,
            L("p50_us") / 1000.0, L("p95_us") / 1000.0, L("p99_us") / 1000.0, L("max_us") / 1000.0)
        {
            Errors = errors,
            Statuses = string.Join(", ", values["statuses"].Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
                       + (L("timeout") > 0 ? $"{(values["statuses"].Length > 0 ? ", " : "")}timeouts:{L("timeout")}" : ""),
            Sample = sample.Length > 0 ? sample : null,
        };
        var answered = keysFile is not null && File.Exists(keysFile)
            ? File.ReadLines(keysFile).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        return new Result(measurement, L("created"), L("sent"), answered, output);
    }
}
