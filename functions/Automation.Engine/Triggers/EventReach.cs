using Automation.Engine.Model;

namespace Automation.Engine.Triggers;

/// <summary>
/// What kinds of trigger an event can reach, from its type alone, whatever workflows exist: intake tells a sender at
/// once that an event will never start a run (a type no trigger listens for, such as <c>lead.created</c>) rather than
/// leaving it to find out from an empty runs list.
/// </summary>
public static class EventReach
{
    /// <summary>Event types some trigger kind listens for by name.</summary>
    public static readonly IReadOnlySet<string> ListenedTypes = new HashSet<string>(
        [
            EventTypes.RecordCreated, EventTypes.RecordUpdated, EventTypes.RecordDeleted, EventTypes.Custom,
            EventTypes.WebhookReceived, EventTypes.ScheduleFired, EventTypes.DateReached, EventTypes.SegmentsEvaluated,
            .. TriggerTypes.Lifecycle,
        ],
        StringComparer.Ordinal);

    /// <summary>Null when a trigger listens for the type; else what can still react to it (perhaps nothing), and what was perhaps meant.</summary>
    public static EventReachNote? Check(CrmEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (ListenedTypes.Contains(evt.Type))
        {
            return null;
        }

        var meant = Suggest(evt.Type) is { } suggestion ? $" Did you mean '{suggestion}' (with module '{evt.Module}')?" : "";
        return evt.Record is null
            ? new EventReachNote(true, $"No trigger listens for events of type '{evt.Type}', and it carries no record whose changes a trigger could see: it will never start a run.{meant}")
            : new EventReachNote(false, $"No trigger listens for events of type '{evt.Type}'; only change triggers (field, status, stage, score, segment, health) can react to the record it carries.{meant}");
    }

    private static string? Suggest(string type)
    {
        var verb = type[(type.LastIndexOf('.') + 1)..];
        return verb switch
        {
            "created" or "new" or "added" => EventTypes.RecordCreated,
            "updated" or "changed" or "modified" => EventTypes.RecordUpdated,
            "deleted" or "removed" => EventTypes.RecordDeleted,
            _ => null,
        };
    }
}

/// <param name="Never">True when no workflow can ever be started by the event.</param>
public sealed record EventReachNote(bool Never, string Reason);
