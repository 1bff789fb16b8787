using Automation.Runtime.Storage;

namespace Automation.Api.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", async (StorageHealth health, CancellationToken ct) =>
            {
                var report = await health.CheckAsync(ct);
                var ok = report.Tables && report.Queues;
                return TypedResults.Json(
                    new HealthAnswer(ok ? "ok" : "degraded", report.Tables, report.Queues, report.Error),
                    statusCode: ok ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            })
            .WithTags("health")
            .AllowAnonymous();
        return app;
    }

    public sealed record HealthAnswer(string Status, bool Tables, bool Queues, string? Error);
}
