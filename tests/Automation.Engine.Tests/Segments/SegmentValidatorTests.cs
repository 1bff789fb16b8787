using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Validation;

namespace Automation.Engine.Tests.Segments;

public class SegmentValidatorTests
{
    private const string Valid = """
        { "name": "Hot leads", "module": "lead", "description": "Scored 80 or more",
          "conditions": { "all": [ { "field": "record.score", "op": "gte", "value": 80 }, { "not": { "field": "record.email", "op": "isEmpty" } } ] } }
        """;

    [Fact]
    public void A_valid_segment_is_read_into_the_model()
    {
        var result = SegmentValidator.Validate(Parse(Valid));

        Assert.True(result.Valid, string.Join("; ", result.Errors.Select(e => e.Key + ": " + string.Join(" ", e.Value))));
        Assert.Equal(("Hot leads", "lead", "Scored 80 or more"), (result.Segment!.Name, result.Segment.Module, result.Segment.Description));
        Assert.Equal(2, Assert.IsType<AllCondition>(result.Segment.Conditions).All.Count);
    }

    [Theory]
    [InlineData("""{ "module": "lead", "conditions": { "field": "record.a", "op": "exists" } }""", "name", "needs a name")]
    [InlineData("""{ "name": "X", "conditions": { "field": "record.a", "op": "exists" } }""", "module", "needs a module")]
    [InlineData("""{ "name": "X", "module": "Lead", "conditions": { "field": "record.a", "op": "exists" } }""", "module", "must start with a lowercase letter")]
    [InlineData("""{ "name": "X", "module": "lead" }""", "conditions", "needs conditions")]
    [InlineData("""{ "name": "X", "module": "lead", "conditions": { "field": "record.a", "op": "bigger" } }""", "conditions.op", "Unknown operator 'bigger'")]
    [InlineData("""{ "name": "X", "module": "lead", "conditions": { "all": [] } }""", "conditions.all", "at least one condition")]
    [InlineData("""{ "name": "X", "module": "lead", "conditions": { "any": [ { "field": "previous.score", "op": "gt", "value": 1 } ] } }""", "conditions.any[0].field", "read the record only")]
    [InlineData("""{ "name": "X", "module": "lead", "conditions": { "not": { "field": "event.type", "op": "eq", "value": "x" } } }""", "conditions.not.field", "read the record only")]
    [InlineData("""{ "name": "X", "module": "lead", "conditions": { "field": "record.status", "op": "changedTo", "value": "won" } }""", "conditions.op", "Operator 'changedTo' compares with the state before an event")]
    [InlineData("""{ "name": "X", "module": "lead", "id": "Hot Leads", "conditions": { "field": "record.a", "op": "exists" } }""", "id", "'Hot Leads' is not a segment id")]
    [InlineData("""{ "name": "X", "module": "lead", "condition": { "field": "record.a", "op": "exists" } }""", "condition", "A segment has no 'condition'")]
    [InlineData("""{ "name": "X", "module": "lead", "description": 5, "conditions": { "field": "record.a", "op": "exists" } }""", "description", "must be text")]
    [InlineData("""[ 1 ]""", "$", "must be a JSON object")]
    public void Each_mistake_is_reported_under_its_field(string json, string path, string fragment)
    {
        var result = SegmentValidator.Validate(Parse(json));

        Assert.False(result.Valid);
        Assert.Null(result.Segment);
        Assert.True(result.Errors.ContainsKey(path), $"No error at '{path}': {string.Join("; ", result.Errors.Select(e => e.Key + ": " + string.Join(" ", e.Value)))}");
        Assert.Contains(result.Errors[path], m => m.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Server_stamped_fields_may_be_sent_back()
    {
        var result = SegmentValidator.Validate(Parse("""
            { "id": "hot-leads", "name": "Hot", "module": "lead", "createdAt": "2026-03-10T09:00:00Z", "updatedAt": "2026-03-10T09:00:00Z",
              "conditions": { "field": "record.score", "op": "gte", "value": 80 } }
            """));

        Assert.True(result.Valid);
        Assert.Equal("hot-leads", result.Segment!.Id);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
