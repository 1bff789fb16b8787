namespace Automation.Engine.Model;

/// <summary>Every trigger kind Automation knows. Lifecycle kinds match the event type of the same name.</summary>
public static class TriggerTypes
{
    public const string RecordCreated = "record.created";
    public const string RecordUpdated = "record.updated";
    public const string RecordDeleted = "record.deleted";
    public const string FieldChanged = "field.changed";
    public const string StatusChanged = "status.changed";
    public const string StageEntered = "stage.entered";
    public const string StageExited = "stage.exited";

    /// <summary>Any move of the record from one stage to another, optionally within one pipeline or from / to a stage.</summary>
    public const string StageChanged = "stage.changed";
    public const string ScoreCrossed = "score.crossed";

    /// <summary>The record came to match a stored segment (see <see cref="Segment"/>); the processor keeps membership per record.</summary>
    public const string SegmentEntered = "segment.entered";

    /// <summary>The record stopped matching a stored segment, or was deleted while in it.</summary>
    public const string SegmentExited = "segment.exited";
    public const string HealthChanged = "health.changed";
    public const string NamedEvent = "event";
    public const string WebhookReceived = "webhook.received";
    public const string Schedule = "schedule";

    /// <summary>A record's date field plus an offset has been reached; fires once per record and date value.</summary>
    public const string DateReached = "date.reached";

    /// <summary>Named lifecycle events: the trigger matches an event of exactly this type.</summary>
    public static readonly IReadOnlyList<string> Lifecycle =
    [
        "task.completed",
        "case.escalated",
        "contract.signed",
        "invoice.created",
        "invoice.sent",
        "invoice.paid",
        "invoice.overdue",
        "lead.converted",
        "lead.disqualified",
        "opportunity.won",
        "opportunity.lost",
    ];

    public static readonly IReadOnlyList<string> All =
    [
        RecordCreated, RecordUpdated, RecordDeleted, FieldChanged, StatusChanged, StageEntered, StageExited, StageChanged,
        ScoreCrossed, SegmentEntered, SegmentExited, HealthChanged, NamedEvent, WebhookReceived, Schedule, DateReached,
        .. Lifecycle,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
