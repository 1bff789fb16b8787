using Automation.Api.Http;
using Automation.Runtime.Runs;

namespace Automation.Api.Apis;

/// <summary>A run's history, and the two things an admin can do to it: retry and cancel.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("runs").RequireAuthorization(ApiSetup.AdminPolicy);
        group.MapGet("/{runId}", async (string runId, RunQueries runs, CancellationToken ct) =>
            await runs.GetAsync(runId, ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"Run '{runId}' does not exist."));
        group.MapPost("/{runId}/retry", async (string runId, bool? fromStart, RunCommands commands, CancellationToken ct) =>
            (await commands.RetryAsync(runId, fromStart ?? false, ct)).ToHttp());
        group.MapPost("/{runId}/cancel", async (string runId, RunCommands commands, CancellationToken ct) =>
            (await commands.CancelAsync(runId, ct)).ToHttp());
        return app;
    }
}
