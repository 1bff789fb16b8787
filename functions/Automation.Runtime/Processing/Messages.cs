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

/// <summary>
/// The steps queue's message: run this run from its cursor. <see cref="Token"/> names the wake-up: a waiting run acts
/// only on the message carrying its current token, so a stale wake-up (the run was retried, cancelled, or rescheduled
/// meanwhile) is dropped. <see cref="EventId"/> is the trigger event, so one read loads run, record and event together.
/// <see cref="Signal"/>, when set, says the decision the run awaits (<c>RunState.AwaitKey</c>) was made.
/// </summary>
public sealed record StepMessage(string RunId, string? Token, string? EventId, string? Signal = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, EngineJson.Options);

    public static StepMessage? TryParse(string payload) => Messages.TryParse<StepMessage>(payload, m => !string.IsNullOrEmpty(m.RunId));
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
