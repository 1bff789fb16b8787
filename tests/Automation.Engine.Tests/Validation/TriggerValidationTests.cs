using Automation.Engine.Model;
using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

public class TriggerValidationTests
{
    private static readonly string[] ValidExamples =
    [
        """{ "type": "record.created" }""",
        """{ "type": "record.updated" }""",
        """{ "type": "record.deleted" }""",
        """{ "type": "field.changed", "field": "email", "from": "a@x.com", "to": null }""",
        """{ "type": "status.changed", "from": "open", "to": "closed" }""",
        """{ "type": "stage.entered", "stage": "SQL", "pipeline": "sales" }""",
        """{ "type": "stage.exited", "stage": "SQL" }""",
        """{ "type": "stage.changed" }""",
        """{ "type": "stage.changed", "pipeline": "sales", "from": "SQL", "to": "Won" }""",
        """{ "type": "score.crossed", "field": "score", "threshold": 80, "direction": "up" }""",
        """{ "type": "score.crossed", "threshold": 20.5, "direction": "down" }""",
        """{ "type": "segment.entered", "segment": "hot-leads" }""",
        """{ "type": "segment.exited", "segment": "hot-leads-3f9a1c" }""",
        """{ "type": "health.changed", "to": "bad" }""",
        """{ "type": "event", "name": "demo.requested" }""",
        """{ "type": "webhook.received" }""",
        """{ "type": "webhook.received", "name": "typeform" }""",
        """{ "type": "schedule", "cron": "0 9 * * MON", "timeZone": "Europe/Paris", "overRecords": true, "catchUp": "skip" }""",
        """{ "type": "schedule", "cron": "30 0 9 * * *", "catchUp": "latest" }""",
        """{ "type": "schedule", "cron": "@daily", "timeZone": "UTC" }""",
        """{ "type": "schedule", "cron": "0 8 * * *", "timeZone": "America/New_York" }""",
        """{ "type": "date.reached", "field": "dueDate", "offset": "+1d" }""",
        """{ "type": "invoice.overdue" }""",
        """{ "type": "opportunity.won" }""",
    ];

    public static TheoryData<string> ValidTriggers => new(ValidExamples);

    [Theory]
    [MemberData(nameof(ValidTriggers))]
    public void Valid_triggers_pass(string trigger)
    {
        AssertValid(WithTrigger(trigger));
    }

    [Fact]
    public void Every_known_trigger_type_has_a_valid_example_above()
    {
        var covered = ValidExamples.Select(json => System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("type").GetString()).ToList();
        var lifecycleCovered = TriggerTypes.Lifecycle.Where(covered.Contains);

        Assert.Empty(TriggerTypes.All.Except(TriggerTypes.Lifecycle).Except(covered));
        Assert.NotEmpty(lifecycleCovered);
    }

    [Fact]
    public void Every_lifecycle_type_is_a_valid_trigger_without_parameters()
    {
        foreach (var type in TriggerTypes.Lifecycle)
        {
            AssertValid(WithTrigger($$"""{ "type": "{{type}}" }"""));
        }
    }

    [Fact]
    public void The_trigger_is_required()
    {
        AssertOnlyError(With(d => d.Remove("trigger")), "trigger", "needs a trigger");
    }

    [Fact]
    public void The_trigger_must_be_an_object()
    {
        AssertOnlyError(With(d => d["trigger"] = "record.created"), "trigger", "must be an object");
    }

    [Fact]
    public void The_trigger_type_is_required()
    {
        AssertOnlyError(WithTrigger("""{ "stage": "SQL" }"""), "trigger.type", "needs a type. Use one of: record.created");
    }

    [Fact]
    public void An_unknown_trigger_type_lists_every_known_one()
    {
        var message = AssertOnlyError(WithTrigger("""{ "type": "record.changed" }"""), "trigger.type", "Unknown trigger type 'record.changed'. Use one of: ");

        Assert.All(TriggerTypes.All, type => Assert.Contains(type, message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "type": "stage.entered" }""", "trigger.stage", "needs the stage")]
    [InlineData("""{ "type": "stage.exited", "stage": "" }""", "trigger.stage", "needs the stage")]
    [InlineData("""{ "type": "field.changed" }""", "trigger.field", "needs the field")]
    [InlineData("""{ "type": "event" }""", "trigger.name", "needs the event's name")]
    [InlineData("""{ "type": "score.crossed", "direction": "up" }""", "trigger.threshold", "needs a threshold")]
    [InlineData("""{ "type": "score.crossed", "threshold": 80 }""", "trigger.direction", "up or down")]
    [InlineData("""{ "type": "score.crossed", "threshold": 80, "direction": "sideways" }""", "trigger.direction", "not 'sideways'")]
    [InlineData("""{ "type": "score.crossed", "threshold": "eighty", "direction": "up" }""", "trigger.threshold", "must be a number")]
    [InlineData("""{ "type": "segment.entered" }""", "trigger.segment", "needs the id of a segment")]
    [InlineData("""{ "type": "segment.exited", "segment": "" }""", "trigger.segment", "needs the id of a segment")]
    [InlineData("""{ "type": "segment.exited", "segment": "Hot Leads" }""", "trigger.segment", "'Hot Leads' is not a segment id")]
    [InlineData("""{ "type": "segment.entered", "segment": 7 }""", "trigger.segment", "must be text")]
    [InlineData("""{ "type": "segment.entered", "segment": { "name": "Hot", "conditions": { "field": "record.x", "op": "exists" } } }""", "trigger.segment", "create it with POST /api/segments")]
    [InlineData("""{ "type": "segment.left", "segment": "hot" }""", "trigger.type", "is now 'segment.exited'")]
    [InlineData("""{ "type": "schedule" }""", "trigger.cron", "needs a cron expression")]
    [InlineData("""{ "type": "schedule", "cron": "0 9 * * MON", "catchUp": "all" }""", "trigger.catchUp", "skip, latest")]
    [InlineData("""{ "type": "schedule", "cron": "0 9 * * MON", "overRecords": "yes" }""", "trigger.overRecords", "true or false")]
    [InlineData("""{ "type": "record.created", "pipeline": 3 }""", "trigger.pipeline", "must be text")]
    [InlineData("""{ "type": "record.created", "segment": 3 }""", "trigger.segment", "must be text")]
    [InlineData("""{ "type": "record.updated", "segment": { "name": "Hot", "conditions": { "all": {} } } }""", "trigger.segment", "create it with POST /api/segments")]
    [InlineData("""{ "type": "schedule", "segment": "hot" }""", "trigger.cron", "needs a cron expression")]
    public void Each_trigger_type_requires_its_own_parameters(string trigger, string path, string fragment)
    {
        AssertOnlyError(WithTrigger(trigger), path, fragment);
    }

    [Theory]
    [InlineData("0 9 * *", "has 4")]
    [InlineData("0 0 9 * * * 2025", "has 7")]
    public void A_cron_expression_needs_5_or_6_fields(string cron, string fragment)
    {
        AssertOnlyError(WithTrigger($$"""{ "type": "schedule", "cron": "{{cron}}" }"""), "trigger.cron", fragment);
    }

    [Theory]
    [InlineData("61 9 * * *")]
    [InlineData("0 25 * * *")]
    [InlineData("0 9 * * FUNDAY")]
    [InlineData("0 9 32 * *")]
    [InlineData("70 0 9 * * *")]
    public void A_cron_expression_that_cronos_rejects_is_reported_with_its_reason(string cron)
    {
        var message = AssertOnlyError(WithTrigger($$"""{ "type": "schedule", "cron": "{{cron}}" }"""), "trigger.cron", $"The cron expression '{cron}' is not valid: ");

        // Cronos's own explanation follows the colon.
        Assert.True(message.Length > $"The cron expression '{cron}' is not valid: ".Length + 5, message);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Europe/Pariss")]
    [InlineData("")]
    public void An_unknown_time_zone_is_an_error(string timeZone)
    {
        AssertOnlyError(
            WithTrigger($$"""{ "type": "schedule", "cron": "0 9 * * *", "timeZone": "{{timeZone}}" }"""),
            "trigger.timeZone",
            "Unknown time zone");
    }

    [Fact]
    public void Schedule_parameters_are_read_into_the_model()
    {
        var trigger = Validate(WithTrigger("""{ "type": "schedule", "cron": "0 9 * * MON", "timeZone": "Asia/Tokyo", "overRecords": true, "catchUp": "latest" }""")).Workflow!.Trigger;

        Assert.Equal("0 9 * * MON", trigger.Cron);
        Assert.Equal("Asia/Tokyo", trigger.TimeZone);
        Assert.True(trigger.OverRecords);
        Assert.Equal("latest", trigger.CatchUp);
    }

    [Fact]
    public void A_definition_stored_with_an_inline_segment_still_loads_and_its_trigger_matches_nothing()
    {
        // Stored before segments were saved on their own: it must not make the workflow (and every other) unreadable.
        var stored = System.Text.Json.JsonSerializer.Deserialize<Workflow>(
            """
            { "id": "wf-old", "version": 3, "name": "Old", "module": "lead", "status": "active",
              "trigger": { "type": "segment.entered", "segment": { "name": "Hot", "conditions": { "field": "record.score", "op": "gt", "value": 80 } } } }
            """,
            Json.EngineJson.Options)!;

        Assert.Null(stored.Trigger.Segment);
        var evt = Triggers.Defs.Event("record.updated", """{ "score": 90 }""", """{ "score": 10 }""");
        var match = Triggers.Defs.Match(stored, evt);
        Assert.Equal((false, "The trigger names no segment."), (match.Matched, match.Reason));

        // Saved again, it has no segment at all (not a null one), as any trigger without one.
        var saved = System.Text.Json.JsonSerializer.SerializeToElement(stored.Trigger, Json.EngineJson.Options);
        Assert.False(saved.TryGetProperty("segment", out _), saved.ToString());
    }

    [Fact]
    public void A_segment_trigger_is_read_into_the_model_with_the_segment_id()
    {
        var trigger = Validate(WithTrigger("""{ "type": "segment.exited", "segment": "hot-leads" }""")).Workflow!.Trigger;

        Assert.Equal((TriggerTypes.SegmentExited, "hot-leads"), (trigger.Type, trigger.Segment));
    }
}
