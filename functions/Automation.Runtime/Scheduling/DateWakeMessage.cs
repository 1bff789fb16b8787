using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;

namespace Automation.Runtime.Scheduling;

/// <summary>
/// A date trigger's wake-up on the steps queue: when <see cref="DueAt"/> comes, check that the record still holds
/// <see cref="Value"/> and fire. Waits beyond the queue's 7-day visibility hop, like run wake-ups.
/// <see cref="Kind"/> (<c>date</c>) is what tells it from a run's step message.
/// </summary>
public sealed record DateWakeMessage(string Kind, string WorkflowId, string Module, string RecordId, string Value, DateTimeOffset DueAt)
{
    public const string DateKind = "date";

    /// <summary>The chain that set the date (an action's event), carried to the event the wake-up fires.</summary>
    public Causation? Causation { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    /// <summary>Null when <paramref name="payload"/> is not a date wake-up (a step message, or unreadable).</summary>
    public static DateWakeMessage? TryParse(string payload)
    {
        if (string.IsNullOrEmpty(payload) || !payload.Contains("\"kind\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var message = JsonSerializer.Deserialize<DateWakeMessage>(payload, EngineJson.Options);
            return message is { Kind: DateKind }
                && !string.IsNullOrEmpty(message.WorkflowId) && !string.IsNullOrEmpty(message.Module)
                && !string.IsNullOrEmpty(message.RecordId) && !string.IsNullOrEmpty(message.Value)
                ? message
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
