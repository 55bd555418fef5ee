using System.CommandLine;
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
            SayWhichDatabase(parse, config.Error);
            return await parse.InvokeAsync(config).ConfigureAwait(false);
        }
        catch (YibaoException e)
        {
            PrintError(config.Error, e.Error);
            return Refused;
        }
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
    public static void PrintError(TextWriter error, YibaoError e)
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
