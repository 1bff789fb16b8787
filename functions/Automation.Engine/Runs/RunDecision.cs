using Automation.Engine.Conditions;
using Automation.Engine.Model;

namespace Automation.Engine.Runs;

/// <summary>What a run does next, as decided by <see cref="RunDecider"/>. The runner applies it with <see cref="RunProgress"/>.</summary>
public abstract record RunDecision
{
    public abstract RunDecisionKind Kind { get; }
}

public enum RunDecisionKind
{
    Nothing,
    Finish,
    Exit,
    Wait,
    SkipStep,
    RunStep,
    Fail,
}

/// <summary>The run has ended (succeeded, failed, skipped, exited, cancelled): a late or duplicate wake-up does nothing.</summary>
public sealed record NothingToDo(string Reason) : RunDecision
{
    public override RunDecisionKind Kind => RunDecisionKind.Nothing;
}

/// <summary>Every step is done: the run succeeded.</summary>
public sealed record FinishRun : RunDecision
{
    public static readonly FinishRun Instance = new();

    public override RunDecisionKind Kind => RunDecisionKind.Finish;
}

/// <summary>An exit condition is true: the run stops before the next step.</summary>
public sealed record ExitRun(ConditionTrace Trace) : RunDecision
{
    public override RunDecisionKind Kind => RunDecisionKind.Exit;
}

/// <summary>
/// Nothing may run before <paramref name="Until"/>. <paramref name="NewDelay"/> is true when this is the step's delay
/// being scheduled now (apply <see cref="RunProgress.AfterWaitScheduled"/>); false when the run was already waiting
/// and woke early (a queue hop), so it only needs another wake-up.
/// </summary>
public sealed record WaitUntil(DateTimeOffset Until, int StepIndex, bool NewDelay) : RunDecision
{
    public override RunDecisionKind Kind => RunDecisionKind.Wait;
}

/// <summary>The step's condition is false: log it as skipped with the trace and move on.</summary>
public sealed record SkipStep(int StepIndex, Step Step, ConditionTrace Trace) : RunDecision
{
    public override RunDecisionKind Kind => RunDecisionKind.SkipStep;
}

/// <summary>Execute the step; <paramref name="Attempt"/> (1 = first) goes into the action's idempotency key.</summary>
public sealed record RunStep(int StepIndex, Step Step, int Attempt) : RunDecision
{
    public override RunDecisionKind Kind => RunDecisionKind.RunStep;
}

/// <summary>The run cannot go on (a delay's date-time does not render); <paramref name="Path"/> names the definition field at fault.</summary>
public sealed record FailRun(string Error, string? Path) : RunDecision
{
    public override RunDecisionKind Kind => RunDecisionKind.Fail;
}
