using Automation.Engine.Model;
using Automation.Engine.Schedules;

namespace Automation.Engine.Tests.Schedules;

public class ScheduleEventsTests
{
    private static readonly Workflow Report = new()
    {
        Id = "weekly-report-k3x9q2",
        Name = "Weekly report",
        Module = "account",
        Trigger = new Trigger { Type = TriggerTypes.Schedule, Cron = "0 9 * * MON", TimeZone = "Europe/Paris" },
    };

    private static readonly DateTimeOffset Monday = new(2026, 3, 30, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_occurrence_without_records_is_one_event_about_a_pseudo_record_of_its_own()
    {
        var evt = ScheduleEvents.Fired(Report, new DueOccurrence(Monday, Late: false), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));

        Assert.Equal("schedule:weekly-report-k3x9q2:2026-03-30T07:00:00Z", evt.Id);
        Assert.Equal(evt.Id, evt.RecordId);
        Assert.Equal(EventTypes.ScheduleFired, evt.Type);
        Assert.Equal("account", evt.Module);
        Assert.Equal(Monday, evt.OccurredAt);
        var data = evt.Data!.Value;
        Assert.Equal("weekly-report-k3x9q2", data.GetProperty("workflowId").GetString());
        Assert.Equal("2026-03-30T09:00:00+02:00", data.GetProperty("localTime").GetString());
        Assert.False(data.GetProperty("late").GetBoolean());
    }

    [Fact]
    public void Over_records_each_record_gets_the_same_event_id_in_its_own_partition()
    {
        var zone = TimeZoneInfo.Utc;
        var a = ScheduleEvents.Fired(Report, new DueOccurrence(Monday, Late: true), zone, "ACC-1");
        var b = ScheduleEvents.Fired(Report, new DueOccurrence(Monday, Late: true), zone, "ACC-2");

        Assert.Equal(a.Id, b.Id);
        Assert.Equal(("ACC-1", "ACC-2"), (a.RecordId, b.RecordId));
        Assert.True(a.Data!.Value.GetProperty("late").GetBoolean());
    }
}
