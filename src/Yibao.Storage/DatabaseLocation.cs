using Npgsql;
using Yibao.Domain.Errors;

namespace Yibao.Storage;

/// <summary>
/// Where Yibao keeps its database when nobody says: one default for the server and the CLI, the
/// same whatever folder they are started from — a per-user data directory, as desktop and
/// command-line tools keep theirs: <c>$XDG_DATA_HOME/yibao/yibao.db</c>, else
/// <c>~/.local/share/yibao/yibao.db</c> on Linux; <c>~/Library/Application Support/yibao/yibao.db</c>
/// on macOS; <c>%LOCALAPPDATA%\yibao\yibao.db</c> on Windows. A path relative to the working
/// directory made <c>dotnet run --project src/Yibao.Server</c> (which runs in the project folder)
/// and <c>yibao ledger verify</c> (run from the repository) open two different files.
/// Overridden by <c>Yibao:Database</c> / <c>$Yibao__Database</c> / <c>--database</c>.
/// </summary>
public static class DatabaseLocation
{
    /// <summary>The environment variable both read (<c>Yibao:Database</c> in configuration).</summary>
    public const string Variable = "Yibao__Database";

    /// <summary>The default SQLite file, absolute. Refused when the user has no data directory (no <c>HOME</c>): give the database explicitly then.</summary>
    public static string DefaultPath
    {
        get
        {
            // .NET answers $XDG_DATA_HOME or ~/.local/share on Linux, and the platform's own folder elsewhere.
            var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            if (string.IsNullOrWhiteSpace(data) || !Path.IsPathRooted(data))
                throw new YibaoException(ErrorCatalog.InvalidField("database",
                    $"there is no per-user data directory (HOME is not set) for the default database; give --database or ${Variable}"));
            return Path.Combine(data, "yibao", "yibao.db");
        }
    }

    /// <summary>The database setting in force for a process: <c>$Yibao__Database</c> when set, else <see cref="DefaultPath"/>.</summary>
    public static string FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } v ? v : DefaultPath;

    /// <summary>One line naming a database for a person: the SQLite file's full path, or PostgreSQL's host, port, database and user (never the password).</summary>
    public static string Describe(string setting)
    {
        var (engine, connection, file) = YibaoDatabase.Parse(setting);
        if (engine == Engine.Sqlite) return $"SQLite {file}";
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connection);
            return $"PostgreSQL {b.Host}:{b.Port}/{b.Database} as {b.Username}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (connection string not understood)";
        }
    }
}
