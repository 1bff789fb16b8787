using Automation.Api.Http;
using Automation.Engine.Model;
using Automation.Engine.Validation;
using Automation.Runtime.Segments;
using Automation.Runtime.Workflows;

namespace Automation.Api.Apis;

/// <summary>
/// Saved segments: <c>{ "id"?, "name", "module", "description"?, "conditions" }</c>, the lists that
/// <c>segment.entered</c> / <c>segment.exited</c> triggers name by id. Editing one changes what records it holds from
/// each record's next event on (or at once for every record of its module: <c>POST /api/segments/{id}/evaluate</c>);
/// deleting one that a workflow's trigger names is refused (409, naming the workflows).
/// </summary>
public static class SegmentsApi
{
    private const string Invalid = "The segment has errors; each is listed under the field it concerns. Nothing was saved.";

    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/segments").WithTags("segments").RequireAuthorization(ApiSetup.AdminPolicy);

        // { items: [ segment ] }, by name; ?module= narrows to one module.
        group.MapGet("/", async (string? module, SegmentStore store, CancellationToken ct) =>
            TypedResults.Ok(new { items = await store.ListAsync(module, ct) }));
        group.MapPost("/", Create).DescribesJsonBody<Segment>().Produces<Segment>(StatusCodes.Status201Created).ProducesValidationProblem();
        group.MapGet("/{id}", async (string id, SegmentStore store, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } segment ? TypedResults.Ok(segment) : Problems.NotFound($"Segment '{id}' does not exist."));
        group.MapPut("/{id}", Replace).DescribesJsonBody<Segment>().Produces<Segment>().ProducesValidationProblem();
        group.MapDelete("/{id}", Delete);

        // { items: [ { module, recordId } ], continuationToken }: the records in the segment as their last events left them.
        group.MapGet("/{id}/records", async (string id, int? limit, string? continuationToken, SegmentStore store, SegmentMembers members, CancellationToken ct) =>
            await store.GetAsync(id, ct) is null
                ? Problems.NotFound($"Segment '{id}' does not exist.")
                : TypedResults.Ok(await members.PageAsync(id, CommandResults.Limit(limit), continuationToken, ct)));

        // Re-judges every stored record of the module now, a page of 100 per call: 202 { queued, eventId, continuationToken }.
        group.MapPost("/{id}/evaluate", async (string id, string? continuationToken, SegmentStore store, SegmentEvaluation evaluation, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } segment
                ? TypedResults.Accepted((string?)null, await evaluation.QueueAsync(segment, continuationToken, ct))
                : Problems.NotFound($"Segment '{id}' does not exist."));

        // { items: [ { id, name, status, triggerType } ] }: the workflows (not archived) whose trigger names the segment.
        group.MapGet("/{id}/workflows", async (string id, SegmentStore store, WorkflowCatalog catalog, CancellationToken ct) =>
            await store.GetAsync(id, ct) is null
                ? Problems.NotFound($"Segment '{id}' does not exist.")
                : TypedResults.Ok(new { items = SegmentReferences.Users(id, await catalog.AllAsync(ct)).Select(w => new { w.Id, w.Name, w.Status, TriggerType = w.Trigger.Type }) }));
        return app;
    }

    private static async Task<IResult> Create(HttpContext context, SegmentStore store, CancellationToken cancellationToken)
    {
        var (segment, error) = await ReadAsync(context, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        if ((await store.ListAsync(segment!.Module, cancellationToken)).Count >= SegmentStore.MaxPerModule)
        {
            return Problems.Conflict($"Module '{segment.Module}' has {SegmentStore.MaxPerModule} segments, the most one module may have; delete one first.");
        }

        return await store.CreateAsync(segment!, cancellationToken) is { } saved
            ? TypedResults.Created($"/api/segments/{saved.Id}", saved)
            : Problems.Conflict($"Segment id '{segment!.Id}' is taken (by a segment, or by one deleted: ids are never given again); choose another id, or leave it out to have one made from the name.");
    }

    private static async Task<IResult> Replace(string id, HttpContext context, SegmentStore store, CancellationToken cancellationToken)
    {
        var (segment, error) = await ReadAsync(context, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        // Workflows name the segment with their own module in mind: a segment keeps the module it was made for.
        if (await store.GetAsync(id, cancellationToken) is { } current
            && !string.Equals(current.Module, segment!.Module, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Field("module", $"Segment '{id}' lists {current.Module} records; its module cannot change. Create another segment for {segment.Module} records.");
        }

        return (await store.ReplaceAsync(id, segment!, cancellationToken)).ToHttp();
    }

    private static async Task<IResult> Delete(string id, SegmentStore store, WorkflowCatalog catalog, CancellationToken cancellationToken)
    {
        var users = SegmentReferences.Users(id, await catalog.AllAsync(cancellationToken));
        if (users.Count > 0)
        {
            var named = string.Join(", ", users.Select(w => $"'{w.Name}' ({w.Id})"));
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The segment is in use",
                detail: $"Segment '{id}' is named by the trigger of {(users.Count == 1 ? "workflow" : "workflows")} {named}; change or archive {(users.Count == 1 ? "it" : "them")} first. Nothing was deleted.",
                extensions: new Dictionary<string, object?> { ["workflows"] = users.Select(w => new { w.Id, w.Name }).ToArray() });
        }

        return await store.DeleteAsync(id, cancellationToken) ? Results.NoContent() : Problems.NotFound($"Segment '{id}' does not exist.");
    }

    private static async Task<(Segment? Segment, IResult? Error)> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return (null, body.Error);
        }

        var result = SegmentValidator.Validate(body.Json);
        return result.Segment is { } segment && result.Valid ? (segment, null) : (null, Problems.Validation(result.Errors, Invalid));
    }
}
