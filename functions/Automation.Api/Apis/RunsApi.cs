using System.Security.Claims;
using Automation.Api.Http;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Runs;

namespace Automation.Api.Apis;

/// <summary>A run's history, and what an admin can do to it: retry, cancel, and "run now" (skip a wait).</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("runs").RequireAuthorization(ApiSetup.AdminPolicy);
        group.MapGet("/{runId}", async (string runId, RunQueries runs, CancellationToken ct) =>
            await runs.GetAsync(runId, ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound($"Run '{runId}' does not exist."));
        group.MapGet("/{runId}/orchestration", async (string runId, TaskHubHistory hub, CancellationToken ct) =>
            await hub.GetAsync(runId, ct) is { } orchestration
                ? TypedResults.Ok(orchestration)
                : Problems.NotFound($"The task hub has no orchestration for run '{runId}' (a skipped run has none)."));
        group.MapPost("/{runId}/retry", async (string runId, bool? fromStart, ClaimsPrincipal user, RunCommands commands, CancellationToken ct) =>
            (await commands.RetryAsync(runId, fromStart ?? false, Who(user), ct)).ToHttp());
        group.MapPost("/{runId}/run-now", async (string runId, ClaimsPrincipal user, RunCommands commands, CancellationToken ct) =>
            (await commands.RunNowAsync(runId, Who(user), ct)).ToHttp());
        group.MapPost("/{runId}/cancel", async (string runId, RunCommands commands, CancellationToken ct) =>
            (await commands.CancelAsync(runId, ct)).ToHttp());
        return app;
    }

    /// <summary>Who asked, as the run's notes say it.</summary>
    private static string Who(ClaimsPrincipal user) => user.Identity?.Name is { Length: > 0 } name ? name : "admin";
}
