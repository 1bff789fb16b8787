using Automation.Engine.Segments;
using Automation.Engine.Triggers;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Triggers;

public class TriggerMatcherTests
{
    [Fact]
    public void The_module_must_match_first()
    {
        var match = Match(WithTrigger("""{ "type": "record.created" }"""), Event("record.created", "{}", module: "contact"));

        Assert.False(match.Matched);
        Assert.Equal("Module 'contact' is not the workflow's module 'lead'.", match.Reason);
    }

    [Fact]
    public void Modules_compare_without_case()
    {
        Assert.True(Match(WithTrigger("""{ "type": "record.created" }"""), Event("record.created", "{}", module: "Lead")).Matched);
    }

    [Theory]
    [InlineData("record.created", "record.created", true, "The record was created.")]
    [InlineData("record.created", "record.updated", false, "Event type 'record.updated' is not 'record.created'.")]
    [InlineData("record.deleted", "record.deleted", true, "The record was deleted.")]
    [InlineData("record.deleted", "record.updated", false, "Event type 'record.updated' is not 'record.deleted'.")]
    [InlineData("invoice.paid", "invoice.paid", true, "Event 'invoice.paid' occurred.")]
    [InlineData("invoice.paid", "record.updated", false, "Event type 'record.updated' is not 'invoice.paid'.")]
    [InlineData("opportunity.won", "opportunity.lost", false, "Event type 'opportunity.lost' is not 'opportunity.won'.")]
    [InlineData("no.such.trigger", "record.created", false, "Trigger type 'no.such.trigger' is unknown.")]
    public void Event_type_triggers_match_their_event_type(string trigger, string eventType, bool matched, string reason)
    {
        var match = Match(WithTrigger($$"""{ "type": "{{trigger}}" }"""), Event(eventType, """{ "a": 2 }""", """{ "a": 1 }"""));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Theory]
    [MemberData(nameof(LifecycleTypes))]
    public void Every_lifecycle_trigger_matches_exactly_its_event_type(string type)
    {
        var wf = WithTrigger($$"""{ "type": "{{type}}" }""");

        Assert.True(Match(wf, Event(type, "{}")).Matched);
        Assert.False(Match(wf, Event("record.updated", """{ "a": 1 }""")).Matched);
    }

    public static TheoryData<string> LifecycleTypes() => new(Model.TriggerTypes.Lifecycle);

    [Theory]
    [InlineData("record.updated", """{ "a": 2 }""", """{ "a": 1 }""", true, "The record was updated; changed: 'a'.")]
    [InlineData("record.updated", """{ "a": 1 }""", """{ "a": 1 }""", false, "The update changed no field: the record equals its previous state.")]
    [InlineData("record.updated", null, """{ "a": 1 }""", false, "The update event carries no record, so no change can be seen.")]
    [InlineData("record.created", """{ "a": 2 }""", null, false, "Event type 'record.created' is not 'record.updated'.")]
    public void Record_updated_needs_an_update_event_that_changed_a_field(
        string type, string? record, string? previous, bool matched, string reason)
    {
        var match = Match(WithTrigger("""{ "type": "record.updated" }"""), Event(type, record, previous));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Theory]
    [InlineData("""{ "type": "field.changed", "field": "email" }""", """{ "email": "b@x.io" }""", """{ "email": "a@x.io" }""", true, "Field 'email' changed from 'a@x.io' to 'b@x.io'.")]
    [InlineData("""{ "type": "field.changed", "field": "record.email" }""", """{ "email": "b@x.io" }""", """{ "email": "a@x.io" }""", true, "Field 'email' changed from 'a@x.io' to 'b@x.io'.")]
    [InlineData("""{ "type": "field.changed", "field": "email" }""", """{ "email": "a@x.io" }""", """{ "email": "a@x.io" }""", false, "Field 'email' did not change (it is 'a@x.io').")]
    [InlineData("""{ "type": "field.changed", "field": "email" }""", """{ "email": "a@x.io" }""", null, true, "Field 'email' changed from nothing to 'a@x.io'.")]
    [InlineData("""{ "type": "field.changed", "field": "tier", "from": 1, "to": "2" }""", """{ "tier": 2 }""", """{ "tier": "1" }""", true, "Field 'tier' changed from '1' to 2.")]
    [InlineData("""{ "type": "field.changed", "field": "tier", "to": 3 }""", """{ "tier": 2 }""", """{ "tier": 1 }""", false, "Field 'tier' changed from 1 to 2; the trigger needs it to change to 3.")]
    [InlineData("""{ "type": "field.changed", "field": "tier", "from": 5 }""", """{ "tier": 2 }""", """{ "tier": 1 }""", false, "Field 'tier' changed from 1 to 2; the trigger needs it to change from 5.")]
    [InlineData("""{ "type": "field.changed", "field": "source", "to": "web form" }""", """{ "source": "Web Form" }""", """{ "source": "Ads" }""", true, "Field 'source' changed from 'Ads' to 'Web Form'.")]
    [InlineData("""{ "type": "field.changed", "field": "phone" }""", """{ }""", """{ "phone": "+331" }""", true, "Field 'phone' changed from '+331' to nothing.")]
    [InlineData("""{ "type": "field.changed" }""", """{ "a": 1 }""", null, false, "The trigger names no field.")]
    public void Field_changed_compares_from_and_to_like_eq(string trigger, string? record, string? previous, bool matched, string reason)
    {
        var match = Match(WithTrigger(trigger), Event("record.updated", record, previous));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Theory]
    [InlineData("""{ "type": "status.changed" }""", "open", "closed", true, "Status changed from 'open' to 'closed'.")]
    [InlineData("""{ "type": "status.changed", "to": "closed" }""", "open", "closed", true, "Status changed from 'open' to 'closed'.")]
    [InlineData("""{ "type": "status.changed", "from": "OPEN", "to": "Closed" }""", "open", "closed", true, "Status changed from 'open' to 'closed'.")]
    [InlineData("""{ "type": "status.changed", "to": "closed" }""", "open", "pending", false, "Status changed from 'open' to 'pending'; the trigger needs it to change to 'closed'.")]
    [InlineData("""{ "type": "status.changed", "from": "new" }""", "open", "closed", false, "Status changed from 'open' to 'closed'; the trigger needs it to change from 'new'.")]
    [InlineData("""{ "type": "status.changed" }""", "open", "open", false, "Status did not change (it is 'open').")]
    [InlineData("""{ "type": "health.changed", "to": "bad" }""", "good", "bad", true, "Health changed from 'good' to 'bad'.")]
    [InlineData("""{ "type": "health.changed", "to": "bad" }""", "bad", "good", false, "Health changed from 'bad' to 'good'; the trigger needs it to change to 'bad'.")]
    [InlineData("""{ "type": "health.changed" }""", "bad", "bad", false, "Health did not change (it is 'bad').")]
    public void Status_and_health_changes_match_optional_from_and_to(string trigger, string before, string after, bool matched, string reason)
    {
        var field = trigger.Contains("health", StringComparison.Ordinal) ? "health" : "status";
        var match = Match(WithTrigger(trigger), Event("record.updated", $$"""{ "{{field}}": "{{after}}" }""", $$"""{ "{{field}}": "{{before}}" }"""));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Theory]
    [InlineData("""{ "type": "stage.entered", "stage": "SQL" }""", """{ "stage": "MQL" }""", """{ "stage": "SQL" }""", true, "Stage changed from 'MQL' to 'SQL': entered 'SQL'.")]
    [InlineData("""{ "type": "stage.entered", "stage": "sql" }""", """{ "stage": "MQL" }""", """{ "stage": "SQL" }""", true, "Stage changed from 'MQL' to 'SQL': entered 'SQL'.")]
    [InlineData("""{ "type": "stage.entered", "stage": "SQL" }""", """{ "stage": "MQL" }""", """{ "stage": "MQL" }""", false, "Trigger waits for stage 'SQL' to be entered; the stage did not change (it is 'MQL').")]
    [InlineData("""{ "type": "stage.entered", "stage": "SQL" }""", """{ "stage": "MQL" }""", """{ "stage": "Demo" }""", false, "Stage changed from 'MQL' to 'Demo': entered 'Demo', not 'SQL'.")]
    [InlineData("""{ "type": "stage.entered", "stage": "SQL" }""", """{ "stage": "SQL" }""", """{ }""", false, "Stage changed from 'SQL' to nothing: no stage was entered.")]
    [InlineData("""{ "type": "stage.entered", "stage": "SQL" }""", null, """{ "stage": "SQL" }""", true, "Stage changed from nothing to 'SQL': entered 'SQL'.")]
    [InlineData("""{ "type": "stage.entered" }""", """{ "stage": "MQL" }""", """{ "stage": "Demo" }""", true, "Stage changed from 'MQL' to 'Demo': entered 'Demo'.")]
    [InlineData("""{ "type": "stage.entered", "stage": "SQL", "pipeline": "Sales" }""", """{ "stage": "MQL", "pipeline": "sales" }""", """{ "stage": "SQL", "pipeline": "sales" }""", true, "Stage changed from 'MQL' (pipeline 'sales') to 'SQL' (pipeline 'sales'): entered 'SQL'.")]
    [InlineData("""{ "type": "stage.entered", "stage": "SQL", "pipeline": "sales" }""", """{ "stage": "MQL", "pipeline": "partners" }""", """{ "stage": "SQL", "pipeline": "partners" }""", false, "Stage changed from 'MQL' (pipeline 'partners') to 'SQL' (pipeline 'partners'): entered 'SQL' in pipeline 'partners', not in pipeline 'sales'.")]
    [InlineData("""{ "type": "stage.entered", "stage": "New", "pipeline": "renewals" }""", """{ "stage": "New", "pipeline": "sales" }""", """{ "stage": "New", "pipeline": "renewals" }""", true, "Stage changed from 'New' (pipeline 'sales') to 'New' (pipeline 'renewals'): entered 'New'.")]
    [InlineData("""{ "type": "stage.exited", "stage": "MQL" }""", """{ "stage": "MQL" }""", """{ "stage": "SQL" }""", true, "Stage changed from 'MQL' to 'SQL': exited 'MQL'.")]
    [InlineData("""{ "type": "stage.exited", "stage": "MQL" }""", """{ "stage": "Lead" }""", """{ "stage": "SQL" }""", false, "Stage changed from 'Lead' to 'SQL': exited 'Lead', not 'MQL'.")]
    [InlineData("""{ "type": "stage.exited", "stage": "MQL" }""", null, """{ "stage": "SQL" }""", false, "Stage changed from nothing to 'SQL': no stage was exited.")]
    [InlineData("""{ "type": "stage.exited", "stage": "New", "pipeline": "sales" }""", """{ "stage": "New", "pipeline": "sales" }""", """{ "stage": "New", "pipeline": "renewals" }""", true, "Stage changed from 'New' (pipeline 'sales') to 'New' (pipeline 'renewals'): exited 'New'.")]
    [InlineData("""{ "type": "stage.exited", "stage": "MQL" }""", """{ "stage": "MQL" }""", """{ "stage": "MQL" }""", false, "Trigger waits for stage 'MQL' to be exited; the stage did not change (it is 'MQL').")]
    public void Stage_triggers_match_the_stage_entered_or_exited(string trigger, string? previous, string record, bool matched, string reason)
    {
        var match = Match(WithTrigger(trigger), Event("record.updated", record, previous));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Theory]
    [InlineData("""{ "type": "stage.changed" }""", """{ "stage": "MQL" }""", """{ "stage": "SQL" }""", true, "Stage changed from 'MQL' to 'SQL'.")]
    [InlineData("""{ "type": "stage.changed" }""", null, """{ "stage": "New" }""", true, "Stage changed from nothing to 'New'.")]
    [InlineData("""{ "type": "stage.changed" }""", """{ "stage": "SQL", "amount": 1 }""", """{ "stage": "SQL", "amount": 2 }""", false, "The stage did not change (it is 'SQL').")]
    [InlineData("""{ "type": "stage.changed", "pipeline": "Sales" }""", """{ "stage": "MQL", "pipeline": "sales" }""", """{ "stage": "SQL", "pipeline": "sales" }""", true, "Stage changed from 'MQL' (pipeline 'sales') to 'SQL' (pipeline 'sales').")]
    [InlineData("""{ "type": "stage.changed", "pipeline": "sales" }""", """{ "stage": "New", "pipeline": "sales" }""", """{ "stage": "New", "pipeline": "renewals" }""", true, "Stage changed from 'New' (pipeline 'sales') to 'New' (pipeline 'renewals').")]
    [InlineData("""{ "type": "stage.changed", "pipeline": "sales" }""", """{ "stage": "A", "pipeline": "partners" }""", """{ "stage": "B", "pipeline": "partners" }""", false, "Stage changed from 'A' (pipeline 'partners') to 'B' (pipeline 'partners'): not in pipeline 'sales'.")]
    [InlineData("""{ "type": "stage.changed", "from": "sql", "to": "Won" }""", """{ "stage": "SQL" }""", """{ "stage": "Won" }""", true, "Stage changed from 'SQL' to 'Won'.")]
    [InlineData("""{ "type": "stage.changed", "from": "MQL" }""", """{ "stage": "SQL" }""", """{ "stage": "Won" }""", false, "Stage changed from 'SQL' to 'Won'; the trigger needs it to change from 'MQL'.")]
    [InlineData("""{ "type": "stage.changed", "to": "Lost" }""", """{ "stage": "SQL" }""", """{ "stage": "Won" }""", false, "Stage changed from 'SQL' to 'Won'; the trigger needs it to change to 'Lost'.")]
    public void Stage_changed_matches_any_move_narrowed_by_pipeline_from_and_to(string trigger, string? previous, string record, bool matched, string reason)
    {
        var match = Match(WithTrigger(trigger), Event("record.updated", record, previous));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Fact]
    public void Stage_changed_is_not_matched_by_a_delete()
    {
        var match = Match(WithTrigger("""{ "type": "stage.changed" }"""), Event("record.deleted", """{ "stage": "SQL" }""", """{ "stage": "MQL" }"""));

        Assert.False(match.Matched);
    }

    [Fact]
    public void A_lifecycle_event_that_carries_a_stage_change_can_match_stage_entered()
    {
        var match = Match(
            WithTrigger("""{ "type": "stage.entered", "stage": "Won" }"""),
            Event("opportunity.won", """{ "stage": "Won" }""", """{ "stage": "Negotiation" }"""));

        Assert.True(match.Matched, match.Reason);
    }

    [Fact]
    public void The_stored_snapshot_supplies_the_stage_before_when_the_event_has_none()
    {
        var match = Match(
            WithTrigger("""{ "type": "stage.entered", "stage": "SQL" }"""),
            Event("record.updated", """{ "stage": "SQL" }"""),
            stored: """{ "stage": "SQL" }""");

        Assert.Equal("Trigger waits for stage 'SQL' to be entered; the stage did not change (it is 'SQL').", match.Reason);
    }

    [Theory]
    [InlineData("record.deleted", "Event type 'record.deleted' changes no field.")]
    [InlineData("schedule.fired", "Event type 'schedule.fired' changes no field.")]
    public void Deletes_and_scheduler_ticks_match_no_change_trigger(string type, string reason)
    {
        var match = Match(WithTrigger("""{ "type": "stage.entered", "stage": "SQL" }"""), Event(type, """{ "stage": "SQL" }""", """{ "stage": "MQL" }"""));

        Assert.Equal((false, reason), (match.Matched, match.Reason));
    }

    [Theory]
    [InlineData("up", """{ "score": 70 }""", """{ "score": 85 }""", true, "Field 'score' went from 70 to 85, crossing 80 upwards.")]
    [InlineData("up", """{ "score": 79 }""", """{ "score": 80 }""", true, "Field 'score' went from 79 to 80, crossing 80 upwards.")]
    [InlineData("up", """{ "score": 80 }""", """{ "score": 95 }""", false, "Field 'score' went from 80 to 95; it did not cross 80 upwards.")]
    [InlineData("up", """{ "score": 90 }""", """{ "score": 70 }""", false, "Field 'score' went from 90 to 70; it did not cross 80 upwards.")]
    [InlineData("up", """{ "score": 85 }""", """{ "score": 85 }""", false, "Field 'score' did not change (it is 85); it did not cross 80 upwards.")]
    [InlineData("up", """{ "score": "70" }""", """{ "score": "85" }""", true, "Field 'score' went from 70 to 85, crossing 80 upwards.")]
    [InlineData("up", null, """{ "score": 90 }""", true, "Field 'score' went from nothing to 90, crossing 80 upwards.")]
    [InlineData("up", """{ }""", """{ "score": 90 }""", true, "Field 'score' went from nothing to 90, crossing 80 upwards.")]
    [InlineData("up", null, """{ "score": 50 }""", false, "Field 'score' went from nothing to 50; it did not cross 80 upwards.")]
    [InlineData("down", """{ "score": 85 }""", """{ "score": 60 }""", true, "Field 'score' went from 85 to 60, crossing 80 downwards.")]
    [InlineData("down", """{ "score": 80 }""", """{ "score": 79.5 }""", true, "Field 'score' went from 80 to 79.5, crossing 80 downwards.")]
    [InlineData("down", """{ "score": 79 }""", """{ "score": 60 }""", false, "Field 'score' went from 79 to 60; it did not cross 80 downwards.")]
    [InlineData("down", """{ "score": 90 }""", """{ }""", false, "Field 'score' went from 90 to nothing; it did not cross 80 downwards.")]
    [InlineData("down", null, """{ "score": 10 }""", false, "Field 'score' went from nothing to 10; it did not cross 80 downwards.")]
    [InlineData("DOWN", """{ "score": 85 }""", """{ "score": 60 }""", true, "Field 'score' went from 85 to 60, crossing 80 downwards.")]
    [InlineData("sideways", """{ "score": 85 }""", """{ "score": 60 }""", false, "Direction 'sideways' is neither 'up' nor 'down'.")]
    public void Score_crossed_fires_when_the_score_passes_the_threshold(string direction, string? previous, string record, bool matched, string reason)
    {
        var wf = WithTrigger($$"""{ "type": "score.crossed", "threshold": 80, "direction": "{{direction}}" }""");

        var match = Match(wf, Event("record.updated", record, previous));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Fact]
    public void Score_crossed_reads_the_field_the_trigger_names_and_goes_up_by_default()
    {
        var wf = WithTrigger("""{ "type": "score.crossed", "field": "fit", "threshold": 3 }""");

        Assert.True(Match(wf, Event("record.updated", """{ "fit": 4, "score": 0 }""", """{ "fit": 2, "score": 100 }""")).Matched);
        Assert.False(Match(wf, Event("record.updated", """{ "fit": 2, "score": 100 }""", """{ "fit": 2, "score": 0 }""")).Matched);
    }

    [Fact]
    public void Score_crossed_without_a_threshold_never_matches()
    {
        var match = Match(WithTrigger("""{ "type": "score.crossed" }"""), Event("record.updated", """{ "score": 90 }""", """{ "score": 10 }"""));

        Assert.Equal((false, "The trigger has no threshold."), (match.Matched, match.Reason));
    }

    [Theory]
    [InlineData("segment.entered", "hot", "", "hot", true, "The record entered segment 'hot': it matches the segment's conditions and was not a member before.")]
    [InlineData("segment.entered", "", "", "hot", false, "The record was already in segment 'hot' and still is.")]
    [InlineData("segment.entered", "", "", "", false, "The record was not in segment 'hot' and still is not: it did not enter.")]
    [InlineData("segment.entered", "", "hot", "", false, "The record left segment 'hot'; the trigger waits for it to enter.")]
    [InlineData("segment.entered", "cold", "", "cold", false, "The record was not in segment 'hot' and still is not: it did not enter.")]
    [InlineData("segment.exited", "", "hot", "", true, "The record left segment 'hot': it was a member and no longer matches the segment's conditions.")]
    [InlineData("segment.exited", "", "", "hot", false, "The record was already in segment 'hot' and still is: it did not leave.")]
    [InlineData("segment.exited", "", "", "", false, "The record was not in segment 'hot' and still is not.")]
    [InlineData("segment.exited", "hot", "", "hot", false, "The record entered segment 'hot'; the trigger waits for it to leave.")]
    public void Segment_triggers_read_the_membership_change_the_processor_decided(
        string type, string entered, string exited, string members, bool matched, string reason)
    {
        var wf = WithTrigger($$"""{ "type": "{{type}}", "segment": "hot" }""");
        var evt = Event("record.updated", """{ "score": 60 }""", """{ "score": 40 }""");
        var changes = ChangeDeriver.Derive(evt, null) with { Segments = new SegmentChange(Ids(entered), Ids(exited), Ids(members)) };

        var match = TriggerMatcher.Match(wf, evt, changes, EventScope.For(evt, changes, Now));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Fact]
    public void A_segment_trigger_does_not_match_when_membership_was_not_decided()
    {
        // A late event, or a change set nobody decided membership for: the conditions were never the trigger's to judge.
        var match = Match(WithTrigger("""{ "type": "segment.entered", "segment": "hot" }"""), Event("record.updated", """{ "score": 60 }""", """{ "score": 40 }"""));

        Assert.Equal((false, "Segment membership was not decided for this event: it brings no newer state of the record."), (match.Matched, match.Reason));
    }

    [Theory]
    [InlineData("""{ "type": "field.changed", "field": "score" }""")]
    [InlineData("""{ "type": "score.crossed", "threshold": 50, "direction": "up" }""")]
    public void A_segment_re_evaluation_changes_no_field_even_when_delivered_after_a_newer_state(string trigger)
    {
        // Read from the store before a newer event was applied: against that newer state it would look like a change back.
        var evt = Event("segments.evaluated", """{ "score": 90 }""");

        var match = Match(WithTrigger(trigger), evt, stored: """{ "score": 10 }""");

        Assert.False(match.Matched, match.Reason);
    }

    private static string[] Ids(string list) => list.Length == 0 ? [] : list.Split(',');

    [Theory]
    [InlineData("""{ "type": "event", "name": "demo.requested" }""", "event", """{ "name": "demo.requested" }""", true, "Custom event 'demo.requested' received.")]
    [InlineData("""{ "type": "event", "name": "demo.requested" }""", "event", """{ "name": "Demo.Requested" }""", false, "Custom event 'Demo.Requested' is not 'demo.requested'.")]
    [InlineData("""{ "type": "event", "name": "demo.requested" }""", "event", null, false, "Custom event nothing is not 'demo.requested'.")]
    [InlineData("""{ "type": "event", "name": "demo.requested" }""", "webhook.received", """{ "name": "demo.requested" }""", false, "Event type 'webhook.received' is not 'event'.")]
    [InlineData("""{ "type": "webhook.received", "name": "typeform" }""", "webhook.received", """{ "name": "typeform", "body": {} }""", true, "Webhook 'typeform' received.")]
    [InlineData("""{ "type": "webhook.received", "name": "typeform" }""", "webhook.received", """{ "name": "calendly" }""", false, "Webhook 'calendly' is not 'typeform'.")]
    [InlineData("""{ "type": "webhook.received" }""", "webhook.received", """{ "name": "calendly" }""", true, "Webhook 'calendly' received; the trigger accepts any name.")]
    [InlineData("""{ "type": "webhook.received" }""", "event", """{ "name": "calendly" }""", false, "Event type 'event' is not 'webhook.received'.")]
    [InlineData("""{ "type": "schedule", "cron": "0 9 * * MON" }""", "schedule.fired", """{ "workflowId": "wf-1" }""", true, "The schedule of workflow 'wf-1' fired.")]
    [InlineData("""{ "type": "schedule", "cron": "0 9 * * MON" }""", "schedule.fired", """{ "workflowId": "wf-2" }""", false, "The schedule that fired belongs to workflow 'wf-2', not to this workflow 'wf-1'.")]
    [InlineData("""{ "type": "schedule", "cron": "0 9 * * MON" }""", "record.created", """{ "workflowId": "wf-1" }""", false, "Event type 'record.created' is not 'schedule.fired'.")]
    public void Named_events_webhooks_and_schedules_match_by_name(string trigger, string type, string? data, bool matched, string reason)
    {
        var match = Match(WithTrigger(trigger), Event(type, record: "{}", data: data));

        Assert.Equal((matched, reason), (match.Matched, match.Reason));
    }

    [Fact]
    public void A_schedule_never_matches_an_unsaved_workflow()
    {
        var wf = WithTrigger("""{ "type": "schedule", "cron": "* * * * *" }""") with { Id = null };

        Assert.False(Match(wf, Event("schedule.fired", data: """{ "workflowId": "wf-1" }""")).Matched);
    }
}
