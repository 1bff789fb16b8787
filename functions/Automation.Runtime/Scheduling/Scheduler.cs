using System.Globalization;
using Automation.Engine.Conditions;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Schedules;
using Automation.Runtime.Intake;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Scheduling;

/// <summary>What one tick did, for logs and the Functions invocation's answer.</summary>
public sealed record TickResult(int Workflows, int Occurrences, long Events, int Backfills)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Workflows} scheduled workflow(s): {Occurrences} occurrence(s) fired, {Events} event(s) queued, {Backfills} date back-fill(s) done.");
}

/// <summary>
/// One tick of the scheduler, the same in both hosts: the standalone timer (<see cref="SchedulerService"/>) and the
/// Functions timer function (<c>POST /Scheduler</c>) call <see cref="TickAsync"/>. Any number of instances may tick at
/// once: every occurrence is claimed with an insert-if-absent row before it fires (<see cref="ScheduleStore"/>), and
/// the events it fires have ids derived from workflow and occurrence, so a retry is a duplicate intake drops.
/// <list type="bullet">
/// <item><b>schedule</b>: the engine (<see cref="ScheduleDue"/>) says which occurrences since the last handled one are
/// due at <c>now</c> and what catch-up does after downtime. Each is claimed, then fired: one event, or with
/// <c>overRecords</c> one per record of the module matching the workflow's conditions, a page at a time, the scan's
/// cursor saved after each page so that another tick can finish a firing this one could not.</item>
/// <item><b>date.reached</b>: after the workflow is activated or saved, one back-fill over the module's records
/// (<see cref="DateTriggers.BackfillAsync"/>); afterwards its wake-ups are event-driven.</item>
/// </list>
/// </summary>
public sealed class Scheduler(
    AutomationStorage storage,
    ScheduleStore store,
    ModuleRecords moduleRecords,
    IntakeService intake,
    DateTriggers dates,
    IOptions<SchedulerOptions> options,
    IOptions<RunnerOptions> runnerOptions,
    TimeProvider time,
    ILogger<Scheduler> logger)
{
    private SchedulerOptions Options => options.Value;

    /// <summary>Runs one tick as of <paramref name="now"/>: fires what is due, continues unfinished work, back-fills new date workflows.</summary>
    public async Task<TickResult> TickAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var workflows = await ScheduledWorkflowsAsync(cancellationToken);
        if (workflows.Count == 0)
        {
            return new TickResult(0, 0, 0, 0);
        }

        var states = await store.LoadAllAsync(cancellationToken);
        var tally = new Tally();
        foreach (var wf in workflows)
        {
            try
            {
                var state = states.GetValueOrDefault(wf.Id!);
                if (string.Equals(wf.Trigger.Type, TriggerTypes.Schedule, StringComparison.Ordinal))
                {
                    await ScheduleAsync(wf, state, now, tally, cancellationToken);
                }
                else
                {
                    await BackfillAsync(wf, state, now, tally, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One broken workflow must not stop the others; its work is picked up again at the next tick.
                Logs.ScheduleFailed(logger, e, wf.Id!);
            }
        }

        return new TickResult(workflows.Count, tally.Occurrences, tally.Events, tally.Backfills);
    }

    /// <summary>Active schedule and date workflows, read fresh (one filtered range read of the heads).</summary>
    private async Task<IReadOnlyList<Workflow>> ScheduledWorkflowsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {WorkflowStore.Partition} and RowKey ge {WorkflowStore.HeadPrefix} and RowKey lt {Keys.RangeEnd(WorkflowStore.HeadPrefix)}")
            + " and " + TableClient.CreateQueryFilter(
                $"Status eq {"active"} and (TriggerType eq {TriggerTypes.Schedule} or TriggerType eq {TriggerTypes.DateReached})");
        var heads = new List<Workflow>();
        await foreach (var row in storage.Workflows.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            heads.Add(WorkflowStore.HeadFromEntity(row));
        }

        return heads;
    }

    private async Task ScheduleAsync(Workflow wf, ScheduleState? state, DateTimeOffset now, Tally tally, CancellationToken cancellationToken)
    {
        if (!CronSchedule.TryParse(wf.Trigger.Cron, wf.Trigger.TimeZone, out var schedule, out var error))
        {
            Logs.ScheduleUnusable(logger, wf.Id!, error!);
            return;
        }

        // An occurrence another tick claimed but did not finish firing (it crashed, or ran out of pages).
        if (state is { HasJob: true })
        {
            state = await TakeOverAsync(state, cancellationToken);
            if (state is null)
            {
                return;
            }

            state = await FireAsync(wf, schedule!, state, tally, cancellationToken);
            if (state is null || state.HasJob)
            {
                return;
            }
        }

        var since = ScheduleDue.Since(state?.Last, wf.UpdatedAt ?? now);
        var decision = ScheduleDue.Decide(schedule!, wf.Trigger, since, now, Options.Grace);
        foreach (var occurrence in decision.Fire)
        {
            var claimed = state ?? new ScheduleState(wf.Id!);
            var next = claimed.WithoutJob() with
            {
                Last = occurrence.At,
                JobKey = ScheduleEvents.Key(occurrence.At),
                JobAt = occurrence.At,
                JobLate = occurrence.Late,
                LeaseUntil = time.GetUtcNow() + Options.LeaseDuration,
            };
            state = await store.ClaimAsync(state, next, time.GetUtcNow(), cancellationToken);
            if (state is null)
            {
                Logs.OccurrenceTaken(logger, wf.Id!, occurrence.At);
                return;
            }

            tally.Occurrences++;
            state = await FireAsync(wf, schedule!, state, tally, cancellationToken);
            if (state is null || state.HasJob)
            {
                return;
            }
        }

        if (decision.Fire.Count == 0 && decision.Skipped is { } skipped && (state?.Last is not { } last || skipped > last))
        {
            // Missed occurrences stay missed: move past them so later ticks do not look at them again.
            Logs.OccurrencesSkipped(logger, wf.Id!, skipped);
            await store.SaveAsync(state, (state ?? new ScheduleState(wf.Id!)) with { Last = skipped }, cancellationToken);
        }
    }

    /// <summary>Takes over a job whose lease ran out; null when its owner is still at it or another tick took it first.</summary>
    private async Task<ScheduleState?> TakeOverAsync(ScheduleState state, CancellationToken cancellationToken)
    {
        var clock = time.GetUtcNow();
        if (state.LeaseUntil is { } until && until > clock)
        {
            return null;
        }

        return await store.SaveAsync(state, state with { LeaseUntil = clock + Options.LeaseDuration }, cancellationToken);
    }

    /// <summary>
    /// Fires the claimed occurrence in <paramref name="state"/>. Returns the state without the job when done, with it
    /// (lease released) when the page budget ran out, or null when another tick took the job over.
    /// </summary>
    private async Task<ScheduleState?> FireAsync(Workflow wf, CronSchedule schedule, ScheduleState state, Tally tally, CancellationToken cancellationToken)
    {
        var occurrence = new DueOccurrence(state.JobAt!.Value, state.JobLate);
        if (!wf.Trigger.OverRecords)
        {
            var result = await intake.AcceptAsync([ScheduleEvents.Fired(wf, occurrence, schedule.TimeZone)], cancellationToken);
            tally.Events += result.Accepted.Count;
            Logs.OccurrenceFired(logger, wf.Id!, occurrence.At, result.Accepted.Count);
            return await store.CompleteAsync(state, 1, time.GetUtcNow(), cancellationToken);
        }

        for (var pages = 1; ; pages++)
        {
            var (page, next) = await moduleRecords.PageAsync(wf.Module, state.Cursor, Options.PageSize, cancellationToken);
            var events = page
                .Where(r => Matches(wf, r, occurrence, schedule.TimeZone))
                .Select(r => ScheduleEvents.Fired(wf, occurrence, schedule.TimeZone, r.RecordId))
                .ToArray();
            if (events.Length > 0)
            {
                var result = await intake.AcceptAsync(events, cancellationToken);
                tally.Events += result.Accepted.Count;
            }

            var count = state.Count + events.Length;
            if (next is null)
            {
                Logs.OccurrenceFired(logger, wf.Id!, occurrence.At, count);
                return await store.CompleteAsync(state with { Count = count }, count, time.GetUtcNow(), cancellationToken);
            }

            // Out of pages for this tick: save the cursor and release the job, so that the next tick, here or
            // elsewhere, goes on with it.
            var budgetLeft = pages < Options.MaxPagesPerTick;
            var saved = await store.SaveAsync(
                state,
                state with { Cursor = next, Count = count, LeaseUntil = budgetLeft ? time.GetUtcNow() + Options.LeaseDuration : null },
                cancellationToken);
            if (saved is null || !budgetLeft)
            {
                return saved;
            }

            state = saved;
        }
    }

    /// <summary>
    /// Whether the record is one the occurrence enrolls: the workflow's conditions on its stored fields, judged as the
    /// event processor will judge them (it checks again when the event is processed, in case the record changed).
    /// </summary>
    private static bool Matches(Workflow wf, ModuleRecord record, DueOccurrence occurrence, TimeZoneInfo zone)
    {
        if (wf.Conditions is null)
        {
            return true;
        }

        var evt = ScheduleEvents.Fired(wf, occurrence, zone, record.RecordId);
        var scope = new EvaluationScope
        {
            Record = record.Fields,
            Event = System.Text.Json.JsonSerializer.SerializeToElement(evt, EngineJson.Options),
            Now = occurrence.At,
        };
        return ConditionEvaluator.Evaluate(wf.Conditions, scope, "conditions").Result;
    }

    /// <summary>A date workflow's back-fill after each activation or save (marker: version and time of the change).</summary>
    private async Task BackfillAsync(Workflow wf, ScheduleState? state, DateTimeOffset now, Tally tally, CancellationToken cancellationToken)
    {
        var activeSince = wf.UpdatedAt ?? now;
        var marker = string.Create(CultureInfo.InvariantCulture, $"v{wf.Version}@{activeSince.UtcTicks}");
        if (state?.Done == marker)
        {
            return;
        }

        // Every instance's event processor must see the workflow active before the scan starts: a record stored
        // meanwhile by an instance with an older catalog would otherwise be seen by neither.
        if (now < activeSince + runnerOptions.Value.WorkflowCacheTtl)
        {
            return;
        }

        if (state is { HasJob: true } && state.JobKey == marker)
        {
            state = await TakeOverAsync(state, cancellationToken);
            if (state is null)
            {
                return;
            }
        }
        else
        {
            var fresh = (state ?? new ScheduleState(wf.Id!)).WithoutJob() with
            {
                JobKey = marker,
                LeaseUntil = time.GetUtcNow() + Options.LeaseDuration,
            };
            state = await store.SaveAsync(state, fresh, cancellationToken);
            if (state is null)
            {
                return;
            }
        }

        for (var pages = 1; ; pages++)
        {
            var (page, next) = await moduleRecords.PageAsync(wf.Module, state.Cursor, Options.PageSize, cancellationToken);
            var count = state.Count + await dates.BackfillAsync(wf, page, activeSince, now, cancellationToken);
            var done = next is null;
            var budgetLeft = pages < Options.MaxPagesPerTick;
            var saved = done
                ? state.WithoutJob() with { Done = marker }
                : state with { Cursor = next, Count = count, LeaseUntil = budgetLeft ? time.GetUtcNow() + Options.LeaseDuration : null };
            var written = await store.SaveAsync(state, saved, cancellationToken);
            if (written is null || !budgetLeft || done)
            {
                if (done && written is not null)
                {
                    tally.Backfills++;
                    Logs.BackfillDone(logger, wf.Id!, count);
                }

                return;
            }

            state = written;
        }
    }

    private sealed class Tally
    {
        public int Occurrences { get; set; }

        public long Events { get; set; }

        public int Backfills { get; set; }
    }
}
