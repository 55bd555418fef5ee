using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Cli.Fund;

/// <summary><c>yibao fund show</c>: a region's pooled fund (统筹基金) as the ledger holds it, the same report as <c>GET /api/regions/{region}/fund</c>.</summary>
public static class FundCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var region = new Option<string>("--region", "-r") { Description = "Pooling region code, e.g. 990100", Required = true };
        var from = new Option<string?>("--from") { Description = "First month, YYYY-MM (default: the first month the fund moved)" };
        var to = new Option<string?>("--to") { Description = "Last month, YYYY-MM (default: the last month the fund moved)" };
        var database = Cli.DatabaseOption();
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var show = new Command("show",
            "The pooled fund's balance, what employers and insured people owe (contributions billed, not paid), and each month's contribution income, " +
            "credits to personal accounts and net change. Example: yibao fund show --region 990100 --from 2025-01")
        {
            region, from, to, database, json,
        };
        show.SetAction((parse, ct) => ShowAsync(RegionCode.Parse(parse.GetValue(region)),
            parse.GetValue(from) is { Length: > 0 } f ? YearMonth.Parse(f) : null,
            parse.GetValue(to) is { Length: > 0 } t ? YearMonth.Parse(t) : null,
            parse.GetValue(database)!, parse.GetValue(json), parse.InvocationConfiguration.Output, ct));
        return new Command("fund", "The pooled fund of a region / 统筹基金") { show };
    }

    public static async Task<int> ShowAsync(RegionCode region, YearMonth? from, YearMonth? to, string database, bool json, TextWriter output, CancellationToken ct)
    {
        await using var db = YibaoDatabase.Open(database);
        await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
        var report = await FundQueries.GetAsync(db, region, from, to, ct).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                region = report.Region.Value,
                regionName = report.RegionName,
                balance = report.Balance.ToPlainString(),
                receivables = new
                {
                    employers = report.EmployerReceivable.ToPlainString(),
                    insured = report.InsuredReceivable.ToPlainString(),
                    total = report.ReceivablesOutstanding.ToPlainString(),
                    unpaidMonths = report.UnpaidMonths,
                },
                months = report.Months.Select(m => new
                {
                    month = m.Month.ToString(),
                    income = m.Income.ToPlainString(),
                    contributions = m.Contributions.ToPlainString(),
                    backPay = m.BackPay.ToPlainString(),
                    credited = m.Credited.ToPlainString(),
                    other = m.Other.ToPlainString(),
                    net = m.Net.ToPlainString(),
                }),
            }, Json)).ConfigureAwait(false);
            return Cli.Ok;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.MarkupLine($"[bold]{Markup.Escape($"{report.Region.Value} {report.RegionName}")}[/] 统筹基金 pooled fund");
        console.MarkupLine($"balance / 余额: [bold]{Markup.Escape(report.Balance.ToString())}[/]");
        console.MarkupLine(Markup.Escape(
            $"receivables / 应缴未缴: {report.ReceivablesOutstanding} (employers / 单位 {report.EmployerReceivable}, insured / 个人 {report.InsuredReceivable}; {report.UnpaidMonths} months / 个月)"));
        if (report.Months.Count == 0)
        {
            console.MarkupLine("no movements / 无收支");
            return Cli.Ok;
        }
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("month / 月份")
            .AddColumn(new TableColumn("income / 缴费收入").RightAligned())
            .AddColumn(new TableColumn("of which back-pay / 其中补缴").RightAligned())
            .AddColumn(new TableColumn("credited / 划入个人账户").RightAligned())
            .AddColumn(new TableColumn("other / 其他").RightAligned())
            .AddColumn(new TableColumn("net / 净额").RightAligned());
        foreach (var m in report.Months)
            table.AddRow(m.Month.ToString(), m.Income.ToPlainString(), m.BackPay.ToPlainString(), m.Credited.ToPlainString(), m.Other.ToPlainString(), m.Net.ToPlainString());
        console.Write(table);
        return Cli.Ok;
    }
}
