using System.Text.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Triggers;

/// <summary>
/// Decides whether a workflow's trigger matches an event. The module must match first. Change-based
/// triggers (field, status, stage, score, segment, health) look at the derived <see cref="ChangeSet"/>, not at
/// the event type: any event that carries the record (record.created, record.updated, invoice.paid, ...) can
/// match them, except a delete, a scheduler tick and a segment re-evaluation, which change no field.
/// </summary>
public static class TriggerMatcher
{
    public static TriggerMatch Match(Workflow wf, CrmEvent evt, ChangeSet changes, EvaluationScope scope)
    {
        ArgumentNullException.ThrowIfNull(wf);
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(scope);

        if (!string.Equals(evt.Module, wf.Module, StringComparison.OrdinalIgnoreCase))
        {
            return TriggerMatch.No($"Module '{evt.Module}' is not the workflow's module '{wf.Module}'.");
        }

        var trigger = wf.Trigger;
        return trigger.Type switch
        {
            TriggerTypes.RecordCreated => EventType(evt, EventTypes.RecordCreated, "The record was created."),
            TriggerTypes.RecordUpdated => RecordUpdated(evt, changes),
            TriggerTypes.RecordDeleted => EventType(evt, EventTypes.RecordDeleted, "The record was deleted."),
            TriggerTypes.FieldChanged => FieldChanged(trigger, evt, changes),
            TriggerTypes.StatusChanged => ValueChanged("Status", WellKnownFields.Status, changes.Status, trigger, evt, changes),
            TriggerTypes.HealthChanged => ValueChanged("Health", WellKnownFields.Health, changes.Health, trigger, evt, changes),
            TriggerTypes.StageEntered => Stage(trigger, evt, changes, entered: true),
            TriggerTypes.StageExited => Stage(trigger, evt, changes, entered: false),
            TriggerTypes.StageChanged => StageChanged(trigger, evt, changes),
            TriggerTypes.ScoreCrossed => ScoreCrossed(trigger, evt, changes),
            TriggerTypes.SegmentEntered => Segment(trigger, changes, entered: true),
            TriggerTypes.SegmentExited => Segment(trigger, changes, entered: false),
            TriggerTypes.NamedEvent => Named(evt, EventTypes.Custom, trigger.Name, "Custom event"),
            TriggerTypes.WebhookReceived => Named(evt, EventTypes.WebhookReceived, trigger.Name, "Webhook"),
            TriggerTypes.Schedule => Schedule(wf, evt),
            TriggerTypes.DateReached => DateReached(wf, evt, changes),
            var type when TriggerTypes.Lifecycle.Contains(type, StringComparer.Ordinal) =>
                EventType(evt, type, $"Event '{type}' occurred."),
            var type => TriggerMatch.No($"Trigger type '{type}' is unknown."),
        };
    }

    private static TriggerMatch EventType(CrmEvent evt, string expected, string reason) =>
        string.Equals(evt.Type, expected, StringComparison.Ordinal)
            ? TriggerMatch.Yes(reason)
            : TriggerMatch.No($"Event type '{evt.Type}' is not '{expected}'.");

    /// <summary>
    /// record.updated needs an update event that changed at least one field: CRMs re-send unchanged records
    /// (syncs, touches), and an action that writes a value the record already has must not enroll it again.
    /// </summary>
    private static TriggerMatch RecordUpdated(CrmEvent evt, ChangeSet changes)
    {
        if (!string.Equals(evt.Type, EventTypes.RecordUpdated, StringComparison.Ordinal))
        {
            return TriggerMatch.No($"Event type '{evt.Type}' is not '{EventTypes.RecordUpdated}'.");
        }

        if (!changes.HasCurrent)
        {
            return TriggerMatch.No("The update event carries no record, so no change can be seen.");
        }

        if (changes.Fields.Count == 0)
        {
            return TriggerMatch.No("The update changed no field: the record equals its previous state.");
        }

        var names = string.Join(", ", changes.Fields.Keys.Select(n => "'" + n + "'"));
        return TriggerMatch.Yes($"The record was updated; changed: {names}.");
    }

    /// <summary>Why no change can be derived from this event, or null when it can.</summary>
    private static string? NoChangesIn(CrmEvent evt, ChangeSet changes)
    {
        if (string.Equals(evt.Type, EventTypes.RecordDeleted, StringComparison.Ordinal)
            || string.Equals(evt.Type, EventTypes.ScheduleFired, StringComparison.Ordinal)
            || string.Equals(evt.Type, EventTypes.DateReached, StringComparison.Ordinal)

            // A re-evaluation carries the stored record as it was read; delivered after a newer event it would look like a change back.
            || string.Equals(evt.Type, EventTypes.SegmentsEvaluated, StringComparison.Ordinal))
        {
            return $"Event type '{evt.Type}' changes no field.";
        }

        return changes.HasCurrent ? null : $"Event '{evt.Type}' carries no record, so no change can be seen.";
    }

    private static TriggerMatch FieldChanged(Trigger trigger, CrmEvent evt, ChangeSet changes)
    {
        var field = FieldName(trigger.Field);
        if (field is null)
        {
            return TriggerMatch.No("The trigger names no field.");
        }

        return ValueChanged($"Field '{field}'", field, changes.Fields.GetValueOrDefault(field), trigger, evt, changes);
    }

    /// <summary>Trigger fields are top-level record fields; a <c>record.</c> prefix, as conditions write it, is tolerated.</summary>
    private static string? FieldName(string? field)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            return null;
        }

        return field.StartsWith("record.", StringComparison.Ordinal) ? field["record.".Length..] : field;
    }

    /// <summary>
    /// A field that changed, then the optional <c>from</c> / <c>to</c>. A JSON <c>null</c> there reads as "not given"
    /// (the model cannot tell them apart), so "changed to empty" is written as a condition (<c>isEmpty</c>).
    /// </summary>
    private static TriggerMatch ValueChanged(
        string label, string field, FieldChange? change, Trigger trigger, CrmEvent evt, ChangeSet changes)
    {
        if (NoChangesIn(evt, changes) is { } why)
        {
            return TriggerMatch.No(why);
        }

        if (change is null)
        {
            return TriggerMatch.No(
                $"{label} did not change (it is {JsonValues.Describe(JsonValues.Field(changes.Current, field))}).");
        }

        var what = $"{label} changed from {JsonValues.Describe(change.From)} to {JsonValues.Describe(change.To)}";
        if (trigger.From is { } from && !JsonValues.LooselyEqual(change.From, from))
        {
            return TriggerMatch.No($"{what}; the trigger needs it to change from {JsonValues.Describe(from)}.");
        }

        if (trigger.To is { } to && !JsonValues.LooselyEqual(change.To, to))
        {
            return TriggerMatch.No($"{what}; the trigger needs it to change to {JsonValues.Describe(to)}.");
        }

        return TriggerMatch.Yes(what + ".");
    }

    private static TriggerMatch Stage(Trigger trigger, CrmEvent evt, ChangeSet changes, bool entered)
    {
        var verb = entered ? "entered" : "exited";
        var wanted = string.IsNullOrEmpty(trigger.Stage) ? "any stage" : $"stage '{trigger.Stage}'";
        if (NoChangesIn(evt, changes) is { } why)
        {
            return TriggerMatch.No(why);
        }

        var change = changes.Stage;
        if (change is null)
        {
            var now = JsonValues.Text(JsonValues.Field(changes.Current, WellKnownFields.Stage));
            return TriggerMatch.No(
                $"Trigger waits for {wanted} to be {verb}; the stage did not change (it is {JsonValues.Quote(now)}).");
        }

        var what = Moved(change, trigger);

        var stage = entered ? change.Entered : change.Exited;
        var pipeline = entered ? change.Pipeline : change.PreviousPipeline;
        if (stage is null)
        {
            return TriggerMatch.No($"{what}: no stage was {verb}.");
        }

        if (!string.IsNullOrEmpty(trigger.Stage) && !string.Equals(stage, trigger.Stage, StringComparison.OrdinalIgnoreCase))
        {
            return TriggerMatch.No($"{what}: {verb} '{stage}', not '{trigger.Stage}'.");
        }

        if (!string.IsNullOrEmpty(trigger.Pipeline)
            && !string.Equals(pipeline, trigger.Pipeline, StringComparison.OrdinalIgnoreCase))
        {
            return TriggerMatch.No(
                $"{what}: {verb} '{stage}' in pipeline {JsonValues.Quote(pipeline)}, not in pipeline '{trigger.Pipeline}'.");
        }

        return TriggerMatch.Yes($"{what}: {verb} '{stage}'.");
    }

    /// <summary>
    /// Any stage change: the record left one stage for another (or got its first). <c>pipeline</c> narrows it to moves
    /// that end in, or leave, that pipeline; <c>from</c> / <c>to</c> to moves from or to a stage.
    /// </summary>
    private static TriggerMatch StageChanged(Trigger trigger, CrmEvent evt, ChangeSet changes)
    {
        if (NoChangesIn(evt, changes) is { } why)
        {
            return TriggerMatch.No(why);
        }

        var change = changes.Stage;
        if (change is null)
        {
            var now = JsonValues.Text(JsonValues.Field(changes.Current, WellKnownFields.Stage));
            return TriggerMatch.No($"The stage did not change (it is {JsonValues.Quote(now)}).");
        }

        var what = Moved(change, trigger);
        if (!string.IsNullOrEmpty(trigger.Pipeline)
            && !string.Equals(change.Pipeline, trigger.Pipeline, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(change.PreviousPipeline, trigger.Pipeline, StringComparison.OrdinalIgnoreCase))
        {
            return TriggerMatch.No($"{what}: not in pipeline '{trigger.Pipeline}'.");
        }

        if (trigger.From is { } from && !JsonValues.LooselyEqual(Text(change.Exited), from))
        {
            return TriggerMatch.No($"{what}; the trigger needs it to change from {JsonValues.Describe(from)}.");
        }

        if (trigger.To is { } to && !JsonValues.LooselyEqual(Text(change.Entered), to))
        {
            return TriggerMatch.No($"{what}; the trigger needs it to change to {JsonValues.Describe(to)}.");
        }

        return TriggerMatch.Yes(what + ".");
    }

    private static JsonElement? Text(string? value) => value is null ? null : JsonSerializer.SerializeToElement(value);

    /// <summary>"Stage changed from 'A' to 'B'", with the pipelines when it moved between them or the trigger names one.</summary>
    private static string Moved(StageChange change, Trigger trigger)
    {
        var showPipeline = trigger.Pipeline is not null
            || !string.Equals(change.PreviousPipeline, change.Pipeline, StringComparison.OrdinalIgnoreCase);
        return $"Stage changed from {Describe(change.Exited, change.PreviousPipeline, showPipeline)}"
            + $" to {Describe(change.Entered, change.Pipeline, showPipeline)}";
    }

    private static string Describe(string? stage, string? pipeline, bool showPipeline) =>
        showPipeline ? $"{JsonValues.Quote(stage)} (pipeline {JsonValues.Quote(pipeline)})" : JsonValues.Quote(stage);

    /// <summary>
    /// Up: before &lt; threshold &lt;= after. Down: before &gt;= threshold &gt; after. A missing (or non-numeric)
    /// value before counts as below every threshold, so a record that arrives already scoring 90 crosses 80 upwards
    /// (it became hot as far as the workflow can see); a missing value after crosses nothing, because a cleared
    /// score did not fall.
    /// </summary>
    private static TriggerMatch ScoreCrossed(Trigger trigger, CrmEvent evt, ChangeSet changes)
    {
        var field = FieldName(trigger.Field) ?? WellKnownFields.Score;
        if (trigger.Threshold is not { } threshold)
        {
            return TriggerMatch.No("The trigger has no threshold.");
        }

        var direction = trigger.Direction ?? "up";
        var up = string.Equals(direction, "up", StringComparison.OrdinalIgnoreCase);
        if (!up && !string.Equals(direction, "down", StringComparison.OrdinalIgnoreCase))
        {
            return TriggerMatch.No($"Direction '{direction}' is neither 'up' nor 'down'.");
        }

        if (NoChangesIn(evt, changes) is { } why)
        {
            return TriggerMatch.No(why);
        }

        var before = JsonValues.Number(JsonValues.Field(changes.Previous, field));
        var after = JsonValues.Number(JsonValues.Field(changes.Current, field));
        var limit = Number(threshold);
        var went = $"Field '{field}' went from {Number(before)} to {Number(after)}";
        var crossed = up
            ? after is { } a && a >= threshold && (before is not { } b || b < threshold)
            : after is { } a2 && before is { } b2 && b2 >= threshold && a2 < threshold;
        var way = up ? "upwards" : "downwards";
        if (before == after)
        {
            return TriggerMatch.No($"Field '{field}' did not change (it is {Number(after)}); it did not cross {limit} {way}.");
        }

        return crossed
            ? TriggerMatch.Yes($"{went}, crossing {limit} {way}.")
            : TriggerMatch.No($"{went}; it did not cross {limit} {way}.");
    }

    private static string Number(double? value) =>
        value is { } v ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "nothing";

    /// <summary>
    /// Reads the record's membership change that the event processor derived from stored membership
    /// (<see cref="ChangeSet.Segments"/>): the trigger never evaluates the segment's conditions itself, so every workflow
    /// naming a segment sees the same entry and exit, once.
    /// </summary>
    private static TriggerMatch Segment(Trigger trigger, ChangeSet changes, bool entered)
    {
        if (string.IsNullOrWhiteSpace(trigger.Segment))
        {
            return TriggerMatch.No("The trigger names no segment.");
        }

        var id = trigger.Segment;
        var membership = changes.Segments;
        if (!membership.Evaluated)
        {
            return TriggerMatch.No("Segment membership was not decided for this event: it brings no newer state of the record.");
        }

        var didEnter = membership.Entered.Contains(id, StringComparer.Ordinal);
        var didExit = membership.Exited.Contains(id, StringComparer.Ordinal);
        var isIn = membership.Members.Contains(id, StringComparer.Ordinal);
        return (entered, didEnter, didExit) switch
        {
            (true, true, _) => TriggerMatch.Yes($"The record entered segment '{id}': it matches the segment's conditions and was not a member before."),
            (false, _, true) => TriggerMatch.Yes($"The record left segment '{id}': it was a member and no longer matches the segment's conditions."),
            (true, _, true) => TriggerMatch.No($"The record left segment '{id}'; the trigger waits for it to enter."),
            (false, true, _) => TriggerMatch.No($"The record entered segment '{id}'; the trigger waits for it to leave."),
            _ when isIn => TriggerMatch.No($"The record was already in segment '{id}' and still is" + (entered ? "." : ": it did not leave.")),
            _ => TriggerMatch.No($"The record was not in segment '{id}' and still is not" + (entered ? ": it did not enter." : ".")),
        };
    }

    /// <summary>A custom event or webhook: the type, then <c>data.name</c> against the trigger's name (exact; no name: any).</summary>
    private static TriggerMatch Named(CrmEvent evt, string type, string? name, string label)
    {
        if (!string.Equals(evt.Type, type, StringComparison.Ordinal))
        {
            return TriggerMatch.No($"Event type '{evt.Type}' is not '{type}'.");
        }

        var actual = DataString(evt, "name");
        if (string.IsNullOrEmpty(name))
        {
            return TriggerMatch.Yes($"{label} {JsonValues.Quote(actual)} received; the trigger accepts any name.");
        }

        return string.Equals(actual, name, StringComparison.Ordinal)
            ? TriggerMatch.Yes($"{label} '{name}' received.")
            : TriggerMatch.No($"{label} {JsonValues.Quote(actual)} is not '{name}'.");
    }

    /// <summary>The scheduler emits one <c>schedule.fired</c> per occurrence (and per record when over records), naming the workflow.</summary>
    private static TriggerMatch Schedule(Workflow wf, CrmEvent evt)
    {
        if (!string.Equals(evt.Type, EventTypes.ScheduleFired, StringComparison.Ordinal))
        {
            return TriggerMatch.No($"Event type '{evt.Type}' is not '{EventTypes.ScheduleFired}'.");
        }

        var workflowId = DataString(evt, "workflowId");
        return wf.Id is not null && string.Equals(workflowId, wf.Id, StringComparison.Ordinal)
            ? TriggerMatch.Yes($"The schedule of workflow '{wf.Id}' fired.")
            : TriggerMatch.No($"The schedule that fired belongs to workflow {JsonValues.Quote(workflowId)}, not to this workflow {JsonValues.Quote(wf.Id)}.");
    }

    /// <summary>
    /// The scheduler emits <c>date.reached</c> when the instant of a record's date value has come. It matches the
    /// workflow it names, and only while the record still holds that date: a wake-up for a date that has since moved
    /// (a new due date, a new activity) is stale, and the new value has a wake-up of its own. The time itself is not
    /// checked here: the scheduler emits the event only once the instant has passed, and a second clock must not veto it.
    /// </summary>
    private static TriggerMatch DateReached(Workflow wf, CrmEvent evt, ChangeSet changes)
    {
        if (!string.Equals(evt.Type, EventTypes.DateReached, StringComparison.Ordinal))
        {
            return TriggerMatch.No($"Event type '{evt.Type}' is not '{EventTypes.DateReached}'.");
        }

        var workflowId = DataString(evt, "workflowId");
        if (wf.Id is null || !string.Equals(workflowId, wf.Id, StringComparison.Ordinal))
        {
            return TriggerMatch.No($"The date reached belongs to workflow {JsonValues.Quote(workflowId)}, not to this workflow {JsonValues.Quote(wf.Id)}.");
        }

        var field = Schedules.DateTrigger.FieldName(wf.Trigger);
        if (field is null)
        {
            return TriggerMatch.No("The trigger names no date field.");
        }

        var scheduled = DataString(evt, "value");
        if (!Schedules.DateTrigger.TryParseValueKey(scheduled, out var expected))
        {
            return TriggerMatch.No("The event names no date value (data.value).");
        }

        var now = JsonValues.Field(changes.Current, field);
        if (!Schedules.DateTrigger.TryReadDate(wf.Trigger, changes.Current, out var actual))
        {
            return TriggerMatch.No($"Field '{field}' is {JsonValues.Describe(now)}, not a date, so the date {scheduled} is no longer the record's.");
        }

        if (actual != expected)
        {
            return TriggerMatch.No($"Field '{field}' is now {JsonValues.Describe(now)}; the date {scheduled} this event was scheduled for has moved.");
        }

        var offset = string.IsNullOrWhiteSpace(wf.Trigger.Offset) ? "" : $" {wf.Trigger.Offset.Trim()}";
        return TriggerMatch.Yes($"Field '{field}' ({JsonValues.Describe(now)}){offset} was reached.");
    }

    private static string? DataString(CrmEvent evt, string name) =>
        JsonValues.Field(evt.Data, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
}
