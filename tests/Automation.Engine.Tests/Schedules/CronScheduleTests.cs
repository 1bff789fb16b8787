using Automation.Engine.Model;
using Automation.Engine.Schedules;

namespace Automation.Engine.Tests.Schedules;

/// <summary>Occurrences in a time zone, across daylight-saving changes, as Cronos computes them.</summary>
public class CronScheduleTests
{
    private static CronSchedule Schedule(string cron, string? timeZone) =>
        CronSchedule.For(new Trigger { Type = TriggerTypes.Schedule, Cron = cron, TimeZone = timeZone });

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Between(CronSchedule schedule, string from, string to) =>
        schedule.Between(Utc(from), Utc(to)).Select(ScheduleEvents.Key).ToArray();

    [Fact]
    public void A_daily_local_time_moves_in_utc_when_paris_springs_forward()
    {
        var nine = Schedule("0 9 * * *", "Europe/Paris");

        Assert.Equal(
            ["2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z"],
            Between(nine, "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z"));
    }

    [Fact]
    public void A_time_in_the_spring_forward_gap_fires_once_at_the_end_of_the_gap()
    {
        // 29 March 2026 in Paris: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day.
        var halfPastTwo = Schedule("30 2 * * *", "Europe/Paris");

        Assert.Equal(
            ["2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"],
            Between(halfPastTwo, "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z"));
    }

    [Fact]
    public void A_time_in_the_fall_back_overlap_fires_once_at_its_first_instance()
    {
        // 25 October 2026 in Paris: 02:30 happens twice, at 00:30Z (CEST) and 01:30Z (CET).
        var halfPastTwo = Schedule("30 2 * * *", "Europe/Paris");

        Assert.Equal(
            ["2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
            Between(halfPastTwo, "2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z"));
    }

    [Fact]
    public void An_interval_fires_in_both_instances_of_the_repeated_hour_in_new_york()
    {
        // 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:00 to 02:00 local happens twice.
        var halfHourly = Schedule("*/30 * * * *", "America/New_York");

        Assert.Equal(
            ["2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z"],
            Between(halfHourly, "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z"));
    }

    [Fact]
    public void New_york_skips_the_missing_hour_when_it_springs_forward()
    {
        // 8 March 2026: 02:00 EST jumps to 03:00 EDT (07:00Z); local 02:00 and 02:30 do not exist.
        var halfHourly = Schedule("*/30 * * * *", "America/New_York");

        Assert.Equal(
            ["2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"],
            Between(halfHourly, "2026-03-08T06:00:00Z", "2026-03-08T07:30:00Z"));
    }

    [Fact]
    public void Without_a_time_zone_the_schedule_is_utc()
    {
        var nine = Schedule("0 9 * * *", null);

        Assert.Equal(["2026-03-29T09:00:00Z"], Between(nine, "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"));
    }

    [Fact]
    public void Six_fields_read_as_seconds_first()
    {
        var everyTenSeconds = Schedule("*/10 * * * * *", "UTC");

        Assert.Equal(
            ["2026-03-29T09:00:10Z", "2026-03-29T09:00:20Z", "2026-03-29T09:00:30Z"],
            Between(everyTenSeconds, "2026-03-29T09:00:00Z", "2026-03-29T09:00:30Z"));
    }

    [Theory]
    [InlineData("* * * * *", "2026-03-29T08:59:00Z")]
    [InlineData("0 9 * * MON", "2026-03-23T09:00:00Z")]
    [InlineData("0 0 1 1 *", "2026-01-01T00:00:00Z")]
    [InlineData("0 0 29 2 *", "2024-02-29T00:00:00Z")]
    public void Latest_finds_the_newest_occurrence_however_sparse(string cron, string expected)
    {
        var schedule = Schedule(cron, "UTC");

        var latest = schedule.Latest(Utc("2020-01-01T00:00:00Z"), Utc("2026-03-29T08:59:30Z"));

        Assert.Equal(expected, latest is { } l ? ScheduleEvents.Key(l) : null);
    }

    [Fact]
    public void Latest_finds_nothing_when_no_occurrence_lies_in_the_range()
    {
        var yearly = Schedule("0 0 1 1 *", "UTC");

        Assert.Null(yearly.Latest(Utc("2026-01-01T00:00:00Z"), Utc("2026-12-31T00:00:00Z")));
    }

    [Theory]
    [InlineData("0 9 * *", null)]
    [InlineData("0 9 * * *", "Mars/Olympus_Mons")]
    public void An_unusable_cron_or_time_zone_is_refused(string cron, string? timeZone)
    {
        Assert.False(CronSchedule.TryParse(cron, timeZone, out _, out var error));
        Assert.NotNull(error);
    }
}
