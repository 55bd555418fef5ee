using Yibao.Server.Hosting;

if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    Console.WriteLine(ServerArguments.Usage);
    return 0;
}
WebApplication app;
try
{
    app = Yibao.Server.ServerApp.Build(args);
}
catch (ServerArgumentException e)
{
    // The same exit code as the CLI's for bad input: nothing was started.
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
app.Run();
return 0;

/// <summary>The entry point, public so that WebApplicationFactory can find it.</summary>
public partial class Program;
