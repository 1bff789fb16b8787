using System.Text.Json.Nodes;
using Automation.Engine.Model;
using Automation.Engine.Validation;
using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

public class ConditionValidationTests
{
    [Theory]
    [InlineData("""{ "field": "record.amount", "op": "gt", "value": 50000 }""")]
    [InlineData("""{ "field": "record.amount", "op": "gte", "value": "50000" }""")]
    [InlineData("""{ "field": "record.closeDate", "op": "lt", "value": "2025-01-31" }""")]
    [InlineData("""{ "field": "record.closeDate", "op": "lte", "value": "-7d" }""")]
    [InlineData("""{ "field": "record.amount", "op": "between", "value": [10, 20] }""")]
    [InlineData("""{ "field": "record.createdAt", "op": "between", "value": ["-30d", "today"] }""")]
    [InlineData("""{ "field": "record.status", "op": "in", "value": ["new", "open", 3, true, null] }""")]
    [InlineData("""{ "field": "record.status", "op": "notIn", "value": ["lost"] }""")]
    [InlineData("""{ "field": "record.email", "op": "endsWith", "value": "@example.com", "caseSensitive": true }""")]
    [InlineData("""{ "field": "record.zip", "op": "startsWith", "value": 75 }""")]
    [InlineData("""{ "field": "record.notes", "op": "contains", "value": "urgent", "caseSensitive": false }""")]
    [InlineData("""{ "field": "record.notes", "op": "notContains", "value": "spam" }""")]
    [InlineData("""{ "field": "record.phone", "op": "exists" }""")]
    [InlineData("""{ "field": "record.phone", "op": "notExists", "value": null }""")]
    [InlineData("""{ "field": "record.phone", "op": "isEmpty" }""")]
    [InlineData("""{ "field": "record.phone", "op": "isNotEmpty" }""")]
    [InlineData("""{ "field": "record.stage", "op": "changed" }""")]
    [InlineData("""{ "field": "record.stage", "op": "changedTo", "value": "won" }""")]
    [InlineData("""{ "field": "record.stage", "op": "changedFrom", "value": null }""")]
    [InlineData("""{ "field": "record.active", "op": "eq", "value": false }""")]
    [InlineData("""{ "field": "record.owner", "op": "neq", "value": "me" }""")]
    [InlineData("""{ "field": "record.renewalDate", "op": "before", "value": "+30d" }""")]
    [InlineData("""{ "field": "record.renewalDate", "op": "after", "value": "2025-01-31T09:00:00Z" }""")]
    [InlineData("""{ "field": "record.renewalDate", "op": "after", "value": "yesterday" }""")]
    [InlineData("""{ "field": "previous.stage", "op": "eq", "value": "SQL" }""")]
    [InlineData("""{ "field": "event.data.name", "op": "eq", "value": "demo" }""")]
    [InlineData("""{ "field": "run.steps.welcome.status", "op": "eq", "value": "ok" }""")]
    [InlineData("""{ "field": "record.tags[0]", "op": "eq", "value": "vip" }""")]
    [InlineData("""{ "not": { "field": "record.status", "op": "eq", "value": "customer" } }""")]
    [InlineData("""{ "any": [ { "all": [ { "field": "record.a", "op": "exists" } ] }, { "not": { "field": "record.b", "op": "exists" } } ] }""")]
    public void Valid_conditions_pass(string condition)
    {
        AssertValid(WithConditions(condition));
    }

    [Fact]
    public void Every_operator_appears_in_a_valid_example_above()
    {
        var data = typeof(ConditionValidationTests).GetMethod(nameof(Valid_conditions_pass))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]);
        var used = data.SelectMany(json => Leaves(JsonNode.Parse(json)!)).ToHashSet();

        Assert.Empty(ConditionOperators.Names.Except(used));
    }

    [Theory]
    [InlineData("""[ { "field": "record.a", "op": "exists" } ]""", "conditions", "must be an object")]
    [InlineData("""{ }""", "conditions", "needs 'all', 'any' or 'not'")]
    [InlineData("""{ "all": [], "any": [] }""", "conditions", "this one has 'all' and 'any'")]
    [InlineData("""{ "all": [ { "field": "record.a", "op": "exists" } ], "field": "record.b", "op": "exists" }""", "conditions", "this one has 'all' and a field test")]
    [InlineData("""{ "not": { "field": "record.a", "op": "exists" }, "op": "eq" }""", "conditions", "this one has 'not' and a field test")]
    [InlineData("""{ "all": [] }""", "conditions.all", "needs at least one condition")]
    [InlineData("""{ "any": { "field": "record.a", "op": "exists" } }""", "conditions.any", "must be a list of conditions")]
    [InlineData("""{ "not": [ { "field": "record.a", "op": "exists" } ] }""", "conditions.not", "must be an object")]
    [InlineData("""{ "all": [ { "field": "record.a", "op": "exists" }, "record.b" ] }""", "conditions.all[1]", "must be an object")]
    public void Each_node_is_exactly_one_of_all_any_not_or_a_leaf(string condition, string path, string fragment)
    {
        AssertOnlyError(WithConditions(condition), path, fragment);
    }

    [Theory]
    [InlineData("""{ "op": "exists" }""", "conditions.field", "needs a 'field'")]
    [InlineData("""{ "field": 7, "op": "exists" }""", "conditions.field", "must be text")]
    [InlineData("""{ "field": "amount", "op": "exists" }""", "conditions.field", "must start with record., previous., event. or run.")]
    [InlineData("""{ "field": "record", "op": "exists" }""", "conditions.field", "must start with record.")]
    [InlineData("""{ "field": "record.", "op": "exists" }""", "conditions.field", "must start with record.")]
    [InlineData("""{ "field": "lead.amount", "op": "exists" }""", "conditions.field", "must start with record.")]
    [InlineData("""{ "field": "record..amount", "op": "exists" }""", "conditions.field", "must start with record.")]
    [InlineData("""{ "field": "record.amount" }""", "conditions.op", "needs an 'op'. Use one of: eq")]
    [InlineData("""{ "field": "record.amount", "op": "greater", "value": 5 }""", "conditions.op", "Unknown operator 'greater'. Use one of: eq, neq, gt, gte, lt, lte, between, contains, notContains")]
    [InlineData("""{ "field": "record.amount", "op": "GT", "value": 5 }""", "conditions.op", "Unknown operator 'GT'")]
    [InlineData("""{ "field": "record.a", "op": "eq", "value": "x", "caseSensitive": "yes" }""", "conditions.caseSensitive", "must be true or false")]
    public void A_leaf_needs_a_rooted_field_and_a_known_operator(string condition, string path, string fragment)
    {
        AssertOnlyError(WithConditions(condition), path, fragment);
    }

    [Theory]
    [InlineData("""{ "field": "record.a", "op": "exists", "value": true }""", "does not take a value")]
    [InlineData("""{ "field": "record.a", "op": "changed", "value": "x" }""", "does not take a value")]
    [InlineData("""{ "field": "record.a", "op": "eq" }""", "needs a value")]
    [InlineData("""{ "field": "record.a", "op": "eq", "value": ["a", "b"] }""", "use 'in' for a list")]
    [InlineData("""{ "field": "record.a", "op": "changedTo", "value": { "x": 1 } }""", "compares with one value")]
    [InlineData("""{ "field": "record.a", "op": "gt", "value": "soon" }""", "needs a number or a date")]
    [InlineData("""{ "field": "record.a", "op": "lte", "value": true }""", "needs a number or a date")]
    [InlineData("""{ "field": "record.a", "op": "gte" }""", "needs a value")]
    [InlineData("""{ "field": "record.a", "op": "between", "value": 5 }""", "a list of two values")]
    [InlineData("""{ "field": "record.a", "op": "between", "value": [1, 2, 3] }""", "a list of two values")]
    [InlineData("""{ "field": "record.a", "op": "between", "value": [20, 10] }""", "starts above where it ends")]
    [InlineData("""{ "field": "record.a", "op": "in", "value": "new" }""", "needs a list of values")]
    [InlineData("""{ "field": "record.a", "op": "notIn", "value": [] }""", "at least one value")]
    [InlineData("""{ "field": "record.a", "op": "contains", "value": ["x"] }""", "needs text")]
    [InlineData("""{ "field": "record.a", "op": "startsWith", "value": null }""", "needs text")]
    [InlineData("""{ "field": "record.a", "op": "before", "value": 20250131 }""", "needs a date")]
    [InlineData("""{ "field": "record.a", "op": "after", "value": "next week" }""", "needs a date")]
    [InlineData("""{ "field": "record.a", "op": "after", "value": "2025-02-30" }""", "needs a date")]
    [InlineData("""{ "field": "record.a", "op": "before", "value": "-7 days" }""", "needs a date")]
    public void The_value_must_fit_the_operator(string condition, string fragment)
    {
        AssertOnlyError(WithConditions(condition), "conditions.value", fragment);
    }

    [Theory]
    [InlineData("""{ "field": "record.a", "op": "between", "value": [1, "soon"] }""", "conditions.value[1]")]
    [InlineData("""{ "field": "record.a", "op": "in", "value": ["a", ["b"]] }""", "conditions.value[1]")]
    public void A_bad_element_of_a_range_or_list_is_reported_at_its_index(string condition, string path)
    {
        AssertOnlyError(WithConditions(condition), path, "must be");
    }

    [Fact]
    public void Paths_walk_down_through_all_any_and_not()
    {
        var condition = """
            { "all": [
                { "field": "record.a", "op": "exists" },
                { "any": [ { "field": "record.b", "op": "exists" }, { "not": { "field": "record.c", "op": "like", "value": 1 } } ] } ] }
            """;

        AssertOnlyError(WithConditions(condition), "conditions.all[1].any[1].not.op", "Unknown operator 'like'");
    }

    [Fact]
    public void Exit_conditions_and_step_conditions_are_checked_with_their_own_paths()
    {
        var definition = With(d =>
        {
            d["exitConditions"] = JsonNode.Parse("""{ "any": [ { "field": "status", "op": "eq", "value": "x" } ] }""");
            d["steps"]![1]!["condition"] = JsonNode.Parse("""{ "field": "record.a", "op": "in", "value": "x" }""");
        });

        var result = Validate(definition);

        Assert.Equal(["steps[1].condition.value", "exitConditions.any[0].field"], result.Errors.Keys);
    }

    [Fact]
    public void Every_mistake_in_one_tree_is_reported()
    {
        var result = Validate(WithConditions("""
            { "all": [ { "field": "x", "op": "eq", "value": 1 }, { "field": "record.y", "op": "nope" }, { "all": [] } ] }
            """));

        Assert.Equal(["conditions.all[0].field", "conditions.all[1].op", "conditions.all[2].all"], result.Errors.Keys);
    }

    [Fact]
    public void Nesting_is_allowed_up_to_ten_levels()
    {
        AssertValid(WithConditions(Nested(WorkflowValidator.MaxConditionDepth)));
    }

    [Fact]
    public void Nesting_deeper_than_ten_levels_is_refused_with_a_clear_message()
    {
        var deepest = "conditions" + string.Concat(Enumerable.Repeat(".not", WorkflowValidator.MaxConditionDepth));

        AssertOnlyError(WithConditions(Nested(WorkflowValidator.MaxConditionDepth + 1)), deepest, "nested more than 10 levels deep");
    }

    [Fact]
    public void Null_conditions_mean_no_conditions()
    {
        var result = Validate(With(d =>
        {
            d["conditions"] = null;
            d["exitConditions"] = null;
        }));

        Assert.True(result.Valid, Describe(result));
        Assert.Null(result.Workflow!.Conditions);
    }

    [Fact]
    public void A_valid_leaf_is_read_into_the_model_with_its_value_and_case_sensitivity()
    {
        var leaf = Assert.IsType<LeafCondition>(Validate(WithConditions(
            """{ "field": "record.email", "op": "endsWith", "value": "@Example.com", "caseSensitive": true }""")).Workflow!.Conditions);

        Assert.Equal(ConditionOperator.EndsWith, leaf.Op);
        Assert.Equal("@Example.com", leaf.Value!.Value.GetString());
        Assert.True(leaf.CaseSensitive);
    }

    /// <summary>A tree <paramref name="levels"/> nodes deep: not(not(...(leaf))).</summary>
    private static string Nested(int levels)
    {
        var json = """{ "field": "record.a", "op": "exists" }""";
        for (var i = 1; i < levels; i++)
        {
            json = $$"""{ "not": {{json}} }""";
        }

        return json;
    }

    private static IEnumerable<string> Leaves(JsonNode node) => node switch
    {
        JsonObject o when o["op"] is { } op => [op.GetValue<string>()],
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Leaves(p.Value)),
        JsonArray a => a.SelectMany(n => n is null ? [] : Leaves(n)),
        _ => [],
    };
}
