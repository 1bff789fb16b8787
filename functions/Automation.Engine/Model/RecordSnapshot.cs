using System.Text.Json;

namespace Automation.Engine.Model;

/// <summary>The latest known state of a CRM record, kept so that changes can be derived and exit conditions checked later.</summary>
public sealed record RecordSnapshot
{
    public required string Module { get; init; }

    public required string RecordId { get; init; }

    /// <summary>The fields, a JSON object.</summary>
    public required JsonElement Fields { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The id of the event that produced this snapshot.</summary>
    public string? LastEventId { get; init; }

    public bool Deleted { get; init; }
}
