using Automation.Engine.Runs;

namespace Automation.Engine.Tests.Runs;

public class DelayTimesTests
{
    [Theory]
    [InlineData("2026-04-01T09:00:00Z", "UTC", "2026-04-01T09:00:00+00:00")]
    [InlineData("2026-04-01T09:00:00+02:00", "UTC", "2026-04-01T07:00:00+00:00")]
    [InlineData("2026-04-01T09:00:00+02:00", "America/New_York", "2026-04-01T07:00:00+00:00")]
    [InlineData("2026-04-01T09:00", "Europe/Paris", "2026-04-01T07:00:00+00:00")]
    [InlineData("2026-01-15", "Europe/Paris", "2026-01-14T23:00:00+00:00")]
    [InlineData(" 2026-01-15 ", "UTC", "2026-01-15T00:00:00+00:00")]
    public void A_rendered_until_is_an_instant_and_wall_clock_times_are_in_the_scopes_zone(string text, string zone, string expected)
    {
        Assert.True(DelayTimes.TryParse(text, TimeZoneInfo.FindSystemTimeZoneById(zone), out var at));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
        Assert.Equal(TimeSpan.Zero, at.Offset);
    }

    [Theory]
    [InlineData("next tuesday")]
    [InlineData("03/01/2026")]
    [InlineData("2026-13-01")]
    [InlineData("")]
    public void Anything_but_an_ISO_8601_date_is_refused(string text)
    {
        Assert.False(DelayTimes.TryParse(text, TimeZoneInfo.Utc, out _));
    }
}
