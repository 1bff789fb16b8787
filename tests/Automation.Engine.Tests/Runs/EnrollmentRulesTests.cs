using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Triggers;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Runs;

public class EnrollmentRulesTests
{
    private static readonly ConditionTrace True = new(true, [new LeafTrace("conditions.all[0]", "record.a", "eq", null, null, true)]);
    private static readonly ConditionTrace False = new(false, [
        new LeafTrace("conditions.all[0]", "record.a", "eq", null, null, true),
        new LeafTrace("conditions.all[1]", "record.b", "eq", null, null, false)]);

    [Theory]
    [InlineData(WorkflowStatus.Active, Enrollment.Once, false, true, "true", EnrollmentOutcome.Enroll, "The trigger matched and the conditions are true.")]
    [InlineData(WorkflowStatus.Active, Enrollment.Once, false, true, "none", EnrollmentOutcome.Enroll, "The trigger matched.")]
    [InlineData(WorkflowStatus.Active, Enrollment.Once, false, true, "false", EnrollmentOutcome.EnrollSkipped, "The trigger matched but the conditions are false (false: conditions.all[1]).")]
    [InlineData(WorkflowStatus.Active, Enrollment.Once, true, true, "true", EnrollmentOutcome.Ignore, "The record was already enrolled in this workflow, which enrolls a record once.")]
    [InlineData(WorkflowStatus.Active, Enrollment.Once, true, true, "false", EnrollmentOutcome.Ignore, "The record was already enrolled in this workflow, which enrolls a record once.")]
    [InlineData(WorkflowStatus.Active, Enrollment.EveryTime, true, true, "true", EnrollmentOutcome.Enroll, "The trigger matched and the conditions are true.")]
    [InlineData(WorkflowStatus.Active, Enrollment.EveryTime, true, true, "false", EnrollmentOutcome.EnrollSkipped, "The trigger matched but the conditions are false (false: conditions.all[1]).")]
    [InlineData(WorkflowStatus.Active, Enrollment.EveryTime, false, false, "none", EnrollmentOutcome.Ignore, "The trigger did not match: Event type 'x' is not 'y'.")]
    [InlineData(WorkflowStatus.Draft, Enrollment.EveryTime, false, true, "true", EnrollmentOutcome.Ignore, "The workflow is draft, not active.")]
    [InlineData(WorkflowStatus.Paused, Enrollment.EveryTime, false, true, "true", EnrollmentOutcome.Ignore, "The workflow is paused, not active.")]
    [InlineData(WorkflowStatus.Archived, Enrollment.Once, false, true, "true", EnrollmentOutcome.Ignore, "The workflow is archived, not active.")]
    public void Enrollment_follows_status_trigger_history_and_conditions_in_that_order(
        WorkflowStatus status, Enrollment enrollment, bool enrolledBefore, bool matched, string conditions, EnrollmentOutcome outcome, string reason)
    {
        var wf = WithTrigger("""{ "type": "record.created" }""") with { Status = status, Enrollment = enrollment };
        var match = matched ? TriggerMatch.Yes("ok") : TriggerMatch.No("Event type 'x' is not 'y'.");
        var trace = conditions switch { "true" => True, "false" => False, _ => null };

        var decision = EnrollmentRules.Decide(wf, enrolledBefore, match, trace);

        Assert.Equal(new EnrollmentDecision(outcome, reason), decision);
    }

    [Theory]
    [InlineData(RunStatus.Running, true)]
    [InlineData(RunStatus.Waiting, true)]
    [InlineData(RunStatus.Succeeded, true)]
    [InlineData(RunStatus.Failed, true)]
    [InlineData(RunStatus.Exited, true)]
    [InlineData(RunStatus.Cancelled, true)]
    [InlineData(RunStatus.Skipped, false)]
    public void Every_run_but_a_skipped_one_counts_as_an_enrollment(RunStatus status, bool counts)
    {
        Assert.Equal(counts, EnrollmentRules.CountsAsEnrollment(status));
    }

    [Fact]
    public void A_once_workflow_enrolls_a_record_whose_only_earlier_run_was_skipped()
    {
        var wf = WithTrigger("""{ "type": "record.updated" }""");
        RunStatus[] history = [RunStatus.Skipped, RunStatus.Skipped];

        var decision = EnrollmentRules.Decide(wf, history.Any(EnrollmentRules.CountsAsEnrollment), TriggerMatch.Yes("ok"), True);

        Assert.Equal(EnrollmentOutcome.Enroll, decision.Outcome);
    }
}
