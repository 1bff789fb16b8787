using System.Text.Json;
using Automation.Engine.Triggers;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Triggers;

public class ChangeDeriverTests
{
    [Fact]
    public void Changed_fields_carry_their_value_before_and_after()
    {
        var evt = Event("record.updated", record: """{ "email": "b@x.io", "name": "Ann" }""", previous: """{ "email": "a@x.io", "name": "Ann" }""");

        var changes = ChangeDeriver.Derive(evt, storedPrevious: null);

        var email = Assert.Single(changes.Fields);
        Assert.Equal("email", email.Key);
        Assert.Equal("a@x.io", email.Value.From!.Value.GetString());
        Assert.Equal("b@x.io", email.Value.To!.Value.GetString());
        Assert.False(changes.Created);
        Assert.True(changes.HasPrevious);
    }

    [Fact]
    public void The_stored_snapshot_stands_in_when_the_event_has_no_previous()
    {
        var evt = Event("record.updated", record: """{ "status": "closed" }""");

        var changes = ChangeDeriver.Derive(evt, Parse("""{ "status": "open" }"""));

        Assert.Equal("open", changes.Status!.From!.Value.GetString());
        Assert.False(changes.Created);
    }

    [Fact]
    public void The_events_previous_wins_over_the_stored_snapshot()
    {
        var evt = Event("record.updated", record: """{ "status": "closed" }""", previous: """{ "status": "pending" }""");

        var changes = ChangeDeriver.Derive(evt, Parse("""{ "status": "open" }"""));

        Assert.Equal("pending", changes.Status!.From!.Value.GetString());
    }

    [Fact]
    public void With_nothing_before_every_present_field_changed_from_nothing_and_the_record_counts_as_created()
    {
        var evt = Event("record.updated", record: """{ "stage": "SQL", "score": 90, "empty": null }""");

        var changes = ChangeDeriver.Derive(evt, storedPrevious: null);

        Assert.True(changes.Created);
        Assert.False(changes.HasPrevious);
        Assert.Equal(["stage", "score"], changes.Fields.Keys);
        Assert.All(changes.Fields.Values, c => Assert.Null(c.From));
        Assert.Equal(new StageChange(null, "SQL", null, null), changes.Stage);
        Assert.Equal(new NumberChange(null, 90), changes.Numbers["score"]);
    }

    [Theory]
    [InlineData("""{ "a": { "x": 1, "y": [1, 2] } }""", """{ "a": { "y": [1, 2], "x": 1 } }""", false)]
    [InlineData("""{ "a": { "x": 1, "y": [1, 2] } }""", """{ "a": { "x": 1, "y": [2, 1] } }""", true)]
    [InlineData("""{ "a": { "x": 1 } }""", """{ "a": { "x": 2 } }""", true)]
    [InlineData("""{ "a": null }""", """{ }""", false)]
    [InlineData("""{ }""", """{ "a": null }""", false)]
    [InlineData("""{ "a": "" }""", """{ }""", true)]
    [InlineData("""{ "a": "x" }""", """{ "a": "X" }""", true)]
    [InlineData("""{ "a": 5 }""", """{ "a": "5" }""", true)]
    [InlineData("""{ "a": 1 }""", """{ "a": 1.0 }""", false)]
    public void Fields_are_compared_deeply_and_missing_equals_null(string previous, string current, bool changed)
    {
        var changes = ChangeDeriver.Derive(Event("record.updated", record: current, previous: previous), null);

        Assert.Equal(changed, changes.Fields.ContainsKey("a"));
    }

    [Fact]
    public void A_field_missing_from_the_full_record_after_the_event_was_removed()
    {
        var evt = Event("record.updated", record: """{ "name": "Ann" }""", previous: """{ "name": "Ann", "phone": "+331" }""");

        var change = Assert.Single(ChangeDeriver.Derive(evt, null).Fields);

        Assert.Equal("phone", change.Key);
        Assert.Null(change.Value.To);
    }

    [Fact]
    public void Merged_fields_passed_by_the_caller_replace_a_partial_event_record()
    {
        var evt = Event("record.updated", record: """{ "status": "closed" }""");
        var merged = Parse("""{ "status": "closed", "name": "Ann" }""");

        var changes = ChangeDeriver.Derive(evt, Parse("""{ "status": "open", "name": "Ann" }"""), merged);

        Assert.Equal(["status"], changes.Fields.Keys);
    }

    [Fact]
    public void An_event_without_a_record_changes_no_field()
    {
        var changes = ChangeDeriver.Derive(Event("record.deleted"), Parse("""{ "status": "open" }"""));

        Assert.Empty(changes.Fields);
        Assert.True(changes.Deleted);
        Assert.False(changes.HasCurrent);
    }

    [Fact]
    public void A_record_created_event_counts_as_created_even_with_a_previous()
    {
        var changes = ChangeDeriver.Derive(Event("record.created", record: """{ "a": 1 }""", previous: """{ "a": 1 }"""), null);

        Assert.True(changes.Created);
        Assert.False(changes.Deleted);
    }

    [Fact]
    public void Status_and_health_changes_read_their_well_known_fields()
    {
        var evt = Event(
            "record.updated",
            record: """{ "status": "closed", "health": "bad" }""",
            previous: """{ "status": "open", "health": "good" }""");

        var changes = ChangeDeriver.Derive(evt, null);

        Assert.Equal("closed", changes.Status!.To!.Value.GetString());
        Assert.Equal("good", changes.Health!.From!.Value.GetString());
        Assert.Null(changes.Stage);
    }

    [Theory]
    [InlineData("""{ "stage": "MQL", "pipeline": "sales" }""", """{ "stage": "SQL", "pipeline": "sales" }""", "MQL", "SQL", "sales", "sales")]
    [InlineData("""{ "stage": "New", "pipeline": "sales" }""", """{ "stage": "New", "pipeline": "renewals" }""", "New", "New", "sales", "renewals")]
    [InlineData("""{ "stage": "Won" }""", """{ }""", "Won", null, null, null)]
    [InlineData("""{ "stage": 3 }""", """{ "stage": 4 }""", "3", "4", null, null)]
    public void A_stage_change_names_the_stage_exited_and_entered_with_their_pipelines(
        string previous, string current, string? exited, string? entered, string? previousPipeline, string? pipeline)
    {
        var changes = ChangeDeriver.Derive(Event("record.updated", record: current, previous: previous), null);

        Assert.Equal(new StageChange(exited, entered, previousPipeline, pipeline), changes.Stage);
    }

    [Theory]
    [InlineData("""{ "stage": "SQL", "pipeline": "sales" }""", """{ "stage": "SQL", "pipeline": "sales", "x": 1 }""")]
    [InlineData("""{ "pipeline": "sales" }""", """{ "pipeline": "renewals" }""")]
    public void No_stage_change_when_the_stage_stays_put(string previous, string current)
    {
        Assert.Null(ChangeDeriver.Derive(Event("record.updated", record: current, previous: previous), null).Stage);
    }

    [Theory]
    [InlineData("""{ "score": 70 }""", """{ "score": 85 }""", 70.0, 85.0)]
    [InlineData("""{ "score": "70" }""", """{ "score": "85.5" }""", 70.0, 85.5)]
    [InlineData("""{ "score": "n/a" }""", """{ "score": 10 }""", null, 10.0)]
    [InlineData("""{ "score": 10 }""", """{ }""", 10.0, null)]
    public void Numeric_changes_are_read_as_numbers(string previous, string current, double? from, double? to)
    {
        var changes = ChangeDeriver.Derive(Event("record.updated", record: current, previous: previous), null);

        Assert.Equal(new NumberChange(from, to), changes.Numbers["score"]);
    }

    [Fact]
    public void Text_changes_have_no_numeric_reading()
    {
        var changes = ChangeDeriver.Derive(Event("record.updated", record: """{ "name": "b" }""", previous: """{ "name": "a" }"""), null);

        Assert.Empty(changes.Numbers);
    }

    [Fact]
    public void Changes_serialize_without_the_full_records()
    {
        var changes = ChangeDeriver.Derive(Event("record.updated", record: """{ "status": "b" }""", previous: """{ "status": "a" }"""), null);

        var json = JsonSerializer.Serialize(changes, Automation.Engine.Json.EngineJson.Options);

        Assert.Contains("\"fields\":{\"status\":{\"from\":\"a\",\"to\":\"b\"}}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"current\"", json, StringComparison.Ordinal);
    }
}
