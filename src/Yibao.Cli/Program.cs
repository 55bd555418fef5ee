using System.CommandLine;
using Yibao.Cli;
using Yibao.Cli.Cases;
using Yibao.Cli.Explain;
using Yibao.Cli.Ledger;
using Yibao.Cli.Policy;
using Yibao.Cli.Serve;

var root = new RootCommand("yibao — 职工医保个人账户 (employee medical-insurance personal accounts)")
{
    ServeCommand.Create(),
    LedgerCommand.Create(),
    CasesCommand.Create(),
    PolicyCommand.Create(),
    Yibao.Cli.Calendars.CalendarCommand.Create(),
    ExplainCommand.Create(),
    Yibao.Cli.Import.ImportCommand.Create(),
    Yibao.Cli.Batch.BatchCommand.Create(),
    Yibao.Cli.Demo.DemoCommand.Create(),
    Yibao.Cli.Applications.ApplicationsCommand.Create(),
    Yibao.Cli.Applications.ApplicationsCommand.Transfers(),
    Yibao.Cli.Fund.FundCommand.Create(),
};
return await Cli.InvokeAsync(root, args);
