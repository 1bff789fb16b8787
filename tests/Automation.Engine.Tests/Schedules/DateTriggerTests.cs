using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Schedules;

namespace Automation.Engine.Tests.Schedules;

public class DateTriggerTests
{
    private static Trigger On(string field, string? offset, string? timeZone = null) =>
        new() { Type = TriggerTypes.DateReached, Field = field, Offset = offset, TimeZone = timeZone };

    private static JsonElement Record(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("+1d", 24 * 60)]
    [InlineData("1d", 24 * 60)]
    [InlineData("-30d", -30 * 24 * 60)]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("2w", 14 * 24 * 60)]
    [InlineData("-90m", -90)]
    [InlineData(" +12h ", 12 * 60)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    public void Offsets_are_signed_exact_durations(string? text, int minutes)
    {
        Assert.True(DateTrigger.TryParseOffset(text, out var offset));
        Assert.Equal(TimeSpan.FromMinutes(minutes), offset);
    }

    [Theory]
    [InlineData("1y")]
    [InlineData("+-1d")]
    [InlineData("1.5d")]
    [InlineData("d")]
    [InlineData("tomorrow")]
    [InlineData("3661d")]
    [InlineData("999999999w")]
    public void Offsets_without_a_known_unit_or_beyond_ten_years_are_refused(string text)
    {
        Assert.False(DateTrigger.TryParseOffset(text, out _));
    }

    [Fact]
    public void A_date_without_time_is_midnight_in_the_triggers_time_zone_and_the_offset_is_added()
    {
        var read = DateTrigger.Read(On("dueDate", "+1d", "Europe/Paris"), Record("""{ "dueDate": "2026-04-01" }"""));

        Assert.Equal((Utc("2026-03-31T22:00:00Z"), Utc("2026-04-01T22:00:00Z")), read);
    }

    [Fact]
    public void Thirty_days_before_a_renewal_date_time_with_an_offset()
    {
        var read = DateTrigger.Read(On("record.renewalDate", "-30d"), Record("""{ "renewalDate": "2026-06-30T10:00:00+02:00" }"""));

        Assert.Equal(Utc("2026-05-31T08:00:00Z"), read!.Value.Due);
    }

    [Theory]
    [InlineData("""{ }""")]
    [InlineData("""{ "dueDate": null }""")]
    [InlineData("""{ "dueDate": "" }""")]
    [InlineData("""{ "dueDate": "next tuesday" }""")]
    [InlineData("""{ "dueDate": 20260401 }""")]
    public void A_record_without_a_usable_date_has_no_due_instant(string record)
    {
        Assert.Null(DateTrigger.Read(On("dueDate", "+1d"), Record(record)));
    }

    [Fact]
    public void The_event_names_workflow_record_and_date_value_so_it_fires_once_per_value()
    {
        var wf = new Workflow { Id = "overdue-x1", Name = "Overdue", Module = "invoice", Trigger = On("dueDate", "+1d") };
        var value = Utc("2026-04-01T00:00:00Z");

        var evt = DateTrigger.Event(wf, "INV-7", value, value.AddDays(1));
        var again = DateTrigger.Event(wf, "INV-7", value, value.AddDays(1));
        var moved = DateTrigger.Event(wf, "INV-7", value.AddDays(3), value.AddDays(4));

        Assert.Equal("date:overdue-x1:INV-7:2026-04-01T00:00:00Z", evt.Id);
        Assert.Equal(evt.Id, again.Id);
        Assert.NotEqual(evt.Id, moved.Id);
        Assert.Equal(EventTypes.DateReached, evt.Type);
        Assert.Equal(("invoice", "INV-7"), (evt.Module, evt.RecordId));
        Assert.Null(evt.Record);
        Assert.Equal("2026-04-01T00:00:00Z", evt.Data!.Value.GetProperty("value").GetString());
        Assert.Equal("2026-04-02T00:00:00Z", evt.Data!.Value.GetProperty("dueAt").GetString());
    }

    [Fact]
    public void Values_keep_sub_second_precision_so_two_activities_a_moment_apart_are_two_values()
    {
        Assert.Equal("2026-04-01T09:30:00.25Z", DateTrigger.ValueKey(Utc("2026-04-01T09:30:00.250Z")));
        Assert.True(DateTrigger.TryParseValueKey("2026-04-01T09:30:00.25Z", out var back));
        Assert.Equal(Utc("2026-04-01T09:30:00.250Z"), back);
    }

    [Fact]
    public void A_date_set_by_a_workflows_action_fires_one_causation_step_deeper()
    {
        var wf = new Workflow { Id = "w", Name = "W", Module = "deal", Trigger = On("followUpAt", "0d") };

        var evt = DateTrigger.Event(wf, "D-1", Utc("2026-04-01T00:00:00Z"), Utc("2026-04-01T00:00:00Z"), new Causation("run-1", "w", "set-date", 2));

        Assert.Equal(3, evt.Causation!.Depth);
    }
}
