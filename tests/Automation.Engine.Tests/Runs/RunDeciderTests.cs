using Automation.Engine.Runs;
using Automation.Engine.Templates;
using static Automation.Engine.Tests.Runs.RunFixtures;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Runs;

public class RunDeciderTests
{
    private static readonly TemplateRenderer Renderer = new();

    private const string Lead = """{ "status": "lead", "score": 70, "email": "ann@x.io", "renewalDate": "2026-04-01T09:00:00Z" }""";

    private static RunDecision Decide(RunState run, string record = Lead, DateTimeOffset? now = null, TimeZoneInfo? timeZone = null) =>
        RunDecider.Decide(run, Nurture, Scope(record, run, timeZone, now), Renderer, now ?? Now);

    [Theory]
    [InlineData(RunStatus.Succeeded)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Skipped)]
    [InlineData(RunStatus.Exited)]
    [InlineData(RunStatus.Cancelled)]
    public void An_ended_run_has_nothing_to_do(RunStatus status)
    {
        var decision = Decide(Run(cursor: 0, status));

        Assert.Equal(RunDecisionKind.Nothing, decision.Kind);
    }

    [Fact]
    public void A_run_past_its_last_step_finishes_even_if_an_exit_condition_is_now_true()
    {
        var decision = Decide(Run(cursor: 4), """{ "status": "customer" }""");

        Assert.Same(FinishRun.Instance, decision);
    }

    [Theory]
    [InlineData(0, RunStatus.Running)]
    [InlineData(1, RunStatus.Running)]
    [InlineData(3, RunStatus.Running)]
    [InlineData(1, RunStatus.Waiting)]
    public void An_exit_condition_is_checked_before_every_step_and_before_waiting(int cursor, RunStatus status)
    {
        var run = Run(cursor, status) with { WakeAt = Now.AddDays(1), DelayScheduled = status == RunStatus.Waiting };

        var decision = Decide(run, """{ "status": "Customer", "score": 70 }""");

        var exit = Assert.IsType<ExitRun>(decision);
        Assert.Equal("exitConditions.any[0]", Assert.Single(exit.Trace.Leaves).Path);
    }

    [Fact]
    public void A_step_without_delay_or_condition_runs()
    {
        var decision = Decide(Run(cursor: 0));

        Assert.Equal(new RunStep(0, StepAt(0), 1), decision);
    }

    [Fact]
    public void A_delay_not_yet_scheduled_waits_from_when_the_cursor_reached_the_step()
    {
        var since = Now.AddHours(-1);

        var decision = Decide(Run(cursor: 1, cursorSince: since));

        Assert.Equal(new WaitUntil(since.AddDays(2), 1, NewDelay: true), decision);
    }

    [Fact]
    public void A_delay_that_already_elapsed_runs_the_step_without_waiting()
    {
        var decision = Decide(Run(cursor: 1, cursorSince: Now.AddDays(-2)));

        Assert.Equal(new RunStep(1, StepAt(1), 1), decision);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(-3_600_000, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public void A_scheduled_wait_never_ends_early(long millisecondsFromWakeAt, bool runs)
    {
        var wakeAt = Now.AddDays(2);
        var run = Run(cursor: 1, RunStatus.Waiting) with { WakeAt = wakeAt, DelayScheduled = true };

        var decision = Decide(run, now: wakeAt.AddMilliseconds(millisecondsFromWakeAt));

        Assert.Equal(runs ? new RunStep(1, StepAt(1), 1) : new WaitUntil(wakeAt, 1, NewDelay: false), decision);
    }

    [Fact]
    public void A_retry_backoff_is_waited_out_and_then_the_next_attempt_runs()
    {
        var wakeAt = Now.AddSeconds(30);
        var run = Run(cursor: 0, RunStatus.Waiting) with { WakeAt = wakeAt, Attempt = 2, DelayScheduled = true };

        Assert.Equal(new WaitUntil(wakeAt, 0, NewDelay: false), Decide(run));
        Assert.Equal(new RunStep(0, StepAt(0), 2), Decide(run, now: wakeAt));
    }

    [Fact]
    public void A_retried_step_does_not_serve_its_delay_again()
    {
        var run = Run(cursor: 1, RunStatus.Waiting, cursorSince: Now.AddMinutes(-1)) with
        {
            WakeAt = Now,
            Attempt = 2,
            DelayScheduled = true,
        };

        Assert.Equal(new RunStep(1, StepAt(1), 2), Decide(run));
    }

    [Fact]
    public void An_empty_delay_does_not_wait()
    {
        var wf = Nurture with { Steps = [StepAt(0) with { Delay = new Model.Delay() }] };

        var decision = RunDecider.Decide(Run(cursor: 0), wf, Scope(Lead, Run()), Renderer, Now);

        Assert.Equal(RunDecisionKind.RunStep, decision.Kind);
    }

    [Fact]
    public void A_step_whose_condition_is_false_is_skipped_with_its_trace()
    {
        var decision = Decide(Run(cursor: 3), """{ "score": 20 }""");

        var skip = Assert.IsType<SkipStep>(decision);
        Assert.Equal((3, "hot-only"), (skip.StepIndex, skip.Step.Id));
        Assert.Equal("steps[3].condition", Assert.Single(skip.Trace.Leaves).Path);
    }

    [Fact]
    public void A_step_whose_condition_is_true_runs_with_the_runs_attempt()
    {
        var decision = Decide(Run(cursor: 3) with { Attempt = 3 });

        Assert.Equal(new RunStep(3, StepAt(3), 3), decision);
    }

    [Fact]
    public void A_delay_until_a_rendered_date_time_waits_until_then()
    {
        var decision = Decide(Run(cursor: 2));

        Assert.Equal(new WaitUntil(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero), 2, NewDelay: true), decision);
    }

    [Fact]
    public void A_delay_until_a_date_without_offset_means_midnight_in_the_scopes_time_zone()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

        var decision = Decide(Run(cursor: 2), """{ "renewalDate": "2026-04-01" }""", timeZone: paris);

        Assert.Equal(new WaitUntil(new DateTimeOffset(2026, 3, 31, 22, 0, 0, TimeSpan.Zero), 2, NewDelay: true), decision);
    }

    [Fact]
    public void A_delay_until_a_moment_in_the_past_runs_the_step_now()
    {
        var decision = Decide(Run(cursor: 2), """{ "renewalDate": "2026-01-01T00:00:00Z" }""");

        Assert.Equal(new RunStep(2, StepAt(2), 1), decision);
    }

    [Theory]
    [InlineData("""{ "renewalDate": "next tuesday" }""", "'next tuesday' is not an ISO 8601 date-time.")]
    [InlineData("""{ }""", "the template rendered nothing")]
    public void A_delay_until_that_is_not_a_date_time_fails_the_run_naming_the_step_and_param(string record, string message)
    {
        var decision = Decide(Run(cursor: 2), record);

        var fail = Assert.IsType<FailRun>(decision);
        Assert.Equal("steps[2].delay.until", fail.Path);
        Assert.StartsWith("Step 'renewal' (steps[2].delay.until): ", fail.Error, StringComparison.Ordinal);
        Assert.Contains(message, fail.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delay_until_whose_template_fails_fails_the_run()
    {
        var wf = Nurture with { Steps = [StepAt(0) with { Delay = new Model.Delay { Until = "{{ record.renewalDate " } }] };

        var decision = RunDecider.Decide(Run(cursor: 0), wf, Scope(Lead, Run()), Renderer, Now);

        var fail = Assert.IsType<FailRun>(decision);
        Assert.Equal("steps[0].delay.until", fail.Path);
        Assert.Contains("the template failed", fail.Error, StringComparison.Ordinal);
    }
}
