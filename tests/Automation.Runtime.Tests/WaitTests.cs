using System.Globalization;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class WaitTests : RuntimeTest
{
    private AutomationStorage Storage => Host.Get<AutomationStorage>();

    [Fact]
    public async Task A_long_wait_is_a_durable_timer_never_due_before_the_wake_time_and_a_record_event_that_does_not_exit_writes_nothing()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Month", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "days": 30 }, "params": { "url": "{{{Receiver.Url("month")}}}" } } ],
          "exitConditions": { "field": "record.status", "op": "eq", "value": "customer" }
        }
        """);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-1", new { status = "new" }));
        var waiting = await Host.WaitForRunAsync("lead", "W-1", wf.Id!, r => r.Run.Status == RunStatus.Waiting);
        Assert.True(Keys.TryParseRunId(waiting.Run.RunId, out var partition));
        var history = Host.Get<TaskHubHistory>();
        var timer = await TimerAsync(history, waiting.Run.RunId, 1);
        var (row, _, _) = await RecordPartition.LoadRunAsync(Storage.Records, partition, waiting.Run.RunId, null, default);

        // An event about the record that does not make the run exit: the run looks, and waits on.
        await Host.SendAsync(Json.Event("record.updated", "lead", "W-1", new { status = "working" }));
        await Eventually.HoldsAsync(async () => (await history.GetAsync(waiting.Run.RunId))!.History.Count(e => e.EventType == "TaskCompleted") >= 2);
        var (after, _, _) = await RecordPartition.LoadRunAsync(Storage.Records, partition, waiting.Run.RunId, null, default);

        Assert.True(waiting.Run.WakeAt > DateTimeOffset.UtcNow.AddDays(29));
        // Long timers go in hops of at most a few days (the SDK's maximum timer interval), the last one due at the wake time.
        Assert.True(timer.FireAt > DateTimeOffset.UtcNow && timer.FireAt <= waiting.Run.WakeAt!.Value.AddSeconds(1), $"timer at {timer.FireAt:O}, wake at {waiting.Run.WakeAt:O}");
        Assert.Equal(row!.ETag, after!.ETag);
        Assert.Equal(RunStatus.Waiting, after.State.Status);
        Assert.Empty(Receiver.RequestsTo("month"));
    }

    [Fact]
    public async Task Run_now_skips_a_wait_and_the_run_says_who_asked()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Hurry", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "days": 2 }, "params": { "url": "{{{Receiver.Url("hurry")}}}" } } ]
        }
        """);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-2"));
        var waiting = await Host.WaitForRunAsync("lead", "W-2", wf.Id!, r => r.Run.Status == RunStatus.Waiting);

        var answer = await Host.Commands.RunNowAsync(waiting.Run.RunId, "ops@example.com");
        var run = await Host.WaitForEndAsync("lead", "W-2", wf.Id!);

        Assert.True(answer.Ok, answer.Message);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Single(Receiver.RequestsTo("hurry"));
        Assert.Contains(run.Notes, n => n.Message.Contains("skipped by ops@example.com", StringComparison.Ordinal));
        Assert.False((await Host.Commands.RunNowAsync(run.Run.RunId, "ops@example.com")).Ok);
    }

    [Fact]
    public async Task A_delayed_step_never_runs_before_its_wake_time()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Soon", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "soon", "action": "call_webhook", "delay": { "until": "{{ record.at }}" }, "params": { "url": "{{{Receiver.Url("soon")}}}" } } ]
        }
        """);
        var due = DateTimeOffset.UtcNow.AddSeconds(2.5);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-5", new { at = due.ToString("O", CultureInfo.InvariantCulture) }));
        var run = await Host.WaitForEndAsync("lead", "W-5", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.True(Assert.Single(Receiver.RequestsTo("soon")).At >= due);
        Assert.True(run.Steps[0].StartedAt >= due);
    }

    private static async Task<HistoryEventView> TimerAsync(TaskHubHistory history, string runId, int count)
    {
        HistoryEventView? timer = null;
        await Eventually.HoldsAsync(async () =>
        {
            var view = await history.GetAsync(runId);
            var timers = view?.History.Where(e => e.EventType == "TimerCreated").ToList() ?? [];
            timer = timers.Count >= count ? timers[count - 1] : null;
            return timer is not null;
        });
        return timer!;
    }

    [Fact]
    public async Task A_paused_workflow_holds_its_due_runs_and_they_resume_after_activation()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Hold", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "until": "{{ record.at }}" }, "params": { "url": "{{{Receiver.Url("hold")}}}" } } ]
        }
        """);
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-3", new { at = due.ToString("O", CultureInfo.InvariantCulture) }));
        await Host.WaitForRunAsync("lead", "W-3", wf.Id!, r => r.Run.Status == RunStatus.Waiting);
        await Host.Workflows.SetStatusAsync(wf.Id!, WorkflowStatus.Paused);

        var parked = await Host.WaitForRunAsync("lead", "W-3", wf.Id!, r => r.Run.Status == RunStatus.Waiting && r.Run.WakeAt > due);
        Assert.Empty(Receiver.RequestsTo("hold"));
        var activatedAt = DateTimeOffset.UtcNow;
        await Host.Workflows.SetStatusAsync(wf.Id!, WorkflowStatus.Active);
        var run = await Host.WaitForEndAsync("lead", "W-3", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.True(Assert.Single(Receiver.RequestsTo("hold")).At >= activatedAt);
        Assert.Equal(RunStatus.Waiting, parked.Run.Status);
    }

    [Fact]
    public async Task An_archived_workflow_cancels_its_runs_when_they_wake()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Archived", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "until": "{{ record.at }}" }, "params": { "url": "{{{Receiver.Url("archived")}}}" } } ]
        }
        """);
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        await Host.SendAsync(Json.Event("record.created", "lead", "W-4", new { at = due.ToString("O", CultureInfo.InvariantCulture) }));
        await Host.WaitForRunAsync("lead", "W-4", wf.Id!, r => r.Run.Status == RunStatus.Waiting);

        await Host.Workflows.ArchiveAsync(wf.Id!);
        var run = await Host.WaitForEndAsync("lead", "W-4", wf.Id!);

        Assert.Equal(RunStatus.Cancelled, run.Run.Status);
        Assert.Equal("The workflow was archived.", run.Run.Error);
        Assert.Empty(Receiver.RequestsTo("archived"));
    }
}
