using System.Text.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Triggers;

/// <summary>Derives what an event changed on a record by diffing the record before and after it.</summary>
public static class ChangeDeriver
{
    /// <summary>
    /// Derives the changes of <paramref name="evt"/>.
    /// <para>Before: the event's <c>previous</c>, else <paramref name="storedPrevious"/> (the snapshot the store kept
    /// from earlier events), else nothing. With nothing before, every field present now counts as changed from
    /// nothing and the record counts as created: the first event seen about a record is its creation as far as
    /// workflows can tell, so a lead first seen in stage SQL has entered SQL.</para>
    /// <para>After: <paramref name="current"/> when given, else the event's <c>record</c>. It must be the FULL
    /// record after the event: a field missing from it counts as removed. For a CRM that sends only the changed
    /// fields, the caller merges them over the stored snapshot and passes the result here.
    /// With no record after (a delete that carries none), no field change is derived.</para>
    /// </summary>
    public static ChangeSet Derive(CrmEvent evt, JsonElement? storedPrevious, JsonElement? current = null)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var before = AsObject(evt.Previous) ?? AsObject(storedPrevious);
        var after = AsObject(current) ?? AsObject(evt.Record);

        var fields = after is null ? new Dictionary<string, FieldChange>(StringComparer.Ordinal) : Diff(before, after.Value);
        var numbers = new Dictionary<string, NumberChange>(StringComparer.Ordinal);
        foreach (var (name, change) in fields)
        {
            var from = JsonValues.Number(change.From);
            var to = JsonValues.Number(change.To);
            if (from is not null || to is not null)
            {
                numbers[name] = new NumberChange(from, to);
            }
        }

        return new ChangeSet
        {
            Previous = before,
            Current = after,
            Fields = fields,
            Numbers = numbers,
            Status = fields.GetValueOrDefault(WellKnownFields.Status),
            Health = fields.GetValueOrDefault(WellKnownFields.Health),
            Stage = StageOf(fields, before, after),
            Created = string.Equals(evt.Type, EventTypes.RecordCreated, StringComparison.Ordinal) || before is null,
            Deleted = string.Equals(evt.Type, EventTypes.RecordDeleted, StringComparison.Ordinal),
        };
    }

    private static Dictionary<string, FieldChange> Diff(JsonElement? before, JsonElement after)
    {
        var old = Properties(before);
        var now = Properties(after);
        var changes = new Dictionary<string, FieldChange>(StringComparer.Ordinal);
        foreach (var (name, value) in now)
        {
            var from = old.GetValueOrDefault(name);
            if (!SameValue(from, value))
            {
                changes[name] = new FieldChange(from, value);
            }
        }

        foreach (var (name, value) in old)
        {
            if (!now.ContainsKey(name) && value is not null)
            {
                changes[name] = new FieldChange(value, null);
            }
        }

        return changes;
    }

    /// <summary>Properties by name, null standing for JSON null; a repeated name keeps its last value, as most parsers do.</summary>
    private static Dictionary<string, JsonElement?> Properties(JsonElement? obj)
    {
        var result = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        if (obj is { } o)
        {
            foreach (var p in o.EnumerateObject())
            {
                result[p.Name] = JsonValues.IsNothing(p.Value) ? null : p.Value.Clone();
            }
        }

        return result;
    }

    private static bool SameValue(JsonElement? a, JsonElement? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return JsonElement.DeepEquals(a.Value, b.Value);
    }

    private static StageChange? StageOf(Dictionary<string, FieldChange> fields, JsonElement? before, JsonElement? after)
    {
        fields.TryGetValue(WellKnownFields.Stage, out var stage);
        fields.TryGetValue(WellKnownFields.Pipeline, out var pipeline);
        var stageBefore = JsonValues.Text(JsonValues.Field(before, WellKnownFields.Stage));
        var stageAfter = JsonValues.Text(JsonValues.Field(after, WellKnownFields.Stage));

        // A pipeline move only changes the stage when the record is in a stage on at least one side.
        if (stage is null && (pipeline is null || (stageBefore is null && stageAfter is null)))
        {
            return null;
        }

        return new StageChange(
            Exited: stageBefore,
            Entered: stageAfter,
            PreviousPipeline: JsonValues.Text(JsonValues.Field(before, WellKnownFields.Pipeline)),
            Pipeline: JsonValues.Text(JsonValues.Field(after, WellKnownFields.Pipeline)));
    }

    private static JsonElement? AsObject(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Object } o ? o : null;
}
