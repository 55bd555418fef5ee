using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Crediting;

namespace Yibao.Cli.Demo;

/// <summary><c>yibao demo generate</c>: a realistic synthetic population for demonstrations and benchmarks.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var region = new Option<string>("--region", "-r") { Description = "Pooling region code, e.g. 990100", Required = true };
        var insured = new Option<int>("--insured", "-n") { Description = "Insured people to create (default 10000)", DefaultValueFactory = _ => 10_000 };
        var months = new Option<int>("--months") { Description = "Contribution months per person, ending at --through (default 36)", DefaultValueFactory = _ => 36 };
        var through = new Option<string?>("--through") { Description = "Last contribution month, YYYY-MM (default: last month in China)" };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same people (default 20250501)", DefaultValueFactory = _ => 20250501 };
        var database = Cli.DatabaseOption();
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var generate = new Command("generate",
            "Generate employers, insured people (valid ID numbers, ages, sexes, statuses with history, wages between the base floor and ceiling), " +
            "several years of contributions with gaps, and their personal accounts, into an empty region. " +
            "Example: yibao demo generate --region 990100 --insured 1000000")
        {
            region, insured, months, through, seed, database, json,
        };
        generate.SetAction((parse, ct) =>
        {
            var last = parse.GetValue(through) is { Length: > 0 } t
                ? YearMonth.Parse(t)
                : YearMonth.Of(Dates.TodayInChina(TimeProvider.System)).AddMonths(-1);
            return GenerateAsync(new DemoGenerateOptions
            {
                Region = RegionCode.Parse(parse.GetValue(region)),
                Insured = parse.GetValue(insured),
                Months = parse.GetValue(months),
                Through = last,
                Seed = parse.GetValue(seed),
            }, parse.GetValue(database)!, parse.GetValue(json), parse.InvocationConfiguration.Output, ct);
        });
        return new Command("demo", "Demonstration data / 演示数据") { generate };
    }

    public static async Task<int> GenerateAsync(DemoGenerateOptions options, string database, bool json, TextWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!PolicyPackLoader.Embedded.Has(options.Region)) throw new YibaoException(ErrorCatalog.UnknownRegion(options.Region.Value));
        await using var db = YibaoDatabase.Open(database);
        await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
        var generator = new DemoPopulationGenerator(db, PolicyPackLoader.Embedded);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        DemoGenerateResult result;
        if (!json && console.Profile.Capabilities.Interactive)
        {
            result = null!;
            await console.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"{options.Region.Value} 生成参保人", maxValue: options.Insured);
                result = await generator.GenerateAsync(options, new InlineProgress(n => task.Value = n), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            result = await generator.GenerateAsync(options, null, ct).ConfigureAwait(false);
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                region = options.Region.Value,
                employers = result.Employers,
                insured = result.Insured,
                statusEvents = result.StatusEvents,
                contributions = result.Contributions,
                accounts = result.Accounts,
                through = options.Through.ToString(),
                elapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 3),
            })).ConfigureAwait(false);
            return Cli.Ok;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").RightAligned());
        table.AddRow("region / 统筹地区", Markup.Escape($"{options.Region.Value} {PolicyPackLoader.Embedded.Pack(options.Region).Name}"));
        table.AddRow("employers / 单位", N(result.Employers));
        table.AddRow("insured / 参保人", N(result.Insured));
        table.AddRow("status events / 状态变更", N(result.StatusEvents));
        table.AddRow("contributions / 缴费记录", N(result.Contributions));
        table.AddRow("personal accounts / 个人账户", N(result.Accounts));
        table.AddRow("months / 缴费月份", Markup.Escape($"{options.Through.AddMonths(-(options.Months - 1))} … {options.Through}"));
        table.AddRow("elapsed / 用时", Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{result.Elapsed.TotalSeconds:F1} s")));
        console.Write(table);
        return Cli.Ok;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private sealed class InlineProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
