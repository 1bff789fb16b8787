using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Schedules;
using Automation.Runtime.Intake;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Scheduling;

/// <summary>
/// Date-relative triggers (<c>date.reached</c>), event-driven: nothing scans on a timer.
/// <list type="bullet">
/// <item>When the event processor stores a snapshot whose date (for an active date workflow of the module) differs
/// from the stored one, <see cref="RecordStoredAsync"/> computes the due instant and starts a wake-up orchestration
/// (a durable timer, never early), or fires at once when the instant has already passed.
/// A record whose date does not change costs nothing.</item>
/// <item>A wake-up (<see cref="WakeAsync"/>) re-reads the workflow and the record: it fires only if the workflow is
/// still active with a date trigger, the record still holds that date, and the instant (with the current offset) has
/// come; else it is dropped, or queued again for a later instant.</item>
/// <item>Firing is an intake event with id <c>date:{workflowId}:{recordId}:{value}</c>: a second wake-up for the same
/// value is a duplicate, so each record fires once per date value.</item>
/// <item>When a date workflow is activated or saved, the scheduler back-fills it over the module's records
/// (<see cref="BackfillAsync"/>): future instants get a wake-up, instants reached since the activation fire, and
/// older ones do not (a date reached before the workflow was active is not a reason to flood old records).</item>
/// </list>
/// </summary>
public sealed class DateTriggers(
    WorkflowCatalog catalog,
    IntakeService intake,
    RecordStore records,
    RunOrchestrations orchestrations,
    TimeProvider time,
    ILogger<DateTriggers> logger)
{
    /// <summary>
    /// The event processor stored <paramref name="after"/> as the record's snapshot, over <paramref name="before"/>.
    /// Queues a wake-up (or fires now) for every active date workflow of the module whose date value changed.
    /// Safe to call twice for the same change (a resumed event): a second wake-up fires a duplicate at most.
    /// </summary>
    public async Task RecordStoredAsync(CrmEvent evt, JsonElement? before, JsonElement after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var workflows = (await catalog.ActiveAsync(evt.Module, cancellationToken))
            .Where(w => string.Equals(w.Trigger.Type, TriggerTypes.DateReached, StringComparison.Ordinal))
            .ToArray();
        if (workflows.Length == 0 || string.Equals(evt.Type, EventTypes.RecordDeleted, StringComparison.Ordinal))
        {
            return;
        }

        var now = time.GetUtcNow();
        var fireNow = new List<CrmEvent>();
        foreach (var wf in workflows)
        {
            if (DateTrigger.Read(wf.Trigger, after) is not { } date)
            {
                continue;
            }

            // Unchanged against the snapshot it replaced and against the event's own "previous": a wake-up exists.
            // Both are asked because a record action stores its change before its event is processed (the stored
            // snapshot already holds the new date, and only "previous" shows the change).
            if (SameDate(wf.Trigger, before, date.Value) && (evt.Previous is not { } reported || SameDate(wf.Trigger, reported, date.Value)))
            {
                continue;
            }

            if (date.Due <= now)
            {
                fireNow.Add(DateTrigger.Event(wf, evt.RecordId, date.Value, date.Due, evt.Causation));
            }
            else
            {
                await ScheduleAsync(new DateWakeMessage(DateWakeMessage.DateKind, wf.Id!, evt.Module, evt.RecordId, DateTrigger.ValueKey(date.Value), date.Due)
                {
                    Causation = evt.Causation,
                }, cancellationToken);
                Logs.DateScheduled(logger, wf.Id!, evt.RecordId, date.Due);
            }
        }

        if (fireNow.Count > 0)
        {
            await intake.AcceptAsync(fireNow, cancellationToken);
        }
    }

    /// <summary>A wake-up came: fire, drop, or wait again (see the class comment).</summary>
    public async Task WakeAsync(DateWakeMessage wake, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wake);
        // The wake-up's durable timer never fires before DueAt, so the instant has come.
        var now = time.GetUtcNow();
        var wf = await catalog.HeadAsync(wake.WorkflowId, cancellationToken);
        if (wf is null || wf.Status != WorkflowStatus.Active || !string.Equals(wf.Trigger.Type, TriggerTypes.DateReached, StringComparison.Ordinal))
        {
            // A paused workflow is back-filled when activated again, which queues what it needs then.
            Logs.DateDropped(logger, wake.WorkflowId, wake.RecordId, "the workflow is not an active date workflow");
            return;
        }

        if (!DateTrigger.TryParseValueKey(wake.Value, out var value) || DateTrigger.DueAt(wf.Trigger, value) is not { } due)
        {
            Logs.DateDropped(logger, wake.WorkflowId, wake.RecordId, "the date or the offset cannot be read");
            return;
        }

        if (due != wake.DueAt && due > now)
        {
            // The offset was changed to a later one since the wake-up was scheduled: a new wake-up (a new instance).
            await ScheduleAsync(wake with { DueAt = due }, cancellationToken);
            return;
        }

        var snapshot = await records.GetAsync(wake.Module, wake.RecordId, cancellationToken);
        if (snapshot is null || snapshot.Deleted
            || !DateTrigger.TryReadDate(wf.Trigger, snapshot.Fields, out var current) || current != value)
        {
            Logs.DateDropped(logger, wake.WorkflowId, wake.RecordId, "the record no longer holds that date");
            return;
        }

        var result = await intake.AcceptAsync([DateTrigger.Event(wf, wake.RecordId, value, due, wake.Causation)], cancellationToken);
        Logs.DateFired(logger, wf.Id!, wake.RecordId, wake.Value, result.Accepted.Count == 1);
    }

    /// <summary>
    /// One page of a back-fill: a wake-up for each record whose instant is ahead, an event for each whose instant came
    /// at or after <paramref name="activeSince"/>. Returns how many records it acted on.
    /// </summary>
    public async Task<int> BackfillAsync(Workflow wf, IReadOnlyList<ModuleRecord> page, DateTimeOffset activeSince, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wf);
        ArgumentNullException.ThrowIfNull(page);
        var fire = new List<CrmEvent>();
        var wakes = new List<DateWakeMessage>();
        foreach (var record in page)
        {
            if (DateTrigger.Read(wf.Trigger, record.Fields) is not { } date)
            {
                continue;
            }

            if (date.Due > now)
            {
                wakes.Add(new DateWakeMessage(DateWakeMessage.DateKind, wf.Id!, wf.Module, record.RecordId, DateTrigger.ValueKey(date.Value), date.Due));
            }
            else if (date.Due >= activeSince)
            {
                fire.Add(DateTrigger.Event(wf, record.RecordId, date.Value, date.Due));
            }
        }

        await Parallel.ForEachAsync(
            wakes,
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (wake, ct) => await ScheduleAsync(wake, ct));
        if (fire.Count > 0)
        {
            await intake.AcceptAsync(fire, cancellationToken);
        }

        return wakes.Count + fire.Count;
    }

    private static bool SameDate(Trigger trigger, JsonElement? record, DateTimeOffset value) =>
        DateTrigger.TryReadDate(trigger, record, out var date) && date == value;

    private Task ScheduleAsync(DateWakeMessage wake, CancellationToken cancellationToken) =>
        orchestrations.StartDateWakeAsync(wake, cancellationToken);
}
