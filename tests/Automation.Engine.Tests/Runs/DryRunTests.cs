using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Templates;
using static Automation.Engine.Tests.Runs.RunFixtures;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Runs;

public class DryRunTests
{
    private static readonly TemplateRenderer Renderer = new();

    private static readonly Workflow Draft = Nurture with
    {
        Status = WorkflowStatus.Draft,
        Conditions = new LeafCondition("record.email", ConditionOperator.Exists),
    };

    private static readonly CrmEvent Created = Event(
        "record.created",
        """{ "email": "ann@x.io", "firstName": "Ann", "score": 20, "status": "lead", "renewalDate": "2026-04-01T09:00:00Z" }""");

    [Fact]
    public void A_dry_run_shows_the_match_the_conditions_the_enrollment_and_each_steps_rendered_params()
    {
        var result = DryRun.Run(Draft, Created, storedPrevious: null, Now, Renderer);

        Assert.Equal((true, "The record was created."), (result.Trigger.Matched, result.Trigger.Reason));
        Assert.True(result.Conditions!.Result);
        Assert.Equal(EnrollmentOutcome.Enroll, result.Enrollment.Outcome);
        Assert.False(result.ExitConditions!.Result);
        Assert.Equal(["welcome", "follow-up", "renewal", "hot-only"], result.Steps.Select(s => s.Id));
        Assert.Equal(["send_email", "create_task", "send_email", "notify"], result.Steps.Select(s => s.Action));

        var welcome = result.Steps[0];
        Assert.Equal("ann@x.io", welcome.Params!.Value.GetProperty("to").GetString());
        Assert.Equal("Hi Ann", welcome.Params!.Value.GetProperty("subject").GetString());
        Assert.Empty(welcome.Errors);
        Assert.Equal((null, Now), (welcome.Delay, welcome.RunsAt));
    }

    [Fact]
    public void A_draft_is_judged_as_if_active_and_the_answer_says_so()
    {
        var result = DryRun.Run(Draft, Created, null, Now, Renderer);

        Assert.Contains(result.Notes, n => n.StartsWith("The workflow is draft", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Contains("never enrolled", StringComparison.Ordinal));
    }

    [Fact]
    public void Delays_are_described_and_step_times_add_up_from_now()
    {
        var result = DryRun.Run(Draft, Created, null, Now, Renderer);

        Assert.Equal(("Waits 2 days.", Now.AddDays(2)), (result.Steps[1].Delay, result.Steps[1].RunsAt));
        Assert.Equal(
            ("Waits until 2026-04-01T09:00:00Z.", new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero)),
            (result.Steps[2].Delay, result.Steps[2].RunsAt));
        Assert.Equal(result.Steps[2].RunsAt, result.Steps[3].RunsAt);
    }

    [Fact]
    public void A_delay_until_a_past_moment_is_described_as_not_waiting()
    {
        var evt = Created with { Record = Parse("""{ "email": "a@x.io", "renewalDate": "2026-03-01T00:00:00Z" }""") };

        var step = DryRun.Run(Draft, evt, null, Now, Renderer).Steps[2];

        Assert.Equal("Waits until 2026-03-01T00:00:00Z, which is already past: runs without waiting.", step.Delay);
        Assert.Equal(Now.AddDays(2), step.RunsAt);
    }

    [Fact]
    public void A_delay_until_that_is_no_date_is_reported_by_its_path_and_later_times_are_unknown()
    {
        var evt = Created with { Record = Parse("""{ "email": "a@x.io", "renewalDate": "soon" }""") };

        var result = DryRun.Run(Draft, evt, null, Now, Renderer);

        Assert.Equal("'soon' is not an ISO 8601 date-time.", result.Steps[2].Errors["steps[2].delay.until"].Message);
        Assert.Equal((null, (DateTimeOffset?)null), (result.Steps[2].RunsAt, result.Steps[3].RunsAt));
    }

    [Fact]
    public void A_template_error_is_keyed_by_its_param_path_and_no_params_are_shown()
    {
        var wf = Draft with { Steps = [StepAt(3), StepAt(0) with { Params = Parse("""{ "to": "{{ record.email }}", "subject": "Hi {{ record.firstName " }""") }] };

        var step = DryRun.Run(wf, Created, null, Now, Renderer).Steps[1];

        Assert.Equal(["steps[1].params.subject"], step.Errors.Keys);
        Assert.Null(step.Params);
    }

    [Fact]
    public void A_step_condition_is_traced_with_its_path()
    {
        var step = DryRun.Run(Draft, Created, null, Now, Renderer).Steps[3];

        Assert.False(step.Condition!.Result);
        Assert.Equal("steps[3].condition", Assert.Single(step.Condition.Leaves).Path);
    }

    [Fact]
    public void Conditions_and_steps_are_shown_even_when_the_trigger_does_not_match()
    {
        var result = DryRun.Run(Draft, Created with { Type = "record.updated" }, null, Now, Renderer);

        Assert.False(result.Trigger.Matched);
        Assert.Equal(EnrollmentOutcome.Ignore, result.Enrollment.Outcome);
        Assert.True(result.Conditions!.Result);
        Assert.Equal(4, result.Steps.Count);
    }

    [Fact]
    public void The_stored_snapshot_is_diffed_when_the_event_has_no_previous()
    {
        var wf = Draft with { Trigger = new Trigger { Type = TriggerTypes.StageEntered, Stage = "SQL" } };
        var evt = Event("record.updated", """{ "stage": "SQL", "email": "a@x.io" }""");

        var result = DryRun.Run(wf, evt, Parse("""{ "stage": "MQL", "email": "a@x.io" }"""), Now, Renderer);

        Assert.Equal("Stage changed from 'MQL' to 'SQL': entered 'SQL'.", result.Trigger.Reason);
        Assert.Equal(["stage"], result.Changes.Fields.Keys);
    }

    [Fact]
    public void The_answer_serializes_as_camel_case_json()
    {
        var result = DryRun.Run(Draft, Created, null, Now, Renderer);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(result, EngineJson.Options));
        var root = json.RootElement;

        Assert.True(root.GetProperty("trigger").GetProperty("matched").GetBoolean());
        Assert.Equal("enroll", root.GetProperty("enrollment").GetProperty("outcome").GetString());
        Assert.True(root.GetProperty("conditions").GetProperty("result").GetBoolean());
        Assert.Equal("Hi Ann", root.GetProperty("steps")[0].GetProperty("params").GetProperty("subject").GetString());
        Assert.Equal("Waits 2 days.", root.GetProperty("steps")[1].GetProperty("delay").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("changes").GetProperty("fields").ValueKind);
    }
}
