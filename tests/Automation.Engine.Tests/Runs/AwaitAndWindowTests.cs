using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Templates;
using static Automation.Engine.Tests.Runs.RunFixtures;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Runs;

/// <summary>Runs that wait for an outside decision (a draft's approval) and communication steps with send windows.</summary>
public class AwaitAndWindowTests
{
    private static readonly TemplateRenderer Renderer = new();

    /// <summary>steps[0] emails in New York office hours, steps[1] texts in the record's time zone, steps[2] a task (no window).</summary>
    private static readonly Workflow Outreach = Workflow(
        """
        { "id": "wf-2", "version": 1, "name": "Outreach", "module": "lead", "status": "active",
          "trigger": { "type": "record.created" },
          "steps": [
            { "id": "email", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Hi", "body": "x",
              "sendWindow": { "days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00", "timeZone": "America/New_York" } } },
            { "id": "sms", "action": "send_sms", "params": { "to": "+14155550123", "body": "x",
              "sendWindow": { "start": "{{ record.smsFrom }}", "end": "20:00", "timeZone": "record.timeZone" } } },
            { "id": "task", "action": "create_task", "params": { "title": "Call", "sendWindow": { "start": "09:00", "end": "10:00" } } }
          ],
          "exitConditions": { "any": [ { "field": "record.status", "op": "eq", "value": "customer" } ] } }
        """);

    private static RunDecision Decide(Workflow wf, RunState run, string record, DateTimeOffset now) =>
        RunDecider.Decide(run, wf, Scope(record, run, now: now), Renderer, now);

    private static RunState At(int cursor, DateTimeOffset now) => Run(cursor, cursorSince: now) with { WorkflowId = "wf-2", WorkflowVersion = 1 };

    [Fact]
    public void A_step_outside_its_window_waits_for_the_next_opening_as_a_new_wait()
    {
        var friday6pm = new DateTimeOffset(2026, 3, 13, 22, 0, 0, TimeSpan.Zero);

        var decision = Decide(Outreach, At(0, friday6pm), "{}", friday6pm);

        Assert.Equal(new WaitUntil(new DateTimeOffset(2026, 3, 16, 13, 0, 0, TimeSpan.Zero), 0, NewDelay: true), decision);
    }

    [Fact]
    public void A_step_inside_its_window_runs()
    {
        var tuesday10am = new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.Zero);

        Assert.Equal(new RunStep(0, Outreach.Steps[0], 1), Decide(Outreach, At(0, tuesday10am), "{}", tuesday10am));
    }

    [Fact]
    public void A_window_renders_on_the_record_and_reads_its_time_zone()
    {
        // 19:00 UTC is 20:00 in Paris (closed: the window ends at 20:00) and 14:00 in New York (open from 08:00).
        var at = new DateTimeOffset(2026, 3, 10, 19, 0, 0, TimeSpan.Zero);

        var paris = Decide(Outreach, At(1, at), """{ "smsFrom": "08:00", "timeZone": "Europe/Paris" }""", at);
        var newYork = Decide(Outreach, At(1, at), """{ "smsFrom": "08:00", "timeZone": "America/New_York" }""", at);

        Assert.Equal(new WaitUntil(new DateTimeOffset(2026, 3, 11, 7, 0, 0, TimeSpan.Zero), 1, NewDelay: true), paris);
        Assert.IsType<RunStep>(newYork);
    }

    [Fact]
    public void A_window_that_does_not_render_to_a_valid_window_fails_the_run_naming_the_field()
    {
        var at = new DateTimeOffset(2026, 3, 10, 19, 0, 0, TimeSpan.Zero);

        var fail = Assert.IsType<FailRun>(Decide(Outreach, At(1, at), """{ "smsFrom": "8 in the morning" }""", at));

        Assert.Equal("steps[1].params.sendWindow.start", fail.Path);
        Assert.Contains("time of day", fail.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_action_without_a_send_window_parameter_ignores_one()
    {
        var saturday = new DateTimeOffset(2026, 3, 14, 23, 0, 0, TimeSpan.Zero);

        Assert.IsType<RunStep>(Decide(Outreach, At(2, saturday), "{}", saturday));
    }

    [Fact]
    public void A_run_awaiting_a_decision_without_deadline_has_nothing_to_do()
    {
        var run = At(0, Now) with { Status = RunStatus.Waiting, AwaitKey = "draft:d1", DelayScheduled = true };

        var decision = Assert.IsType<NothingToDo>(Decide(Outreach, run, "{}", Now));

        Assert.Contains("draft:d1", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_awaiting_a_decision_keeps_waiting_until_its_deadline_then_runs_the_step_again()
    {
        var run = At(0, Now) with { Status = RunStatus.Waiting, AwaitKey = "draft:d1", WakeAt = Now.AddHours(2), DelayScheduled = true, Attempt = 2 };

        Assert.Equal(new WaitUntil(Now.AddHours(2), 0, NewDelay: false), Decide(Outreach, run, "{}", Now));

        // Past the deadline the step runs, even outside its window: its action only records the missed decision.
        var saturday = new DateTimeOffset(2026, 3, 14, 23, 0, 0, TimeSpan.Zero);
        Assert.Equal(new RunStep(0, Outreach.Steps[0], 2), Decide(Outreach, run with { WakeAt = saturday.AddHours(-1) }, "{}", saturday));
    }

    [Fact]
    public void An_exit_condition_ends_a_run_awaiting_a_decision()
    {
        var run = At(0, Now) with { Status = RunStatus.Waiting, AwaitKey = "draft:d1", DelayScheduled = true };

        Assert.IsType<ExitRun>(Decide(Outreach, run, """{ "status": "customer" }""", Now));
    }

    [Fact]
    public void Awaiting_keeps_the_attempt_and_the_signal_of_the_same_key_wakes_the_step()
    {
        var running = At(0, Now) with { Attempt = 2 };

        var waiting = RunProgress.AfterAwait(running, "draft:d1", Now.AddDays(1), Now);
        var woken = RunProgress.AfterSignal(waiting, "draft:d1", Now.AddMinutes(5));

        Assert.Equal(RunStatus.Waiting, waiting.Status);
        Assert.Equal(2, waiting.Attempt);
        Assert.Equal(Now.AddDays(1), waiting.WakeAt);
        Assert.True(waiting.DelayScheduled);
        Assert.NotNull(woken);
        Assert.Null(woken.AwaitKey);
        Assert.Null(woken.WakeAt);
        Assert.IsType<RunStep>(Decide(Outreach, woken, """{ }""", new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_signal_for_another_key_or_a_run_not_waiting_changes_nothing()
    {
        var waiting = RunProgress.AfterAwait(At(0, Now), "draft:d1", null, Now);

        Assert.Null(RunProgress.AfterSignal(waiting, "draft:other", Now));
        Assert.Null(RunProgress.AfterSignal(At(0, Now), "draft:d1", Now));
        Assert.Null(RunProgress.AfterSignal(waiting with { AwaitKey = null }, "draft:d1", Now));
    }

    [Fact]
    public void Moving_on_failing_or_ending_forgets_the_awaited_decision()
    {
        var waiting = RunProgress.AfterAwait(At(0, Now), "draft:d1", null, Now);
        var running = waiting with { Status = RunStatus.Running };

        Assert.Null(RunProgress.AfterStepSkipped(running, Now).AwaitKey);
        Assert.Null(RunProgress.AfterStepSucceeded(running, Outreach.Steps[0], Now, null).AwaitKey);
        Assert.Null(RunProgress.AfterStepFailed(running, Outreach.Steps[0], new StepFailure("smtp down", Retryable: true), Now).AwaitKey);
        Assert.Null(RunProgress.Cancel(waiting, Now).AwaitKey);
    }

    [Fact]
    public void A_dry_run_moves_a_step_outside_its_window_to_the_opening_and_says_why()
    {
        var friday6pm = new DateTimeOffset(2026, 3, 13, 22, 0, 0, TimeSpan.Zero);
        var evt = Event("record.created", """{ "email": "a@x.io", "smsFrom": "08:00", "timeZone": "Europe/Paris" }""");

        var result = DryRun.Run(Outreach, evt, null, friday6pm, Renderer);

        var email = result.Steps[0];
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 13, 0, 0, TimeSpan.Zero), email.RunsAt);
        Assert.Equal("Outside its send window (Mon,Tue,Wed,Thu,Fri 09:00-17:00 America/New_York): waits until 2026-03-16T13:00:00Z.", email.Delay);

        // Monday 14:00 Paris is inside 08:00-20:00: the text goes with the email.
        Assert.Equal(email.RunsAt, result.Steps[1].RunsAt);
        Assert.Empty(result.Steps[1].Errors);
    }
}
