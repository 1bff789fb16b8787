using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class RunFlowTests : RuntimeTest
{
    [Fact]
    public async Task An_event_runs_every_webhook_step_in_order_and_each_is_called_once()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Three calls", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [
            { "id": "one", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("one")}}}", "body": { "email": "{{ record.email }}" } } },
            { "id": "two", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("two")}}}", "body": { "first": "{{ run.steps.one.status }}" } } },
            { "id": "three", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("three")}}}" } }
          ]
        }
        """);

        var result = await Host.SendAsync(Json.Event("record.created", "lead", "L-1", new { email = "ann@example.com" }));
        var run = await Host.WaitForEndAsync("lead", "L-1", wf.Id!);

        Assert.Single(result.Accepted);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(["/one", "/two", "/three"], Receiver.Requests.Select(r => r.Path));
        Assert.Contains("ann@example.com", Receiver.RequestsTo("one")[0].Body, StringComparison.Ordinal);
        Assert.Contains("\"first\":\"200\"", Receiver.RequestsTo("two")[0].Body, StringComparison.Ordinal);
        Assert.Equal(["one", "two", "three"], run.Steps.Select(s => s.StepId));
        Assert.All(run.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        Assert.Equal($"{run.Run.RunId}:one:1", Receiver.RequestsTo("one")[0].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task A_matched_trigger_whose_conditions_fail_leaves_a_skipped_run_with_the_trace()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Big deals", "module": "lead", "trigger": { "type": "record.created" },
          "conditions": { "all": [ { "field": "record.amount", "op": "gt", "value": 50000 } ] },
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("big")}}}" } } ]
        }
        """);

        await Host.SendAsync(Json.Event("record.created", "lead", "L-2", new { amount = 100 }));
        var run = await Host.WaitForEndAsync("lead", "L-2", wf.Id!);

        Assert.Equal(RunStatus.Skipped, run.Run.Status);
        var leaf = Assert.Single(run.Conditions!.Leaves);
        Assert.Equal("record.amount", leaf.Field);
        Assert.False(leaf.Result);
        Assert.Equal(100, leaf.Actual!.Value.GetInt32());
        Assert.Empty(run.Steps);
        Assert.Empty(Receiver.Requests);
    }

    [Fact]
    public async Task A_delayed_step_never_runs_before_its_time()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Wait a little", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [
            { "id": "first", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("first")}}}" } },
            { "id": "later", "action": "call_webhook", "delay": { "until": "{{ record.followUpAt }}" }, "params": { "url": "{{{Receiver.Url("later")}}}" } }
          ]
        }
        """);
        var due = DateTimeOffset.UtcNow.AddSeconds(2);

        await Host.SendAsync(Json.Event("record.created", "lead", "L-3", new { followUpAt = due.ToString("O") }));
        var waiting = await Host.WaitForRunAsync("lead", "L-3", wf.Id!, r => r.Run.Status == RunStatus.Waiting);
        var run = await Host.WaitForEndAsync("lead", "L-3", wf.Id!);

        Assert.Equal(due, waiting.Run.WakeAt);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var later = Assert.Single(Receiver.RequestsTo("later"));
        Assert.True(later.At >= due, $"called at {later.At:O}, due {due:O}");
        Assert.True(run.Steps[1].StartedAt >= due);
    }

    [Fact]
    public async Task An_event_that_makes_an_exit_condition_true_ends_a_waiting_run_at_once()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Nurture until customer", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [
            { "id": "hello", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("hello")}}}" } },
            { "id": "nudge", "action": "call_webhook", "delay": { "days": 3 }, "params": { "url": "{{{Receiver.Url("nudge")}}}" } }
          ],
          "exitConditions": { "any": [ { "field": "record.status", "op": "eq", "value": "customer" } ] }
        }
        """);

        await Host.SendAsync(Json.Event("record.created", "lead", "L-4", new { status = "new" }));
        await Host.WaitForRunAsync("lead", "L-4", wf.Id!, r => r.Run.Status == RunStatus.Waiting);
        await Host.SendAsync(Json.Event("record.updated", "lead", "L-4", new { status = "customer" }));
        var run = await Host.WaitForEndAsync("lead", "L-4", wf.Id!);

        Assert.Equal(RunStatus.Exited, run.Run.Status);
        Assert.True(run.Exit!.Result);
        Assert.Contains(run.Exit.Leaves, l => l.Result && l.Field == "record.status");
        Assert.Single(Receiver.RequestsTo("hello"));
        Assert.Empty(Receiver.RequestsTo("nudge"));
    }

    [Fact]
    public async Task A_paused_workflow_enrolls_no_one_and_an_active_one_does()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Pausable", "module": "contact", "trigger": { "type": "record.created" },
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("p")}}}" } } ]
        }
        """);
        await Host.Workflows.SetStatusAsync(wf.Id!, WorkflowStatus.Paused);

        await Host.SendAsync(Json.Event("record.created", "contact", "C-1", new { name = "paused" }));
        await Host.SendAsync(Json.Event("record.created", "contact", "C-marker", new { name = "x" }));
        await Eventually.HoldsAsync(async () => await Host.Get<Records.RecordStore>().GetAsync("contact", "C-marker") is not null);

        Assert.Empty(await Host.Runs.ListForRecordAsync("contact", "C-1"));

        await Host.Workflows.SetStatusAsync(wf.Id!, WorkflowStatus.Active);
        await Host.SendAsync(Json.Event("record.created", "contact", "C-2", new { name = "active" }));
        var run = await Host.WaitForEndAsync("contact", "C-2", wf.Id!);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
    }

    [Fact]
    public async Task A_step_whose_action_has_no_handler_fails_the_run_with_a_clear_final_error()
    {
        // Every action has a handler now: this host leaves send_email's out.
        await using var withoutEmail = await RuntimeHost.StartAsync(services: s => s.AddSingleton(sp =>
            new Actions.ActionHandlers(
                sp.GetServices<Actions.IActionHandler>().Where(h => h.Type != "send_email"), sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>(),
                sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<OutboundOptions>>())));
        var wf = await withoutEmail.ActiveWorkflowAsync("""
        {
          "name": "Email", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "welcome", "action": "send_email", "params": { "to": "a@example.com", "subject": "Hi", "body": "Hello" } } ]
        }
        """);

        await withoutEmail.SendAsync(Json.Event("record.created", "lead", "L-5", new { email = "a@example.com" }));
        var run = await withoutEmail.WaitForEndAsync("lead", "L-5", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        var step = Assert.Single(run.Steps);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal("Action 'send_email' is not available yet.", step.Error);
        Assert.Contains("Action 'send_email' is not available yet.", run.Run.Error, StringComparison.Ordinal);
    }
}
