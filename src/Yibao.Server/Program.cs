var app = Yibao.Server.ServerApp.Build(args);
app.Run();

/// <summary>The entry point, public so that WebApplicationFactory can find it.</summary>
public partial class Program;
