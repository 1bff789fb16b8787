using Automation.Engine.Model;
using Automation.Engine.Schedules;
using Automation.Runtime.Scheduling;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests.Scheduling;

/// <summary>Date-relative triggers on storage: wake-ups queued when a date is stored, firing once per date value, back-fill.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DateTriggerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 12, 0, 0, TimeSpan.Zero);

    private SchedulingHost host = null!;

    public async Task InitializeAsync() => host = await SchedulingHost.StartAsync(Start);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<Workflow> OverdueAsync() => host.ActiveWorkflowAsync("""
        {
          "name": "Invoice overdue", "module": "invoice",
          "trigger": { "type": "date.reached", "field": "dueDate", "offset": "+1d" },
          "conditions": { "field": "record.paid", "op": "neq", "value": true },
          "enrollment": "every_time",
          "steps": []
        }
        """);

    private static string Iso(DateTimeOffset at) => DateTrigger.ValueKey(at);

    private async Task UpsertAsync(string id, object fields, string type = "record.updated")
    {
        await host.SendAsync(Json.Event(type, "invoice", id, fields) with { OccurredAt = host.Clock.GetUtcNow() });
        await host.DrainEventsAsync();
    }

    /// <summary>The one wake-up scheduled so far.</summary>
    private DateWakeMessage ScheduledWake() => Assert.Single(host.Get<DateWakeRecorder>().Wakes.Values);

    /// <summary>What the wake-up orchestration's activity does when its timer fires.</summary>
    private Task WakeAsync(DateWakeMessage wake) => host.Get<DateTriggers>().WakeAsync(wake, default);

    private async Task<int> RunsAsync(string id) => (await host.Runs.ListForRecordAsync("invoice", id)).Count;

    [Fact]
    public async Task A_stored_date_queues_a_wake_up_that_fires_once_per_date_value_and_again_when_the_date_moves()
    {
        var wf = await OverdueAsync();

        // Due a day after dueDate; the instant is two seconds away, so the queued wake-up becomes visible soon.
        var due = Start.AddSeconds(2);
        await UpsertAsync("INV-1", new { dueDate = Iso(due.AddDays(-1)), paid = false }, "record.created");
        var wake = ScheduledWake();

        Assert.Equal((wf.Id, "INV-1", due), (wake.WorkflowId, wake.RecordId, wake.DueAt));
        Assert.Equal(0, await host.QueuedEventsAsync());

        host.Clock.Set(due.AddSeconds(1));
        await WakeAsync(wake);
        await host.DrainEventsAsync();
        await WakeAsync(wake);
        await host.DrainEventsAsync();

        Assert.Equal(1, await RunsAsync("INV-1"));

        // The due date moves into the past: its instant has come, so it fires at once; the old wake-up is stale.
        await UpsertAsync("INV-1", new { dueDate = "2026-03-20", paid = false });
        await WakeAsync(wake);
        await host.DrainEventsAsync();

        var runs = await host.WaitForRunsAsync("invoice", "INV-1", 2);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal(wf.Id, r.WorkflowId));
        Assert.All(runs, r => Assert.Equal(Engine.Runs.RunStatus.Succeeded, r.Status));
    }

    [Fact]
    public async Task A_date_set_by_a_workflows_record_action_queues_a_wake_up_that_carries_its_causation()
    {
        var followUp = await host.ActiveWorkflowAsync("""
            { "name": "Follow up", "module": "deal", "trigger": { "type": "date.reached", "field": "followUpAt" }, "enrollment": "every_time", "steps": [] }
            """);
        var setter = await host.ActiveWorkflowAsync("""
            { "name": "Plan follow-up", "module": "deal", "trigger": { "type": "record.created" },
              "steps": [ { "id": "plan", "action": "update_field", "params": { "fields": { "followUpAt": "2026-05-01T09:00:00Z" } } } ] }
            """);
        await host.SendAsync(Json.Event("record.created", "deal", "D-1", new { name = "Big" }) with { OccurredAt = Start });

        // The created event runs the setter (its orchestration runs on real time); its change is stored, then its
        // record.updated is queued and processed.
        await host.DrainEventsAsync();
        await host.WaitForRunsAsync("deal", "D-1", 1);
        await host.DrainEventsAsync();

        Assert.Equal(1, host.ScheduledWakes);
        var value = new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
        host.Clock.Set(value.AddMinutes(1));
        var run = Assert.Single(await host.Runs.ListForRecordAsync("deal", "D-1"));
        var wake = ScheduledWake();
        Assert.Equal(new Causation(run.RunId, setter.Id!, "plan", 1), wake.Causation);
        await WakeAsync(wake);
        await host.DrainEventsAsync();

        var runs = await host.Runs.ListForRecordAsync("deal", "D-1");
        Assert.Contains(runs, r => r.WorkflowId == followUp.Id);
    }

    [Fact]
    public async Task An_update_that_keeps_the_date_queues_nothing()
    {
        await OverdueAsync();
        await UpsertAsync("INV-2", new { dueDate = "2026-05-01", paid = false }, "record.created");
        var scheduled = host.ScheduledWakes;

        await UpsertAsync("INV-2", new { dueDate = "2026-05-01", paid = false, note = "reminded" });

        Assert.Equal(1, scheduled);
        Assert.Equal(scheduled, host.ScheduledWakes);
    }

    [Fact]
    public async Task The_conditions_decide_when_the_date_is_reached_a_paid_invoice_leaves_a_skipped_run()
    {
        await OverdueAsync();
        await UpsertAsync("INV-3", new { dueDate = "2026-03-01", paid = true }, "record.created");

        var run = Assert.Single(await host.Runs.ListForRecordAsync("invoice", "INV-3"));
        Assert.Equal(Engine.Runs.RunStatus.Skipped, run.Status);
    }

    [Fact]
    public async Task A_wake_up_whose_offset_moved_later_schedules_a_new_one_and_fires_nothing()
    {
        var wf = await OverdueAsync();
        await UpsertAsync("INV-4", new { dueDate = "2026-04-01T11:00:00Z", paid = false }, "record.created");
        var value = new DateTimeOffset(2026, 4, 1, 11, 0, 0, TimeSpan.Zero);

        // Scheduled when the offset was +1h; the workflow now says +1d, and no wake-up for +1d exists yet.
        host.Get<DateWakeRecorder>().Forget();
        await WakeAsync(new DateWakeMessage(DateWakeMessage.DateKind, wf.Id!, "invoice", "INV-4", Iso(value), value.AddHours(1)));

        Assert.Equal(value.AddDays(1), ScheduledWake().DueAt);
        Assert.Equal(0, await host.QueuedEventsAsync());
        Assert.Equal(0, await RunsAsync("INV-4"));
    }

    [Fact]
    public async Task A_wake_up_for_a_paused_workflow_is_dropped_and_one_for_an_active_workflow_fires()
    {
        var wf = await OverdueAsync();
        await UpsertAsync("INV-5", new { dueDate = "2026-05-01", paid = false }, "record.created");
        await UpsertAsync("INV-6", new { dueDate = "2026-05-01", paid = false }, "record.created");
        var value = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        host.Clock.Set(value.AddDays(1).AddMinutes(1));
        DateWakeMessage Wake(string id) => new(DateWakeMessage.DateKind, wf.Id!, "invoice", id, Iso(value), value.AddDays(1));

        await WakeAsync(Wake("INV-6"));
        var whileActive = await host.QueuedEventsAsync();
        await host.Get<Workflows.WorkflowStore>().SetStatusAsync(wf.Id!, WorkflowStatus.Paused);
        await WakeAsync(Wake("INV-5"));

        Assert.Equal(1, whileActive);
        Assert.Equal(1, await host.QueuedEventsAsync());
    }

    [Fact]
    public async Task Activation_back_fills_future_dates_and_fires_only_those_reached_since()
    {
        await UpsertAsync("INV-FUTURE", new { dueDate = "2026-04-20", paid = false }, "record.created");
        await UpsertAsync("INV-OLD", new { dueDate = "2026-01-10", paid = false }, "record.created");
        await UpsertAsync("INV-SOON", new { dueDate = Iso(Start.AddMinutes(10).AddDays(-1)), paid = false }, "record.created");
        await UpsertAsync("INV-NODATE", new { paid = false }, "record.created");
        var wf = await OverdueAsync();

        // Not before every instance's catalog has seen the activation.
        var tooEarly = await host.TickAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(20));
        var backfill = await host.TickAsync();
        var again = await host.TickAsync();
        await host.DrainEventsAsync();

        Assert.Equal((0, 1, 0), (tooEarly.Backfills, backfill.Backfills, again.Backfills));
        Assert.Equal(1, host.ScheduledWakes);
        Assert.Equal(1, await RunsAsync("INV-SOON"));
        Assert.Equal(0, await RunsAsync("INV-OLD"));
        Assert.Equal(0, await RunsAsync("INV-FUTURE"));
        Assert.Equal($"v1@{wf.UpdatedAt!.Value.UtcTicks}", (await host.Get<ScheduleStore>().GetAsync(wf.Id!, default))!.Done);
    }
}
