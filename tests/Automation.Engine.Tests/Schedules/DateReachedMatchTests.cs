using Automation.Engine.Model;
using Automation.Engine.Tests.Triggers;
using Automation.Engine.Triggers;

namespace Automation.Engine.Tests.Schedules;

/// <summary>The matcher's side of date.reached: the named workflow, and only while the record still holds the date.</summary>
public class DateReachedMatchTests
{
    private const string Trigger = """{ "type": "date.reached", "field": "dueDate", "offset": "+1d" }""";

    private static CrmEvent DateEvent(string workflowId = "wf-1", string value = "2026-03-09T00:00:00Z") =>
        Defs.Event(EventTypes.DateReached, data: $$"""{ "workflowId": "{{workflowId}}", "value": "{{value}}" }""");

    /// <summary>As the event processor judges it: the event carries no record, so the stored snapshot is the record now.</summary>
    private static TriggerMatch Match(Workflow wf, CrmEvent evt, string stored)
    {
        var snapshot = Defs.Parse(stored);
        var changes = ChangeDeriver.Derive(evt, snapshot, evt.Record ?? snapshot);
        return TriggerMatcher.Match(wf, evt, changes, EventScope.For(evt, changes, Defs.Now));
    }

    [Fact]
    public void Matches_when_the_record_still_holds_the_date_it_was_scheduled_for()
    {
        var match = Match(Defs.WithTrigger(Trigger), DateEvent(), stored: """{ "dueDate": "2026-03-09", "paid": false }""");

        Assert.True(match.Matched, match.Reason);
        Assert.Contains("dueDate", match.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Does_not_match_once_the_date_has_moved()
    {
        var match = Match(Defs.WithTrigger(Trigger), DateEvent(), stored: """{ "dueDate": "2026-03-20" }""");

        Assert.False(match.Matched);
        Assert.Contains("has moved", match.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Does_not_match_when_the_date_was_cleared()
    {
        var match = Match(Defs.WithTrigger(Trigger), DateEvent(), stored: """{ "dueDate": null }""");

        Assert.False(match.Matched);
    }

    [Fact]
    public void Does_not_match_another_workflows_date()
    {
        var match = Match(Defs.WithTrigger(Trigger), DateEvent(workflowId: "wf-2"), stored: """{ "dueDate": "2026-03-09" }""");

        Assert.False(match.Matched);
        Assert.Contains("wf-2", match.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Does_not_match_a_record_event()
    {
        var evt = Defs.Event(EventTypes.RecordUpdated, record: """{ "dueDate": "2026-03-09" }""");

        Assert.False(Defs.Match(Defs.WithTrigger(Trigger), evt).Matched);
    }

    [Theory]
    [InlineData("""{ "type": "field.changed", "field": "dueDate" }""")]
    [InlineData("""{ "type": "record.updated" }""")]
    [InlineData("""{ "type": "segment.entered", "segment": "due" }""")]
    public void A_date_reached_event_changes_no_field_so_change_triggers_ignore_it(string trigger)
    {
        var match = Match(Defs.WithTrigger(trigger), DateEvent(), stored: """{ "dueDate": "2026-03-09" }""");

        Assert.False(match.Matched);
    }
}
