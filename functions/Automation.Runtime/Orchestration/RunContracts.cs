using Automation.Engine.Runs;

namespace Automation.Runtime.Orchestration;

// These records travel through the task hub (orchestration inputs, activity inputs and outputs, in the history):
// renaming or removing a property breaks runs that are in flight. Add properties, with defaults.

/// <summary>The input of a run's orchestration.</summary>
/// <param name="RunId">The run, which is also the instance id.</param>
/// <param name="TriggerEventId">The event that started the run (its record partition holds it).</param>
public sealed record RunInput(string RunId, string TriggerEventId)
{
    /// <summary>Set when an admin retried a failed run: the first activity resumes it (from the start when asked).</summary>
    public RetryRequest? Retry { get; init; }
}

/// <summary>An admin's retry of a failed run, applied by the first activity of the new orchestration.</summary>
public sealed record RetryRequest(bool FromStart, string RequestedBy);

/// <summary>The input of one <see cref="OrchestrationNames.AdvanceRun"/> activity.</summary>
public sealed record AdvanceRequest(string RunId, string TriggerEventId)
{
    /// <summary>The decision key the run was waiting for, raised to the orchestration.</summary>
    public string? Signal { get; init; }

    /// <summary>An admin asked the waiting run to go on now (who asked).</summary>
    public string? RunNowBy { get; init; }

    /// <summary>Apply this retry before anything else (only when the run is still failed).</summary>
    public RetryRequest? Retry { get; init; }
}

/// <summary>Where the run stands after an activity: ended, or waiting (until <see cref="WakeAt"/>, or for a decision).</summary>
public sealed record AdvanceResult(RunStatus Status)
{
    /// <summary>When the run wakes (a delay, a retry backoff, a send window, a paused workflow's re-check, a decision's deadline).</summary>
    public DateTimeOffset? WakeAt { get; init; }

    /// <summary>
    /// The time by the clock that decided <see cref="WakeAt"/> (the engine's <see cref="TimeProvider"/>), when the
    /// activity answered: the orchestration waits <c>WakeAt - Now</c> on its own clock, so that the wait is the one
    /// the engine meant even where the two clocks differ.
    /// </summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>The outside decision the run waits for (a draft), if any.</summary>
    public string? AwaitKey { get; init; }

    /// <summary>The awaited decision was already made while the step ran: go on at once with <see cref="AwaitKey"/> as the signal.</summary>
    public bool Decided { get; init; }

    /// <summary>The index of the step the run is at.</summary>
    public int Cursor { get; init; }

    public string? Error { get; init; }

    public bool Ended => RunTransitions.IsTerminal(Status);
}

/// <summary>The output of a run's orchestration: how the run ended.</summary>
public sealed record RunResult(RunStatus Status, string? Error);
