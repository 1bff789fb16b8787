using System.Globalization;
using Automation.Engine.Runs;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class RetryTests : RuntimeTest
{
    private Task<Engine.Model.Workflow> TwoStepsAsync(string name, string retry = """{ "maxAttempts": 3, "initialIntervalSeconds": 1 }""") =>
        Host.ActiveWorkflowAsync($$$"""
        {
          "name": "{{{name}}}", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [
            { "id": "a", "action": "call_webhook", "params": { "url": "{{{Receiver.Url(name + "/a")}}}" }, "retry": {{{retry}}} },
            { "id": "b", "action": "call_webhook", "params": { "url": "{{{Receiver.Url(name + "/b")}}}" }, "retry": {{{retry}}} }
          ]
        }
        """);

    /// <summary>A run of a one-step workflow (the step an hour away, at <c>{name}/later</c>), waiting.</summary>
    private async Task<(Engine.Model.Workflow Workflow, RunDetails Run)> WaitingAnHourAsync(string name, string recordId)
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "{{{name}}}", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "later", "action": "call_webhook", "delay": { "hours": 1 }, "params": { "url": "{{{Receiver.Url(name + "/later")}}}" } } ]
        }
        """);
        await Host.SendAsync(Json.Event("record.created", "lead", recordId));
        return (wf, await Host.WaitForRunAsync("lead", recordId, wf.Id!, r => r.Run.Status == RunStatus.Waiting));
    }

    [Fact]
    public async Task A_500_is_retried_and_the_run_succeeds_when_the_receiver_recovers()
    {
        var wf = await TwoStepsAsync("flaky");
        Receiver.Respond("flaky/a", new Reply(500, """{"error":"down"}"""));

        await Host.SendAsync(Json.Event("record.created", "lead", "R-1"));
        var run = await Host.WaitForEndAsync("lead", "R-1", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(2, Receiver.RequestsTo("flaky/a").Count);
        Assert.Single(Receiver.RequestsTo("flaky/b"));
        Assert.Equal(
            [("a", 1, StepStatus.Retrying), ("a", 2, StepStatus.Succeeded), ("b", 1, StepStatus.Succeeded)],
            run.Steps.Select(s => (s.StepId, s.Attempt, s.Status)));
        Assert.Contains("answered 500", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.True(run.Steps[1].StartedAt >= run.Steps[0].EndedAt.AddSeconds(1), "the retry waited the policy's backoff");
        var keys = Receiver.RequestsTo("flaky/a").Select(r => r.Header("Idempotency-Key") ?? "").ToArray();
        Assert.Equal([$"{run.Run.RunId}:a:1", $"{run.Run.RunId}:a:2"], keys);
    }

    [Fact]
    public async Task A_400_fails_the_run_at_once_with_the_error()
    {
        var wf = await TwoStepsAsync("bad");
        Receiver.Respond("bad/a", new Reply(400, """{"error":"invalid"}"""));

        await Host.SendAsync(Json.Event("record.created", "lead", "R-2"));
        var run = await Host.WaitForEndAsync("lead", "R-2", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Single(Receiver.RequestsTo("bad/a"));
        Assert.Empty(Receiver.RequestsTo("bad/b"));
        var step = Assert.Single(run.Steps);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal(400, step.Output!.Value.GetProperty("status").GetInt32());
        Assert.Contains("answered 400", run.Run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_is_retried_no_sooner_than_its_Retry_After()
    {
        var wf = await TwoStepsAsync("busy", """{ "maxAttempts": 2, "initialIntervalSeconds": 0.1 }""");
        Receiver.Respond("busy/a", new Reply(429, null, new Dictionary<string, string> { ["Retry-After"] = "2" }));

        await Host.SendAsync(Json.Event("record.created", "lead", "R-3"));
        var run = await Host.WaitForEndAsync("lead", "R-3", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var calls = Receiver.RequestsTo("busy/a");
        Assert.Equal(2, calls.Count);
        Assert.True(calls[1].At >= calls[0].At.AddSeconds(2), $"first {calls[0].At:O}, second {calls[1].At:O}");
        Assert.Equal(StepStatus.Retrying, run.Steps[0].Status);
    }

    [Fact]
    public async Task The_last_retryable_failure_fails_the_run()
    {
        var wf = await TwoStepsAsync("down", """{ "maxAttempts": 2, "initialIntervalSeconds": 0.1 }""");
        Receiver.Respond("down/a", new Reply(503), new Reply(503));

        await Host.SendAsync(Json.Event("record.created", "lead", "R-4"));
        var run = await Host.WaitForEndAsync("lead", "R-4", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Failed], run.Steps.Select(s => s.Status));
        Assert.Contains("after 2 attempt(s)", run.Run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_run_retried_from_its_failed_step_does_not_repeat_the_steps_before()
    {
        var wf = await TwoStepsAsync("resume");
        Receiver.Respond("resume/b", new Reply(404));
        await Host.SendAsync(Json.Event("record.created", "lead", "R-5"));
        var failed = await Host.WaitForEndAsync("lead", "R-5", wf.Id!);
        Assert.Equal(RunStatus.Failed, failed.Run.Status);

        var retried = await Host.Commands.RetryAsync(failed.Run.RunId);
        Assert.True(CommandOutcome.Ok == retried.Outcome, retried.Message);
        var run = await Host.WaitForRunAsync("lead", "R-5", wf.Id!, r => r.Run.Status == RunStatus.Succeeded);

        Assert.Single(Receiver.RequestsTo("resume/a"));
        Assert.Equal(2, Receiver.RequestsTo("resume/b").Count);
        Assert.Equal(["a", "b", "b"], run.Steps.Select(s => s.StepId));
    }

    [Fact]
    public async Task A_failed_run_retried_from_the_start_runs_every_step_again()
    {
        var wf = await TwoStepsAsync("again");
        Receiver.Respond("again/b", new Reply(404));
        await Host.SendAsync(Json.Event("record.created", "lead", "R-6"));
        var failed = await Host.WaitForEndAsync("lead", "R-6", wf.Id!);

        await Host.Commands.RetryAsync(failed.Run.RunId, fromStart: true);
        var run = await Host.WaitForRunAsync("lead", "R-6", wf.Id!, r => r.Run.Status == RunStatus.Succeeded);

        Assert.Equal(2, Receiver.RequestsTo("again/a").Count);
        Assert.Equal(2, Receiver.RequestsTo("again/b").Count);
        Assert.Equal(["a", "b", "a", "b"], run.Steps.Select(s => s.StepId));
    }

    [Fact]
    public async Task Only_a_failed_run_can_be_retried_and_an_unknown_one_is_not_found()
    {
        var wf = await TwoStepsAsync("fine");
        await Host.SendAsync(Json.Event("record.created", "lead", "R-7"));
        var run = await Host.WaitForEndAsync("lead", "R-7", wf.Id!);

        var retry = await Host.Commands.RetryAsync(run.Run.RunId);
        var unknown = await Host.Commands.RetryAsync("0123456789abcdef0123-0123456789ab");

        Assert.Equal(CommandOutcome.Conflict, retry.Outcome);
        Assert.Equal("The run is succeeded; only failed runs can be retried.", retry.Message);
        Assert.Equal(CommandOutcome.NotFound, unknown.Outcome);
    }

    [Fact]
    public async Task A_waiting_run_can_be_cancelled_once_and_its_wake_up_does_nothing()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Cancel me", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [
            { "id": "later", "action": "call_webhook", "delay": { "until": "{{ record.at }}" }, "params": { "url": "{{{Receiver.Url("cancel/later")}}}" } }
          ]
        }
        """);
        var due = DateTimeOffset.UtcNow.AddSeconds(2);
        await Host.SendAsync(Json.Event("record.created", "lead", "R-8", new { at = due.ToString("O", CultureInfo.InvariantCulture) }));
        var waiting = await Host.WaitForRunAsync("lead", "R-8", wf.Id!, r => r.Run.Status == RunStatus.Waiting);

        var cancelled = await Host.Commands.CancelAsync(waiting.Run.RunId);
        var again = await Host.Commands.CancelAsync(waiting.Run.RunId);
        var orchestration = await Host.Durable.Client.WaitForInstanceCompletionAsync(waiting.Run.RunId);
        await Task.Delay(due.AddSeconds(2) - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        var run = await Host.Runs.GetAsync(waiting.Run.RunId);

        Assert.Equal(CommandOutcome.Ok, cancelled.Outcome);
        Assert.Equal(CommandOutcome.Conflict, again.Outcome);
        Assert.Equal(RunStatus.Cancelled, run!.Run.Status);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, orchestration.RuntimeStatus);
        Assert.Empty(run.Steps);
        Assert.Empty(Receiver.RequestsTo("cancel/later"));
    }

    [Fact]
    public async Task Starting_a_run_whose_orchestration_still_runs_is_refused_and_changes_nothing()
    {
        // A retry made while the failed execution was still completing used to be taken for started and never ran.
        var (_, waiting) = await WaitingAnHourAsync("still", "R-10");
        var before = await Host.Durable.Client.GetInstanceAsync(waiting.Run.RunId, getInputsAndOutputs: true);

        var started = await Host.Get<RunOrchestrations>().StartAsync(
            waiting.Run.RunId, waiting.Run.TriggerEventId, new RetryRequest(FromStart: true, "a test"));

        var after = await Host.Durable.Client.GetInstanceAsync(waiting.Run.RunId, getInputsAndOutputs: true);
        Assert.False(started);
        Assert.Equal(OrchestrationRuntimeStatus.Running, after!.RuntimeStatus);
        Assert.Equal(before!.SerializedInput, after.SerializedInput);
        Assert.Null(after.ReadInputAs<RunInput>()!.Retry);
    }

    [Fact]
    public async Task A_cancel_that_died_after_writing_the_run_is_finished_by_the_next_one()
    {
        var (wf, waiting) = await WaitingAnHourAsync("half", "R-9");
        await WaitForIndexAsync(wf.Id!, RunStatus.Waiting);

        // What a cancel leaves when its host dies right after its first write: the run says cancelled, nothing else knows.
        Assert.True(Keys.TryParseRunId(waiting.Run.RunId, out var partition));
        var records = Host.Get<AutomationStorage>().Records;
        var row = RunRow.From((await records.GetEntityAsync<TableEntity>(partition, Keys.RunRow(waiting.Run.RunId))).Value);
        var cancelled = row with { State = RunProgress.Cancel(row.State, DateTimeOffset.UtcNow, "Cancelled by an admin.") };
        await records.UpdateEntityAsync(cancelled.ToEntity(partition), row.ETag, TableUpdateMode.Replace);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Host.Durable.Client.GetInstanceAsync(waiting.Run.RunId))!.RuntimeStatus);

        var again = await Host.Commands.CancelAsync(waiting.Run.RunId);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var orchestration = await Host.Durable.Client.WaitForInstanceCompletionAsync(waiting.Run.RunId, patience.Token);

        Assert.Equal(CommandOutcome.Conflict, again.Outcome);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, orchestration.RuntimeStatus);
        Assert.Equal(RunStatus.Cancelled, (await Host.Runs.ListForWorkflowAsync(wf.Id!)).Items.Single().Status);
        var stats = await Host.Runs.StatsAsync(wf.Id!);
        Assert.Equal(1, stats.ByStatus[RunStatus.Cancelled]);
        Assert.Equal(0, stats.ByStatus.GetValueOrDefault(RunStatus.Waiting));
        Assert.Empty(Receiver.RequestsTo("half/later"));
    }

    private async Task WaitForIndexAsync(string workflowId, RunStatus status)
    {
        for (var i = 0; i < 100 && (await Host.Runs.ListForWorkflowAsync(workflowId)).Items.SingleOrDefault()?.Status != status; i++)
        {
            await Task.Delay(100);
        }
    }
}
