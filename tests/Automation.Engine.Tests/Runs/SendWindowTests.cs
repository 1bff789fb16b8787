using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;

namespace Automation.Engine.Tests.Runs;

public class SendWindowTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static SendWindow Window(string json, string? record = null)
    {
        var scope = new EvaluationScope { Now = DateTimeOffset.UnixEpoch, Record = record is null ? null : Parse(record) };
        var parsed = SendWindow.Parse(Parse(json), scope);
        Assert.True(parsed.Ok, string.Join("; ", parsed.Errors.Select(e => $"{e.Key}: {e.Value}")));
        return parsed.Window!;
    }

    private static JsonElement Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private const string Weekdays = """{ "days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00", "timeZone": "America/New_York" }""";

    [Theory]
    [InlineData("2026-03-10T13:00:00Z", true)] // Tuesday 09:00 EDT: the first minute is in
    [InlineData("2026-03-10T12:59:59Z", false)] // Tuesday 08:59:59 EDT
    [InlineData("2026-03-10T20:59:59Z", true)] // Tuesday 16:59:59 EDT
    [InlineData("2026-03-10T21:00:00Z", false)] // Tuesday 17:00 EDT: the end is out
    [InlineData("2026-03-14T15:00:00Z", false)] // Saturday 11:00 EDT
    [InlineData("2026-03-14T02:00:00Z", false)] // Friday 22:00 EDT, already Saturday in UTC
    public void Whether_the_window_is_open_is_judged_on_the_local_clock(string at, bool open)
    {
        Assert.Equal(open, Window(Weekdays).IsOpen(Utc(at)));
    }

    [Theory]
    [InlineData("2026-03-10T15:00:00Z", "2026-03-10T15:00:00Z")] // open now: now
    [InlineData("2026-03-10T11:00:00Z", "2026-03-10T13:00:00Z")] // Tuesday 07:00: at 09:00 the same day
    [InlineData("2026-03-10T22:00:00Z", "2026-03-11T13:00:00Z")] // Tuesday 18:00: Wednesday 09:00
    [InlineData("2026-03-13T22:00:00Z", "2026-03-16T13:00:00Z")] // Friday 18:00: Monday 09:00
    [InlineData("2026-03-15T03:00:00Z", "2026-03-16T13:00:00Z")] // Saturday 23:00: Monday 09:00
    public void Outside_the_window_the_next_opening_is_the_next_allowed_day_at_the_start(string now, string expected)
    {
        Assert.Equal(Utc(expected), Window(Weekdays).NextOpening(Utc(now)));
    }

    [Fact]
    public void Across_the_spring_change_the_opening_follows_the_local_clock()
    {
        // Saturday 2026-03-07 18:00 EST; clocks go forward on Sunday the 8th at 02:00: 09:00 EDT is 13:00 UTC, not 14:00.
        var window = Window("""{ "start": "09:00", "end": "17:00", "timeZone": "America/New_York" }""");

        Assert.Equal(Utc("2026-03-08T13:00:00Z"), window.NextOpening(Utc("2026-03-07T23:00:00Z")));
        Assert.Equal(Utc("2026-03-07T14:00:00Z"), window.NextOpening(Utc("2026-03-07T05:00:00Z")));
    }

    [Fact]
    public void Across_the_autumn_change_the_opening_follows_the_local_clock()
    {
        // Saturday 2026-10-31 18:00 EDT; clocks go back on Sunday 1 November at 02:00: 09:00 EST is 14:00 UTC.
        var window = Window("""{ "start": "09:00", "end": "17:00", "timeZone": "America/New_York" }""");

        Assert.Equal(Utc("2026-11-01T14:00:00Z"), window.NextOpening(Utc("2026-10-31T22:00:00Z")));
    }

    [Fact]
    public void An_opening_in_the_skipped_hour_moves_forward_by_the_gap()
    {
        // 02:30 does not exist on 2026-03-08 in New York; it becomes 03:30 EDT (07:30 UTC).
        var window = Window("""{ "start": "02:30", "end": "05:00", "timeZone": "America/New_York" }""");

        var opening = window.NextOpening(Utc("2026-03-08T05:00:00Z"));

        Assert.Equal(Utc("2026-03-08T07:30:00Z"), opening);
        Assert.True(window.IsOpen(opening));
    }

    [Fact]
    public void An_opening_in_the_repeated_hour_is_the_first_of_the_two()
    {
        // 01:30 happens twice on 2026-11-01 in New York: first at 05:30 UTC (EDT), again at 06:30 UTC (EST).
        var window = Window("""{ "start": "01:30", "end": "04:00", "timeZone": "America/New_York" }""");

        Assert.Equal(Utc("2026-11-01T05:30:00Z"), window.NextOpening(Utc("2026-11-01T03:00:00Z")));
    }

    [Theory]
    [InlineData("2026-03-13T23:00:00Z", true)] // Friday 23:00 UTC
    [InlineData("2026-03-14T05:59:00Z", true)] // Saturday 05:59, still Friday's window
    [InlineData("2026-03-14T06:00:00Z", false)]
    [InlineData("2026-03-14T23:00:00Z", false)] // Saturday 23:00: Saturday is not a window day
    [InlineData("2026-03-13T03:00:00Z", false)] // Friday 03:00 belongs to Thursday's night
    public void A_window_that_ends_before_it_starts_spans_midnight_from_its_day(string at, bool open)
    {
        var window = Window("""{ "days": ["fri"], "start": "22:00", "end": "06:00" }""");

        Assert.Equal(open, window.IsOpen(Utc(at)));
        Assert.Equal(Utc("2026-03-20T22:00:00Z"), window.NextOpening(Utc("2026-03-14T06:00:00Z")));
    }

    [Fact]
    public void Defaults_are_every_day_all_day_in_utc()
    {
        var window = Window("{}");

        Assert.Equal(7, window.Days.Count);
        Assert.Equal(TimeZoneInfo.Utc, window.TimeZone);
        Assert.True(window.IsOpen(Utc("2026-03-14T23:59:59Z")));
    }

    [Fact]
    public void The_time_zone_can_come_from_the_record_with_a_fallback_when_it_is_missing_or_unknown()
    {
        const string Json = """{ "start": "09:00", "end": "17:00", "timeZone": "record.timeZone", "fallbackTimeZone": "America/New_York" }""";

        Assert.Equal("Europe/Paris", Window(Json, """{ "timeZone": "Europe/Paris" }""").TimeZone.Id);
        Assert.Equal("America/New_York", Window(Json, """{ "timeZone": "Mars/Olympus" }""").TimeZone.Id);
        Assert.Equal("America/New_York", Window(Json, """{ }""").TimeZone.Id);
        Assert.Equal(TimeZoneInfo.Utc, Window("""{ "timeZone": "record.tz" }""", "{}").TimeZone);
    }

    [Theory]
    [InlineData("""{ "days": ["mon", "funday"] }""", "days[1]", "is not a day")]
    [InlineData("""{ "days": [] }""", "days", "at least one day")]
    [InlineData("""{ "days": "mon" }""", "days", "must be a list")]
    [InlineData("""{ "start": "9am" }""", "start", "time of day such as 09:00")]
    [InlineData("""{ "start": "24:00" }""", "start", "time of day")]
    [InlineData("""{ "end": "25:00" }""", "end", "or 24:00")]
    [InlineData("""{ "start": "09:00", "end": "09:00" }""", "end", "must differ from its start")]
    [InlineData("""{ "timeZone": "Mars/Olympus" }""", "timeZone", "not a known time zone")]
    [InlineData("""{ "fallbackTimeZone": "Nowhere" }""", "fallbackTimeZone", "not a known time zone")]
    [InlineData("""{ "hours": "9-5" }""", "hours", "has no 'hours'")]
    [InlineData("""[ "09:00" ]""", "", "must be an object")]
    public void A_malformed_window_is_reported_by_its_field(string json, string field, string fragment)
    {
        var parsed = SendWindow.Parse(Parse(json), scope: null);

        Assert.Null(parsed.Window);
        Assert.Contains(fragment, parsed.Errors[field], StringComparison.Ordinal);
    }

    [Fact]
    public void Templated_values_are_left_for_run_time_when_checking_a_definition()
    {
        var parsed = SendWindow.Parse(Parse("""{ "start": "{{ record.start }}", "end": "17:00", "timeZone": "{{ record.timeZone }}" }"""), null, allowTemplates: true);

        Assert.True(parsed.Ok);
        Assert.Null(parsed.Window);
    }

    [Fact]
    public void The_description_names_days_hours_and_zone()
    {
        Assert.Equal("Mon,Tue,Wed,Thu,Fri 09:00-17:00 America/New_York", Window(Weekdays).Describe());
        Assert.Equal("every day 00:00-24:00 UTC", Window("{}").Describe());
    }

    [Fact]
    public void New_York_is_the_zone_the_dst_cases_assume()
    {
        // Guards the DST cases above: they rely on 2026's US change dates.
        Assert.True(NewYork.IsInvalidTime(new DateTime(2026, 3, 8, 2, 30, 0)));
        Assert.True(NewYork.IsAmbiguousTime(new DateTime(2026, 11, 1, 1, 30, 0)));
    }
}
