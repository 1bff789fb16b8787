using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Schedules;
using Cronos;

namespace Automation.Engine.Validation;

/// <summary>Checks the trigger: a known type and the parameters that type needs (see <see cref="Trigger"/>).</summary>
internal static class TriggerRules
{
    private const string Path = "trigger";

    /// <summary>The exit trigger's name before segments were saved on their own.</summary>
    private const string LegacySegmentExit = "segment.left";

    private static readonly string TypeList = string.Join(", ", TriggerTypes.All);

    public static void Check(ValidationContext ctx, JsonElement root)
    {
        if (!ValidationContext.TryGet(root, "trigger", out var trigger))
        {
            ctx.Error(Path, "A workflow needs a trigger, e.g. { \"type\": \"record.created\" }.");
            return;
        }

        if (trigger.ValueKind != JsonValueKind.Object)
        {
            ctx.Error(Path, "The trigger must be an object with a 'type', e.g. { \"type\": \"record.created\" }.");
            return;
        }

        CheckKinds(ctx, trigger);

        var type = ctx.RequiredString(trigger, "type", Path, $"The trigger needs a type. Use one of: {TypeList}.");
        if (type is null)
        {
            return;
        }

        if (type == LegacySegmentExit)
        {
            ctx.Error(JsonPaths.Property(Path, "type"), $"'{LegacySegmentExit}' is now '{TriggerTypes.SegmentExited}', and names a saved segment by id (see /api/segments).");
            return;
        }

        if (!TriggerTypes.IsKnown(type))
        {
            ctx.Error(JsonPaths.Property(Path, "type"), $"Unknown trigger type '{ValueFormats.Show(type)}'. Use one of: {TypeList}.");
            return;
        }

        switch (type)
        {
            case TriggerTypes.FieldChanged:
                ctx.RequiredString(trigger, "field", Path, "A field.changed trigger needs the field to watch, e.g. \"email\".");
                break;
            case TriggerTypes.StageEntered or TriggerTypes.StageExited:
                ctx.RequiredString(trigger, "stage", Path, $"A {type} trigger needs the stage, e.g. \"SQL\".");
                break;
            case TriggerTypes.ScoreCrossed:
                CheckScore(ctx, trigger);
                break;
            case TriggerTypes.SegmentEntered or TriggerTypes.SegmentExited:
                CheckSegment(ctx, trigger, type, required: true);
                break;
            case TriggerTypes.NamedEvent:
                ctx.RequiredString(trigger, "name", Path, "An event trigger needs the event's name, e.g. \"demo.requested\".");
                break;
            case TriggerTypes.Schedule:
                CheckSchedule(ctx, trigger);
                break;
            case TriggerTypes.DateReached:
                CheckDateReached(ctx, trigger);
                break;
        }

        // Another type ignores a segment, but it is still read into the model, so it must be well formed.
        if (type is not (TriggerTypes.SegmentEntered or TriggerTypes.SegmentExited) && ValidationContext.TryGet(trigger, "segment", out _))
        {
            CheckSegment(ctx, trigger, type, required: false);
        }
    }

    /// <summary>Whatever the type, a parameter that is given must have the kind the model reads it as.</summary>
    private static void CheckKinds(ValidationContext ctx, JsonElement trigger)
    {
        foreach (var name in (string[])["field", "stage", "pipeline", "direction", "name", "cron", "timeZone", "catchUp", "offset"])
        {
            ctx.OptionalString(trigger, name, Path);
        }

        if (ValidationContext.TryGet(trigger, "threshold", out var threshold) && threshold.ValueKind != JsonValueKind.Number)
        {
            ctx.Error(JsonPaths.Property(Path, "threshold"), $"'threshold' must be a number, not {ValueFormats.Describe(threshold.ValueKind)}.");
        }

        if (ValidationContext.TryGet(trigger, "overRecords", out var overRecords)
            && overRecords.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            ctx.Error(JsonPaths.Property(Path, "overRecords"), "'overRecords' must be true or false.");
        }
    }

    private static void CheckScore(ValidationContext ctx, JsonElement trigger)
    {
        if (!ValidationContext.TryGet(trigger, "threshold", out _))
        {
            ctx.Error(JsonPaths.Property(Path, "threshold"), "A score.crossed trigger needs a threshold (a number), e.g. 80.");
        }

        var direction = ctx.RequiredString(trigger, "direction", Path, "A score.crossed trigger needs a direction: up or down.");
        if (direction is not null and not ("up" or "down"))
        {
            ctx.Error(JsonPaths.Property(Path, "direction"), $"Direction must be up or down, not '{ValueFormats.Show(direction)}'.");
        }
    }

    /// <summary>
    /// The trigger names a stored segment by id; whether that segment exists (and lists the workflow's module) is
    /// checked by the API, which can read the store.
    /// </summary>
    private static void CheckSegment(ValidationContext ctx, JsonElement trigger, string type, bool required)
    {
        var path = JsonPaths.Property(Path, "segment");
        if (ValidationContext.TryGet(trigger, "segment", out var segment) && segment.ValueKind == JsonValueKind.Object)
        {
            ctx.Error(path, "Name a saved segment by its id (a text such as \"hot-leads\"); segments are no longer written into the trigger: create it with POST /api/segments.");
            return;
        }

        var id = required
            ? ctx.RequiredString(trigger, "segment", Path, $"A {type} trigger needs the id of a segment (see /api/segments), e.g. \"hot-leads\".")
            : ctx.OptionalString(trigger, "segment", Path);
        if (id is not null && !SegmentIds.IsValid(id))
        {
            ctx.Error(path, $"'{ValueFormats.Show(id)}' is not a segment id: {SegmentIds.Rule}.");
        }
    }

    private static void CheckSchedule(ValidationContext ctx, JsonElement trigger)
    {
        var cron = ctx.RequiredString(trigger, "cron", Path,
            "A schedule trigger needs a cron expression, e.g. \"0 9 * * MON\" for Mondays at 9:00.");
        if (cron is not null)
        {
            CheckCron(ctx, cron);
        }

        CheckTimeZone(ctx, trigger);
        ctx.OptionalChoice(trigger, "catchUp", Path, [CatchUp.Skip, CatchUp.Latest]);
    }

    private static void CheckDateReached(ValidationContext ctx, JsonElement trigger)
    {
        ctx.RequiredString(trigger, "field", Path,
            "A date.reached trigger needs the record's date field, e.g. \"dueDate\" or \"renewalDate\".");
        var offset = ctx.OptionalString(trigger, "offset", Path);
        if (offset is not null && !DateTrigger.TryParseOffset(offset, out _))
        {
            ctx.Error(JsonPaths.Property(Path, "offset"),
                $"The offset '{ValueFormats.Show(offset)}' is not valid: use a signed amount and a unit (s, m, h, d, w), e.g. \"+1d\", \"-30d\" or \"7d\", at most {DateTrigger.MaxOffset.Days} days either way.");
        }

        CheckTimeZone(ctx, trigger);
    }

    private static void CheckTimeZone(ValidationContext ctx, JsonElement trigger)
    {
        var timeZone = ctx.OptionalString(trigger, "timeZone", Path);
        if (timeZone is not null && !IsKnownTimeZone(timeZone))
        {
            ctx.Error(JsonPaths.Property(Path, "timeZone"),
                $"Unknown time zone '{ValueFormats.Show(timeZone)}'. Use an IANA id such as Europe/Paris, America/New_York or UTC.");
        }
    }

    private static void CheckCron(ValidationContext ctx, string cron)
    {
        var path = JsonPaths.Property(Path, "cron");
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;

        // Macros such as @daily are one field; Cronos reads them in either format.
        CronFormat format;
        switch (fields)
        {
            case 5 or 1:
                format = CronFormat.Standard;
                break;
            case 6:
                format = CronFormat.IncludeSeconds;
                break;
            default:
                ctx.Error(path, $"A cron expression has 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first; '{ValueFormats.Show(cron)}' has {fields}.");
                return;
        }

        try
        {
            CronExpression.Parse(cron.Trim(), format);
        }
        catch (CronFormatException ex)
        {
            ctx.Error(path, $"The cron expression '{ValueFormats.Show(cron)}' is not valid: {ex.Message}");
        }
    }

    private static bool IsKnownTimeZone(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
