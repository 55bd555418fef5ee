using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yibao.Server.Hosting;
using Yibao.Storage;

namespace Yibao.Server.Features.Health;

/// <summary>The database answers a trivial query (either engine).</summary>
internal sealed class DatabaseHealthCheck(YibaoDatabase db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.Sql("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{db.Engine} answers");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{db.Engine} does not answer", e);
        }
    }
}
