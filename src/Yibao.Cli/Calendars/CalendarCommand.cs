using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Yibao.Domain.Calendars;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Cli.Calendars;

/// <summary>
/// <c>yibao calendar validate|show|import</c>: check the holiday calendars (节假日安排) the server
/// will load, see a year's days off and working weekends with their sources, and add a new
/// year's notice to the agency's folder (it takes effect at the next start).
/// </summary>
public static class CalendarCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo?>("folder")
        {
            Description = "A folder of calendar files to check with the shipped ones; default: the agency's folder (--calendars)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var validateCalendars = Cli.CalendarsOption();
        var validate = new Command("validate",
            "Load and check the calendars as the server will: the shipped ones and the agency's folder. Every problem is printed with its file and line. " +
            "Example: yibao calendar validate data/calendars")
        { folder, validateCalendars };
        validate.SetAction((parse, _) => Task.FromResult(Validate(parse.GetValue(folder)?.FullName ?? parse.GetValue(validateCalendars)!, parse.GetValue(folder) is not null,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)));

        var year = new Argument<int>("year") { Description = "The year, e.g. 2027" };
        var region = new Option<string?>("--region", "-r") { Description = "A region whose overlay to apply (e.g. 540100 拉萨); default: the national calendar" };
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var showCalendars = Cli.CalendarsOption();
        var show = new Command("show",
            "A year's days off and working weekends, each marked official (from a notice) or provisional (the statutory rule, K17), with its source. " +
            "Example: yibao calendar show 2027 --region 540100")
        { year, region, json, showCalendars };
        show.SetAction((parse, _) => Task.FromResult(Show(parse.GetValue(year), parse.GetValue(region) is { } r ? RegionCode.Parse(r) : RegionCode.National,
            parse.GetValue(json), Cli.LoadCalendars(parse.GetValue(showCalendars)!), parse.InvocationConfiguration.Output)));

        var file = new Argument<FileInfo>("file") { Description = "A calendar file: a holiday-cn year as published (e.g. 2027.json) or one in Yibao's format" };
        var replace = new Option<bool>("--replace") { Description = "Replace the agency's own file for the same region and year (never a shipped one)" };
        var importCalendars = Cli.CalendarsOption();
        var import = new Command("import",
            "Check a new notice's file with the calendars already loaded, then copy it into the agency's folder as national-<year>.json or <region>-<year>.json; " +
            "it takes effect at the next start of the server. Example: yibao calendar import ~/Downloads/2027.json")
        { file, replace, importCalendars };
        import.SetAction((parse, _) => Task.FromResult(Import(parse.GetValue(file)!, parse.GetValue(importCalendars)!, parse.GetValue(replace),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)));

        return new Command("calendar", "Holiday calendars (节假日安排): national notices, regional overlays and the provisional year") { validate, show, import };
    }

    private static int Validate(string folder, bool named, TextWriter output, TextWriter error)
    {
        if ((named || folder != Cli.DefaultCalendars) && !Directory.Exists(folder))
            throw new YibaoException(ErrorCatalog.InvalidField("folder", $"no such folder: {Path.GetFullPath(folder)}"));
        var sameAsShipped = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) == Path.GetFullPath(HolidayCalendars.ShippedFolder).TrimEnd(Path.DirectorySeparatorChar);
        var extra = Directory.Exists(folder) && !sameAsShipped ? CalendarSource.ReadFolder(folder) : [];
        var check = HolidayCalendars.Check(HolidayCalendars.ShippedSources().Concat(extra));
        foreach (var warning in check.Warnings)
            error.WriteLine($"warning {warning.File}:{warning.Line}: {warning.En} / {warning.Zh}");
        if (!check.Ok)
        {
            PrintProblems(error, check.Problems);
            error.WriteLine($"{check.Problems.Count} problem(s) / 发现 {check.Problems.Count} 处问题");
            return Cli.ChecksFailed;
        }
        var calendars = check.Calendars!;
        foreach (var notice in calendars.Files)
            output.WriteLine($"OK {notice.File}: {notice.Region.Value} {notice.Year}, {notice.ListedDays} days, {notice.Title}");
        output.WriteLine(Summary(calendars));
        return Cli.Ok;
    }

    /// <summary>One line saying what the server would compute: the published years, the provisional one, the overlays.</summary>
    private static string Summary(HolidayCalendars calendars)
    {
        var published = calendars.Years.Count == 0 ? "none" : string.Join(", ", calendars.Years);
        var provisional = calendars.ProvisionalYear?.ToString(CultureInfo.InvariantCulture) ?? "none";
        var overlays = string.Join("; ", calendars.Files.Where(f => !f.Region.IsNational).GroupBy(f => f.Region)
            .Select(g => $"{g.Key.Value} {string.Join(", ", g.Select(f => f.Year))}"));
        return $"OK published {published}; provisional {provisional} (statutory rule, K17); overlays {(overlays.Length == 0 ? "none" : overlays)} / " +
               $"节假日安排校验通过:已公布 {published} 年,暂定 {provisional} 年";
    }

    private static int Show(int year, RegionCode region, bool json, HolidayCalendars calendars, TextWriter output)
    {
        var arrangement = calendars.Arrangement(year, region);
        if (json)
        {
            var root = new JsonObject
            {
                ["year"] = arrangement.Year,
                ["region"] = arrangement.Region.Value,
                ["provisional"] = arrangement.Provisional,
                ["overlayMissing"] = arrangement.OverlayMissing,
                ["days"] = new JsonArray(arrangement.Days.Select(d => (JsonNode?)new JsonObject
                {
                    ["date"] = Dates.Format(d.Date),
                    ["weekday"] = d.Date.DayOfWeek.ToString(),
                    ["offDay"] = d.IsOffDay,
                    ["name"] = d.Name,
                    ["status"] = d.Provisional ? "provisional" : "official",
                    ["makeUp"] = d.MakeUp,
                    ["decidedBy"] = d.DecidedBy.Value,
                    ["source"] = d.Source,
                    ["file"] = d.File,
                }).ToArray()),
                ["notices"] = new JsonArray(arrangement.Notices.Select(n => (JsonNode?)new JsonObject
                {
                    ["region"] = n.Region.Value,
                    ["year"] = n.Year,
                    ["title"] = n.Title,
                    ["papers"] = new JsonArray(n.Papers.Select(p => (JsonNode?)p).ToArray()),
                    ["file"] = n.File,
                }).ToArray()),
                ["reasons"] = CaseOutput.Reasons(arrangement.Reasons),
            };
            output.WriteLine(root.ToJsonString(Indented));
            return Cli.Ok;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = 200;
        var whose = region.IsNational ? "national calendar 全国" : $"calendar of {region.Value}";
        console.MarkupLine(arrangement.Provisional
            ? $"[bold]{year}[/] {Markup.Escape(whose)} — [yellow]provisional 暂定[/]: the {year} notice is not published; computed from 《全国年节及纪念日放假办法》 art. 2 and 6, no working weekends"
            : $"[bold]{year}[/] {Markup.Escape(whose)} — official 已公布");
        var table = new Table().AddColumns("date", "weekday", "day", "holiday", "status", "source");
        foreach (var d in arrangement.Days)
            table.AddRow(Dates.Format(d.Date), CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(d.Date.DayOfWeek),
                d.IsOffDay ? (d.MakeUp ? "off 补假" : "off 放假") : "[green]working 上班[/]",
                Markup.Escape(d.Name + (d.DecidedBy.IsNational ? "" : $" ({d.DecidedBy.Value})")),
                d.Provisional ? "[yellow]provisional 暂定[/]" : "official 已公布",
                Markup.Escape(d.Source));
        console.Write(table);
        foreach (var n in arrangement.Notices)
            console.WriteLine($"notice {n.Region.Value} {n.Year}: {n.Title} {string.Join(" ", n.Papers)} ({n.File})");
        foreach (var r in arrangement.Reasons)
        {
            console.WriteLine(r.TextZh);
            console.WriteLine(r.TextEn);
        }
        console.WriteLine($"{arrangement.Days.Count(d => d.IsOffDay)} day(s) off, {arrangement.Days.Count(d => !d.IsOffDay)} working weekend day(s) / 放假 {arrangement.Days.Count(d => d.IsOffDay)} 天,调休上班 {arrangement.Days.Count(d => !d.IsOffDay)} 天");
        return Cli.Ok;
    }

    private static int Import(FileInfo file, string folder, bool replace, TextWriter output, TextWriter error)
    {
        if (!file.Exists) throw new YibaoException(ErrorCatalog.InvalidField("file", $"no such file: {file.FullName}"));
        var content = File.ReadAllBytes(file.FullName);
        var warnings = new List<CalendarWarning>();
        CalendarNotice? notice;
        try
        {
            notice = HolidayCalendars.ReadNotice(new CalendarSource(file.FullName, content), warnings);
        }
        catch (YibaoException e)
        {
            return Failed(error, [e.Error]);
        }
        if (notice is null)
        {
            foreach (var w in warnings) error.WriteLine($"{w.File}:{w.Line}: {w.En} / {w.Zh}");
            error.WriteLine("nothing imported: the file is not a published notice / 未导入:该文件不是已公布的放假通知");
            return Cli.ChecksFailed;
        }

        var target = Path.Combine(folder, HolidayCalendars.FileName(notice.Region, notice.Year));
        if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(content))
        {
            output.WriteLine($"already imported: {target} holds the same file / 已导入过,内容相同");
            return Cli.Ok;
        }
        if (File.Exists(target) && !replace)
        {
            error.WriteLine($"{target} already holds {notice.Region.Value} {notice.Year}: give --replace to replace it / {target} 已有该地区该年份的安排,如需替换请加 --replace");
            return Cli.ChecksFailed;
        }

        // Checked exactly as the next start will load it: the shipped files, the folder, and this file in its place.
        var existing = Directory.Exists(folder)
            ? CalendarSource.ReadFolder(folder).Where(s => Path.GetFullPath(s.Name) != Path.GetFullPath(target))
            : [];
        var check = HolidayCalendars.Check(HolidayCalendars.ShippedSources().Concat(existing).Append(new CalendarSource(target, content)));
        if (!check.Ok) return Failed(error, check.Problems);
        if (!check.Calendars!.Files.Any(f => f.File == target))
        {
            output.WriteLine($"nothing to do: {notice.Region.Value} {notice.Year} is already loaded with the same days / 无需导入:该年份安排已载入且内容一致");
            return Cli.Ok;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllBytes(target, content);
        output.WriteLine($"imported {notice.Region.Value} {notice.Year} ({notice.Title}) into {Path.GetFullPath(target)}; it takes effect at the next start of the server");
        output.WriteLine($"已导入 {notice.Region.Value} {notice.Year} 年安排,重启服务后生效");
        output.WriteLine(Summary(check.Calendars));
        return Cli.Ok;
    }

    private static int Failed(TextWriter error, IReadOnlyList<Refusal> problems)
    {
        PrintProblems(error, problems);
        error.WriteLine("nothing imported / 未导入");
        return Cli.ChecksFailed;
    }

    /// <summary>Each problem as <c>file:line: English</c>, then the Chinese, as <c>policy validate</c> prints them.</summary>
    private static void PrintProblems(TextWriter error, IReadOnlyList<Refusal> problems)
    {
        foreach (var problem in problems)
        {
            error.WriteLine($"{problem.Details.GetValueOrDefault("file")}:{problem.Details.GetValueOrDefault("line")}: {problem.MessageEn}");
            error.WriteLine($"      {problem.MessageZh}");
        }
    }
}
