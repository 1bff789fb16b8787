using Automation.Engine.Runs;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Runs;

public class WorkflowEvaluationTests
{
    private static readonly Model.Workflow WebLeads = WithTrigger(
        """{ "type": "stage.entered", "stage": "SQL" }""",
        """{ "all": [ { "field": "record.source", "op": "eq", "value": "Web Form" }, { "field": "record.score", "op": "gte", "value": 50 } ] }""");

    [Fact]
    public void A_matching_event_with_true_conditions_enrolls_and_keeps_the_trace()
    {
        var evt = Event("record.updated", """{ "stage": "SQL", "source": "web form", "score": "70" }""", """{ "stage": "MQL" }""");

        var result = WorkflowEvaluation.Evaluate(WebLeads, evt, storedPrevious: null, Now, enrolledBefore: false);

        Assert.True(result.Trigger.Matched);
        Assert.True(result.Conditions!.Result);
        Assert.Equal(["conditions.all[0]", "conditions.all[1]"], result.Conditions.Leaves.Select(l => l.Path));
        Assert.Equal(EnrollmentOutcome.Enroll, result.Enrollment.Outcome);
    }

    [Fact]
    public void A_matching_event_with_false_conditions_is_enrolled_as_skipped()
    {
        var evt = Event("record.updated", """{ "stage": "SQL", "source": "Ads", "score": 70 }""", """{ "stage": "MQL" }""");

        var result = WorkflowEvaluation.Evaluate(WebLeads, evt, storedPrevious: null, Now, enrolledBefore: false);

        Assert.False(result.Conditions!.Result);
        Assert.Equal(EnrollmentOutcome.EnrollSkipped, result.Enrollment.Outcome);
        Assert.Contains("conditions.all[0]", result.Enrollment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_are_not_evaluated_when_the_trigger_does_not_match()
    {
        var evt = Event("record.updated", """{ "stage": "SQL", "source": "Web Form", "score": 70 }""", """{ "stage": "SQL" }""");

        var result = WorkflowEvaluation.Evaluate(WebLeads, evt, storedPrevious: null, Now, enrolledBefore: false);

        Assert.False(result.Trigger.Matched);
        Assert.Null(result.Conditions);
        Assert.Equal(EnrollmentOutcome.Ignore, result.Enrollment.Outcome);
    }

    [Fact]
    public void The_stored_snapshot_decides_the_trigger_when_the_event_has_no_previous()
    {
        var evt = Event("record.updated", """{ "stage": "SQL", "source": "Web Form", "score": 70 }""");

        var unchanged = WorkflowEvaluation.Evaluate(WebLeads, evt, Parse("""{ "stage": "SQL" }"""), Now, enrolledBefore: false);
        var entered = WorkflowEvaluation.Evaluate(WebLeads, evt, Parse("""{ "stage": "MQL" }"""), Now, enrolledBefore: false);

        Assert.False(unchanged.Trigger.Matched);
        Assert.True(entered.Trigger.Matched);
    }

    [Fact]
    public void Conditions_can_read_the_previous_record_and_the_event()
    {
        var wf = WithTrigger(
            """{ "type": "record.updated" }""",
            """{ "all": [ { "field": "previous.owner", "op": "eq", "value": "ann" }, { "field": "event.type", "op": "eq", "value": "record.updated" } ] }""");

        var result = WorkflowEvaluation.Evaluate(wf, Event("record.updated", """{ "owner": "bob" }""", """{ "owner": "ann" }"""), null, Now, false);

        Assert.True(result.Conditions!.Result);
    }

    [Fact]
    public void A_once_workflow_ignores_a_record_it_enrolled_before()
    {
        var evt = Event("record.updated", """{ "stage": "SQL", "source": "Web Form", "score": 70 }""", """{ "stage": "MQL" }""");

        var result = WorkflowEvaluation.Evaluate(WebLeads, evt, null, Now, enrolledBefore: true);

        Assert.Equal(EnrollmentOutcome.Ignore, result.Enrollment.Outcome);
    }
}
