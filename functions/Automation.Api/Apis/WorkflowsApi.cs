using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Templates;
using Automation.Engine.Validation;
using Automation.Api.Http;
using Automation.Runtime.Communication.Email;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Segments;
using Automation.Runtime.Workflows;

namespace Automation.Api.Apis;

/// <summary>Stored workflows: CRUD with immutable versions, status changes, dry runs, runs and stats.</summary>
public static class WorkflowsApi
{
    public static IEndpointRouteBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/workflows").WithTags("workflows").RequireAuthorization(ApiSetup.AdminPolicy);
        group.MapGet("/", List);
        group.MapPost("/", Create).DescribesJsonBody<Workflow>().Produces<Workflow>(StatusCodes.Status201Created).ProducesValidationProblem();
        group.MapGet("/{id}", Get);
        group.MapPut("/{id}", Replace).DescribesJsonBody<Workflow>().Produces<Workflow>().ProducesValidationProblem();
        group.MapDelete("/{id}", (string id, WorkflowStore store, CancellationToken ct) => SetStatus(id, WorkflowStatus.Archived, store, ct));
        group.MapPost("/{id}/activate", Activate);
        group.MapPost("/{id}/pause", (string id, WorkflowStore store, CancellationToken ct) => SetStatus(id, WorkflowStatus.Paused, store, ct));
        group.MapGet("/{id}/versions", Versions);
        group.MapPost("/{id}/test", Test).DescribesJsonBody<RequestSchemas.TestRequest>().ProducesValidationProblem();
        group.MapGet("/{id}/runs", Runs);
        group.MapGet("/{id}/stats", Stats);
        return app;
    }

    private static async Task<IResult> List(
        WorkflowStore store, string? status, string? module, string? trigger, string? search, bool? includeArchived,
        int? limit, string? continuationToken, CancellationToken cancellationToken)
    {
        if (!CommandResults.TryParseEnum<WorkflowStatus>(status, "status", out var parsed, out var error))
        {
            return error!;
        }

        var filter = new WorkflowFilter { Status = parsed, Module = module, TriggerType = trigger, IncludeArchived = includeArchived ?? false };
        var page = await store.ListAsync(filter, CommandResults.Limit(limit), continuationToken, cancellationToken);
        if (!string.IsNullOrWhiteSpace(search))
        {
            // Name search filters the page in memory: workflow counts are small and Tables has no text search.
            page = page with { Items = page.Items.Where(w => w.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray() };
        }

        return TypedResults.Ok(page);
    }

    private static async Task<IResult> Create(HttpContext context, WorkflowStore store, ActivationChecks checks, CancellationToken cancellationToken)
    {
        var (workflow, error) = await ReadDefinitionAsync(context, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if (workflow!.Status == WorkflowStatus.Active && ActivationProblems.Refuse(workflow, checks) is { } refused)
        {
            return refused;
        }

        var saved = await store.CreateAsync(workflow, cancellationToken);
        return TypedResults.Created($"/api/workflows/{saved.Id}", SecretMasker.Apply(saved));
    }

    private static async Task<IResult> Get(string id, int? version, WorkflowStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, version, cancellationToken) is { } workflow
            ? TypedResults.Ok(SecretMasker.Apply(workflow))
            : Problems.NotFound(version is null ? $"Workflow '{id}' does not exist." : $"Workflow '{id}' has no version {version}.");

    private static async Task<IResult> Replace(
        string id, int? expectedVersion, HttpContext context, WorkflowStore store, ActivationChecks checks, CancellationToken cancellationToken)
    {
        var (workflow, error) = await ReadDefinitionAsync(context, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        // Answers show step secrets masked; a definition sent back with a mask keeps the stored secret there.
        var current = await store.GetAsync(id, null, cancellationToken);
        var (restored, unknown) = SecretMasker.Restore(workflow!, current);
        if (unknown.Count > 0)
        {
            return Problems.Validation(unknown, "The workflow has errors; each is listed under the field it concerns. Nothing was saved.");
        }

        if (current is { Status: WorkflowStatus.Active } && ActivationProblems.Refuse(restored, checks) is { } refused)
        {
            return refused;
        }

        var result = await store.ReplaceAsync(id, restored, expectedVersion, cancellationToken);
        return result.ToHttp(w => TypedResults.Ok(SecretMasker.Apply(w)));
    }

    private static async Task<IResult> SetStatus(string id, WorkflowStatus status, WorkflowStore store, CancellationToken cancellationToken) =>
        (await store.SetStatusAsync(id, status, cancellationToken)).ToHttp(w => TypedResults.Ok(SecretMasker.Apply(w)));

    /// <summary>Activation also asks whether this deployment can run the workflow (<see cref="ActivationChecks"/>).</summary>
    private static async Task<IResult> Activate(string id, WorkflowStore store, ActivationChecks checks, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, null, cancellationToken) is { Status: not WorkflowStatus.Archived } workflow
            && ActivationProblems.Refuse(workflow, checks) is { } refused)
        {
            return refused;
        }

        return await SetStatus(id, WorkflowStatus.Active, store, cancellationToken);
    }

    private static async Task<IResult> Versions(string id, WorkflowStore store, CancellationToken cancellationToken)
    {
        var versions = await store.ListVersionsAsync(id, cancellationToken);
        return versions.Count == 0 ? Problems.NotFound($"Workflow '{id}' does not exist.") : TypedResults.Ok(versions.Select(SecretMasker.Apply).ToArray());
    }

    /// <summary>
    /// Dry run of the stored workflow, for <c>{ "event": {...} }</c> or <c>{ "recordId": "..." }</c> (the stored record,
    /// as if an event of the trigger's kind had just arrived). Nothing is stored, sent or scheduled.
    /// </summary>
    private static async Task<IResult> Test(
        string id, HttpContext context, WorkflowStore store, RecordStore records, SegmentStore segments, TemplateRenderer renderer,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (await store.GetAsync(id, null, cancellationToken) is not { } workflow)
        {
            return Problems.NotFound($"Workflow '{id}' does not exist.");
        }

        var now = clock.GetUtcNow();
        if (body.Json.ValueKind == JsonValueKind.Object && body.Json.TryGetProperty("event", out var eventJson))
        {
            var validated = EventValidator.Validate(eventJson, "event", now, requireId: false);
            if (validated.Event is not { } evt)
            {
                return Problems.Validation(validated.Errors);
            }

            var stored = evt.Previous is null ? await records.GetAsync(evt.Module, evt.RecordId, cancellationToken) : null;
            var sample = evt with { Id = evt.Id.Length == 0 ? "dry-run" : evt.Id };
            var membership = await SegmentReferences.DryRunChangeAsync(
                workflow, sample, sample.Record ?? stored?.Fields, await records.GetSegmentsAsync(evt.Module, evt.RecordId, cancellationToken), segments, now, cancellationToken);
            return TypedResults.Ok(DryRun.Run(workflow, sample, stored?.Fields, now, renderer, membership));
        }

        if (body.Json.ValueKind == JsonValueKind.Object && body.Json.TryGetProperty("recordId", out var recordIdJson)
            && recordIdJson.ValueKind == JsonValueKind.String)
        {
            var recordId = recordIdJson.GetString()!;
            if (await records.GetAsync(workflow.Module, recordId, cancellationToken) is not { } snapshot)
            {
                return Problems.Field("recordId", $"No {workflow.Module} '{recordId}' has been seen yet; send an event for it first, or test with an event.");
            }

            var evt = new CrmEvent
            {
                Id = "dry-run",
                Type = SampleEventType(workflow.Trigger),
                Module = workflow.Module,
                RecordId = recordId,
                OccurredAt = now,
                Record = snapshot.Fields,
            };
            var membership = await SegmentReferences.DryRunChangeAsync(
                workflow, evt, snapshot.Fields, await records.GetSegmentsAsync(workflow.Module, recordId, cancellationToken), segments, now, cancellationToken);
            return TypedResults.Ok(DryRun.Run(workflow, evt, snapshot.Fields, now, renderer, membership));
        }

        return Problems.Field("$", "Send { \"event\": { ... } } or { \"recordId\": \"...\" } to test against a stored record.");
    }

    /// <summary>The event type a trigger listens for, when it listens for one type; else an update.</summary>
    private static string SampleEventType(Trigger trigger) =>
        trigger.Type is TriggerTypes.RecordCreated or TriggerTypes.RecordDeleted || TriggerTypes.Lifecycle.Contains(trigger.Type)
            ? trigger.Type
            : EventTypes.RecordUpdated;

    private static async Task<IResult> Runs(
        string id, string? status, string? recordId, int? limit, string? continuationToken, RunQueries runs, CancellationToken cancellationToken)
    {
        if (!CommandResults.TryParseEnum<RunStatus>(status, "status", out var parsed, out var error))
        {
            return error!;
        }

        return TypedResults.Ok(await runs.ListForWorkflowAsync(id, parsed, recordId, CommandResults.Limit(limit), continuationToken, cancellationToken));
    }

    private static async Task<IResult> Stats(string id, WorkflowStore store, RunQueries runs, EmailStats email, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, null, cancellationToken) is null)
        {
            return Problems.NotFound($"Workflow '{id}' does not exist.");
        }

        return TypedResults.Ok(WorkflowStatsAnswer.From(await runs.StatsAsync(id, cancellationToken), await email.ReadAsync(id, cancellationToken)));
    }

    private static async Task<(Workflow? Workflow, IResult? Error)> ReadDefinitionAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return (null, body.Error);
        }

        var result = WorkflowValidator.Validate(body.Json);
        if (result.Workflow is not { } workflow || !result.Valid)
        {
            return (null, Problems.Validation(result.Errors, "The workflow has errors; each is listed under the field it concerns. Nothing was saved."));
        }

        var segments = context.RequestServices.GetRequiredService<SegmentStore>();
        return await SegmentReferences.CheckAsync(workflow, segments, cancellationToken) is { } errors
            ? (null, Problems.Validation(errors, "The workflow has errors; each is listed under the field it concerns. Nothing was saved."))
            : (workflow, null);
    }
}
