namespace Automation.Engine.Runs;

public enum EnrollmentOutcome
{
    /// <summary>Start a run.</summary>
    Enroll,

    /// <summary>The trigger matched but the conditions did not: record a <c>skipped</c> run with the trace; no step runs.</summary>
    EnrollSkipped,

    /// <summary>Nothing to record: the trigger did not match, the workflow is not active, or a once-workflow already enrolled the record.</summary>
    Ignore,
}

public sealed record EnrollmentDecision(EnrollmentOutcome Outcome, string Reason);
