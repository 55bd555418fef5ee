using System.CommandLine;
using System.CommandLine.Invocation;
using Yibao.Domain.Errors;
using Yibao.Storage;

namespace Yibao.Cli;

/// <summary>Shared CLI plumbing: exit codes, the database option, and how an error is printed.</summary>
public static class Cli
{
    /// <summary>Everything worked and every check passed.</summary>
    public const int Ok = 0;
    /// <summary>The command ran but found failures (a case failed, an invariant is broken).</summary>
    public const int ChecksFailed = 1;
    /// <summary>Bad input or a refusal: nothing was done.</summary>
    public const int Refused = 2;

    public const string DatabaseVariable = DatabaseLocation.Variable;
    public const string TodayVariable = "Yibao__Today";

    /// <summary>
    /// The clock of commands that decide on "today" (applications, transfers): the system's, or
    /// 10:00 in China on the day <c>$Yibao__Today</c> gives (YYYY-MM-DD), for a training copy or a
    /// drill replayed on a fixed day.
    /// </summary>
    public static TimeProvider Clock =>
        Environment.GetEnvironmentVariable(TodayVariable) is { Length: > 0 } day
            ? new Domain.Time.DayClock(Domain.Time.Dates.Parse(day))
            : TimeProvider.System;

    public const string CalendarsVariable = "Yibao__Calendars";

    /// <summary>The agency's own calendar folder when neither <c>--calendars</c> nor <c>$Yibao__Calendars</c> says (the server's default too).</summary>
    public const string DefaultCalendars = "data/calendars";

    /// <summary>
    /// <c>--calendars</c>: the agency's folder of holiday calendar files, added to the ones that
    /// ship with Yibao (<c>calendars/</c> beside it). Recursive on a group of commands.
    /// </summary>
    public static Option<string> CalendarsOption(bool recursive = false) => new("--calendars")
    {
        Description = $"Folder of the agency's own holiday calendar files (one JSON file per region and year), added to the shipped ones. Default: ${CalendarsVariable} or {DefaultCalendars}",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(CalendarsVariable) is { Length: > 0 } v ? v : DefaultCalendars,
        Recursive = recursive,
    };

    /// <summary>
    /// The shipped calendars plus the agency's folder. The default folder may be absent (nothing
    /// added); a folder named explicitly must exist, so a typo does not silently drop a notice.
    /// </summary>
    /// <exception cref="YibaoException"><c>invalid-field</c> for a named folder that does not exist; <c>invalid-calendar-file</c> with file and line.</exception>
    public static Domain.Calendars.HolidayCalendars LoadCalendars(string folder)
    {
        if (folder != DefaultCalendars && !Directory.Exists(folder))
            throw new YibaoException(ErrorCatalog.InvalidField("calendars", $"no such folder: {Path.GetFullPath(folder)}"));
        return Domain.Calendars.HolidayCalendars.Load(folder);
    }

    /// <summary>The calendars of a command with a (recursive) <c>--calendars</c> option.</summary>
    public static Domain.Calendars.HolidayCalendars LoadCalendars(ParseResult parse) =>
        LoadCalendars(parse?.GetValue<string>("--calendars") ?? DefaultCalendars);

    /// <summary>
    /// <c>--database</c> of the commands that open the Yibao database: <c>$Yibao__Database</c> when set,
    /// else the per-user default the server uses too (<see cref="DatabaseLocation"/>).
    /// </summary>
    public static Option<string> DatabaseOption() => new DatabaseOption();

    public static async Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var config = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
            // Our errors carry codes and two languages; the library's handler would print a stack trace.
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
            {
                // Bad input is exit 2 (README), as a refusal: our code first, then the library's words and usage.
                foreach (var refusal in ParseErrors(parse)) PrintError(config.Error, refusal);
                await parse.InvokeAsync(config).ConfigureAwait(false);
                return Refused;
            }
            SayWhichDatabase(parse, config.Error);
            return await parse.InvokeAsync(config).ConfigureAwait(false);
        }
        catch (YibaoException e)
        {
            PrintError(config.Error, e.Error);
            return Refused;
        }
    }

    /// <summary>A missing required option or argument is <c>missing-field</c> naming it; anything else the library refused is <c>invalid-arguments</c>.</summary>
    private static IEnumerable<Refusal> ParseErrors(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var missing = command.Options.Where(o => o.Required && parse.GetResult(o) is null or { Implicit: true }).Select(o => o.Name)
            .Concat(command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0 && parse.GetResult(a) is not { Tokens.Count: > 0 }).Select(a => a.Name))
            .ToList();
        foreach (var name in missing) yield return ErrorCatalog.MissingField(name);
        if (missing.Count == 0 || parse.Errors.Count > missing.Count)
            yield return ErrorCatalog.InvalidCommandLine(string.Join("; ", parse.Errors.Select(e => e.Message)));
    }

    /// <summary>
    /// One line on stderr naming the database a command opens, so that a proof of an empty file is
    /// never mistaken for a proof of the real one (stdout stays clean for --json).
    /// </summary>
    private static void SayWhichDatabase(ParseResult parse, TextWriter error)
    {
        if (parse.Errors.Count > 0) return;
        var option = parse.CommandResult.Command.Options.OfType<DatabaseOption>().FirstOrDefault();
        if (option is null || parse.GetValue(option) is not { Length: > 0 } setting) return;
        error.WriteLine($"database: {DatabaseLocation.Describe(setting)}");
    }

    /// <summary>The same error the API gives, for a person at a terminal: code, Chinese, English, details.</summary>
    public static void PrintError(TextWriter error, Refusal e)
    {
        error.WriteLine($"error {e.Code}: {e.MessageZh}");
        error.WriteLine($"      {e.MessageEn}");
        foreach (var (key, value) in e.Details) error.WriteLine($"      {key}: {value}");
    }
}

/// <summary>The <c>--database</c> option of a command that opens the Yibao database (<see cref="Cli.DatabaseOption"/>).</summary>
public sealed class DatabaseOption : Option<string>
{
    public DatabaseOption() : base("--database", "-d")
    {
        Description = $"SQLite file path or PostgreSQL connection string (Host=…). Default: ${Cli.DatabaseVariable}, else the per-user data directory " +
                      "($XDG_DATA_HOME or ~/.local/share on Linux)/yibao/yibao.db — the server's default too";
        DefaultValueFactory = _ => DatabaseLocation.FromEnvironment();
    }
}
