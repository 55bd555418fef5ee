using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Crediting;
using Yibao.Storage.Regions;
using Yibao.Storage.YearEnd;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Cli.Batch;

/// <summary><c>yibao batch credit</c> (月度划入) and <c>yibao batch year-end</c> (年终结转): the agency's batch runs.</summary>
public static class BatchCommand
{
    public static Command Create() => new("batch", "Batch runs of a region: monthly crediting, year-end settlement / 批量作业:月度划入、年终结转")
    {
        Credit(),
        YearEnd(),
    };

    private static Option<string> RegionOption() => new("--region", "-r") { Description = "Pooling region code, e.g. 990100", Required = true };
    private static Option<bool> JsonOption() => new("--json") { Description = "Machine-readable output" };
    private static Option<int> ChunkOption() => new("--chunk-size") { Description = "Accounts per transaction (default 20000)", DefaultValueFactory = _ => 20_000 };

    private static Command Credit()
    {
        var region = RegionOption();
        var month = new Option<string>("--month", "-m") { Description = "The month to credit, YYYY-MM", Required = true };
        var database = Cli.DatabaseOption();
        var json = JsonOption();
        var chunk = ChunkOption();
        var command = new Command("credit",
            "Credit every eligible personal account of a region for a month (idempotent: a rerun or a resumed run credits nothing twice). " +
            "Example: yibao batch credit --region 990100 --month 2025-05")
        {
            region, month, database, json, chunk,
        };
        command.SetAction((parse, ct) => CreditAsync(
            RegionCode.Parse(parse.GetValue(region)), YearMonth.Parse(parse.GetValue(month)), parse.GetValue(database)!,
            parse.GetValue(json), parse.GetValue(chunk), parse.InvocationConfiguration.Output, ct));
        return command;
    }

    private static Command YearEnd()
    {
        var region = RegionOption();
        var year = new Option<int>("--year", "-y") { Description = "The insurance year, named by the calendar year it starts in (宁波 2025 = 2025-05-01…2026-04-30)", Required = true };
        var database = Cli.DatabaseOption();
        var json = JsonOption();
        var chunk = ChunkOption();
        var command = new Command("year-end",
            "Year-end settlement: roll every personal account's current-year segment into the historical one, with interest where the region pays it (idempotent). " +
            "Example: yibao batch year-end --region 990100 --year 2025")
        {
            region, year, database, json, chunk,
        };
        command.SetAction((parse, ct) => YearEndAsync(
            RegionCode.Parse(parse.GetValue(region)), parse.GetValue(year), parse.GetValue(database)!,
            parse.GetValue(json), parse.GetValue(chunk), parse.InvocationConfiguration.Output, ct));
        return command;
    }

    public static async Task<int> CreditAsync(RegionCode region, YearMonth month, string database, bool json, int chunkSize, TextWriter output, CancellationToken ct)
    {
        if (chunkSize is < 1 or > 200_000) throw new Domain.Errors.YibaoException(Domain.Errors.ErrorCatalog.InvalidField("chunk-size", "is from 1 to 200000"));
        await using var db = YibaoDatabase.Open(database);
        await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
        // A region outside this database is not run (nothing created for it), whatever packs exist.
        await RegionTable.RequireAsync(db, region, ct).ConfigureAwait(false);
        var runner = new CreditingRunner(db, PolicyPackLoader.Embedded, TimeProvider.System, new BatchRunOptions { ChunkSize = chunkSize });
        var plan = runner.Plan(region, month);
        var console = Console(output);
        var result = await WithProgressAsync(console, json, $"{region.Value} {month} 划入", p => runner.RunAsync(region, month, p, ct)).ConfigureAwait(false);
        Print(console, output, json, result, $"{region.Value} {PolicyPackLoader.Embedded.Pack(region).Name}", "month / 月份", month.ToString(),
            [("credited / 已划入", "sum credited to 当年账户 / 划入合计", "deducted (long-term care) / 扣减合计")], plan.HasDeductions);
        return Cli.Ok;
    }

    public static async Task<int> YearEndAsync(RegionCode region, int year, string database, bool json, int chunkSize, TextWriter output, CancellationToken ct)
    {
        if (chunkSize is < 1 or > 200_000) throw new Domain.Errors.YibaoException(Domain.Errors.ErrorCatalog.InvalidField("chunk-size", "is from 1 to 200000"));
        await using var db = YibaoDatabase.Open(database);
        await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
        // A region outside this database is not run (nothing created for it), whatever packs exist.
        await RegionTable.RequireAsync(db, region, ct).ConfigureAwait(false);
        var runner = new YearEndRunner(db, PolicyPackLoader.Embedded, TimeProvider.System, new BatchRunOptions { ChunkSize = chunkSize });
        var plan = runner.Plan(region, year);
        var console = Console(output);
        var result = await WithProgressAsync(console, json, $"{region.Value} {year} 结转", p => runner.RunAsync(region, year, p, ct)).ConfigureAwait(false);
        Print(console, output, json, result, $"{region.Value} {PolicyPackLoader.Embedded.Pack(region).Name}", "insurance year / 医保年度", $"{year} ({plan.Year})",
            [("carried over / 已结转", "moved to 历年账户 / 结转合计", "interest / 利息")], plan.InterestRate.Value != 0m);
        var settlement = await PreCredits.SettlementAsync(db, region, plan.Year, ct).ConfigureAwait(false);
        if (settlement.Settled > 0 && !json)
            console.MarkupLine(Markup.Escape(
                $"pre-credits settled / 预划入清算: {N(settlement.Settled)}; clawed back from {N(settlement.Clawed)} / 扣回 {N(settlement.Clawed)} 人, " +
                $"{settlement.ClawedBack} (short / 余额不足未扣 {settlement.Shortfall})"));
        return Cli.Ok;
    }

    private static IAnsiConsole Console(TextWriter output) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });

    /// <summary>A live bar on a terminal; elsewhere (a pipe, a log file, a test) a line at every tenth of the way.</summary>
    private static async Task<BatchRunResult> WithProgressAsync(IAnsiConsole console, bool json, string label, Func<IProgress<BatchRunProgress>, Task<BatchRunResult>> run)
    {
        if (json) return await run(new InlineProgress(_ => { })).ConfigureAwait(false);
        if (console.Profile.Capabilities.Interactive)
        {
            BatchRunResult? result = null;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(label), maxValue: 1);
                    result = await run(new InlineProgress(p =>
                    {
                        task.MaxValue = Math.Max(1, Math.Max(p.Total, p.Processed));
                        task.Value = p.Processed;
                    })).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
            return result!;
        }
        var lastTenth = -1L;
        return await run(new InlineProgress(p =>
        {
            var tenth = p.Total == 0 ? 10 : Math.Min(10, p.Processed * 10 / p.Total);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            console.MarkupLine($"{Markup.Escape(label)}: {p.Processed.ToString("N0", CultureInfo.InvariantCulture)} / {p.Total.ToString("N0", CultureInfo.InvariantCulture)} ({tenth * 10}%)");
        })).ConfigureAwait(false);
    }

    private static void Print(IAnsiConsole console, TextWriter output, bool json, BatchRunResult result, string regionName, string periodLabel, string period,
        (string Done, string Sum, string Second)[] labels, bool showSecond)
    {
        var run = result.Run;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                runId = run.Id,
                region = run.Region.Value,
                kind = run.Kind,
                period = run.Period,
                status = run.Status,
                alreadyFinished = result.AlreadyFinished,
                policyVersion = run.PolicyVersion,
                accounts = run.AccountsTotal,
                done = run.AccountsDone,
                skipped = run.AccountsSkipped,
                skippedByReason = run.SkippedByReason,
                sumCredited = DMoney.FromFen(run.SumCredited).ToPlainString(),
                sumDeducted = DMoney.FromFen(run.SumDeducted).ToPlainString(),
                doneNow = result.DoneNow,
                elapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 3),
            }));
            return;
        }
        var (doneLabel, sumLabel, secondLabel) = labels[0];
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").RightAligned()).AddColumn("");
        table.AddRow("region / 统筹地区", Markup.Escape(regionName));
        table.AddRow(periodLabel, Markup.Escape(period));
        table.AddRow("accounts / 账户", N(run.AccountsTotal));
        table.AddRow(doneLabel, N(run.AccountsDone));
        table.AddRow("skipped / 未处理", N(run.AccountsSkipped));
        foreach (var (reason, count) in run.SkippedByReason.OrderByDescending(kv => kv.Value))
            table.AddRow($"  {Markup.Escape(reason)}", N(count), Describe(reason));
        table.AddRow(sumLabel, Markup.Escape(DMoney.FromFen(run.SumCredited).ToString()));
        if (showSecond || run.SumDeducted != 0) table.AddRow(secondLabel, Markup.Escape(DMoney.FromFen(run.SumDeducted).ToString()));
        table.AddRow("elapsed / 用时", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{result.Elapsed.TotalSeconds:F1} s")));
        console.Write(table);
        console.MarkupLine($"policy version / 政策版本: {Markup.Escape(run.PolicyVersion)}");
        if (result.AlreadyFinished)
            console.MarkupLine($"[yellow]already finished[/] on {Markup.Escape(run.FinishedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "")}: nothing was written / 该批次已完成,本次未做任何改动");
        else
            console.MarkupLine($"[green]finished[/] run {run.Id}: {N(result.DoneNow)} entries written now / 本次写入 {N(result.DoneNow)} 笔");
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Describe(string reason) =>
        CreditingRunSkips.All.FirstOrDefault(s => s.Code == reason) is { Zh: { } zh } ? Markup.Escape(zh) : "";

    private sealed class InlineProgress(Action<BatchRunProgress> report) : IProgress<BatchRunProgress>
    {
        public void Report(BatchRunProgress value) => report(value);
    }
}
