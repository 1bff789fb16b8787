using Automation.Engine.Model;

namespace Automation.Runtime.Workflows;

/// <summary>A workflow as the list shows it. <see cref="RunCount"/> and <see cref="LastRunAt"/> come from the sharded run counters.</summary>
public sealed record WorkflowSummary
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public required WorkflowStatus Status { get; init; }

    public required string Module { get; init; }

    public required string TriggerType { get; init; }

    public required int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RunCount { get; init; }

    public DateTimeOffset? LastRunAt { get; init; }
}

/// <summary>Filters of the workflow list; archived workflows are left out unless asked for (or filtered on).</summary>
public sealed record WorkflowFilter
{
    public WorkflowStatus? Status { get; init; }

    public string? Module { get; init; }

    public string? TriggerType { get; init; }

    public bool IncludeArchived { get; init; }
}
