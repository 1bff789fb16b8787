using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Triggers;

namespace Automation.Engine.Schedules;

/// <summary>
/// A <c>date.reached</c> trigger: a record's date field plus an offset. <c>{ "field": "dueDate", "offset": "+1d" }</c>
/// fires a day after the due date; <c>"-30d"</c> on <c>renewalDate</c> thirty days before it; <c>"7d"</c> on
/// <c>lastActivityAt</c> when a deal has seen no activity for a week (a new activity moves the date, and with it the
/// instant). It fires once per record and date value: the event id names the value, so a second wake-up for the same
/// value is a duplicate, and a new value (the due date moved) fires again.
/// <para>Dates are read as conditions read them (<see cref="ValueComparer.TryParseAbsoluteDate"/>): ISO 8601 dates or
/// date-times; a date without an offset is local time in the trigger's <c>timeZone</c> (default UTC), so
/// <c>"2026-04-01"</c> means midnight there. Offsets are exact durations (<c>1d</c> is 24 hours).</para>
/// </summary>
public static partial class DateTrigger
{
    /// <summary>Ten years either way: enough for any reminder, small enough that date + offset never overflows.</summary>
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(3660);

    /// <summary><c>[+|-]N unit</c> with unit s, m, h, d or w; no sign means after. Empty means 0.</summary>
    public static bool TryParseOffset(string? text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var match = OffsetPattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        var unit = match.Groups["unit"].Value switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            _ => TimeSpan.FromDays(7),
        };
        if (amount > MaxOffset.Ticks / unit.Ticks)
        {
            return false;
        }

        offset = TimeSpan.FromTicks(unit.Ticks * amount);
        if (match.Groups["sign"].Value == "-")
        {
            offset = -offset;
        }

        return true;
    }

    /// <summary>The trigger's field without a <c>record.</c> prefix.</summary>
    public static string? FieldName(Trigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var field = trigger.Field?.Trim();
        if (string.IsNullOrEmpty(field))
        {
            return null;
        }

        return field.StartsWith("record.", StringComparison.Ordinal) ? field["record.".Length..] : field;
    }

    /// <summary>The record's date for this trigger; false when the field is missing, empty or not a date.</summary>
    public static bool TryReadDate(Trigger trigger, JsonElement? record, out DateTimeOffset value)
    {
        value = default;
        var field = FieldName(trigger);
        if (field is null || JsonValues.Field(record, field) is not { ValueKind: JsonValueKind.String } text
            || !TimeZones.TryFind(trigger.TimeZone, out var zone))
        {
            return false;
        }

        return ValueComparer.TryParseAbsoluteDate(text.GetString()!, zone, out value);
    }

    /// <summary>When the trigger fires for a record whose date is <paramref name="value"/>; null when the offset is unusable.</summary>
    public static DateTimeOffset? DueAt(Trigger trigger, DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return TryParseOffset(trigger.Offset, out var offset) ? value.ToUniversalTime() + offset : null;
    }

    /// <summary>The record's date and when the trigger fires for it, or null when the record has no usable date.</summary>
    public static (DateTimeOffset Value, DateTimeOffset Due)? Read(Trigger trigger, JsonElement? record) =>
        TryReadDate(trigger, record, out var value) && DueAt(trigger, value) is { } due ? (value, due) : null;

    /// <summary>A date value as event ids and wake-ups carry it: the instant in UTC, to the tick, trailing zeros dropped.</summary>
    public static string ValueKey(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static bool TryParseValueKey(string? key, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(key, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    /// <summary><c>date:{workflowId}:{recordId}:{value}</c>: one event per workflow, record and date value.</summary>
    public static string EventId(string workflowId, string recordId, DateTimeOffset value) =>
        $"date:{workflowId}:{recordId}:{ValueKey(value)}";

    /// <summary>
    /// The event that enrolls the record: no <c>record</c> (the processor uses the stored snapshot, so the conditions
    /// see the record as it is when the date is reached), the date in <c>data</c>. <paramref name="causation"/> is the
    /// chain that set the date, one step deeper, so that workflows re-arming each other's dates stop at the loop limit.
    /// </summary>
    public static CrmEvent Event(Workflow wf, string recordId, DateTimeOffset value, DateTimeOffset due, Causation? causation = null)
    {
        ArgumentNullException.ThrowIfNull(wf);
        var data = new Dictionary<string, object?>
        {
            ["workflowId"] = wf.Id,
            ["field"] = FieldName(wf.Trigger),
            ["value"] = ValueKey(value),
            ["offset"] = wf.Trigger.Offset ?? "0d",
            ["dueAt"] = ValueKey(due),
        };
        return new CrmEvent
        {
            Id = EventId(wf.Id!, recordId, value),
            Type = EventTypes.DateReached,
            Module = wf.Module,
            RecordId = recordId,
            OccurredAt = due,
            Data = JsonSerializer.SerializeToElement(data),
            Causation = causation is null ? null : causation with { Depth = causation.Depth + 1 },
        };
    }

    [GeneratedRegex(@"^\s*(?<sign>[+-]?)(?<n>\d{1,9})\s*(?<unit>[smhdw])\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();
}
