using System.Text;
using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Validation;
using Automation.Host.Http;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Intake;
using Automation.Runtime.Processing;
using Automation.Runtime.Scheduling;

namespace Automation.Host.Functions;

/// <summary>
/// The custom-handler endpoints the Functions host posts non-HTTP invocations to (<c>POST /{FunctionName}</c>).
/// They feed the same processors as the standalone pollers. They are mapped only under the Functions host
/// (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set) or when <c>Automation:Functions:Handlers</c> is true (contract tests):
/// a standalone host has its pollers and must not take queue messages from just anyone. Under the Functions host no
/// HTTP function's route reaches these paths, so only the host itself can post here.
/// </summary>
public static class FunctionsHandlerApi
{
    public const string EventsQueue = "EventsQueue";
    public const string ServiceBusEvents = "ServiceBusEvents";
    public const string Scheduler = "Scheduler";

    public static IEndpointRouteBuilder MapFunctionsHandlerApi(this IEndpointRouteBuilder app, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration["FUNCTIONS_CUSTOMHANDLER_PORT"]) && !configuration.GetValue<bool>("Automation:Functions:Handlers"))
        {
            return app;
        }

        var group = app.MapGroup("/").WithTags("functions host").AllowAnonymous().ExcludeFromDescription();
        group.MapPost(EventsQueue, (HttpContext c, EventProcessor p, CancellationToken ct) => QueueAsync(c, p, ct));
        group.MapPost(ServiceBusEvents, ServiceBusAsync);
        group.MapPost(Scheduler, SchedulerAsync);
        return app;
    }

    private static async Task<IResult> QueueAsync(HttpContext context, EventProcessor processor, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, cancellationToken) is not { } invocation)
        {
            return Problems.Status(StatusCodes.Status400BadRequest, "Not an invocation", "Expected the Functions host's { Data, Metadata } payload.");
        }

        if (invocation.TriggerText() is not { } payload)
        {
            return Problems.Status(StatusCodes.Status400BadRequest, "No message", "The invocation carries no queue message.");
        }

        // Throws to fail the invocation: the host makes the message visible again and, after maxDequeueCount, poisons it;
        // the processor itself records a message that keeps failing as a dead letter first.
        await processor.ProcessAsync(payload, invocation.DeliveryCount(), cancellationToken);
        return TypedResults.Ok(InvocationResponse.Done());
    }

    /// <summary>
    /// A Service Bus message is one event (or an array) in the shape of <c>POST /api/events</c>. Duplicates are
    /// recognised by id as there. A message that can never be accepted goes to dead letters and is completed, since
    /// redelivering it would only fail again.
    /// </summary>
    private static async Task<IResult> ServiceBusAsync(
        HttpContext context, IntakeService intake, DeadLetterStore deadLetters, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, cancellationToken) is not { } invocation || invocation.TriggerText() is not { } payload)
        {
            return Problems.Status(StatusCodes.Status400BadRequest, "Not an invocation", "Expected the Functions host's { Data, Metadata } payload with a message.");
        }

        var (events, problem) = Parse(payload, clock.GetUtcNow());
        if (problem is not null)
        {
            await deadLetters.AddAsync("servicebus", payload, problem, invocation.DeliveryCount(), cancellationToken);
            return TypedResults.Ok(InvocationResponse.Done($"Message dead-lettered: {problem}"));
        }

        var result = await intake.AcceptAsync(events, cancellationToken);
        return TypedResults.Ok(InvocationResponse.Done(
            $"Accepted {result.Accepted.Count} event(s), {result.Duplicates.Count} duplicate(s)."));
    }

    /// <summary>
    /// The timer function: <c>{ "Data": { "timer": { "Schedule": {}, "ScheduleStatus": { "Last", "Next", "LastUpdated" },
    /// "IsPastDue": false } }, "Metadata": { "sys": { "UtcNow": ... } } }</c>. One tick as of the invocation time (never
    /// later than our clock, so nothing fires early). A past-due timer needs nothing special: the tick sees what was
    /// missed and applies each schedule's catch-up. A failed tick answers 500; the next one catches up.
    /// </summary>
    private static async Task<IResult> SchedulerAsync(
        HttpContext context, Scheduler scheduler, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context, cancellationToken) is not { } invocation)
        {
            return Problems.Status(StatusCodes.Status400BadRequest, "Not an invocation", "Expected the Functions host's { Data, Metadata } payload.");
        }

        var now = clock.GetUtcNow();
        if (invocation.InvokedAt() is { } invoked && invoked < now)
        {
            now = invoked;
        }

        var result = await scheduler.TickAsync(now, cancellationToken);
        var logs = invocation.IsPastDue() ? new[] { "The timer was past due.", result.ToString() } : new[] { result.ToString() };
        return TypedResults.Ok(InvocationResponse.Done(logs));
    }

    private static (IReadOnlyList<CrmEvent> Events, string? Problem) Parse(string payload, DateTimeOffset now)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(payload);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return ([], $"The message is not valid JSON ({e.Message}).");
        }

        var items = root.ValueKind switch
        {
            JsonValueKind.Object => [(root, string.Empty)],
            JsonValueKind.Array => root.EnumerateArray().Select((e, i) => (e, $"[{i}]")).ToList(),
            _ => new List<(JsonElement, string)>(),
        };
        if (items.Count == 0)
        {
            return ([], "The message must be an event object or a non-empty array of events.");
        }

        var events = new List<CrmEvent>();
        var errors = new List<string>();
        foreach (var (json, path) in items)
        {
            var result = EventValidator.Validate(json, path, now);
            if (result.Event is { } evt)
            {
                events.Add(evt);
            }

            errors.AddRange(result.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
        }

        return errors.Count > 0 ? ([], string.Join("; ", errors)) : (events, null);
    }

    private static async Task<InvocationRequest?> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object ? InvocationRequest.From(document.RootElement.Clone()) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
