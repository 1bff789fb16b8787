using Automation.Engine.Conditions;

namespace Automation.Engine.Tests.Conditions;

public class RelativeDateTests
{
    [Theory]
    [InlineData("now", "2026-03-15T10:30:00Z")]
    [InlineData("today", "2026-03-15T00:00:00Z")]
    [InlineData("yesterday", "2026-03-14T00:00:00Z")]
    [InlineData("tomorrow", "2026-03-16T00:00:00Z")]
    [InlineData("-7d", "2026-03-08T10:30:00Z")]
    [InlineData("+2h", "2026-03-15T12:30:00Z")]
    [InlineData("30m", "2026-03-15T11:00:00Z")]
    [InlineData("-1w", "2026-03-08T10:30:00Z")]
    [InlineData("-90s", "2026-03-15T10:28:30Z")]
    [InlineData(" Today ", "2026-03-15T00:00:00Z")]
    public void Relative_dates_resolve_against_now(string text, string expected)
    {
        Assert.True(RelativeDate.TryParse(text, Scopes.Now, TimeZoneInfo.Utc, out var value));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("-7x")]
    [InlineData("7 days ago")]
    [InlineData("2026-03-01")]
    [InlineData("--7d")]
    [InlineData("99999999d")]
    public void Other_text_is_not_a_relative_date(string text)
    {
        Assert.False(RelativeDate.IsValid(text));
        Assert.False(RelativeDate.TryParse(text, Scopes.Now, TimeZoneInfo.Utc, out _));
    }

    [Theory]
    [InlineData("-7d", true)]
    [InlineData("tomorrow", true)]
    [InlineData("2026-03-01", true)]
    [InlineData("2026-03-01T10:00:00Z", true)]
    [InlineData("2026-03-01T10:00", true)]
    [InlineData("2026-02-30", false)]
    [InlineData("March 1st", false)]
    [InlineData("1700000000", false)]
    public void IsDateLiteral_accepts_iso_and_relative_dates_without_a_clock(string text, bool expected)
    {
        Assert.Equal(expected, ValueComparer.IsDateLiteral(text));
    }

    [Fact]
    public void Today_in_a_zone_whose_midnight_is_skipped_starts_at_the_first_valid_minute()
    {
        // Santiago moved clocks from 24:00 to 01:00 on 2025-09-07: that day has no midnight.
        var santiago = Scopes.Zone("America/Santiago");
        var now = new DateTimeOffset(2025, 9, 7, 15, 0, 0, TimeSpan.Zero);

        Assert.True(RelativeDate.TryParse("today", now, santiago, out var today));

        Assert.Equal(new DateTimeOffset(2025, 9, 7, 1, 0, 0, TimeSpan.FromHours(-3)), today);
    }
}
