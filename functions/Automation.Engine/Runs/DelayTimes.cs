using System.Globalization;

namespace Automation.Engine.Runs;

/// <summary>Reads the date-time a delay's <c>until</c> renders to.</summary>
public static class DelayTimes
{
    /// <summary>
    /// An ISO 8601 date or date-time. With an offset (<c>Z</c>, <c>+02:00</c>) it is that instant; without one
    /// (<c>2025-03-01</c>, <c>2025-03-01T09:00</c>) it is a wall-clock time in <paramref name="timeZone"/>, the
    /// workflow's time zone, because that is what a CRM date field means to the people who set it.
    /// </summary>
    public static bool TryParse(string text, TimeZoneInfo timeZone, out DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        at = default;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var local))
        {
            return false;
        }

        if (local.Kind != DateTimeKind.Unspecified)
        {
            return DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
        }

        // A wall-clock time skipped by a daylight-saving jump does not exist; the offset before the jump moves it forward.
        var offset = timeZone.IsInvalidTime(local)
            ? timeZone.GetUtcOffset(local.AddHours(-3))
            : timeZone.GetUtcOffset(local);
        at = new DateTimeOffset(local, offset).ToUniversalTime();
        return true;
    }
}
