using System.Text.Json;
using Automation.Engine.Validation;

namespace Automation.Engine.Tests.Validation;

public sealed class EventValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static EventValidationResult Validate(string json, string basePath = "", bool requireId = true) =>
        EventValidator.Validate(JsonDocument.Parse(json).RootElement, basePath, Now, requireId);

    [Fact]
    public void A_complete_event_becomes_a_crm_event()
    {
        var result = Validate("""
            { "id": "e1", "type": "record.updated", "module": "lead", "recordId": 42,
              "occurredAt": "2026-11-20T10:00:00+01:00", "record": { "score": 80 }, "previous": { "score": 40 } }
            """);

        Assert.True(result.Valid);
        var evt = result.Event!;
        Assert.Equal("42", evt.RecordId);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), evt.OccurredAt);
        Assert.Equal(TimeSpan.Zero, evt.OccurredAt.Offset);
        Assert.Equal(80, evt.Record!.Value.GetProperty("score").GetInt32());
    }

    [Fact]
    public void Every_missing_field_is_reported_at_once_under_the_base_path()
    {
        var result = Validate("{ \"record\": [] }", basePath: "[3]");

        Assert.False(result.Valid);
        Assert.Equal(["[3].id", "[3].module", "[3].record", "[3].recordId", "[3].type"], result.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_missing_occurred_at_defaults_to_now()
    {
        var result = Validate("""{ "id": "e1", "type": "record.created", "module": "lead", "recordId": "L1" }""");

        Assert.Equal(Now, result.Event!.OccurredAt);
    }

    [Theory]
    [InlineData("\"yesterday-ish\"")]
    [InlineData("12")]
    public void A_bad_occurred_at_names_the_field(string value)
    {
        var result = Validate($$"""{ "id": "e1", "type": "record.created", "module": "lead", "recordId": "L1", "occurredAt": {{value}} }""");

        Assert.Contains("ISO 8601", Assert.Single(result.Errors["occurredAt"]));
    }

    [Theory]
    [InlineData("Record Created")]
    [InlineData("record..created")]
    [InlineData("Invoice.Paid")]
    public void Event_types_must_be_lowercase_dotted_words(string type)
    {
        var result = Validate($$"""{ "id": "e1", "type": "{{type}}", "module": "lead", "recordId": "L1" }""");

        Assert.True(result.Errors.ContainsKey("type"));
    }

    [Fact]
    public void A_custom_event_needs_its_name()
    {
        var result = Validate("""{ "id": "e1", "type": "event", "module": "lead", "recordId": "L1", "data": {} }""");

        Assert.True(result.Errors.ContainsKey("data.name"));
    }

    [Fact]
    public void A_dry_run_event_may_omit_the_id()
    {
        var result = Validate("""{ "type": "record.created", "module": "lead", "recordId": "L1" }""", requireId: false);

        Assert.True(result.Valid);
    }

    [Fact]
    public void Causation_cannot_be_set_from_outside()
    {
        var result = Validate("""
            { "id": "e1", "type": "record.updated", "module": "lead", "recordId": "L1",
              "causation": { "runId": "r", "workflowId": "w", "stepId": "s", "depth": 0 } }
            """);

        Assert.Null(result.Event!.Causation);
    }

    [Fact]
    public void An_event_that_is_not_an_object_is_refused()
    {
        var result = Validate("[1]", basePath: "[0]");

        Assert.Equal(["[0]"], result.Errors.Keys);
    }
}
