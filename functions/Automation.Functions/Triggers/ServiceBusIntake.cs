using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Validation;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Intake;

namespace Automation.Functions.Triggers;

/// <summary>What became of one Service Bus message: the intake's answer, or why it was dead-lettered.</summary>
public sealed record ServiceBusOutcome(IntakeResult? Accepted, string? DeadLettered);

/// <summary>
/// A Service Bus message is one event (or an array) in the shape of <c>POST /api/events</c>; duplicates are recognised
/// by id as there. A message that can never be accepted goes to our dead letters (queue name <c>servicebus</c>) and
/// is completed, since redelivering it would only fail again. Storage trouble throws, so the message is redelivered.
/// </summary>
public sealed class ServiceBusIntake(IntakeService intake, DeadLetterStore deadLetters, TimeProvider clock)
{
    public const string DeadLetterQueue = "servicebus";

    public async Task<ServiceBusOutcome> AcceptAsync(string body, long deliveryCount, CancellationToken cancellationToken)
    {
        var (events, problem) = Parse(body, clock.GetUtcNow());
        if (problem is not null)
        {
            await deadLetters.AddAsync(DeadLetterQueue, body, problem, deliveryCount, cancellationToken);
            return new ServiceBusOutcome(null, problem);
        }

        return new ServiceBusOutcome(await intake.AcceptAsync(events, cancellationToken), null);
    }

    private static (IReadOnlyList<CrmEvent> Events, string? Problem) Parse(string body, DateTimeOffset now)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
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
}
