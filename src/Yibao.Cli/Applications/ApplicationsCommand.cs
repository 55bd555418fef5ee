using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Applications;
using Yibao.Storage.Transfer;
using Yibao.Storage.Ledger;
using Yibao.Storage.Regions;

namespace Yibao.Cli.Applications;

/// <summary>
/// <c>yibao applications list|show|accept|approve|reject|return|execute</c> and <c>yibao transfers
/// dispatch|list</c>: the reviewer's and the operator's work from a terminal, through the same
/// store the server uses.
/// </summary>
public static class ApplicationsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var command = new Command("applications", "Applications (提取, 转移接续): the review queue and the reviewer's actions. Example: yibao applications list --region 990100 --overdue");
        command.Options.Add(Cli.CalendarsOption(recursive: true));
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Action("accept", "受理: accept a complete submitted application", withReason: false));
        command.Subcommands.Add(Action("approve", "审核通过: approve an accepted application (the decision runs again on today's facts)", withReason: false));
        command.Subcommands.Add(Action("reject", "不予通过: reject with the reason in Chinese and English, as the applicant will read it", withReason: true));
        command.Subcommands.Add(Action("return", "退回补正: send a submitted application back to the applicant with the reason", withReason: true));
        command.Subcommands.Add(Action("execute", "办理: move the money of an approved application, once (a retry moves nothing)", withReason: false));
        return command;
    }

    public static Command Transfers()
    {
        var command = new Command("transfers", "Transfers between pooling regions (转移接续): deliver and credit them, see what is pending.");
        command.Options.Add(Cli.CalendarsOption(recursive: true));
        var database = Cli.DatabaseOption();
        var regionDb = RegionDatabaseOption();
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var dispatch = new Command("dispatch",
            "One delivery round: every undelivered transfer message to its target region's inbox (once, whatever the retries), then every received message credited. " +
            "Example: yibao transfers dispatch --database data/yibao.db --region-database 620100=other.db")
        { database, regionDb, json };
        dispatch.SetAction((parse, ct) => DispatchAsync(parse.GetValue(database)!, parse.GetValue(regionDb) ?? [], parse.GetValue(json), Cli.LoadCalendars(parse), parse.InvocationConfiguration.Output, ct));

        var listDb = Cli.DatabaseOption();
        var region = new Option<string>("--region", "-r") { Description = "Pooling region code", Required = true };
        var all = new Option<bool>("--all") { Description = "Include delivered and credited transfers" };
        var listJson = new Option<bool>("--json") { Description = "Machine-readable output" };
        var list = new Command("list", "A region's transfers out (not yet delivered) and in (not yet credited), soonest deadline first, overdue ones flagged.") { region, listDb, all, listJson };
        list.SetAction((parse, ct) => ListTransfersAsync(RegionCode.Parse(parse.GetValue(region)), parse.GetValue(listDb)!, parse.GetValue(all), parse.GetValue(listJson),
            Cli.LoadCalendars(parse), parse.InvocationConfiguration.Output, ct));
        command.Subcommands.Add(dispatch);
        command.Subcommands.Add(list);
        return command;
    }

    private static Command List()
    {
        var region = new Option<string>("--region", "-r") { Description = "Pooling region code, e.g. 990100", Required = true };
        var kind = new Option<string?>("--kind") { Description = "withdrawal or transfer" };
        var status = new Option<string?>("--status") { Description = "submitted, returned, accepted, approved, rejected, executed, closed or withdrawn" };
        var overdue = new Option<bool>("--overdue") { Description = "Only those past their deadline while with the agency" };
        var all = new Option<bool>("--all") { Description = "Include finished applications" };
        var database = Cli.DatabaseOption();
        var json = new Option<bool>("--json") { Description = "One JSON object per application" };
        var command = new Command("list", "The review queue of a region, soonest deadline first. Example: yibao applications list --region 990100 --kind withdrawal")
        {
            region, kind, status, overdue, all, database, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var query = new ApplicationQuery(
                parse.GetValue(kind) is { } k ? ApplicationLifecycle.ParseKind(k) : null,
                parse.GetValue(status) is { } s ? ApplicationLifecycle.ParseStatus(s) : null,
                parse.GetValue(overdue), parse.GetValue(all), 1000);
            await using var db = await OpenAsync(parse.GetValue(database)!, ct).ConfigureAwait(false);
            var code = RegionCode.Parse(parse.GetValue(region));
            await RegionTable.RequireAsync(db, code, ct).ConfigureAwait(false);
            var list = await Store(db, Cli.LoadCalendars(parse)).QueueAsync(code, query, ct).ConfigureAwait(false);
            var output = parse.InvocationConfiguration.Output;
            var today = Dates.TodayInChina(Cli.Clock);
            if (parse.GetValue(json))
            {
                foreach (var a in list) await output.WriteLineAsync(JsonSerializer.Serialize(Summary(a, today), Json)).ConfigureAwait(false);
                return Cli.Ok;
            }
            var table = new Table().AddColumns("id", "kind", "status", "insured", "applied", "due", "overdue", "decision");
            foreach (var a in list)
                table.AddRow(a.Id.ToString(CultureInfo.InvariantCulture), a.Kind.Code(), a.Status.Code(), a.IdNumber.Value, Dates.Format(a.AppliedOn),
                    Dates.Format(a.DueOn) + (a.DeadlinesProvisional ? " [yellow]provisional 暂定[/]" : ""),
                    a.OverdueOn(today) ? "[red]overdue 逾期[/]" : "", Markup.Escape(Verdict(a.ApprovalDecision ?? a.Decision)));
            var console = Console(output);
            console.Write(table);
            console.WriteLine($"{list.Count} application(s) / 件");
            return Cli.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("id") { Description = "The application's id" };
        var database = Cli.DatabaseOption();
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var regionDb = RegionDatabaseOption();
        var command = new Command("show", "One application with its decision(s) and audit trail. Example: yibao applications show 42") { id, database, regionDb, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await OpenAsync(parse.GetValue(database)!, ct).ConfigureAwait(false);
            await using var regions = await RegionsAsync(db, parse.GetValue(regionDb) ?? [], ct).ConfigureAwait(false);
            var review = await Store(db, Cli.LoadCalendars(parse), regions.Map).ReviewAsync(parse.GetValue(id), ct).ConfigureAwait(false);
            await PrintAsync(parse.InvocationConfiguration.Output, review.Application, parse.GetValue(json), review).ConfigureAwait(false);
            return Cli.Ok;
        });
        return command;
    }

    private static Command Action(string name, string description, bool withReason)
    {
        var id = new Argument<long>("id") { Description = "The application's id" };
        var reviewer = new Option<string>("--reviewer") { Description = "Who takes the action (recorded in the audit trail)", Required = true };
        var reasonZh = new Option<string?>("--reason-zh") { Description = "The reason in Chinese", Required = withReason };
        var reasonEn = new Option<string?>("--reason-en") { Description = "The reason in English", Required = withReason };
        var note = new Option<string?>("--note") { Description = "A note for the audit trail" };
        var database = Cli.DatabaseOption();
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        var regionDb = RegionDatabaseOption();
        var command = new Command(name, $"{description}. Example: yibao applications {name} 42 --reviewer 王审核" + (withReason ? " --reason-zh … --reason-en …" : "")) { id, reviewer, database, regionDb, json };
        if (withReason)
        {
            command.Options.Add(reasonZh);
            command.Options.Add(reasonEn);
        }
        else
        {
            command.Options.Add(note);
        }
        command.SetAction(async (parse, ct) =>
        {
            var who = parse.GetValue(reviewer)?.Trim();
            if (string.IsNullOrEmpty(who)) throw new YibaoException(ErrorCatalog.MissingField("reviewer"));
            var actor = $"reviewer:{who}";
            await using var db = await OpenAsync(parse.GetValue(database)!, ct).ConfigureAwait(false);
            await using var regions = await RegionsAsync(db, parse.GetValue(regionDb) ?? [], ct).ConfigureAwait(false);
            var store = Store(db, Cli.LoadCalendars(parse), regions.Map);
            var app = parse.GetValue(id);
            var outcome = name switch
            {
                "accept" => await store.AcceptAsync(app, actor, ct).ConfigureAwait(false),
                "approve" => await store.ApproveAsync(app, actor, parse.GetValue(note), ct).ConfigureAwait(false),
                "reject" => await store.RejectAsync(app, actor, parse.GetValue(reasonZh) ?? "", parse.GetValue(reasonEn) ?? "", null, ct).ConfigureAwait(false),
                "return" => await store.ReturnAsync(app, actor, parse.GetValue(reasonZh) ?? "", parse.GetValue(reasonEn) ?? "", ct).ConfigureAwait(false),
                _ => await store.ExecuteAsync(app, actor, ct).ConfigureAwait(false),
            };
            var result = outcome.OrThrow();
            await PrintAsync(parse.InvocationConfiguration.Output, result.Application, parse.GetValue(json), null, result.Replayed).ConfigureAwait(false);
            return Cli.Ok;
        });
        return command;
    }

    private static async Task<int> DispatchAsync(string database, string[] regionDatabases, bool json, HolidayCalendars calendars, TextWriter output, CancellationToken ct)
    {
        await using var db = await OpenAsync(database, ct).ConfigureAwait(false);
        await using var regions = await RegionsAsync(db, regionDatabases, ct).ConfigureAwait(false);
        var exchange = new TransferExchange(regions.Map, PolicyPackLoader.Embedded, calendars, Cli.Clock);
        var round = await exchange.RoundAsync(ct).ConfigureAwait(false);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(round, Json)).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync($"delivered {round.Delivered} (already delivered {round.Redelivered}), credited {round.Credited}, failed {round.Failed}, waiting {round.Waiting}").ConfigureAwait(false);
            await output.WriteLineAsync($"投递 {round.Delivered} 件(重复投递 {round.Redelivered} 件),转入入账 {round.Credited} 件,投递失败 {round.Failed} 件,待转入 {round.Waiting} 件").ConfigureAwait(false);
            foreach (var e in round.Errors) await output.WriteLineAsync($"  {e}").ConfigureAwait(false);
        }
        return round.Failed > 0 ? Cli.ChecksFailed : Cli.Ok;
    }

    internal static Option<string[]> RegionDatabaseOption() => new("--region-database")
    {
        Description = "A region run in a database of its own: <region>=<database>, e.g. 620100=Host=…; repeatable",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The databases of the regions run apart, opened and migrated; disposing closes them.</summary>
    private sealed class OpenRegions(RegionDatabases map, IReadOnlyList<YibaoDatabase> opened) : IAsyncDisposable
    {
        public RegionDatabases Map { get; } = map;

        public async ValueTask DisposeAsync()
        {
            foreach (var db in opened) await db.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<OpenRegions> RegionsAsync(YibaoDatabase db, string[] regionDatabases, CancellationToken ct)
    {
        var apart = new Dictionary<RegionCode, YibaoDatabase>();
        try
        {
            foreach (var pair in regionDatabases)
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0) throw new YibaoException(ErrorCatalog.InvalidField("region-database", "应为“地区代码=数据库”", $"'{pair}' is not <region>=<database>"));
                apart[RegionCode.Parse(pair[..at])] = await OpenAsync(pair[(at + 1)..], ct).ConfigureAwait(false);
            }
        }
        catch
        {
            foreach (var other in apart.Values) await other.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new OpenRegions(new RegionDatabases(db, apart), [.. apart.Values]);
    }

    private static async Task<int> ListTransfersAsync(RegionCode region, string database, bool all, bool json, HolidayCalendars calendars, TextWriter output, CancellationToken ct)
    {
        await using var db = await OpenAsync(database, ct).ConfigureAwait(false);
        await RegionTable.RequireAsync(db, region, ct).ConfigureAwait(false);
        var exchange = new TransferExchange(new RegionDatabases(db), PolicyPackLoader.Embedded, calendars, Cli.Clock);
        var items = await exchange.QueueAsync(region, all, ct).ConfigureAwait(false);
        if (json)
        {
            foreach (var i in items)
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    i.Direction, i.MessageId, Source = i.Source.Value, Target = i.Target.Value, IdNumber = i.IdNumber.Value, Amount = i.Amount.ToPlainString(),
                    Deadline = Dates.Format(i.Deadline), i.Status, i.Overdue, i.LastError,
                }, Json)).ConfigureAwait(false);
            return Cli.Ok;
        }
        var table = new Table().AddColumns("direction", "message", "from", "to", "insured", "amount", "deadline", "status", "overdue");
        foreach (var i in items)
            table.AddRow(i.Direction, Markup.Escape(i.MessageId), i.Source.Value, i.Target.Value, i.IdNumber.Value, i.Amount.ToPlainString(), Dates.Format(i.Deadline),
                Markup.Escape(i.Status + (i.LastError is null ? "" : $" ({i.LastError})")), i.Overdue ? "[red]overdue 逾期[/]" : "");
        var console = Console(output);
        console.Write(table);
        console.WriteLine($"{items.Count} transfer(s) / 件");
        return Cli.Ok;
    }

    private static async Task PrintAsync(TextWriter output, ApplicationRecord a, bool json, ApplicationReview? review, bool replayed = false)
    {
        var today = Dates.TodayInChina(Cli.Clock);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                Application = Summary(a, today),
                Replayed = replayed,
                a.Decision,
                a.ApprovalDecision,
                Now = review?.Now,
                Differs = review?.Differs,
                Events = a.Events.Select(e => new { e.At, e.Actor, e.Action, From = e.From?.Code(), To = e.To.Code(), e.ReasonCode, e.ReasonZh, e.ReasonEn, e.Note }),
            }, Json)).ConfigureAwait(false);
            return;
        }
        var console = Console(output);
        console.MarkupLine($"[bold]application {a.Id}[/] {a.Kind.Code()} · {Markup.Escape(a.Status.Code())} {a.Status.Zh()}{(replayed ? " (already done / 已办理,本次未重复)" : "")}");
        console.WriteLine($"insured {a.IdNumber.Value} · region {a.Region.Value} · applied {Dates.Format(a.AppliedOn)} · due {Dates.Format(a.DueOn)}" +
                          (a.TargetDueOn is { } t ? $" · target due {Dates.Format(t)}" : "") + (a.DeadlinesProvisional ? " · provisional 暂定 (K17)" : "") + (a.OverdueOn(today) ? " · OVERDUE 逾期" : ""));
        console.WriteLine($"decision at submission: {DecisionText(a.Decision)}");
        if (a.ApprovalDecision is { } approval) console.WriteLine($"decision at approval:   {DecisionText(approval)}{(a.DecisionChanged ? "  ← differs / 与提交时不同" : "")}");
        if (review is { } r && r.Application.Status is ApplicationStatus.Submitted or ApplicationStatus.Returned or ApplicationStatus.Accepted)
            console.WriteLine($"decision today:         {DecisionText(r.Now)}{(r.Differs ? "  ← differs / 与提交时不同" : "")}");
        if (a.ReasonZh is not null) console.WriteLine($"reason: {a.ReasonZh} / {a.ReasonEn}");
        var events = new Table().AddColumns("at (UTC)", "actor", "action", "from", "to", "why");
        foreach (var e in a.Events)
            events.AddRow(e.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(e.Actor), e.Action, e.From?.Code() ?? "", e.To.Code(),
                Markup.Escape(e.ReasonZh ?? e.Note ?? ""));
        console.Write(events);
    }

    private static object Summary(ApplicationRecord a, DateOnly today) => new
    {
        a.Id, Region = a.Region.Value, Kind = a.Kind.Code(), IdNumber = a.IdNumber.Value, Status = a.Status.Code(), AppliedOn = Dates.Format(a.AppliedOn),
        DueOn = Dates.Format(a.DueOn), TargetDueOn = a.TargetDueOn is { } t ? Dates.Format(t) : null, a.DeadlinesProvisional, Overdue = a.OverdueOn(today), a.ReasonCode, a.ReasonZh, a.ReasonEn, a.EntryKey,
    };

    private static string Verdict(ApplicationDecision d) =>
        d.Approvable ? "approvable" : d.Eligible ? $"missing {string.Join(", ", d.MissingMaterials)}" : $"refused {d.ReasonCode}";

    private static string DecisionText(ApplicationDecision d) =>
        (d.Approvable ? "approvable" : d.Eligible ? $"incomplete: {string.Join(", ", d.MissingMaterials)}" : $"refused: {d.ReasonCode}") + Figures(d);

    /// <summary>What the decision moves, from its typed answer.</summary>
    private static string Figures(ApplicationDecision d) => d switch
    {
        { Withdrawal: { } w } => $" · payout {w.Payout.ToPlainString()} to {WithdrawalNames.Code(w.PayTo)}, account {WithdrawalNames.Code(w.AccountStatusAfter)} after",
        { Transfer: { Mode: { } mode } t } => $" · {TransferNames.Code(mode)} {t.TargetCredit.ToPlainString()}, out by {t.TransferOutDeadline:yyyy-MM-dd}, in by {t.TransferInDeadline:yyyy-MM-dd}",
        _ => "",
    };

    private static ApplicationStore Store(YibaoDatabase db, HolidayCalendars calendars, RegionDatabases? regions = null) =>
        new(db, new LedgerStore(db, Cli.Clock), PolicyPackLoader.Embedded, calendars, Cli.Clock, regions ?? new RegionDatabases(db));

    private static async Task<YibaoDatabase> OpenAsync(string database, CancellationToken ct)
    {
        var db = YibaoDatabase.Open(database);
        await Migrator.MigrateAsync(db, ct).ConfigureAwait(false);
        return db;
    }

    private static IAnsiConsole Console(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        // Into a pipe or a file a row stays on one line, whatever the width of a terminal would be.
        if (!console.Profile.Capabilities.Interactive) console.Profile.Width = 240;
        return console;
    }
}
