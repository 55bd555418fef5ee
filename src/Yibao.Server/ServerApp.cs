namespace Yibao.Server;

public static class ServerApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        return builder.Build();
    }
}
