using System.CommandLine;
using Yibao.Cli.Cases;
using Yibao.Cli.Explain;
using Yibao.Cli.Policy;
using Yibao.Cli.Ledger;
using Yibao.Cli.Serve;

namespace Yibao.Cli.Tests;

/// <summary>Runs the real command tree in-process and captures what a terminal would show.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var root = new RootCommand("yibao") { ServeCommand.Create(), LedgerCommand.Create(), CasesCommand.Create(), PolicyCommand.Create(), Yibao.Cli.Calendars.CalendarCommand.Create(), ExplainCommand.Create(), Yibao.Cli.Import.ImportCommand.Create(), Yibao.Cli.Batch.BatchCommand.Create(), Yibao.Cli.Demo.DemoCommand.Create(), Yibao.Cli.Applications.ApplicationsCommand.Create(), Yibao.Cli.Applications.ApplicationsCommand.Transfers(), Yibao.Cli.Fund.FundCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Cli.InvokeAsync(root, args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public static string AcceptanceFolder => Path.Combine(AppContext.BaseDirectory, "acceptance");

    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "yibao-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
