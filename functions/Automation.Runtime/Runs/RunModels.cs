using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Runs;

namespace Automation.Runtime.Runs;

/// <summary>One attempt of one step, as the step log keeps it. <see cref="Input"/> is the rendered params with secrets masked.</summary>
public sealed record StepLogEntry
{
    public required string RunId { get; init; }

    public required string StepId { get; init; }

    public required int StepIndex { get; init; }

    public required int Attempt { get; init; }

    public required string Action { get; init; }

    public required StepStatus Status { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public JsonElement? Input { get; init; }

    public JsonElement? Output { get; init; }

    public string? Error { get; init; }

    /// <summary>The step condition's trace when the step was skipped.</summary>
    public ConditionTrace? Trace { get; init; }
}

/// <summary>A run as lists show it.</summary>
public sealed record RunSummary
{
    public required string RunId { get; init; }

    public required string WorkflowId { get; init; }

    public required int WorkflowVersion { get; init; }

    public required string Module { get; init; }

    public required string RecordId { get; init; }

    public required RunStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public DateTimeOffset? WakeAt { get; init; }

    public string? Error { get; init; }

    /// <summary>Actions executed so far (skipped steps not counted): the runs list's "Actions run".</summary>
    public int StepsExecuted { get; init; }

    /// <summary>The step the run is at (ended runs: the step they ended at), for reports' step funnels.</summary>
    public int Cursor { get; init; }

    public required string TriggerEventId { get; init; }

    public static RunSummary From(RunState run) => new()
    {
        RunId = run.RunId,
        WorkflowId = run.WorkflowId,
        WorkflowVersion = run.WorkflowVersion,
        Module = run.Module,
        RecordId = run.RecordId,
        Status = run.Status,
        CreatedAt = run.CreatedAt,
        UpdatedAt = run.UpdatedAt,
        EndedAt = run.EndedAt,
        WakeAt = run.WakeAt,
        Error = run.Error,
        StepsExecuted = run.StepsExecuted,
        Cursor = run.Cursor,
        TriggerEventId = run.TriggerEventId,
    };
}

/// <summary>
/// A run with its step logs in order. <see cref="Conditions"/> is the workflow conditions' trace of a skipped run,
/// <see cref="Exit"/> the exit conditions' trace of an exited run; <see cref="Notes"/> holds what happened around the
/// run that is not a step (an event its action caused was stopped by the loop limit).
/// </summary>
public sealed record RunDetails(
    RunState Run,
    ConditionTrace? Conditions,
    ConditionTrace? Exit,
    IReadOnlyList<StepLogEntry> Steps,
    IReadOnlyList<RunNote> Notes);

public sealed record RunNote(DateTimeOffset At, string Message, string? EventId);

/// <summary>One page of a list; pass <see cref="ContinuationToken"/> back for the next (null: no more).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>Run counts of a workflow: every run it ever started (skipped ones too), by status.</summary>
public sealed record RunStats(long RunCount, DateTimeOffset? LastRunAt, IReadOnlyDictionary<RunStatus, long> ByStatus);
