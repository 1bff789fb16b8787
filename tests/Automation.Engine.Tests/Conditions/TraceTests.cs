using Automation.Engine.Conditions;

namespace Automation.Engine.Tests.Conditions;

public class TraceTests
{
    private static readonly string Record = """{ "source": "Web Form", "score": 40, "country": "FR" }""";

    [Fact]
    public void No_condition_is_true_with_no_leaves()
    {
        var trace = ConditionEvaluator.Evaluate(null, Scopes.Of(Record));

        Assert.True(trace.Result);
        Assert.Empty(trace.Leaves);
    }

    [Fact]
    public void All_evaluates_every_leaf_even_after_one_is_false()
    {
        var condition = Scopes.Condition("""
            { "all": [
              { "field": "record.score", "op": "gte", "value": 50 },
              { "field": "record.source", "op": "eq", "value": "Web Form" } ] }
            """);

        var trace = ConditionEvaluator.Evaluate(condition, Scopes.Of(Record));

        Assert.False(trace.Result);
        Assert.Collection(
            trace.Leaves,
            first =>
            {
                Assert.Equal("conditions.all[0]", first.Path);
                Assert.False(first.Result);
                Assert.Equal(40, first.Actual!.Value.GetInt32());
            },
            second =>
            {
                Assert.Equal("conditions.all[1]", second.Path);
                Assert.True(second.Result);
                Assert.Equal("Web Form", second.Actual!.Value.GetString());
            });
    }

    [Fact]
    public void Any_evaluates_every_leaf_even_after_one_is_true()
    {
        var condition = Scopes.Condition("""
            { "any": [
              { "field": "record.source", "op": "eq", "value": "Web Form" },
              { "field": "record.score", "op": "gte", "value": 50 } ] }
            """);

        var trace = ConditionEvaluator.Evaluate(condition, Scopes.Of(Record), "exitConditions");

        Assert.True(trace.Result);
        Assert.Equal(["exitConditions.any[0]", "exitConditions.any[1]"], trace.Leaves.Select(l => l.Path));
        Assert.Equal([true, false], trace.Leaves.Select(l => l.Result));
    }

    [Fact]
    public void Not_inverts_and_its_leaf_path_ends_in_not()
    {
        var condition = Scopes.Condition("""
            { "any": [ { "not": { "field": "record.country", "op": "in", "value": ["US", "CA"] } } ] }
            """);

        var trace = ConditionEvaluator.Evaluate(condition, Scopes.Of(Record), "steps[2].condition");

        Assert.True(trace.Result);
        var leaf = Assert.Single(trace.Leaves);
        Assert.Equal("steps[2].condition.any[0].not", leaf.Path);
        Assert.False(leaf.Result);
    }

    [Fact]
    public void A_single_leaf_at_the_root_has_the_base_path()
    {
        var trace = ConditionEvaluator.Evaluate(
            Scopes.Condition("""{ "field": "record.score", "op": "lt", "value": 50 }"""), Scopes.Of(Record));

        Assert.Equal("conditions", Assert.Single(trace.Leaves).Path);
        Assert.True(trace.Result);
    }

    [Theory]
    [InlineData(40, "FR", true)]
    [InlineData(40, "US", false)]
    [InlineData(90, "US", true)]
    [InlineData(10, "DE", false)]
    public void Nested_all_any_not_combine_like_boolean_logic(int score, string country, bool expected)
    {
        // (score >= 30 and country is not US) or score > 80, written with every combinator.
        var condition = Scopes.Condition("""
            { "any": [
              { "all": [
                { "field": "record.score", "op": "gte", "value": 30 },
                { "not": { "field": "record.country", "op": "eq", "value": "us" } } ] },
              { "field": "record.score", "op": "gt", "value": 80 } ] }
            """);
        var scope = Scopes.Of($$"""{ "score": {{score}}, "country": "{{country}}" }""");

        var trace = ConditionEvaluator.Evaluate(condition, scope);

        Assert.Equal(expected, trace.Result);
        Assert.Equal(
            ["conditions.any[0].all[0]", "conditions.any[0].all[1].not", "conditions.any[1]"],
            trace.Leaves.Select(l => l.Path));
    }

    [Fact]
    public void Empty_all_is_true_and_empty_any_is_false()
    {
        Assert.True(ConditionEvaluator.Evaluate(Scopes.Condition("""{ "all": [] }"""), Scopes.Of(Record)).Result);
        Assert.False(ConditionEvaluator.Evaluate(Scopes.Condition("""{ "any": [] }"""), Scopes.Of(Record)).Result);
    }

    [Fact]
    public void A_missing_field_has_no_actual_value_and_a_note()
    {
        var trace = ConditionEvaluator.Evaluate(
            Scopes.Condition("""{ "field": "record.owner.email", "op": "eq", "value": "x@y.z" }"""), Scopes.Of(Record));

        var leaf = Assert.Single(trace.Leaves);
        Assert.Null(leaf.Actual);
        Assert.Equal("field is missing", leaf.Note);
        Assert.Equal("x@y.z", leaf.Expected!.Value.GetString());
    }

    [Fact]
    public void The_trace_outlives_the_documents_it_was_read_from()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(Record);
        var scope = new Model.EvaluationScope { Record = doc.RootElement, Now = Scopes.Now };
        var trace = ConditionEvaluator.Evaluate(
            Scopes.Condition("""{ "field": "record.source", "op": "exists" }"""), scope);
        doc.Dispose();

        Assert.Equal("Web Form", Assert.Single(trace.Leaves).Actual!.Value.GetString());
    }
}
