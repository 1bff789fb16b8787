using Automation.Engine.Model;
using Automation.Engine.Schedules;

namespace Automation.Engine.Tests.Schedules;

/// <summary>Which occurrences a tick fires: on time, missed and skipped, missed and caught up.</summary>
public class ScheduleDueTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    private static Trigger Daily(string catchUp = CatchUp.Skip, string cron = "0 9 * * *", string? timeZone = null) =>
        new() { Type = TriggerTypes.Schedule, Cron = cron, TimeZone = timeZone, CatchUp = catchUp };

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static ScheduleDecision Decide(Trigger trigger, string since, string now) =>
        ScheduleDue.Decide(CronSchedule.For(trigger), trigger, Utc(since), Utc(now), Grace);

    private static string[] Fired(ScheduleDecision decision) =>
        decision.Fire.Select(o => ScheduleEvents.Key(o.At) + (o.Late ? " late" : "")).ToArray();

    [Fact]
    public void A_tick_right_after_an_occurrence_fires_it_on_time()
    {
        var decision = Decide(Daily(), "2026-03-09T09:00:00Z", "2026-03-10T09:00:05Z");

        Assert.Equal(["2026-03-10T09:00:00Z"], Fired(decision));
        Assert.Null(decision.Skipped);
    }

    [Fact]
    public void An_occurrence_a_late_tick_finds_within_the_grace_still_fires_on_time()
    {
        var decision = Decide(Daily(), "2026-03-09T09:00:00Z", "2026-03-10T09:01:50Z");

        Assert.Equal(["2026-03-10T09:00:00Z"], Fired(decision));
    }

    [Fact]
    public void Nothing_is_due_between_occurrences()
    {
        var decision = Decide(Daily(CatchUp.Latest), "2026-03-10T09:00:00Z", "2026-03-10T15:00:00Z");

        Assert.Empty(decision.Fire);
        Assert.Null(decision.Skipped);
    }

    [Theory]
    [InlineData(CatchUp.Skip)]
    [InlineData(CatchUp.Latest)]
    public void After_downtime_ending_right_at_an_occurrence_only_that_occurrence_fires(string catchUp)
    {
        // Down from Monday 08:00 to Wednesday 09:00:30: Monday's and Tuesday's 09:00 were missed.
        var decision = Decide(Daily(catchUp), "2026-03-09T08:00:00Z", "2026-03-11T09:00:30Z");

        Assert.Equal(["2026-03-11T09:00:00Z"], Fired(decision));
        Assert.Equal(Utc("2026-03-10T09:00:00Z"), decision.Skipped);
    }

    [Fact]
    public void Skip_fires_nothing_missed_and_reports_the_newest_missed_occurrence()
    {
        var decision = Decide(Daily(CatchUp.Skip), "2026-03-09T08:00:00Z", "2026-03-11T10:00:00Z");

        Assert.Empty(decision.Fire);
        Assert.Equal(Utc("2026-03-11T09:00:00Z"), decision.Skipped);
    }

    [Fact]
    public void Latest_fires_only_the_newest_missed_occurrence_once_and_late()
    {
        var decision = Decide(Daily(CatchUp.Latest), "2026-03-09T08:00:00Z", "2026-03-11T10:00:00Z");

        Assert.Equal(["2026-03-11T09:00:00Z late"], Fired(decision));
        Assert.Null(decision.Skipped);
    }

    [Fact]
    public void Catch_up_is_skip_when_the_trigger_does_not_say()
    {
        var trigger = new Trigger { Type = TriggerTypes.Schedule, Cron = "0 9 * * *" };

        var decision = Decide(trigger, "2026-03-09T08:00:00Z", "2026-03-11T10:00:00Z");

        Assert.Empty(decision.Fire);
    }

    [Fact]
    public void Several_on_time_occurrences_of_a_dense_schedule_all_fire_in_order()
    {
        var decision = Decide(Daily(cron: "*/30 * * * * *"), "2026-03-10T09:00:00Z", "2026-03-10T09:01:30Z");

        Assert.Equal(["2026-03-10T09:00:30Z", "2026-03-10T09:01:00Z", "2026-03-10T09:01:30Z"], Fired(decision));
    }

    [Fact]
    public void Since_is_the_newest_handled_occurrence_but_never_before_the_workflow_became_active()
    {
        var activated = Utc("2026-03-10T12:00:00Z");

        Assert.Equal(activated, ScheduleDue.Since(null, activated));
        Assert.Equal(activated, ScheduleDue.Since(Utc("2026-03-01T09:00:00Z"), activated));
        Assert.Equal(Utc("2026-03-11T09:00:00Z"), ScheduleDue.Since(Utc("2026-03-11T09:00:00Z"), activated));
    }

    [Fact]
    public void Occurrences_while_paused_are_not_caught_up_on_activation()
    {
        // Handled up to Monday; paused; activated again Wednesday 10:00. Latest would fire Tuesday's if it counted.
        var since = ScheduleDue.Since(Utc("2026-03-09T09:00:00Z"), Utc("2026-03-11T10:00:00Z"));

        var decision = ScheduleDue.Decide(CronSchedule.For(Daily(CatchUp.Latest)), Daily(CatchUp.Latest), since, Utc("2026-03-11T10:01:00Z"), Grace);

        Assert.Empty(decision.Fire);
    }

    /// <summary>A scheduler ticking every minute, keeping its watermark as the runtime does.</summary>
    private static List<string> TickEveryMinute(Trigger trigger, string from, string to)
    {
        var schedule = CronSchedule.For(trigger);
        var fired = new List<string>();
        DateTimeOffset? last = null;
        var start = Utc(from);
        for (var now = start; now <= Utc(to); now = now.AddMinutes(1))
        {
            var decision = ScheduleDue.Decide(schedule, trigger, ScheduleDue.Since(last, start), now, Grace);
            foreach (var occurrence in decision.Fire)
            {
                fired.Add(ScheduleEvents.Key(occurrence.At));
                last = occurrence.At;
            }
        }

        return fired;
    }

    [Theory]
    [InlineData("Europe/Paris", "2026-03-28T00:00:00Z", "2026-03-31T00:00:00Z", "2026-03-28T08:00:00Z,2026-03-29T07:00:00Z,2026-03-30T07:00:00Z")]
    [InlineData("Europe/Paris", "2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z", "2026-10-24T07:00:00Z,2026-10-25T08:00:00Z,2026-10-26T08:00:00Z")]
    [InlineData("America/New_York", "2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z", "2026-03-07T14:00:00Z,2026-03-08T13:00:00Z,2026-03-09T13:00:00Z")]
    [InlineData("America/New_York", "2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z", "2026-10-31T13:00:00Z,2026-11-01T14:00:00Z,2026-11-02T14:00:00Z")]
    public void Ticking_every_minute_across_a_dst_change_fires_each_local_nine_oclock_once(string timeZone, string from, string to, string expected)
    {
        var fired = TickEveryMinute(Daily(cron: "0 9 * * *", timeZone: timeZone), from, to);

        Assert.Equal(expected.Split(','), fired);
    }

    [Fact]
    public void Ticking_every_minute_through_the_repeated_hour_fires_a_fixed_time_once()
    {
        var fired = TickEveryMinute(Daily(cron: "30 1 * * *", timeZone: "America/New_York"), "2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z");

        Assert.Equal(["2026-11-01T05:30:00Z"], fired);
    }
}
