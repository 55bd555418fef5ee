using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Yibao.Server;

namespace Yibao.Cli.Serve;

/// <summary><c>yibao serve</c>: the HTTP API and portal, the same host as <c>dotnet run --project src/Yibao.Server</c>.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var database = Cli.DatabaseOption();
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://localhost:5080)" };
        var noDemo = new Option<bool>("--no-demo") { Description = "Do not seed the demo region 990100" };
        var calendars = Cli.CalendarsOption();
        var serve = new Command("serve", "Run the Yibao server (SQLite file by default, demo region seeded)") { database, urls, noDemo, calendars };
        serve.SetAction(async (parse, ct) =>
        {
            var args = new List<string> { $"--Yibao:Database={parse.GetValue(database)}", $"--Yibao:Calendars={parse.GetValue(calendars)}" };
            if (parse.GetValue(urls) is { } u) args.Add($"--urls={u}");
            if (parse.GetValue(noDemo)) args.Add("--Yibao:SeedDemo=false");
            var app = ServerApp.Build([.. args]);
            await app.StartAsync(ct).ConfigureAwait(false);
            await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            return Cli.Ok;
        });
        return serve;
    }
}
