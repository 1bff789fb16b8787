using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Validation;
using Automation.Api.Http;
using Automation.Api.Security;
using Automation.Runtime.Intake;
using Microsoft.Extensions.Options;

namespace Automation.Api.Apis;

/// <summary>
/// Event intake: <c>POST /api/events</c> (one event or up to 100) and <c>POST /api/hooks/{name}</c>
/// (any JSON body becomes a <c>webhook.received</c> event). Authenticated by signature or admin key;
/// a request with any bad event queues nothing.
/// </summary>
public static class IntakeApi
{
    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("intake").AllowAnonymous();
        // One event, or an array of up to 100 of the same shape.
        group.MapPost("/events", PostEvents)
            .DescribesJsonBody<CrmEvent>()
            .WithSummary("Post one event (or an array of up to 100): { id, type, module, recordId, occurredAt?, record?, previous?, data? }")
            .Produces<IntakeResult>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();
        group.MapPost("/hooks/{name}", PostHook).Produces<IntakeResult>(StatusCodes.Status202Accepted);
        return app;
    }

    private static async Task<IResult> PostEvents(
        HttpContext context, IntakeService intake, TimeProvider clock, IOptionsMonitor<IntakeOptions> options, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (await IntakeAuthorization.CheckAsync(context, body.Raw) is { } denied)
        {
            return denied;
        }

        var now = clock.GetUtcNow();
        var max = options.CurrentValue.MaxEventsPerRequest;
        var items = new List<(JsonElement Json, string Path)>();
        switch (body.Json.ValueKind)
        {
            case JsonValueKind.Object:
                items.Add((body.Json, string.Empty));
                break;
            case JsonValueKind.Array when body.Json.GetArrayLength() is 0:
                return Problems.Field("$", "The array is empty; send at least one event.");
            case JsonValueKind.Array when body.Json.GetArrayLength() > max:
                return Problems.Field("$", $"At most {max} events per request; this one has {body.Json.GetArrayLength()}.");
            case JsonValueKind.Array:
                items.AddRange(body.Json.EnumerateArray().Select((e, i) => (e, $"[{i}]")));
                break;
            default:
                return Problems.Field("$", "Send one event object or an array of events.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var events = new List<CrmEvent>(items.Count);
        foreach (var (json, path) in items)
        {
            var result = EventValidator.Validate(json, path, now);
            foreach (var (field, messages) in result.Errors)
            {
                errors[field] = messages;
            }

            if (result.Event is not null)
            {
                events.Add(result.Event);
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors, "No event was accepted: fix the fields listed and send the request again.");
        }

        return await AcceptAsync(intake, events, cancellationToken);
    }

    private static async Task<IResult> PostHook(
        string name, HttpContext context, IntakeService intake, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        if (await IntakeAuthorization.CheckAsync(context, body.Raw) is { } denied)
        {
            return denied;
        }

        if (!HookName.IsMatch(name))
        {
            return Problems.Field("name", "A hook name uses letters, digits, dots, dashes and underscores (1-64 characters).");
        }

        var query = context.Request.Query;
        var module = query["module"].ToString();
        var recordId = query["recordId"].ToString();
        if (module.Length > 0 != recordId.Length > 0)
        {
            return Problems.Field(module.Length > 0 ? "recordId" : "module", "Name the record with both ?module= and ?recordId=, or neither.");
        }

        // A sender's own delivery id makes redelivery a duplicate; without one each call is a new event.
        var id = FirstHeader(context, "Idempotency-Key", "X-Request-Id", "X-Delivery-Id")
            ?? (body.Json.ValueKind == JsonValueKind.Object && body.Json.TryGetProperty("id", out var bodyId) && bodyId.ValueKind == JsonValueKind.String
                ? bodyId.GetString()
                : null)
            ?? Guid.NewGuid().ToString("N");

        var data = JsonSerializer.SerializeToElement(new { name, body = body.Json });
        var evt = new CrmEvent
        {
            Id = $"hook:{name}:{id}",
            Type = EventTypes.WebhookReceived,
            Module = module.Length > 0 ? module : "webhook",
            RecordId = recordId.Length > 0 ? recordId : name,
            OccurredAt = clock.GetUtcNow(),
            Data = data,
        };
        return await AcceptAsync(intake, [evt], cancellationToken);
    }

    private static async Task<IResult> AcceptAsync(IntakeService intake, IReadOnlyList<CrmEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            var result = await intake.AcceptAsync(events, cancellationToken);
            return TypedResults.Json(result, statusCode: StatusCodes.Status202Accepted);
        }
        catch (ArgumentException e)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Event too large", e.Message);
        }
    }

    private static string? FirstHeader(HttpContext context, params string[] names) =>
        names.Select(n => context.Request.Headers[n].ToString()).FirstOrDefault(v => v.Length is > 0 and <= 150);

    private static readonly System.Text.RegularExpressions.Regex HookName =
        new("^[A-Za-z0-9._-]{1,64}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
