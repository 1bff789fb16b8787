using Automation.Engine.Triggers;
using Automation.Runtime.Workflows;

namespace Automation.Api.Apis;

/// <summary>
/// Stage boards: the pipelines (configured in <c>Automation:Pipelines</c>, or named by a workflow's stage trigger) and,
/// per pipeline, its stages in order with the workflows that run on entry and on exit.
/// </summary>
public static class PipelinesApi
{
    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/pipelines").WithTags("pipelines").RequireAuthorization(ApiSetup.AdminPolicy);

        // { items: [ { name, module, stages } ] }
        group.MapGet("/", async (PipelineDirectory pipelines, WorkflowCatalog catalog, CancellationToken ct) =>
            TypedResults.Ok(new { items = StageBoards.Pipelines(pipelines.All, await catalog.AllAsync(ct)) }));

        // ?pipeline= names one (its workflows and those of every pipeline); without it, the board of every pipeline.
        group.MapGet("/board", async (string? pipeline, PipelineDirectory pipelines, WorkflowCatalog catalog, CancellationToken ct) =>
            TypedResults.Ok(StageBoards.Build(string.IsNullOrWhiteSpace(pipeline) ? null : pipeline.Trim(), pipelines.All, await catalog.AllAsync(ct))));
        return app;
    }
}
