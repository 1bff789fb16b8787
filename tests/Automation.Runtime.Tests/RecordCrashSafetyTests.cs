using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Actions;
using Automation.Runtime.Documents;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

/// <summary>
/// A step may run again with the same idempotency key (a crash between the action and its checkpoint, invariant 2).
/// Record actions then change nothing twice: the handlers are called twice with the same context, as the runner would.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordCrashSafetyTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver crm = null!;

    public async Task InitializeAsync()
    {
        crm = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync(pollers: false, settings: new Dictionary<string, string?>
        {
            ["Automation:Crm:WriteBackUrl"] = crm.Url("changes"),
        });
    }

    public async Task DisposeAsync()
    {
        await host.Get<AutomationStorage>().Documents.DeleteIfExistsAsync();
        await host.DisposeAsync();
        await crm.DisposeAsync();
    }

    private static ActionContext Context(string module, string recordId, string action, string parameters, object record, string workflowId = "wf-caller")
    {
        var partition = Keys.RecordPartition(module, recordId);
        var now = DateTimeOffset.UtcNow;
        var run = new RunState
        {
            RunId = Keys.RunId(partition, "trigger-1", workflowId),
            WorkflowId = workflowId,
            WorkflowVersion = 1,
            Module = module,
            RecordId = recordId,
            TriggerEventId = "trigger-1",
            CreatedAt = now,
        };
        var step = new Step { Id = "the-step", Action = action, Params = Json.Element(parameters) };
        return new ActionContext
        {
            Run = run,
            Step = step,
            StepIndex = 0,
            Attempt = 1,
            Params = Json.Element(parameters),
            Scope = new EvaluationScope { Record = Json.Of(record), Now = now },
            IdempotencyKey = ActionContext.KeyFor(run.RunId, step.Id, 1),
            Now = now,
        };
    }

    private async Task<(ActionResult First, ActionResult Again)> TwiceAsync(ActionContext context)
    {
        Assert.True(host.Get<ActionHandlers>().TryGet(context.Step.Action, out var handler));
        var first = await handler.ExecuteAsync(context, CancellationToken.None);
        var again = await handler.ExecuteAsync(context, CancellationToken.None);
        Assert.True(first.Succeeded, first.Failure?.Message);
        Assert.True(again.Succeeded, again.Failure?.Message);
        return (first, again);
    }

    /// <summary>Processes queued events by hand until none is left and no run's orchestration is still going.</summary>
    private async Task DrainAsync()
    {
        while (await host.Workers.Events.PollOnceAsync() > 0 | await host.OrchestrationsBusyAsync())
        {
            await Task.Delay(100);
        }
    }

    private async Task RecordExistsAsync(string module, string recordId, object fields)
    {
        await host.SendAsync(Json.Event("record.created", module, recordId, fields));
        await DrainAsync();
    }

    [Fact]
    public async Task A_repeated_field_change_is_not_applied_again_even_after_the_field_changed_meanwhile()
    {
        await RecordExistsAsync("contact", "C-1", new { qualified = "No" });
        var context = Context("contact", "C-1", "update_field", """{ "fields": { "qualified": "Yes" } }""", new { qualified = "No" });

        Assert.True(host.Get<ActionHandlers>().TryGet("update_field", out var handler));
        var first = await handler.ExecuteAsync(context, CancellationToken.None);
        await DrainAsync();
        await host.SendAsync(Json.Event("record.updated", "contact", "C-1", new { qualified = "Maybe" }));
        await DrainAsync();
        var again = await handler.ExecuteAsync(context, CancellationToken.None);

        Assert.Equal("Maybe", (await host.SnapshotAsync("contact", "C-1"))!.Text("qualified"));
        Assert.Equal(first.Output.Text("eventId"), again.Output.Text("eventId"));
        Assert.Equal("true", again.Output.Text("repeated"));
        Assert.Equal("No", again.Output.Text("before.qualified"));
        Assert.Equal("Yes", again.Output.Text("after.qualified"));
        Assert.Single(await host.EventsAsync("contact", "C-1"), e => e.Event.Causation is not null);
        Assert.Single(crm.RequestsTo("changes"));
    }

    [Fact]
    public async Task A_repeat_queues_the_caused_event_again_when_the_first_attempt_died_before_queueing_it()
    {
        await RecordExistsAsync("contact", "C-2", new { status = "lead" });
        var context = Context("contact", "C-2", "change_status", """{ "status": "customer" }""", new { status = "lead" });
        Assert.True(host.Get<ActionHandlers>().TryGet("change_status", out var handler));
        var storage = host.Get<AutomationStorage>();

        var first = await handler.ExecuteAsync(context, CancellationToken.None);
        await storage.Events.ClearMessagesAsync();
        var pending = await host.EventAsync("contact", "C-2", first.Output.Text("eventId")!);
        await handler.ExecuteAsync(context, CancellationToken.None);
        await DrainAsync();

        Assert.False(pending!.Applied);
        Assert.True((await host.EventAsync("contact", "C-2", first.Output.Text("eventId")!))!.Applied);
    }

    [Fact]
    public async Task A_repeated_create_makes_one_task()
    {
        await RecordExistsAsync("lead", "L-1", new { name = "Ann" });
        var context = Context("lead", "L-1", "create_task", """{ "title": "Call Ann" }""", new { name = "Ann" });

        var (first, again) = await TwiceAsync(context);

        var taskId = first.Output.Text("recordId")!;
        Assert.Equal(taskId, again.Output.Text("recordId"));
        Assert.Equal("Call Ann", again.Output.Text("fields.title"));
        Assert.Single(await host.EventsAsync("task", taskId));
        Assert.Single(crm.RequestsTo("changes"));
    }

    [Fact]
    public async Task A_repeated_attachment_stores_one_document()
    {
        await RecordExistsAsync("deal", "D-1", new { name = "Acme" });
        var context = Context("deal", "D-1", "attach_document", """{ "name": "a.txt", "template": "Hello" }""", new { name = "Acme" });

        var (first, again) = await TwiceAsync(context);

        Assert.Equal(first.Output.Text("document.id"), again.Output.Text("document.id"));
        Assert.Single(await host.Get<DocumentStore>().ListAsync("deal", "D-1"));
        Assert.Single(await host.EventsAsync("deal", "D-1"), e => e.Event.Causation is not null);
    }

    [Fact]
    public async Task A_repeated_enrollment_starts_one_run()
    {
        var target = await host.ActiveWorkflowAsync("""
            { "name": "Target", "module": "lead", "trigger": { "type": "record.deleted" }, "enrollment": "every_time",
              "steps": [ { "id": "x", "action": "update_field", "params": { "fields": { "x": 1 } } } ] }
            """);
        await RecordExistsAsync("lead", "L-2", new { name = "Bo" });
        var context = Context("lead", "L-2", "start_workflow", $$"""{ "workflowId": "{{target.Id}}" }""", new { name = "Bo" });

        var (first, again) = await TwiceAsync(context);
        await DrainAsync();

        Assert.Equal(first.Output.Text("runId"), again.Output.Text("runId"));
        var run = Assert.Single(await host.Runs.ListForRecordAsync("lead", "L-2"));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(first.Output.Text("runId"), run.RunId);
    }
}
