using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Engine.Triggers;

/// <summary>
/// What one event changed on one record, derived by <see cref="ChangeDeriver"/>. Change-based triggers
/// (field, status, stage, score, segment, health) read only this, never the raw event.
/// </summary>
public sealed record ChangeSet
{
    public static readonly ChangeSet None = new();

    /// <summary>The fields before the event (an object), or null when nothing is known about them.</summary>
    [JsonIgnore]
    public JsonElement? Previous { get; init; }

    /// <summary>The full record after the event (an object), or null when the event carries none.</summary>
    [JsonIgnore]
    public JsonElement? Current { get; init; }

    /// <summary>Top-level fields whose value differs, deep-compared; a missing field and a null one are the same.</summary>
    public IReadOnlyDictionary<string, FieldChange> Fields { get; init; } = new Dictionary<string, FieldChange>(StringComparer.Ordinal);

    public FieldChange? Status { get; init; }

    public StageChange? Stage { get; init; }

    /// <summary>Changed fields with a number (or a numeric string) on at least one side.</summary>
    public IReadOnlyDictionary<string, NumberChange> Numbers { get; init; } = new Dictionary<string, NumberChange>(StringComparer.Ordinal);

    public FieldChange? Health { get; init; }

    /// <summary>True for a <c>record.created</c> event and for any event about a record with no known previous state.</summary>
    public bool Created { get; init; }

    public bool Deleted { get; init; }

    /// <summary>
    /// The segments the event made the record enter or leave. <see cref="ChangeDeriver"/> cannot know them (they depend
    /// on stored membership): the event processor decides them with <see cref="Segments.SegmentMembership"/> and sets them.
    /// </summary>
    public Segments.SegmentChange Segments { get; init; } = Automation.Engine.Segments.SegmentChange.NotEvaluated;

    [JsonIgnore]
    public bool HasPrevious => Previous is not null;

    [JsonIgnore]
    public bool HasCurrent => Current is not null;
}

/// <summary>A field's value before and after; null stands for missing or JSON null.</summary>
public sealed record FieldChange(JsonElement? From, JsonElement? To);

/// <summary>
/// A stage change: the stage exited and the one entered (null: none), with the pipeline each belongs to.
/// Moving to another pipeline is a stage change even when both stages have the same name.
/// </summary>
public sealed record StageChange(string? Exited, string? Entered, string? PreviousPipeline, string? Pipeline);

/// <summary>A numeric field's value before and after, as numbers; null when missing or not a number.</summary>
public sealed record NumberChange(double? From, double? To);
