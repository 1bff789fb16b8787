using System.Text.Json;
using Automation.Engine.Json;

namespace Automation.Runtime.Processing;

/// <summary>
/// The events queue's message: which event to process. The event itself is in its record's partition (written by
/// intake), so the message stays small whatever the event's size.
/// </summary>
public sealed record EventMessage(string Module, string RecordId, string EventId)
{
    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    public static EventMessage? TryParse(string payload) => Messages.TryParse<EventMessage>(payload,
        m => !string.IsNullOrEmpty(m.Module) && !string.IsNullOrEmpty(m.RecordId) && !string.IsNullOrEmpty(m.EventId));
}

internal static class Messages
{
    public static T? TryParse<T>(string payload, Func<T, bool> valid)
        where T : class
    {
        try
        {
            var message = JsonSerializer.Deserialize<T>(payload, EngineJson.Options);
            return message is not null && valid(message) ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
