using Automation.Engine.Conditions;

namespace Automation.Engine.Runs;

/// <summary>Reads the date-time a delay's <c>until</c> renders to.</summary>
public static class DelayTimes
{
    /// <summary>
    /// An ISO 8601 date or date-time, read as conditions read dates: with an offset (<c>Z</c>, <c>+02:00</c>) it is
    /// that instant; without one (<c>2026-03-01</c>, <c>2026-03-01T09:00</c>) it is wall-clock time in
    /// <paramref name="timeZone"/>, because that is what a CRM date field means to the people who set it.
    /// </summary>
    public static bool TryParse(string text, TimeZoneInfo timeZone, out DateTimeOffset at)
    {
        var ok = ValueComparer.TryParseAbsoluteDate(text, timeZone, out at);
        at = at.ToUniversalTime();
        return ok;
    }
}
