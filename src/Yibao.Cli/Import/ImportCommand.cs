using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Regions;
using Yibao.Storage;
using Yibao.Storage.Records;

namespace Yibao.Cli.Import;

/// <summary>
/// <c>yibao import contributions file.csv</c>: a whole file of contribution months, all or
/// nothing (see <see cref="ContributionImporter"/>). Exit 0: every row taken; 1: bad rows, each
/// listed with its line and reason, and nothing written; 2: the file itself is refused (missing,
/// wrong header, undecodable, empty) or the region is unknown.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The CSV file (header: idNumber,name,employerCreditCode,month,base,employerPart,individualPart,dueDate,paidDate)" };
        var region = new Option<string>("--region", "-r")
        {
            Description = "Pooling region of every row (six digits)",
            DefaultValueFactory = _ => RegionCode.Demo.Value,
        };
        var encoding = new Option<string>("--encoding")
        {
            Description = "utf-8 (default, with or without BOM) or gb18030 (Excel on Chinese Windows)",
            DefaultValueFactory = _ => "utf-8",
        };
        var json = new Option<bool>("--json") { Description = "Machine-readable output: one JSON line per bad row, then a summary line" };
        var database = Cli.DatabaseOption();
        var contributions = new Command("contributions",
            "Import contribution months (缴费明细) from CSV, all or nothing: a file with any bad row writes nothing and lists every bad row with its line. " +
            "Example: yibao import contributions 2025-05.csv --region 990100")
        {
            file, region, encoding, database, json,
        };
        contributions.SetAction((parse, ct) => ContributionsAsync(
            parse.GetValue(file)!, parse.GetValue(region)!, parse.GetValue(encoding)!, parse.GetValue(database)!, parse.GetValue(json),
            parse.InvocationConfiguration.Output, ct));
        return new Command("import", "Bulk imports") { contributions };
    }

    public static async Task<int> ContributionsAsync(string path, string regionText, string encodingName, string database, bool json, TextWriter output, CancellationToken ct)
    {
        var region = RegionCode.Parse(regionText);
        var encoding = ContributionCsv.EncodingNamed(encodingName);
        await using var csv = await ContributionCsv.OpenAsync(path, encoding, ct).ConfigureAwait(false);
        await using var db = YibaoDatabase.Open(database);
        await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
        var importer = new ContributionImporter(db, TimeProvider.System);
        var source = "import:" + csv.File;

        // A terminal gets colours and a live progress bar; redirected output (a log, a script, a
        // test) gets plain text, one bad row per line, never wrapped at 80 columns.
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = 1000;
        ImportSummary summary;
        if (json)
        {
            summary = await importer.ImportAsync(region, csv.RowsAsync(ct), source,
                bad => output.WriteLine(JsonSerializer.Serialize(new
                {
                    line = bad.Line,
                    code = bad.Error.Code.Value,
                    messageZh = bad.Error.MessageZh,
                    messageEn = bad.Error.MessageEn,
                    details = bad.Error.Details,
                })), ct: ct).ConfigureAwait(false);
        }
        else
        {
            console.MarkupLine($"[bold]import contributions[/] {Markup.Escape(csv.File)} → {region.Value} ({db.Engine})");
            summary = await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("rows 0", maxValue: Math.Max(1, csv.Length));
                    var result = await importer.ImportAsync(region, csv.RowsAsync(ct), source,
                        bad => console.MarkupLine(BadRowMarkup(bad)),
                        rows =>
                        {
                            task.Value = Math.Min(csv.Position, task.MaxValue);
                            task.Description = "rows " + rows.ToString("N0", CultureInfo.InvariantCulture);
                        }, ct).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                    return result;
                }).ConfigureAwait(false);
        }

        if (summary.Rows == 0)
        {
            throw new Domain.Errors.YibaoException(Domain.Errors.ErrorCatalog.InvalidImportFile(csv.File, "the file has a header but no rows", "文件只有表头,没有数据行"));
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                summary = new
                {
                    file = csv.File,
                    region = region.Value,
                    rows = summary.Rows,
                    recorded = summary.Recorded,
                    unchanged = summary.Unchanged,
                    paymentsRecorded = summary.PaymentsRecorded,
                    peopleEnrolled = summary.PeopleEnrolled,
                    badRows = summary.BadRows,
                    committed = summary.Committed,
                },
            })).ConfigureAwait(false);
        }
        else
        {
            var table = new Table().AddColumn("rows").AddColumn("recorded 新增").AddColumn("unchanged 未变").AddColumn("payments 到账")
                .AddColumn("people enrolled 新参保").AddColumn("bad rows 错误行");
            table.AddRow(N(summary.Rows), N(summary.Recorded), N(summary.Unchanged), N(summary.PaymentsRecorded), N(summary.PeopleEnrolled), N(summary.BadRows));
            console.Write(table);
            console.MarkupLine(summary.Committed
                ? $"[green]OK[/] all {N(summary.Rows)} rows taken / 全部 {N(summary.Rows)} 行已导入"
                : $"[red]REFUSED[/] {N(summary.BadRows)} bad row(s); nothing was written — correct them and send the whole file again / " +
                  $"有 {N(summary.BadRows)} 行错误,整份文件未导入;请更正后重新提交整份文件");
        }
        return summary.Committed ? Cli.Ok : Cli.ChecksFailed;
    }

    private static string BadRowMarkup(BadRow bad)
    {
        var details = bad.Error.Details.Count == 0 ? "" : " (" + string.Join(", ", bad.Error.Details.Select(d => $"{d.Key}: {d.Value}")) + ")";
        return $"[red]line {bad.Line.ToString(CultureInfo.InvariantCulture)}[/] {Markup.Escape(bad.Error.Code.Value)}: " +
               $"{Markup.Escape(bad.Error.MessageZh)} / {Markup.Escape(bad.Error.MessageEn)}{Markup.Escape(details)}";
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
