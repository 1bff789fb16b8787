using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Triggers;

namespace Automation.Engine.Runs;

/// <summary>Whether a matching event enrolls a record. Pure: the caller supplies the enrollment history.</summary>
public static class EnrollmentRules
{
    /// <summary>
    /// Decides in this order: the workflow must be active, the trigger must match, a <c>once</c> workflow must not
    /// have enrolled the record before (in any version), then the conditions decide between a run and a skipped run.
    /// A record already enrolled in a once-workflow leaves no skipped run: it is not a candidate any more.
    /// </summary>
    /// <param name="enrolledBefore">
    /// Whether the record has a run of this workflow, any version, that <see cref="CountsAsEnrollment"/>.
    /// </param>
    /// <param name="conditions">The trace of the workflow's conditions; null when they were not evaluated (no match).</param>
    public static EnrollmentDecision Decide(Workflow wf, bool enrolledBefore, TriggerMatch match, ConditionTrace? conditions)
    {
        ArgumentNullException.ThrowIfNull(wf);
        ArgumentNullException.ThrowIfNull(match);

        if (wf.Status != WorkflowStatus.Active)
        {
            return Ignore($"The workflow is {Name(wf.Status)}, not active.");
        }

        if (!match.Matched)
        {
            return Ignore("The trigger did not match: " + match.Reason);
        }

        if (wf.Enrollment == Enrollment.Once && enrolledBefore)
        {
            return Ignore("The record was already enrolled in this workflow, which enrolls a record once.");
        }

        if (conditions is { Result: false })
        {
            var failed = conditions.Leaves.Where(l => !l.Result).Select(l => l.Path).Distinct(StringComparer.Ordinal).ToArray();
            var which = failed.Length == 0 ? "" : " (false: " + string.Join(", ", failed) + ")";
            return new EnrollmentDecision(EnrollmentOutcome.EnrollSkipped, $"The trigger matched but the conditions are false{which}.");
        }

        return new EnrollmentDecision(
            EnrollmentOutcome.Enroll,
            conditions is null || conditions.Leaves.Count == 0 ? "The trigger matched." : "The trigger matched and the conditions are true.");
    }

    /// <summary>
    /// Which past runs make a record "already enrolled" for a once-workflow: every run except a skipped one. As in
    /// HubSpot, a record that did not meet the conditions was never enrolled, so it may enroll when it later does.
    /// </summary>
    public static bool CountsAsEnrollment(RunStatus status) => status != RunStatus.Skipped;

    private static EnrollmentDecision Ignore(string reason) => new(EnrollmentOutcome.Ignore, reason);

    private static string Name(WorkflowStatus status) => status.ToString().ToLowerInvariant();
}
