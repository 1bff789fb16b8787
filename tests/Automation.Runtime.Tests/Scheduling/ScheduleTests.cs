using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Schedules;
using Automation.Runtime.Records;
using Automation.Runtime.Scheduling;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Azure.Data.Tables;

namespace Automation.Runtime.Tests.Scheduling;

/// <summary>Schedule triggers on storage with a manual clock: each occurrence once, catch-up after downtime, paging over records.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScheduleTests : IAsyncLifetime
{
    /// <summary>Monday 9 March 2026, 07:55 UTC: workflows are saved five minutes before the first 09:00 in Paris.</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 9, 7, 55, 0, TimeSpan.Zero);

    private SchedulingHost host = null!;

    public async Task InitializeAsync() => host = await SchedulingHost.StartAsync(Start);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<Workflow> DailyAsync(string catchUp = "skip", string module = "account", string extra = "") =>
        host.ActiveWorkflowAsync($$"""
        {
          "name": "Daily", "module": "{{module}}",
          "trigger": { "type": "schedule", "cron": "0 9 * * *", "timeZone": "Europe/Paris", "catchUp": "{{catchUp}}" {{extra}} },
          "steps": []
        }
        """);

    /// <summary>The schedule.fired events intake recorded, read back from the events queue.</summary>
    private async Task<List<CrmEvent>> QueuedScheduleEventsAsync()
    {
        var events = new List<CrmEvent>();
        foreach (var message in (await host.Storage.Events.PeekMessagesAsync(32)).Value)
        {
            var pointer = JsonSerializer.Deserialize<Processing.EventMessage>(message.MessageText, Engine.Json.EngineJson.Options)!;
            var row = await host.Storage.Records.GetEntityAsync<TableEntity>(Keys.RecordPartition(pointer.Module, pointer.RecordId), Keys.EventRow(pointer.EventId));
            events.Add(EventRow.From(row.Value).Event);
        }

        return events;
    }

    [Fact]
    public async Task A_due_occurrence_fires_once_and_its_run_is_created()
    {
        var wf = await DailyAsync();
        host.Clock.Set(new DateTimeOffset(2026, 3, 9, 8, 0, 10, TimeSpan.Zero)); // 09:00:10 in Paris

        var first = await host.TickAsync();
        var second = await host.TickAsync();

        Assert.Equal((1, 1L), (first.Occurrences, first.Events));
        Assert.Equal((0, 0L), (second.Occurrences, second.Events));
        var evt = Assert.Single(await QueuedScheduleEventsAsync());
        Assert.Equal($"schedule:{wf.Id}:2026-03-09T08:00:00Z", evt.Id);
        Assert.Equal(EventTypes.ScheduleFired, evt.Type);
        Assert.Equal(wf.Id, evt.Data!.Value.GetProperty("workflowId").GetString());

        await host.DrainEventsAsync();

        // The run's orchestration runs on real time: wait for it to end.
        var run = Assert.Single(await host.WaitForRunsAsync("account", evt.RecordId, 1));
        Assert.Equal(wf.Id, run.WorkflowId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
    }

    [Fact]
    public async Task Each_day_fires_once_more()
    {
        var wf = await DailyAsync();

        foreach (var day in new[] { 9, 10, 11 })
        {
            host.Clock.Set(new DateTimeOffset(2026, 3, day, 8, 0, 30, TimeSpan.Zero));
            await host.TickAsync();
            host.Clock.Advance(TimeSpan.FromMinutes(1));
            await host.TickAsync();
        }

        Assert.Equal(
            [$"schedule:{wf.Id}:2026-03-09T08:00:00Z", $"schedule:{wf.Id}:2026-03-10T08:00:00Z", $"schedule:{wf.Id}:2026-03-11T08:00:00Z"],
            (await QueuedScheduleEventsAsync()).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Across_the_paris_spring_forward_nine_oclock_moves_an_hour_earlier_in_utc()
    {
        var wf = await DailyAsync();

        // Saturday 28 March 09:00 is 08:00Z; on Sunday 29 March Paris is on summer time and 09:00 is 07:00Z.
        var ticks = new List<(string At, int Fired)>();
        foreach (var at in new[] { "2026-03-28T08:00:20Z", "2026-03-29T07:00:20Z", "2026-03-29T08:00:20Z", "2026-03-30T07:00:20Z" })
        {
            host.Clock.Set(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));
            ticks.Add((at, (await host.TickAsync()).Occurrences));
        }

        Assert.Equal([1, 1, 0, 1], ticks.Select(t => t.Fired));
        Assert.Equal(
            [$"schedule:{wf.Id}:2026-03-28T08:00:00Z", $"schedule:{wf.Id}:2026-03-29T07:00:00Z", $"schedule:{wf.Id}:2026-03-30T07:00:00Z"],
            (await QueuedScheduleEventsAsync()).Select(e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_instances_racing_for_one_occurrence_fire_it_once()
    {
        var wf = await DailyAsync();
        await using var other = await host.JoinAsync();
        host.Clock.Set(new DateTimeOffset(2026, 3, 9, 8, 0, 5, TimeSpan.Zero));

        var results = await Task.WhenAll(
            Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? host : other).TickAsync()));

        Assert.Equal(1, results.Sum(r => r.Occurrences));
        Assert.Single(await QueuedScheduleEventsAsync());
        var claim = await host.Get<ScheduleStore>().GetClaimAsync(wf.Id!, new DateTimeOffset(2026, 3, 9, 8, 0, 0, TimeSpan.Zero), default);
        Assert.Equal(1L, claim!.GetInt64("Events"));
    }

    [Fact]
    public async Task After_downtime_skip_fires_nothing_missed_and_resumes_with_the_next_occurrence()
    {
        var wf = await DailyAsync(CatchUp.Skip);

        // Down from Monday 07:55 until Wednesday 11:00 UTC: Monday's, Tuesday's and Wednesday's 09:00 (Paris) were missed.
        host.Clock.Set(new DateTimeOffset(2026, 3, 11, 11, 0, 0, TimeSpan.Zero));
        var late = await host.TickAsync();
        host.Clock.Set(new DateTimeOffset(2026, 3, 12, 8, 0, 20, TimeSpan.Zero));
        var next = await host.TickAsync();

        Assert.Equal(0, late.Occurrences);
        Assert.Equal(1, next.Occurrences);
        Assert.Equal([$"schedule:{wf.Id}:2026-03-12T08:00:00Z"], (await QueuedScheduleEventsAsync()).Select(e => e.Id));
        var state = await host.Get<ScheduleStore>().GetAsync(wf.Id!, default);
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 8, 0, 0, TimeSpan.Zero), state!.Last);
    }

    [Fact]
    public async Task After_downtime_latest_fires_the_newest_missed_occurrence_once_and_late()
    {
        var wf = await DailyAsync(CatchUp.Latest);

        host.Clock.Set(new DateTimeOffset(2026, 3, 11, 11, 0, 0, TimeSpan.Zero));
        var late = await host.TickAsync();
        var again = await host.TickAsync();

        Assert.Equal((1, 0), (late.Occurrences, again.Occurrences));
        var evt = Assert.Single(await QueuedScheduleEventsAsync());
        Assert.Equal($"schedule:{wf.Id}:2026-03-11T08:00:00Z", evt.Id);
        Assert.True(evt.Data!.Value.GetProperty("late").GetBoolean());
    }

    [Fact]
    public async Task A_paused_workflow_fires_nothing_and_does_not_catch_up_what_it_missed_while_paused()
    {
        var wf = await DailyAsync(CatchUp.Latest);
        await host.Get<Workflows.WorkflowStore>().SetStatusAsync(wf.Id!, WorkflowStatus.Paused);
        host.Clock.Set(new DateTimeOffset(2026, 3, 9, 8, 0, 10, TimeSpan.Zero));
        var paused = await host.TickAsync();

        host.Clock.Set(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
        await host.Get<Workflows.WorkflowStore>().SetStatusAsync(wf.Id!, WorkflowStatus.Active);
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var resumed = await host.TickAsync();

        Assert.Equal((0, 0), (paused.Workflows, resumed.Occurrences));
        Assert.Empty(await QueuedScheduleEventsAsync());
    }

    [Fact]
    public async Task Over_records_fires_one_event_per_matching_record_across_pages_and_ticks()
    {
        await using var paging = await SchedulingHost.StartAsync(Start, new Dictionary<string, string?>
        {
            ["Automation:Scheduler:PageSize"] = "7",
            ["Automation:Scheduler:MaxPagesPerTick"] = "2",
        });
        var records = Enumerable.Range(1, 40).Select(i => ($"A-{i:D2}", (object)new { tier = i % 4 == 0 ? "free" : "paid", n = i })).ToArray();
        await paging.StoreRecordsAsync("account", records);
        await paging.StoreRecordsAsync("lead", [("L-1", new { tier = "paid" })]);
        var wf = await paging.ActiveWorkflowAsync("""
        {
          "name": "Paid accounts, daily", "module": "account",
          "trigger": { "type": "schedule", "cron": "0 9 * * *", "timeZone": "Europe/Paris", "overRecords": true },
          "conditions": { "field": "record.tier", "op": "eq", "value": "paid" },
          "enrollment": "every_time",
          "steps": []
        }
        """);
        paging.Clock.Set(new DateTimeOffset(2026, 3, 9, 8, 0, 10, TimeSpan.Zero));

        // 40 records in pages of 7, two pages a tick: the occurrence needs three ticks, whichever instance runs them.
        await using var other = await paging.JoinAsync(new Dictionary<string, string?>
        {
            ["Automation:Scheduler:PageSize"] = "7",
            ["Automation:Scheduler:MaxPagesPerTick"] = "2",
        });
        var ticks = new List<TickResult>();
        for (var i = 0; i < 4; i++)
        {
            ticks.Add(await (i % 2 == 0 ? paging : other).TickAsync());
        }

        Assert.Equal([1, 0, 0, 0], ticks.Select(t => t.Occurrences));
        Assert.Equal(30L, ticks.Sum(t => t.Events));
        Assert.Equal(0L, ticks[^1].Events);
        Assert.Equal(30, await paging.QueuedEventsAsync());
        var claim = await paging.Get<ScheduleStore>().GetClaimAsync(wf.Id!, new DateTimeOffset(2026, 3, 9, 8, 0, 0, TimeSpan.Zero), default);
        Assert.Equal(30L, claim!.GetInt64("Events"));
        Assert.False((await paging.Get<ScheduleStore>().GetAsync(wf.Id!, default))!.HasJob);

        await paging.DrainEventsAsync();
        Assert.Single(await paging.Runs.ListForRecordAsync("account", "A-01"));
        Assert.Empty(await paging.Runs.ListForRecordAsync("account", "A-04"));
    }

    [Fact]
    public async Task An_occurrence_whose_firing_was_interrupted_is_finished_by_the_next_tick_after_the_lease()
    {
        var wf = await DailyAsync();
        var store = host.Get<ScheduleStore>();
        var occurrence = new DateTimeOffset(2026, 3, 9, 8, 0, 0, TimeSpan.Zero);
        host.Clock.Set(occurrence.AddSeconds(10));

        // A tick that claimed the occurrence and died before queueing its event.
        var claimed = await store.ClaimAsync(null, new ScheduleState(wf.Id!)
        {
            Last = occurrence,
            JobKey = ScheduleEvents.Key(occurrence),
            JobAt = occurrence,
            LeaseUntil = host.Clock.GetUtcNow().AddMinutes(5),
        }, host.Clock.GetUtcNow(), default);
        Assert.NotNull(claimed);
        var whileLeased = await host.TickAsync();

        host.Clock.Advance(TimeSpan.FromMinutes(6));
        await host.TickAsync();

        Assert.Equal(0L, whileLeased.Events);
        Assert.Equal([$"schedule:{wf.Id}:2026-03-09T08:00:00Z"], (await QueuedScheduleEventsAsync()).Select(e => e.Id));
        Assert.False((await store.GetAsync(wf.Id!, default))!.HasJob);
    }
}
