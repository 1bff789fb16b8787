using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

/// <summary>assign_owner's rule table is checked like a workflow's conditions, at the rule's own path.</summary>
public class AssignmentRuleValidationTests
{
    [Fact]
    public void A_rule_table_with_conditions_and_a_default_is_valid()
    {
        var definition = WithAction("assign_owner", """
            { "strategy": "rules", "rules": [
                { "when": { "field": "record.territory", "op": "eq", "value": "EMEA" }, "ownerId": "u-emea" },
                { "when": { "any": [ { "field": "record.country", "op": "in", "value": ["JP", "AU"] } ] }, "ownerId": "{{ record.apacRep }}" },
                { "ownerId": "u-default" } ] }
            """);

        AssertValid(definition);
    }

    [Theory]
    [InlineData("""[ { "when": { "field": "record.territory", "op": "equals", "value": "EMEA" }, "ownerId": "u1" } ]""", "rules[0].when.op", "equals")]
    [InlineData("""[ { "ownerId": "u0" }, { "when": { "field": "record.territory", "op": "eq", "value": "EMEA" } } ]""", "rules[1].ownerId", "needs an ownerId")]
    [InlineData("""[ "u1" ]""", "rules[0]", "must be an object")]
    [InlineData("""[ { "ownerId": "u1", "owner": "u2" } ]""", "rules[0].owner", "not 'owner'")]
    [InlineData("""[ { "ownerId": "{{ record.rep " } ]""", "rules[0].ownerId", "")]
    public void A_bad_rule_is_reported_at_its_path(string rules, string path, string fragment)
    {
        var definition = WithAction("assign_owner", $$"""{ "strategy": "rules", "rules": {{rules}} }""");

        AssertOnlyError(definition, $"steps[0].params.{path}", fragment);
    }
}
