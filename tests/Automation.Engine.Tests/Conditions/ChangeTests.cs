using Automation.Engine.Conditions;

namespace Automation.Engine.Tests.Conditions;

public class ChangeTests
{
    private static Automation.Engine.Conditions.LeafTrace Leaf(string op, string field, string? value, string record, string? previous)
    {
        var valuePart = value is null ? "" : $", \"value\": {value}";
        var condition = Scopes.Condition($$"""{ "field": "{{field}}", "op": "{{op}}"{{valuePart}} }""");
        return Assert.Single(ConditionEvaluator.Evaluate(condition, Scopes.Of(record, previous)).Leaves);
    }

    [Theory]
    [InlineData("""{ "stage": "SQL" }""", """{ "stage": "MQL" }""", true)]
    [InlineData("""{ "stage": "SQL" }""", """{ "stage": "SQL" }""", false)]
    [InlineData("""{ "stage": "SQL" }""", """{ }""", true)]
    [InlineData("""{ }""", """{ "stage": "SQL" }""", true)]
    [InlineData("""{ "stage": null }""", """{ }""", false)]
    [InlineData("""{ "stage": "sql" }""", """{ "stage": "SQL" }""", true)]
    [InlineData("""{ "amount": "100" }""", """{ "amount": 100 }""", false)]
    [InlineData("""{ "tags": ["a"] }""", """{ "tags": ["a", "b"] }""", true)]
    public void Changed_compares_the_record_with_its_previous_version(string record, string previous, bool expected)
    {
        var field = record.Contains("amount", StringComparison.Ordinal) ? "amount"
            : record.Contains("tags", StringComparison.Ordinal) || previous.Contains("tags", StringComparison.Ordinal) ? "tags"
            : "stage";
        Assert.Equal(expected, Leaf("changed", "record." + field, null, record, previous).Result);
    }

    [Theory]
    [InlineData("record.stage")]
    [InlineData("stage")]
    [InlineData("previous.stage")]
    public void Changed_accepts_the_field_with_or_without_its_root(string field)
    {
        var leaf = Leaf("changed", field, null, """{ "stage": "SQL" }""", """{ "stage": "MQL" }""");

        Assert.True(leaf.Result);
        Assert.Equal("SQL", leaf.Actual!.Value.GetString());
        Assert.Equal("previous value: \"MQL\"", leaf.Note);
    }

    [Theory]
    [InlineData("\"SQL\"", true)]
    [InlineData("\"sql\"", true)]
    [InlineData("\"MQL\"", false)]
    public void ChangedTo_needs_a_change_that_ends_at_the_value(string value, bool expected)
    {
        Assert.Equal(expected, Leaf("changedTo", "record.stage", value, """{ "stage": "SQL" }""", """{ "stage": "MQL" }""").Result);
    }

    [Fact]
    public void ChangedTo_is_false_when_the_field_already_had_the_value()
    {
        Assert.False(Leaf("changedTo", "record.stage", "\"SQL\"", """{ "stage": "SQL" }""", """{ "stage": "SQL" }""").Result);
    }

    [Theory]
    [InlineData("\"MQL\"", true)]
    [InlineData("\"SQL\"", false)]
    [InlineData("null", false)]
    public void ChangedFrom_needs_a_change_that_starts_at_the_value(string value, bool expected)
    {
        Assert.Equal(expected, Leaf("changedFrom", "record.stage", value, """{ "stage": "SQL" }""", """{ "stage": "MQL" }""").Result);
    }

    [Fact]
    public void ChangedFrom_null_matches_a_field_set_for_the_first_time()
    {
        Assert.True(Leaf("changedFrom", "record.stage", "null", """{ "stage": "SQL" }""", """{ }""").Result);
    }

    [Fact]
    public void ChangedTo_compares_numbers_sent_as_strings_as_numbers()
    {
        Assert.True(Leaf("changedTo", "record.score", "80", """{ "score": "80" }""", """{ "score": "60" }""").Result);
    }

    [Fact]
    public void Without_a_previous_version_nothing_has_changed()
    {
        var leaf = Leaf("changed", "record.stage", null, """{ "stage": "SQL" }""", null);

        Assert.False(leaf.Result);
        Assert.Equal("there is no previous version of the record", leaf.Note);
    }

    [Fact]
    public void Changed_on_an_event_field_is_false_with_a_note()
    {
        var leaf = Leaf("changed", "event.type", null, """{ }""", """{ }""");

        Assert.False(leaf.Result);
        Assert.Contains("record fields", leaf.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Changed_reaches_nested_fields()
    {
        Assert.True(Leaf("changed", "record.address.city", null,
            """{ "address": { "city": "Lyon" } }""", """{ "address": { "city": "Paris" } }""").Result);
    }
}
