using System.Text.Json.Serialization;

namespace Automation.Engine.Model;

/// <summary>
/// A workflow version. Editing a workflow creates a new immutable version; a run keeps the version it started on.
/// </summary>
public sealed record Workflow
{
    /// <summary>Assigned by the store on create; <c>[a-z0-9-]</c>.</summary>
    public string? Id { get; init; }

    /// <summary>1 for the first version; each replace adds one.</summary>
    public int Version { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The CRM module the workflow acts on: lead, contact, account, opportunity, task, invoice, case, ...</summary>
    public required string Module { get; init; }

    public required Trigger Trigger { get; init; }

    /// <summary>Only-if conditions checked when the trigger matches; false leaves a skipped run with the trace.</summary>
    public Condition? Conditions { get; init; }

    public Enrollment Enrollment { get; init; } = Enrollment.Once;

    public IReadOnlyList<Step> Steps { get; init; } = [];

    /// <summary>Checked before every step and when a record event arrives for a waiting run.</summary>
    public Condition? ExitConditions { get; init; }

    public WorkflowStatus Status { get; init; } = WorkflowStatus.Draft;

    public DateTimeOffset? CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}

public enum Enrollment
{
    /// <summary>A record enrolls at most once per workflow, across all versions.</summary>
    Once,

    /// <summary>Every matching event enrolls the record again.</summary>
    [JsonStringEnumMemberName("every_time")]
    EveryTime,
}

public enum WorkflowStatus
{
    Draft,
    Active,
    Paused,
    Archived,
}
