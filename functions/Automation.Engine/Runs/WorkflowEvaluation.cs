using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Triggers;

namespace Automation.Engine.Runs;

/// <summary>One workflow judged against one event: what the event processor acts on and what a dry run shows.</summary>
public sealed record WorkflowEvaluationResult(TriggerMatch Trigger, ConditionTrace? Conditions, EnrollmentDecision Enrollment);

public static class WorkflowEvaluation
{
    /// <summary>
    /// Derives the changes and the scope, then <see cref="Evaluate(Workflow, CrmEvent, ChangeSet, EvaluationScope, bool)"/>.
    /// When several workflows see the same event, derive once and call the other overload.
    /// </summary>
    public static WorkflowEvaluationResult Evaluate(
        Workflow wf, CrmEvent evt, JsonElement? storedPrevious, DateTimeOffset now, bool enrolledBefore)
    {
        var changes = ChangeDeriver.Derive(evt, storedPrevious);
        return Evaluate(wf, evt, changes, EventScope.For(evt, changes, now), enrolledBefore);
    }

    /// <summary>Trigger, then the conditions (only when the trigger matched), then enrollment.</summary>
    public static WorkflowEvaluationResult Evaluate(
        Workflow wf, CrmEvent evt, ChangeSet changes, EvaluationScope scope, bool enrolledBefore)
    {
        ArgumentNullException.ThrowIfNull(wf);
        var match = TriggerMatcher.Match(wf, evt, changes, scope);
        var conditions = match.Matched ? ConditionEvaluator.Evaluate(wf.Conditions, scope, "conditions") : null;
        return new WorkflowEvaluationResult(match, conditions, EnrollmentRules.Decide(wf, enrolledBefore, match, conditions));
    }
}
