using System.Text.Json;

namespace Automation.Engine.Model;

/// <summary>
/// An event about a CRM record: <c>{ id, type, module, recordId, occurredAt, record, previous?, data? }</c>.
/// <see cref="Id"/> makes intake idempotent. <see cref="Causation"/> is set only on events that
/// Automation's own record actions caused (loop protection, invariant 7).
/// </summary>
public sealed record CrmEvent
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string Module { get; init; }

    public required string RecordId { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>The record's fields after the event (an object).</summary>
    public JsonElement? Record { get; init; }

    /// <summary>The record's fields before the event, when the CRM sends them; else the stored snapshot is used.</summary>
    public JsonElement? Previous { get; init; }

    /// <summary>Event-specific data: a custom event's <c>name</c>, a webhook's body, ...</summary>
    public JsonElement? Data { get; init; }

    public Causation? Causation { get; init; }
}

/// <summary>The chain that caused an event: the run and step whose action changed the record, and how deep the chain is.</summary>
public sealed record Causation(string RunId, string WorkflowId, string StepId, int Depth);

/// <summary>Event types with a meaning of their own. Lifecycle types are in <see cref="TriggerTypes.Lifecycle"/>.</summary>
public static class EventTypes
{
    public const string RecordCreated = "record.created";
    public const string RecordUpdated = "record.updated";
    public const string RecordDeleted = "record.deleted";

    /// <summary>A custom event; its name is <c>data.name</c>.</summary>
    public const string Custom = "event";
    public const string WebhookReceived = "webhook.received";

    /// <summary>Emitted by the scheduler for a schedule trigger's occurrence.</summary>
    public const string ScheduleFired = "schedule.fired";

    /// <summary>Emitted by the scheduler when a date.reached trigger's instant has come for a record.</summary>
    public const string DateReached = "date.reached";

    /// <summary>
    /// Emitted for each record of a module when a segment is re-evaluated on request (<c>POST /api/segments/{id}/evaluate</c>):
    /// it carries the stored record unchanged, so only segment membership can move, and segment triggers react to that.
    /// </summary>
    public const string SegmentsEvaluated = "segments.evaluated";
}
