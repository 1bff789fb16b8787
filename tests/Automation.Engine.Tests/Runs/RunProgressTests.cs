using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using static Automation.Engine.Tests.Runs.RunFixtures;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Runs;

public class RunProgressTests
{
    private static readonly StepFailure Transient = new("HTTP 503", Retryable: true);

    [Theory]
    [InlineData(RunStatus.Running)]
    [InlineData(RunStatus.Waiting)]
    public void A_succeeded_step_moves_the_cursor_and_keeps_the_output(RunStatus status)
    {
        var run = Run(cursor: 1, status) with
        {
            Attempt = 2,
            DelayScheduled = true,
            WakeAt = Now.AddMinutes(-1),
            StepsExecuted = 1,
            Error = "HTTP 503",
            Outputs = Parse("""{ "welcome": { "messageId": "m-1" } }"""),
        };

        var next = RunProgress.AfterStepSucceeded(run, StepAt(1), Now, Parse("""{ "taskId": "t-9" }"""));

        Assert.Equal(
            (RunStatus.Running, 2, 1, Now, false, (DateTimeOffset?)null, 2, (string?)null, Now),
            (next.Status, next.Cursor, next.Attempt, next.CursorSince, next.DelayScheduled, next.WakeAt, next.StepsExecuted, next.Error, next.UpdatedAt));
        Assert.Equal("m-1", next.Outputs!.Value.GetProperty("welcome").GetProperty("messageId").GetString());
        Assert.Equal("t-9", next.Outputs!.Value.GetProperty("follow-up").GetProperty("taskId").GetString());
    }

    [Fact]
    public void A_step_without_output_is_recorded_with_a_null_output()
    {
        var next = RunProgress.AfterStepSucceeded(Run(), StepAt(0), Now, output: null);

        Assert.Equal(JsonValueKind.Null, next.Outputs!.Value.GetProperty("welcome").ValueKind);
    }

    [Fact]
    public void A_skipped_step_moves_the_cursor_without_counting_as_executed()
    {
        var run = Run(cursor: 3) with { StepsExecuted = 2, DelayScheduled = true };

        var next = RunProgress.AfterStepSkipped(run, Now);

        Assert.Equal((4, 2, false, Now, RunStatus.Running), (next.Cursor, next.StepsExecuted, next.DelayScheduled, next.CursorSince, next.Status));
    }

    [Theory]
    [InlineData(RunStatus.Running)]
    [InlineData(RunStatus.Waiting)]
    public void A_scheduled_wait_records_the_wake_up_and_that_the_delay_is_scheduled(RunStatus status)
    {
        var until = Now.AddDays(2);

        var next = RunProgress.AfterWaitScheduled(Run(cursor: 1, status), until, Now);

        Assert.Equal((RunStatus.Waiting, until, true), (next.Status, next.WakeAt, next.DelayScheduled));
    }

    /// <summary>Each row: the attempt that failed, the policy's max attempts, and the wait before the next one (null: the run fails).</summary>
    [Theory]
    [InlineData(1, 3, 30)]
    [InlineData(2, 3, 60)]
    [InlineData(3, 3, null)]
    [InlineData(1, 5, 30)]
    [InlineData(2, 5, 60)]
    [InlineData(3, 5, 120)]
    [InlineData(4, 5, 240)]
    [InlineData(5, 5, null)]
    [InlineData(1, 1, null)]
    public void Retryable_failures_back_off_exponentially_until_attempts_run_out(int attempt, int maxAttempts, int? waitSeconds)
    {
        var step = maxAttempts == 3 ? StepAt(0) : StepAt(0) with { Retry = new RetryPolicy { MaxAttempts = maxAttempts } };
        var run = Run(cursor: 0) with { Attempt = attempt };

        var next = RunProgress.AfterStepFailed(run, step, Transient, Now);

        if (waitSeconds is { } seconds)
        {
            Assert.Equal(
                (RunStatus.Waiting, attempt + 1, Now.AddSeconds(seconds), true, (DateTimeOffset?)null),
                (next.Status, next.Attempt, next.WakeAt, next.DelayScheduled, next.EndedAt));
        }
        else
        {
            Assert.Equal((RunStatus.Failed, Now, (DateTimeOffset?)null), (next.Status, next.EndedAt, next.WakeAt));
            Assert.Equal($"Step 'welcome' failed after {attempt} attempt(s): HTTP 503", next.Error);
        }
    }

    [Fact]
    public void The_default_policy_waits_30_then_60_seconds_then_fails()
    {
        var run = Run(cursor: 0);
        var waits = new List<TimeSpan>();
        var clock = Now;
        while (run.Status != RunStatus.Failed)
        {
            run = RunProgress.AfterStepFailed(run, StepAt(0), Transient, clock);
            if (run.WakeAt is { } wakeAt)
            {
                waits.Add(wakeAt - clock);
                clock = wakeAt;
            }
        }

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)], waits);
        Assert.Equal(3, run.Attempt);
    }

    [Theory]
    [InlineData(2, 30, 120, 120)]
    [InlineData(2, 30, 10, 30)]
    [InlineData(3, 60, 60, 60)]
    public void A_retry_after_longer_than_the_policy_wins(int failedAttempt, int policySeconds, int retryAfterSeconds, int expectedSeconds)
    {
        var step = StepAt(0) with { Retry = new RetryPolicy { MaxAttempts = 5 } };
        var run = Run(cursor: 0) with { Attempt = failedAttempt - 1 };
        var failure = new StepFailure("HTTP 429", Retryable: true, RetryAfter: TimeSpan.FromSeconds(retryAfterSeconds));

        var next = RunProgress.AfterStepFailed(run, step, failure, Now);

        Assert.Equal(TimeSpan.FromSeconds(policySeconds), step.Retry!.DelayBefore(failedAttempt));
        Assert.Equal(Now.AddSeconds(expectedSeconds), next.WakeAt);
    }

    [Fact]
    public void The_backoff_is_capped_by_the_policys_max_interval()
    {
        var step = StepAt(0) with { Retry = new RetryPolicy { MaxAttempts = 20, MaxIntervalSeconds = 100 } };

        var next = RunProgress.AfterStepFailed(Run() with { Attempt = 10 }, step, Transient, Now);

        Assert.Equal(Now.AddSeconds(100), next.WakeAt);
    }

    [Fact]
    public void A_failure_that_may_not_be_retried_fails_the_run_at_once()
    {
        var next = RunProgress.AfterStepFailed(Run(), StepAt(0), new StepFailure("HTTP 400: bad address", Retryable: false), Now);

        Assert.Equal((RunStatus.Failed, 1, "Step 'welcome' failed: HTTP 400: bad address"), (next.Status, next.Attempt, next.Error));
    }

    [Fact]
    public void A_run_finishes_exits_fails_and_is_cancelled_with_an_end_time()
    {
        var waiting = Run(cursor: 1, RunStatus.Waiting) with { WakeAt = Now.AddDays(1) };
        var trace = new ConditionTrace(true, [new LeafTrace("exitConditions.any[0]", "record.status", "eq", null, null, true)]);

        var finished = RunProgress.AfterFinish(Run(cursor: 4), Now);
        var exited = RunProgress.AfterExit(waiting, trace, Now);
        var failed = RunProgress.Fail(Run(cursor: 2), "Step 'renewal' (steps[2].delay.until): bad", Now);
        var cancelled = RunProgress.Cancel(waiting, Now, "Cancelled by admin.");

        Assert.Equal((RunStatus.Succeeded, Now), (finished.Status, finished.EndedAt));
        Assert.Equal((RunStatus.Exited, Now, (DateTimeOffset?)null, "An exit condition became true (exitConditions.any[0])."), (exited.Status, exited.EndedAt, exited.WakeAt, exited.Error));
        Assert.Equal((RunStatus.Failed, Now), (failed.Status, failed.EndedAt));
        Assert.Equal((RunStatus.Cancelled, Now, (DateTimeOffset?)null, "Cancelled by admin."), (cancelled.Status, cancelled.EndedAt, cancelled.WakeAt, cancelled.Error));
    }

    public static TheoryData<string, RunStatus> IllegalChanges() => new()
    {
        { "succeed", RunStatus.Succeeded },
        { "succeed", RunStatus.Failed },
        { "skip", RunStatus.Exited },
        { "skip", RunStatus.Failed },
        { "wait", RunStatus.Cancelled },
        { "fail", RunStatus.Succeeded },
        { "exit", RunStatus.Failed },
        { "finish", RunStatus.Waiting },
        { "finish", RunStatus.Skipped },
        { "cancel", RunStatus.Failed },
        { "cancel", RunStatus.Cancelled },
        { "retry", RunStatus.Running },
        { "retry", RunStatus.Succeeded },
    };

    [Theory]
    [MemberData(nameof(IllegalChanges))]
    public void A_change_the_status_does_not_allow_throws(string change, RunStatus status)
    {
        var run = Run(cursor: 1, status);
        var exit = new ConditionTrace(true, []);
        Action apply = change switch
        {
            "succeed" => () => RunProgress.AfterStepSucceeded(run, StepAt(1), Now, null),
            "skip" => () => RunProgress.AfterStepSkipped(run, Now),
            "wait" => () => RunProgress.AfterWaitScheduled(run, Now, Now),
            "fail" => () => RunProgress.Fail(run, "x", Now),
            "exit" => () => RunProgress.AfterExit(run, exit, Now),
            "finish" => () => RunProgress.AfterFinish(run, Now),
            "cancel" => () => RunProgress.Cancel(run, Now),
            _ => () => RunProgress.RetryFrom(run, fromStart: false, Now),
        };

        Assert.Throws<InvalidOperationException>(apply);
    }

    [Theory]
    [InlineData(RunStatus.Cancelled, true)]
    [InlineData(RunStatus.Failed, true)]
    [InlineData(RunStatus.Failed, false)]
    [InlineData(RunStatus.Exited, false)]
    public void A_step_failure_in_an_ended_run_throws(RunStatus status, bool retryable)
    {
        var failure = new StepFailure("HTTP 503", retryable);

        Assert.Throws<InvalidOperationException>(() => RunProgress.AfterStepFailed(Run(status: status), StepAt(0), failure, Now));
    }

    [Fact]
    public void Retrying_a_failed_run_resumes_its_failed_step_with_fresh_attempts_and_no_second_delay()
    {
        var failed = Run(cursor: 1, RunStatus.Failed, cursorSince: Now.AddDays(-3)) with
        {
            Attempt = 3,
            StepsExecuted = 1,
            EndedAt = Now.AddDays(-1),
            Error = "boom",
            Outputs = Parse("""{ "welcome": null }"""),
        };

        var resumed = RunProgress.RetryFrom(failed, fromStart: false, Now);

        Assert.Equal(
            (RunStatus.Running, 1, 1, true, Now.AddDays(-3), (DateTimeOffset?)null, (string?)null, 1),
            (resumed.Status, resumed.Cursor, resumed.Attempt, resumed.DelayScheduled, resumed.CursorSince, resumed.EndedAt, resumed.Error, resumed.StepsExecuted));
        Assert.NotNull(resumed.Outputs);
        Assert.Equal(new RunStep(1, StepAt(1), 1), RunDecider.Decide(resumed, Nurture, Scope("{}", resumed), new Automation.Engine.Templates.TemplateRenderer(), Now));
    }

    [Fact]
    public void Each_retry_is_counted_so_its_attempts_get_keys_of_their_own()
    {
        var failed = Run(cursor: 1, RunStatus.Failed) with { Attempt = 3, Retries = 1 };

        Assert.Equal(2, RunProgress.RetryFrom(failed, fromStart: false, Now).Retries);
        Assert.Equal(2, RunProgress.RetryFrom(failed, fromStart: true, Now).Retries);
    }

    [Fact]
    public void Retrying_from_the_start_clears_progress_and_counts_delays_from_now()
    {
        var failed = Run(cursor: 2, RunStatus.Failed) with { Attempt = 3, StepsExecuted = 2, Outputs = Parse("""{ "welcome": null }"""), DelayScheduled = true };

        var resumed = RunProgress.RetryFrom(failed, fromStart: true, Now);

        Assert.Equal(
            (RunStatus.Running, 0, 1, false, Now, 0, false),
            (resumed.Status, resumed.Cursor, resumed.Attempt, resumed.DelayScheduled, resumed.CursorSince, resumed.StepsExecuted, resumed.Outputs.HasValue));
    }

    [Fact]
    public void An_enrollment_starts_a_running_run_at_the_first_step()
    {
        var evt = Event("record.created", "{}") with { Causation = new Causation("run-0", "wf-0", "update", 2) };

        var run = RunProgress.Start("run-9", Nurture, evt, new EnrollmentDecision(EnrollmentOutcome.Enroll, "ok"), Now);

        Assert.Equal(
            ("run-9", "wf-1", 3, "lead", "rec-1", RunStatus.Running, 0, 1, Now, "evt-1", Now, (DateTimeOffset?)null, 2),
            (run.RunId, run.WorkflowId, run.WorkflowVersion, run.Module, run.RecordId, run.Status, run.Cursor, run.Attempt, run.CursorSince, run.TriggerEventId, run.CreatedAt, run.EndedAt, run.CausationDepth));
    }

    [Fact]
    public void A_skipped_enrollment_starts_an_ended_run_that_keeps_the_reason()
    {
        var run = RunProgress.Start("run-9", Nurture, Event("record.created", "{}"), new EnrollmentDecision(EnrollmentOutcome.EnrollSkipped, "conditions false"), Now);

        Assert.Equal((RunStatus.Skipped, Now, "conditions false"), (run.Status, run.EndedAt, run.Error));
    }

    [Fact]
    public void An_ignored_event_starts_no_run()
    {
        Assert.Throws<InvalidOperationException>(() =>
            RunProgress.Start("run-9", Nurture, Event("record.created", "{}"), new EnrollmentDecision(EnrollmentOutcome.Ignore, "no"), Now));
    }
}
