using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Cli.Ledger;

/// <summary><c>yibao ledger verify</c>: proves the ledger invariants on a live database.</summary>
public static class LedgerCommand
{
    public static Command Create()
    {
        var database = Cli.DatabaseOption();
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var verify = new Command("verify", "Check every invariant: entries balance, postings sum to zero, stored balances equal their postings, no personal account below zero, " +
            "and per region the pooled fund's contribution income equals the paid contributions on record (应缴待收 the unpaid ones)")
        {
            database, json,
        };
        verify.SetAction((parse, ct) => VerifyAsync(parse.GetValue(database)!, parse.GetValue(json), parse.InvocationConfiguration.Output, ct));
        return new Command("ledger", "The double-entry journal") { verify };
    }

    public static async Task<int> VerifyAsync(string database, bool json, TextWriter output, CancellationToken ct)
    {
        await using var db = YibaoDatabase.Open(database);
        await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
        var report = await LedgerVerifier.VerifyAsync(db, ct).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                ok = report.Ok,
                entries = report.Entries,
                postings = report.Postings,
                accounts = report.Accounts,
                postingSumFen = report.PostingSumFen,
                violations = report.Violations.Select(v => new { invariant = v.Invariant, detail = v.Detail }),
            })).ConfigureAwait(false);
        }
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            console.MarkupLine($"[bold]ledger verify[/] {Markup.Escape(db.Engine.ToString())}: {report.Entries} entries, {report.Postings} postings, {report.Accounts} accounts, postings sum {report.PostingSumFen} fen");
            if (report.Ok)
            {
                console.MarkupLine("[green]OK[/] every invariant holds / 所有不变式成立");
            }
            else
            {
                var table = new Table().AddColumn("invariant").AddColumn("detail");
                foreach (var v in report.Violations) table.AddRow(Markup.Escape(v.Invariant), Markup.Escape(v.Detail));
                console.Write(table);
                console.MarkupLine($"[red]BROKEN[/] {report.Violations.Count} violation(s) / 发现 {report.Violations.Count} 处不一致");
            }
        }
        return report.Ok ? Cli.Ok : Cli.ChecksFailed;
    }
}
