using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Templates;
using Automation.Engine.Validation;
using Automation.Api.Http;
using Automation.Runtime.Segments;

namespace Automation.Api.Apis;

/// <summary>Endpoints that need no storage: validate a definition, dry-run an unsaved one.</summary>
public static class WorkflowDefinitionApi
{
    public static IEndpointRouteBuilder MapWorkflowDefinitionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflows").WithTags("workflows").RequireAuthorization(ApiSetup.AdminPolicy);
        group.MapPost("/validate", Validate).DescribesJsonBody<Workflow>().ProducesValidationProblem();
        group.MapPost("/test-definition", TestDefinition).DescribesJsonBody<RequestSchemas.TestDefinitionRequest>().ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> Validate(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var result = WorkflowValidator.Validate(body.Json);
        if (!result.Valid || result.Workflow is not { } workflow)
        {
            return Problems.Validation(result.Errors, "The workflow has errors; each is listed under the field it concerns.");
        }

        // What saving would refuse, checking is to say too: a segment trigger must name a segment of the module.
        var segments = context.RequestServices.GetRequiredService<SegmentStore>();
        return await SegmentReferences.CheckAsync(workflow, segments, cancellationToken) is { } errors
            ? Problems.Validation(errors, "The workflow has errors; each is listed under the field it concerns.")
            : TypedResults.Ok(new ValidAnswer(true));
    }

    private static async Task<IResult> TestDefinition(
        HttpContext context, TemplateRenderer renderer, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (body.Json.ValueKind != JsonValueKind.Object)
        {
            return Problems.Field("$", "Send { \"workflow\": { ... }, \"event\": { ... } }.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        ValidationResult? workflow = null;
        if (!body.Json.TryGetProperty("workflow", out var workflowJson))
        {
            errors["workflow"] = ["Required: the workflow definition to test."];
        }
        else
        {
            workflow = WorkflowValidator.Validate(workflowJson);
            foreach (var (path, messages) in workflow.Errors)
            {
                errors[Prefix("workflow", path)] = messages;
            }
        }

        var now = clock.GetUtcNow();
        EventValidationResult? evt = null;
        if (!body.Json.TryGetProperty("event", out var eventJson))
        {
            errors["event"] = ["Required: a sample event to test the workflow against."];
        }
        else
        {
            evt = EventValidator.Validate(eventJson, "event", now, requireId: false);
            foreach (var (path, messages) in evt.Errors)
            {
                errors[path] = messages;
            }
        }

        if (errors.Count > 0 || workflow?.Workflow is null || evt?.Event is null)
        {
            return Problems.Validation(errors, "The dry run needs a valid workflow and event; each problem is listed under its field.");
        }

        var sample = evt.Event with { Id = evt.Event.Id.Length == 0 ? "dry-run" : evt.Event.Id };
        // An unsaved definition is judged on the event alone: the record as new, in no segment yet.
        var segments = context.RequestServices.GetRequiredService<SegmentStore>();
        var membership = await SegmentReferences.DryRunChangeAsync(workflow.Workflow, sample, sample.Record, [], segments, now, cancellationToken);
        return TypedResults.Ok(DryRun.Run(workflow.Workflow, sample, storedPrevious: null, now, renderer, membership));
    }

    private static string Prefix(string prefix, string path) =>
        path.Length == 0 || path == "$" ? prefix : path.StartsWith('[') ? prefix + path : $"{prefix}.{path}";

    public sealed record ValidAnswer(bool Valid);
}
