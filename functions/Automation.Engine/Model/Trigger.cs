using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Engine.Model;

/// <summary>
/// What starts a workflow. One flat shape for every kind (<see cref="TriggerTypes"/>); each kind
/// reads only its own parameters, and validation says which are required:
/// <code>
/// { "type": "record.created" }
/// { "type": "field.changed", "field": "email", "from": "...", "to": "..." }
/// { "type": "status.changed", "from": "open", "to": "closed" }
/// { "type": "stage.entered", "stage": "SQL", "pipeline": "sales" }
/// { "type": "stage.changed", "pipeline": "sales", "from": "SQL", "to": "Won" }   (all three optional)
/// { "type": "score.crossed", "field": "score", "threshold": 80, "direction": "up" }
/// { "type": "segment.entered", "segment": "hot-leads" }   (a segment of /api/segments, by id; also segment.exited)
/// { "type": "health.changed", "to": "bad" }
/// { "type": "event", "name": "demo.requested" }
/// { "type": "webhook.received", "name": "typeform" }
/// { "type": "schedule", "cron": "0 9 * * MON", "timeZone": "Europe/Paris", "overRecords": true, "catchUp": "skip" }
/// { "type": "date.reached", "field": "dueDate", "offset": "+1d", "timeZone": "Europe/Paris" }
/// { "type": "invoice.overdue" }   (and every other lifecycle event type)
/// </code>
/// </summary>
public sealed record Trigger
{
    public required string Type { get; init; }

    /// <summary>
    /// field.changed: the field (without <c>record.</c>); score.crossed: the score field (default <c>score</c>);
    /// date.reached: the record's date field.
    /// </summary>
    public string? Field { get; init; }

    /// <summary>field.changed, status.changed, health.changed, stage.changed: optional value before.</summary>
    public JsonElement? From { get; init; }

    /// <summary>field.changed, status.changed, health.changed, stage.changed: optional value after.</summary>
    public JsonElement? To { get; init; }

    /// <summary>stage.entered / stage.exited: the stage name.</summary>
    public string? Stage { get; init; }

    /// <summary>stage.entered / stage.exited: optional pipeline the stage belongs to; stage.changed: moves into or out of it.</summary>
    public string? Pipeline { get; init; }

    /// <summary>score.crossed: the threshold.</summary>
    public double? Threshold { get; init; }

    /// <summary>score.crossed: <c>up</c> or <c>down</c>.</summary>
    public string? Direction { get; init; }

    /// <summary>
    /// segment.entered / segment.exited: the id of a stored <see cref="Model.Segment"/>. Membership is kept per record by
    /// the event processor, so the trigger reads whether this event made the record enter or leave it, never the
    /// conditions themselves.
    /// </summary>
    [JsonConverter(typeof(Json.SegmentIdJsonConverter))]
    public string? Segment { get; init; }

    /// <summary>event: the custom event's name (<c>data.name</c>); webhook.received: the hook name (optional: any hook).</summary>
    public string? Name { get; init; }

    /// <summary>schedule: a cron expression (5 fields, or 6 with seconds).</summary>
    public string? Cron { get; init; }

    /// <summary>schedule: an IANA or Windows time zone id (default UTC); date.reached: the zone of date-only values (default UTC).</summary>
    public string? TimeZone { get; init; }

    /// <summary>schedule: when true, every record of the module matching the conditions enrolls at each occurrence.</summary>
    public bool OverRecords { get; init; }

    /// <summary>schedule: after downtime, <c>skip</c> missed occurrences (default) or run the <c>latest</c> once.</summary>
    public string? CatchUp { get; init; }

    /// <summary>date.reached: how long after (<c>+1d</c>, <c>7d</c>) or before (<c>-30d</c>) the date the trigger fires; default 0.</summary>
    public string? Offset { get; init; }
}
