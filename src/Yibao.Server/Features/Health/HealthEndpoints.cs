using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Yibao.Server.Features.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync)
            .WithTags("Health")
            .WithName("Health")
            .WithSummary("Liveness and database check / 健康检查")
            .WithDescription("Answers `Healthy` (200) when the server and its database answer, `Unhealthy` (503) otherwise.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        return app;
    }

    internal static async Task<IResult> CheckAsync(HealthCheckService health, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(ct).ConfigureAwait(false);
        var status = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return TypedResults.Text(report.Status.ToString(), "text/plain", statusCode: status);
    }
}
