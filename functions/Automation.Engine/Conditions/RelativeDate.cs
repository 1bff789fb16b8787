using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Engine.Conditions;

/// <summary>
/// Dates relative to the evaluation's <c>now</c>: <c>now</c>, <c>today</c>, <c>yesterday</c>, <c>tomorrow</c>
/// (midnight in the scope's time zone), and offsets <c>[+|-]N unit</c> with unit <c>s</c>, <c>m</c>, <c>h</c>,
/// <c>d</c>, <c>w</c> (<c>-7d</c>, <c>+2h</c>, <c>30m</c>; no sign means the future). Offsets are exact
/// durations from now, not calendar boundaries: <c>-7d</c> is 168 hours ago.
/// </summary>
public static partial class RelativeDate
{
    // Keeps numbers small enough that now ± offset never overflows DateTimeOffset.
    private const int MaxAmount = 1_000_000;

    /// <summary>True when <paramref name="text"/> is a relative date this class understands; needs no clock.</summary>
    public static bool IsValid(string text) => TryParseOffset(text, out _) || IsKeyword(text);

    /// <summary>Resolves <paramref name="text"/> against <paramref name="now"/>; false when it is not a relative date.</summary>
    public static bool TryParse(string text, DateTimeOffset now, TimeZoneInfo timeZone, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        value = default;
        if (text is null)
        {
            return false;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "now":
                value = now;
                return true;
            case "today":
                value = StartOfLocalDay(now, timeZone, 0);
                return true;
            case "yesterday":
                value = StartOfLocalDay(now, timeZone, -1);
                return true;
            case "tomorrow":
                value = StartOfLocalDay(now, timeZone, 1);
                return true;
        }

        if (!TryParseOffset(text, out var offset))
        {
            return false;
        }

        value = now + offset;
        return true;
    }

    /// <summary>
    /// The instant a local wall-clock time in <paramref name="timeZone"/> stands for. A time that falls in a
    /// daylight-saving gap moves forward to the first valid minute; an ambiguous one takes the earlier instant.
    /// </summary>
    public static DateTimeOffset FromLocal(DateTime local, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var guard = 0;
        while (timeZone.IsInvalidTime(local) && guard++ < 24 * 60)
        {
            local = local.AddMinutes(1);
        }

        var offset = timeZone.IsAmbiguousTime(local)
            ? timeZone.GetAmbiguousTimeOffsets(local).Max()
            : timeZone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private static DateTimeOffset StartOfLocalDay(DateTimeOffset now, TimeZoneInfo timeZone, int days)
    {
        var localToday = TimeZoneInfo.ConvertTime(now, timeZone).Date;
        return FromLocal(localToday.AddDays(days), timeZone);
    }

    private static bool IsKeyword(string text) => text.Trim().ToLowerInvariant() is "now" or "today" or "yesterday" or "tomorrow";

    private static bool TryParseOffset(string text, out TimeSpan offset)
    {
        offset = default;
        if (text is null)
        {
            return false;
        }

        var match = OffsetPattern().Match(text);
        if (!match.Success
            || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount > MaxAmount)
        {
            return false;
        }

        if (match.Groups["sign"].Value == "-")
        {
            amount = -amount;
        }

        offset = match.Groups["unit"].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromDays(7.0 * amount),
        };
        return true;
    }

    [GeneratedRegex(@"^\s*(?<sign>[+-]?)(?<n>\d{1,7})(?<unit>[smhdw])\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetPattern();
}
