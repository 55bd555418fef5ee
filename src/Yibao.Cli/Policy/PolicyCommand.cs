using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Yibao.Domain.Errors;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Cli.Policy;

/// <summary><c>yibao policy validate|show</c>: check packs, and see the merged policy of a region with provenance.</summary>
public static class PolicyCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo?>("folder") { Description = "A folder of packs (*.yaml); default: the packs built into this yibao", Arity = ArgumentArity.ZeroOrOne };
        var validate = new Command("validate", "Load and validate policy packs; every problem is printed with its file and line") { folder };
        validate.SetAction((parse, _) => Task.FromResult(Validate(parse.GetValue(folder), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)));

        var region = new Argument<string>("region") { Description = "Six-digit region code, e.g. 990100" };
        var date = new Option<string?>("--date") { Description = "The day (YYYY-MM-DD) whose policy to show; default today (China time)" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var packs = new Option<DirectoryInfo?>("--packs") { Description = "A folder of packs instead of the built-in ones" };
        var show = new Command("show", "The merged policy of a region on a day: every rule with its value, provenance and source") { region, date, json, packs };
        show.SetAction((parse, _) => Task.FromResult(Show(parse.GetValue(region)!, parse.GetValue(date), parse.GetValue(json), parse.GetValue(packs), parse.InvocationConfiguration.Output)));

        return new Command("policy", "Regional policy packs (政策包)") { validate, show };
    }

    public static PolicyBook Book(DirectoryInfo? folder) => folder is null ? PolicyPackLoader.Embedded : PolicyPackLoader.LoadFolder(folder.FullName);

    private static int Validate(DirectoryInfo? folder, TextWriter output, TextWriter error)
    {
        if (folder is { Exists: false }) throw new YibaoException(ErrorCatalog.InvalidField("folder", $"no such folder: {folder.FullName}"));
        try
        {
            var book = Book(folder);
            var rules = book.Packs.Sum(p => p.Versions.Sum(v => v.Rules.Count));
            output.WriteLine($"OK {book.Packs.Count} packs, {book.Packs.Sum(p => p.Versions.Count)} versions, {rules} rules / 政策包校验通过");
            return Cli.Ok;
        }
        catch (PolicyValidationException e)
        {
            foreach (var problem in e.Errors) error.WriteLine(problem.ToString());
            error.WriteLine($"{e.Errors.Count} problem(s) / 发现 {e.Errors.Count} 处问题");
            return Cli.ChecksFailed;
        }
    }

    private static int Show(string regionText, string? dateText, bool json, DirectoryInfo? packs, TextWriter output)
    {
        var region = RegionCode.Parse(regionText);
        var date = dateText is null ? Dates.TodayInChina(TimeProvider.System) : Dates.Parse(dateText);
        var policy = Book(packs).For(region, date);
        if (json)
        {
            output.WriteLine(PolicyJson.Render(policy).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return Cli.Ok;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.MarkupLine($"[bold]{Markup.Escape(policy.Region.Value)} {Markup.Escape(policy.RegionName)}[/] on {Dates.Format(date)} — version {Markup.Escape(policy.VersionId)}");
        var table = new Table().AddColumn("rule").AddColumn("value").AddColumn("provenance").AddColumn("source").AddColumn("from");
        foreach (var v in policy.Values.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var value = PolicyJson.Value(v.Value)?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
            var provenance = v.Provenance == Provenance.Example ? "[yellow]example (not a real number)[/]" : Markup.Escape(v.Provenance.Code());
            table.AddRow(Markup.Escape(v.Key), Markup.Escape(value), provenance, Markup.Escape(v.Source), Markup.Escape($"{v.DefinedBy.Value}@{v.VersionId} {v.File}:{v.Line}"));
        }
        console.Write(table);
        return Cli.Ok;
    }
}
