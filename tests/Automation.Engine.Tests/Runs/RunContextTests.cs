using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using static Automation.Engine.Tests.Runs.RunFixtures;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Runs;

public class RunContextTests
{
    [Fact]
    public void The_run_context_shows_the_run_and_its_step_outputs()
    {
        var run = Run(cursor: 2, RunStatus.Waiting) with { Attempt = 2, StepsExecuted = 2, Outputs = Parse("""{ "welcome": { "messageId": "m-1" } }""") };

        var context = RunContext.Build(run);

        Assert.Equal(
            """{"id":"run-1","workflowId":"wf-1","version":3,"status":"waiting","startedAt":"2026-03-09T09:00:00+00:00","stepsExecuted":2,"attempt":2,"steps":{"welcome":{"messageId":"m-1"}}}""",
            context.GetRawText());
    }

    [Fact]
    public void A_run_without_outputs_has_an_empty_steps_object()
    {
        Assert.Equal(JsonValueKind.Object, RunContext.Build(Run()).GetProperty("steps").ValueKind);
        Assert.Empty(RunContext.Build(Run()).GetProperty("steps").EnumerateObject());
    }

    [Fact]
    public void Conditions_can_read_a_steps_output_through_the_run_context()
    {
        var run = RunProgress.AfterStepSucceeded(Run(), StepAt(0), Now, Parse("""{ "status": 202 }"""));
        var condition = new LeafCondition("run.steps.welcome.status", ConditionOperator.Eq, Parse("202"));

        var trace = ConditionEvaluator.Evaluate(condition, new EvaluationScope { Run = RunContext.Build(run), Now = Now });

        Assert.True(trace.Result);
    }
}
