namespace Yibao.Server.Hosting;

/// <summary>A server command line that names an option the server does not have.</summary>
public sealed class ServerArgumentException(string message) : Exception(message);

/// <summary>
/// The server's command line, the same whether it is started as <c>dotnet Yibao.Server.dll</c>,
/// <c>dotnet run --project src/Yibao.Server</c> or <c>yibao serve</c>: <c>--database &lt;path|Host=…&gt;</c>
/// (<c>-d</c>), <c>--calendars</c>, <c>--urls</c> and <c>--no-demo</c>, and any configuration key as ASP.NET Core reads
/// it (<c>--Yibao:Database=…</c>, <c>--Logging:LogLevel:Default=Debug</c>). ASP.NET Core takes any
/// <c>--name value</c> as a configuration key, so <c>--database x</c> used to become a key nobody
/// reads and the server ran on its default database without a word; an option that is neither the
/// server's nor a configuration path (it has a <c>:</c>) nor a host setting is now refused.
/// </summary>
public static class ServerArguments
{
    /// <summary>Host settings ASP.NET Core reads from the command line (WebApplicationFactory passes some of them).</summary>
    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "environment", "contentRoot", "applicationName", "http_ports", "https_ports", "webroot", "pathbase", "AllowedHosts",
    };

    public const string Usage =
        "Usage: dotnet Yibao.Server.dll [--database <path|Host=…>] [--calendars <folder>] [--urls http://0.0.0.0:5080] [--no-demo] [--<Section>:<Key>=<value> …]\n" +
        "  --database, -d   SQLite file path or PostgreSQL connection string (Host=…); default $Yibao__Database, else the per-user data directory\n" +
        "  --calendars      the agency's folder of holiday calendar files, added to the shipped ones (default data/calendars)\n" +
        "  --urls           where to listen (default http://localhost:5080)\n" +
        "  --no-demo        do not seed the demo region 990100\n" +
        "  --Yibao:…        any setting of the Yibao section (Yibao:SeedDemo, Yibao:TransferDispatchSeconds, …)";

    /// <summary>The arguments as configuration keys; throws <see cref="ServerArgumentException"/> naming an unknown option.</summary>
    public static string[] Translate(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, value) = Split(arg);
            string Value()
            {
                if (value is not null) return value;
                if (i + 1 >= args.Count) throw new ServerArgumentException($"option {name} needs a value\n{Usage}");
                return args[++i];
            }

            switch (name)
            {
                case "--database" or "-d":
                    result.Add($"--Yibao:Database={Value()}");
                    break;
                case "--calendars":
                    result.Add($"--Yibao:Calendars={Value()}");
                    break;
                case "--no-demo":
                    if (value is not null) throw new ServerArgumentException($"option --no-demo takes no value\n{Usage}");
                    result.Add("--Yibao:SeedDemo=false");
                    break;
                case null:
                    // key=value without dashes, as ASP.NET Core also reads it.
                    if (!IsKnownKey(arg.Split('=')[0])) throw new ServerArgumentException($"unknown argument '{arg}'\n{Usage}");
                    result.Add(arg);
                    break;
                default:
                    var key = name.TrimStart('-', '/');
                    if (!IsKnownKey(key)) throw new ServerArgumentException($"unknown option '{name}'\n{Usage}");
                    result.Add($"--{key}={Value()}");
                    break;
            }
        }
        return [.. result];
    }

    private static bool IsKnownKey(string key) => key.Contains(':', StringComparison.Ordinal) || HostKeys.Contains(key);

    /// <summary>An option's name and its <c>=value</c> if given in the same token; a bare token has no name.</summary>
    private static (string? Name, string? Value) Split(string arg)
    {
        if (!arg.StartsWith('-') && !arg.StartsWith('/')) return (null, null);
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
    }
}
