namespace Automation.Engine.Model;

/// <summary>
/// A saved list of records of one module: a record is in the segment while <see cref="Conditions"/> hold for its
/// stored state (<c>record.*</c> only). Segments live on their own (<c>/api/segments</c>); workflows name them by id in
/// <c>segment.entered</c> / <c>segment.exited</c> triggers, and the event processor keeps each record's membership.
/// </summary>
public sealed record Segment
{
    /// <summary><c>[a-z0-9-]{1,64}</c>: given on create, or made from the name.</summary>
    public string? Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The kind of record the segment lists; it cannot change once the segment exists.</summary>
    public required string Module { get; init; }

    public string? Description { get; init; }

    public required Condition Conditions { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
