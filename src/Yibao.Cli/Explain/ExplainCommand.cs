using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Cli.Explain;

/// <summary>
/// <c>yibao explain &lt;kind&gt; --region … --date … --input file.json</c>: asks one question (a case
/// kind's input) and prints the answer with its reasons: rule, values compared, provenance, source.
/// </summary>
public static class ExplainCommand
{
    public static Command Create()
    {
        var kind = new Argument<string>("kind") { Description = "The question: inpatient, withdrawal, transfer, family-aid, crediting, backfill, waiting-period, commercial-insurance, …" };
        var region = new Option<string>("--region") { Description = "Six-digit region code", Required = true };
        var date = new Option<string?>("--date") { Description = "The day the question is asked (selects the policy version); default today" };
        var input = new Option<FileInfo>("--input") { Description = "A JSON file with the input (the case kind's input shape; - for standard input)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the answer as JSON" };
        var explain = new Command("explain", "Answer one question with its reasons, as the decision API does") { kind, region, date, input, json };
        explain.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(input)!;
            var text = file.Name == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : await ReadAsync(file, ct).ConfigureAwait(false);
            JsonObject inputJson;
            try { inputJson = JsonNode.Parse(text) as JsonObject ?? throw new YibaoException(ErrorCatalog.InvalidField("input", "expected a JSON object")); }
            catch (JsonException e) { throw new YibaoException(ErrorCatalog.InvalidField("input", e.Message)); }
            var question = new AcceptanceCase("explain", parse.GetValue(kind)!, RegionCode.Parse(parse.GetValue(region)),
                parse.GetValue(date) is { } d ? Dates.Parse(d) : Dates.TodayInChina(TimeProvider.System), null, inputJson, []);
            var answer = CaseKinds.Default.Answer(question);
            Print(answer, parse.GetValue(json), parse.InvocationConfiguration.Output);
            return Cli.Ok;
        });
        return explain;
    }

    private static async Task<string> ReadAsync(FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) throw new YibaoException(ErrorCatalog.InvalidField("input", $"no such file: {file.FullName}"));
        return await File.ReadAllTextAsync(file.FullName, ct).ConfigureAwait(false);
    }

    private static void Print(JsonObject answer, bool json, TextWriter output)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        if (json)
        {
            output.WriteLine(answer.ToJsonString(options));
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var fields = new Table().AddColumn("answer").AddColumn("value");
        foreach (var (name, value) in answer)
        {
            if (name == "reasons") continue;
            fields.AddRow(Markup.Escape(name), Markup.Escape(value?.ToJsonString(options) ?? "null"));
        }
        console.Write(fields);
        if (answer["reasons"] is not JsonArray reasons || reasons.Count == 0) return;
        console.MarkupLine("[bold]Why / 依据[/]");
        var i = 0;
        foreach (var reason in reasons.OfType<JsonObject>())
        {
            i++;
            var provenance = (string?)reason["provenance"];
            var flag = provenance == "example" ? " [yellow](example value, not a real number / 示例参数)[/]" : "";
            console.MarkupLine($"{i}. {Markup.Escape((string?)reason["zh"] ?? "")}");
            console.MarkupLine($"   {Markup.Escape((string?)reason["en"] ?? "")}");
            console.MarkupLine($"   [grey]rule {Markup.Escape((string?)reason["ruleId"] ?? "")} · {Markup.Escape(provenance ?? "")}{flag} · {Markup.Escape((string?)reason["source"] ?? "")}[/]");
        }
    }
}
