using Microsoft.Extensions.Options;
using Yibao.Storage;

namespace Yibao.Server;

/// <summary>The server's settings, section <c>Yibao</c> (environment: <c>Yibao__Database</c>, <c>Yibao__SeedDemo</c>, <c>Yibao__Calendars</c>).</summary>
public sealed class YibaoOptions
{
    public const string Section = "Yibao";

    private string? _database;

    /// <summary>The default folder of the agency's own calendar files, beside the default database; absent means none.</summary>
    public const string DefaultCalendars = "data/calendars";

    /// <summary>
    /// A SQLite file path (or <c>Data Source=…</c>), or a PostgreSQL connection string with <c>Host=…</c>.
    /// Default: the per-user data directory's <c>yibao/yibao.db</c> (<see cref="DatabaseLocation"/>),
    /// the same file the CLI opens by default, wherever either is started from.
    /// </summary>
    public string Database
    {
        get => _database ?? DatabaseLocation.DefaultPath;
        set => _database = value;
    }

    /// <summary>
    /// 节假日安排: a folder of the agency's own holiday calendar files (one JSON file per region and
    /// year, e.g. the next year's national notice as holiday-cn publishes it), read at start-up and
    /// added to the calendars that ship with Yibao (<c>calendars/</c> beside the server). A region
    /// and year in both must agree day by day; a bad file refuses the start with its file and line.
    /// The default folder may be absent; a folder set here must exist.
    /// </summary>
    public string Calendars { get; set; } = DefaultCalendars;

    /// <summary>Seed the demo region 990100 示例市 at start-up when it is not seeded yet.</summary>
    public bool SeedDemo { get; set; } = true;

    /// <summary>
    /// Pooling regions run in a database of their own (a deployment split by region), by region
    /// code: <c>Yibao:RegionDatabases:620100=Host=…</c>. Transfers to them are delivered there.
    /// Every other region is in <see cref="Database"/>.
    /// </summary>
    public Dictionary<string, string> RegionDatabases { get; set; } = [];

    /// <summary>Seconds between the background rounds that deliver and credit transfers between regions (0: only on demand).</summary>
    public int TransferDispatchSeconds { get; set; } = 30;
}

/// <summary>Refuses to start with settings that cannot work, saying which setting and why.</summary>
internal sealed class YibaoOptionsValidator : IValidateOptions<YibaoOptions>
{
    public ValidateOptionsResult Validate(string? name, YibaoOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Database))
            return ValidateOptionsResult.Fail(
                "Yibao:Database is empty; give a SQLite file path or a PostgreSQL connection string with Host= (or leave it unset for the per-user default).");
        if (!IsPostgres(options.Database) && options.Database.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            return ValidateOptionsResult.Fail($"Yibao:Database '{options.Database}' is neither a usable SQLite path nor a PostgreSQL connection string.");
        if (string.IsNullOrWhiteSpace(options.Calendars) || options.Calendars.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            return ValidateOptionsResult.Fail($"Yibao:Calendars '{options.Calendars}' is not a folder path; give the folder of the agency's calendar files (default {YibaoOptions.DefaultCalendars}).");
        if (options.Calendars != YibaoOptions.DefaultCalendars && !Directory.Exists(options.Calendars))
            return ValidateOptionsResult.Fail($"Yibao:Calendars folder '{Path.GetFullPath(options.Calendars)}' does not exist.");
        if (options.TransferDispatchSeconds is < 0 or > 86_400)
            return ValidateOptionsResult.Fail($"Yibao:TransferDispatchSeconds {options.TransferDispatchSeconds} is not from 0 (on demand only) to 86400.");
        foreach (var (region, database) in options.RegionDatabases)
        {
            if (!Yibao.Domain.Regions.RegionCode.TryParse(region, out _))
                return ValidateOptionsResult.Fail($"Yibao:RegionDatabases:{region} is not a six-digit region code.");
            if (string.IsNullOrWhiteSpace(database))
                return ValidateOptionsResult.Fail($"Yibao:RegionDatabases:{region} is empty.");
        }
        return ValidateOptionsResult.Success;
    }

    private static bool IsPostgres(string database) =>
        database.Contains("Host=", StringComparison.OrdinalIgnoreCase) ||
        database.TrimStart().StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
}
