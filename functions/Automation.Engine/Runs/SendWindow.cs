using System.Globalization;
using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Model;

namespace Automation.Engine.Runs;

/// <summary>
/// The hours a communication step may go out in: <c>{ "days": ["mon", ..., "fri"], "start": "09:00", "end": "17:00",
/// "timeZone": "America/New_York" }</c>. <c>timeZone</c> is an IANA id or a field of the record
/// (<c>record.timeZone</c>), with <c>fallbackTimeZone</c> (else UTC) when that field is empty or unknown. Days default
/// to every day, start to 00:00, end to 24:00. An end before the start spans midnight (22:00-06:00), counted on the day
/// it starts. Whether the window is open is judged on the local wall clock, so daylight saving changes move it with
/// the clock. An opening that falls in a skipped hour (spring forward) moves forward by the gap; one in a repeated
/// hour (fall back) is the first of the two.
/// </summary>
public sealed record SendWindow(IReadOnlySet<DayOfWeek> Days, TimeSpan Start, TimeSpan End, TimeZoneInfo TimeZone)
{
    public const string Parameter = "sendWindow";

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = DayOfWeek.Monday, ["monday"] = DayOfWeek.Monday,
        ["tue"] = DayOfWeek.Tuesday, ["tuesday"] = DayOfWeek.Tuesday,
        ["wed"] = DayOfWeek.Wednesday, ["wednesday"] = DayOfWeek.Wednesday,
        ["thu"] = DayOfWeek.Thursday, ["thursday"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["friday"] = DayOfWeek.Friday,
        ["sat"] = DayOfWeek.Saturday, ["saturday"] = DayOfWeek.Saturday,
        ["sun"] = DayOfWeek.Sunday, ["sunday"] = DayOfWeek.Sunday,
    };

    private bool SpansMidnight => End <= Start;

    /// <summary>True when <paramref name="at"/> is inside the window.</summary>
    public bool IsOpen(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZone).DateTime;
        var time = local.TimeOfDay;
        if (!SpansMidnight)
        {
            return Days.Contains(local.DayOfWeek) && time >= Start && time < End;
        }

        // 22:00-06:00 on Friday holds Friday 22:00 to Saturday 06:00.
        return (Days.Contains(local.DayOfWeek) && time >= Start)
            || (Days.Contains(local.AddDays(-1).DayOfWeek) && time < End);
    }

    /// <summary><paramref name="now"/> when the window is open; else the next instant it opens (never earlier than now).</summary>
    public DateTimeOffset NextOpening(DateTimeOffset now)
    {
        if (IsOpen(now))
        {
            return now;
        }

        var today = TimeZoneInfo.ConvertTime(now, TimeZone).DateTime.Date;
        for (var d = 0; d <= 8; d++)
        {
            var date = today.AddDays(d);
            if (!Days.Contains(date.DayOfWeek))
            {
                continue;
            }

            var opening = ToInstant(date + Start);
            if (opening > now)
            {
                return opening;
            }
        }

        throw new InvalidOperationException("A send window with at least one day always opens within a week.");
    }

    /// <summary>"Mon-Fri 09:00-17:00 America/New_York", for logs and dry runs.</summary>
    public string Describe()
    {
        var days = Days.Count == 7
            ? "every day"
            : string.Join(",", Enum.GetValues<DayOfWeek>().Where(Days.Contains).Select(d => d.ToString()[..3]));
        return string.Create(CultureInfo.InvariantCulture, $"{days} {Clock(Start)}-{Clock(End)} {TimeZone.Id}");
    }

    /// <summary>
    /// Reads a window as rendered for a run (or written in a definition). The record gives <c>record.*</c> time zones;
    /// errors are keyed by the window's own fields (<c>days[1]</c>, <c>start</c>, <c>timeZone</c>).
    /// <paramref name="allowTemplates"/> leaves values holding template markup unchecked (a definition being validated).
    /// </summary>
    public static SendWindowParse Parse(JsonElement value, EvaluationScope? scope, bool allowTemplates = false)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors[""] = "A send window must be an object such as { \"days\": [\"mon\", \"fri\"], \"start\": \"09:00\", \"end\": \"17:00\", \"timeZone\": \"Europe/Paris\" }.";
            return new SendWindowParse(null, errors);
        }

        var days = new HashSet<DayOfWeek>();
        var start = TimeSpan.Zero;
        var end = Day;
        string? zoneText = null;
        string? fallbackText = null;
        var templated = false;
        foreach (var property in value.EnumerateObject())
        {
            switch (property.Name)
            {
                case "days":
                    templated |= ReadDays(property.Value, days, errors, allowTemplates);
                    break;
                case "start":
                    templated |= ReadClock(property.Value, "start", allowStartOfNextDay: false, ref start, errors, allowTemplates);
                    break;
                case "end":
                    templated |= ReadClock(property.Value, "end", allowStartOfNextDay: true, ref end, errors, allowTemplates);
                    break;
                case "timeZone":
                    zoneText = Text(property.Value, "timeZone", errors);
                    break;
                case "fallbackTimeZone":
                    fallbackText = Text(property.Value, "fallbackTimeZone", errors);
                    break;
                default:
                    errors[property.Name] = $"A send window has no '{property.Name}'; it takes days, start, end, timeZone and fallbackTimeZone.";
                    break;
            }
        }

        if (!value.TryGetProperty("days", out _))
        {
            days.UnionWith(Enum.GetValues<DayOfWeek>());
        }

        if (!templated && start == end)
        {
            errors["end"] = "The window's end must differ from its start.";
        }

        var fallback = TimeZoneInfo.Utc;
        if (fallbackText is not null && !IsTemplate(fallbackText, allowTemplates) && !TryZone(fallbackText, out fallback))
        {
            errors["fallbackTimeZone"] = $"'{fallbackText}' is not a known time zone (use an IANA name such as Europe/Paris).";
        }

        var zone = fallback;
        if (zoneText is not null && !IsTemplate(zoneText, allowTemplates))
        {
            zone = ResolveZone(zoneText.Trim(), fallback, scope, errors);
        }

        return errors.Count > 0 || templated ? new SendWindowParse(null, errors) : new SendWindowParse(new SendWindow(days, start, end, zone), errors);
    }

    private static TimeZoneInfo ResolveZone(string text, TimeZoneInfo fallback, EvaluationScope? scope, Dictionary<string, string> errors)
    {
        if (FieldPath.HasKnownRoot(text) && text.Contains('.', StringComparison.Ordinal))
        {
            // A field of the record: unknown until run time; an empty or unknown value falls back.
            var field = scope is null ? null : FieldPath.Resolve(scope, text);
            return field is { ValueKind: JsonValueKind.String } f && TryZone(f.GetString()!.Trim(), out var fromRecord) ? fromRecord : fallback;
        }

        if (TryZone(text, out var zone))
        {
            return zone;
        }

        errors["timeZone"] = $"'{text}' is not a known time zone; use an IANA name such as Europe/Paris, or a field such as record.timeZone.";
        return fallback;
    }

    private static bool ReadDays(JsonElement value, HashSet<DayOfWeek> days, Dictionary<string, string> errors, bool allowTemplates)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors["days"] = "days must be a list such as [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"].";
            return false;
        }

        var templated = false;
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"days[{i++}]");
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim() : null;
            if (text is not null && IsTemplate(text, allowTemplates))
            {
                templated = true;
            }
            else if (text is not null && DayNames.TryGetValue(text, out var day))
            {
                days.Add(day);
            }
            else
            {
                errors[path] = $"'{item}' is not a day; use mon, tue, wed, thu, fri, sat or sun.";
            }
        }

        if (i == 0)
        {
            errors["days"] = "days must name at least one day.";
        }

        return templated;
    }

    private static bool ReadClock(
        JsonElement value, string name, bool allowStartOfNextDay, ref TimeSpan target, Dictionary<string, string> errors, bool allowTemplates)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.Trim() : null;
        if (text is not null && IsTemplate(text, allowTemplates))
        {
            return true;
        }

        if (text is not null && TryClock(text, allowStartOfNextDay, out var clock))
        {
            target = clock;
        }
        else
        {
            errors[name] = $"{name} must be a time of day such as 09:00 (24-hour clock){(allowStartOfNextDay ? ", or 24:00" : "")}; '{value}' is not.";
        }

        return false;
    }

    private static bool TryClock(string text, bool allowStartOfNextDay, out TimeSpan clock)
    {
        clock = default;
        if (allowStartOfNextDay && text is "24:00")
        {
            clock = Day;
            return true;
        }

        return text.Length == 5 && text[2] == ':'
            && TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out clock)
            && clock < Day;
    }

    private static string? Text(JsonElement value, string name, Dictionary<string, string> errors)
    {
        if (value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
        {
            return value.GetString();
        }

        errors[name] = $"{name} must be a time zone name such as Europe/Paris.";
        return null;
    }

    private static bool IsTemplate(string text, bool allowTemplates) =>
        allowTemplates && (text.Contains("{{", StringComparison.Ordinal) || text.Contains("{%", StringComparison.Ordinal));

    private static bool TryZone(string id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }

        return false;
    }

    /// <summary>Wall-clock time in the window's zone to an instant: a skipped time moves forward by the gap, a repeated one is the first.</summary>
    private DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (TimeZone.IsInvalidTime(local))
        {
            // The offset in force before the jump maps the skipped time to the same distance past the jump.
            var before = TimeZone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local - before, TimeSpan.Zero);
        }

        if (TimeZone.IsAmbiguousTime(local))
        {
            var offsets = TimeZone.GetAmbiguousTimeOffsets(local);
            var first = offsets.Max();
            return new DateTimeOffset(local - first, TimeSpan.Zero);
        }

        return new DateTimeOffset(local - TimeZone.GetUtcOffset(local), TimeSpan.Zero);
    }

    private static string Clock(TimeSpan t) =>
        t == Day ? "24:00" : t.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}

/// <summary>A parsed window, or the errors by the window's field (empty key: the whole value). Window is null when any value is still a template.</summary>
public sealed record SendWindowParse(SendWindow? Window, IReadOnlyDictionary<string, string> Errors)
{
    public bool Ok => Errors.Count == 0;
}
