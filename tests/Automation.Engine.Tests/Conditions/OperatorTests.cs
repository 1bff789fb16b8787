using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Model;

namespace Automation.Engine.Tests.Conditions;

public class OperatorTests
{
    private const string Lead = """
        {
          "amount": 50000, "amountText": "50000", "scientific": "1e3", "score": 72,
          "name": "Ada Lovelace", "email": "ada@Example.com", "status": "Open", "blank": "   ", "empty": "",
          "nothing": null, "vip": true, "vipText": "true", "tags": ["hot", "web"], "noTags": [], "noAddress": {},
          "address": { "city": "Paris", "zip": "75001" }, "dueDate": "2026-03-10T09:00:00Z", "signedOn": "2026-03-01",
          "notADate": "soon"
        }
        """;

    private static LeafTrace Leaf(string field, string op, string? valueJson, bool caseSensitive = false, string record = Lead)
    {
        var value = valueJson is null ? "" : $", \"value\": {valueJson}";
        var condition = Scopes.Condition($$"""{ "field": "{{field}}", "op": "{{op}}"{{value}}, "caseSensitive": {{(caseSensitive ? "true" : "false")}} }""");
        var trace = ConditionEvaluator.Evaluate(condition, Scopes.Of(record));
        return Assert.Single(trace.Leaves);
    }

    [Theory]
    [InlineData("record.amount", "50000", true)]
    [InlineData("record.amount", "\"50000\"", true)]
    [InlineData("record.amountText", "50000", true)]
    [InlineData("record.amountText", "50000.0", true)]
    [InlineData("record.scientific", "1000", true)]
    [InlineData("record.amount", "49999", false)]
    [InlineData("record.amount", "\"fifty\"", false)]
    [InlineData("record.status", "\"open\"", true)]
    [InlineData("record.status", "\"Closed\"", false)]
    [InlineData("record.vip", "\"true\"", true)]
    [InlineData("record.vipText", "true", true)]
    [InlineData("record.vip", "false", false)]
    [InlineData("record.nothing", "null", true)]
    [InlineData("record.missing", "null", true)]
    [InlineData("record.nothing", "\"x\"", false)]
    [InlineData("record.missing", "\"x\"", false)]
    [InlineData("record.address.city", "\"PARIS\"", true)]
    [InlineData("record.tags", "[\"hot\", \"web\"]", true)]
    [InlineData("record.tags.1", "\"web\"", true)]
    [InlineData("record.tags[0]", "\"hot\"", true)]
    [InlineData("record.address.zip", "75001", true)]
    public void Eq_compares_numbers_booleans_and_text_as_a_crm_user_expects(string field, string value, bool expected)
    {
        Assert.Equal(expected, Leaf(field, "eq", value).Result);
        Assert.Equal(!expected, Leaf(field, "neq", value).Result);
    }

    [Fact]
    public void Eq_between_two_numeric_strings_compares_text_so_zip_codes_keep_their_zeros()
    {
        Assert.False(Leaf("record.address.zip", "eq", "\"075001\"").Result);
    }

    [Theory]
    [InlineData("eq", "\"open\"", false)]
    [InlineData("eq", "\"Open\"", true)]
    [InlineData("contains", "\"lovelace\"", false)]
    [InlineData("startsWith", "\"ada\"", false)]
    [InlineData("endsWith", "\"Lovelace\"", true)]
    [InlineData("in", "[\"open\", \"closed\"]", false)]
    public void Case_sensitive_leaves_compare_text_exactly(string op, string value, bool expected)
    {
        var field = op is "eq" or "in" ? "record.status" : "record.name";
        Assert.Equal(expected, Leaf(field, op, value, caseSensitive: true).Result);
    }

    [Theory]
    [InlineData("record.amount", "gt", "40000", true)]
    [InlineData("record.amount", "gt", "50000", false)]
    [InlineData("record.amount", "gte", "50000", true)]
    [InlineData("record.amount", "gte", "50001", false)]
    [InlineData("record.amount", "lt", "50001", true)]
    [InlineData("record.amount", "lt", "50000", false)]
    [InlineData("record.amount", "lte", "50000", true)]
    [InlineData("record.amount", "lte", "49999.99", false)]
    [InlineData("record.amountText", "gt", "9000", true)]
    [InlineData("record.amountText", "gt", "\"9000\"", true)]
    [InlineData("record.scientific", "lt", "1001", true)]
    [InlineData("record.amount", "gt", "\"4e4\"", true)]
    [InlineData("record.dueDate", "gt", "\"2026-03-09\"", true)]
    [InlineData("record.dueDate", "lt", "\"2026-03-09\"", false)]
    [InlineData("record.dueDate", "gte", "\"-7d\"", true)]
    [InlineData("record.dueDate", "lte", "\"-7d\"", false)]
    public void Order_operators_compare_numbers_and_dates(string field, string op, string value, bool expected)
    {
        Assert.Equal(expected, Leaf(field, op, value).Result);
    }

    [Theory]
    [InlineData("gt")]
    [InlineData("gte")]
    [InlineData("lt")]
    [InlineData("lte")]
    [InlineData("before")]
    [InlineData("after")]
    public void Order_operators_on_a_missing_field_are_false_and_say_so(string op)
    {
        var value = op is "before" or "after" ? "\"today\"" : "1";
        var leaf = Leaf("record.missing", op, value);

        Assert.False(leaf.Result);
        Assert.Null(leaf.Actual);
        Assert.Equal("field is missing", leaf.Note);
    }

    [Fact]
    public void Order_operators_on_text_that_is_neither_number_nor_date_are_false_with_a_note()
    {
        var leaf = Leaf("record.name", "gt", "10");

        Assert.False(leaf.Result);
        Assert.Contains("neither numbers nor dates", leaf.Note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("record.amount", "[40000, 50000]", true)]
    [InlineData("record.amount", "[50000, 60000]", true)]
    [InlineData("record.amount", "[\"10\", \"49999\"]", false)]
    [InlineData("record.amountText", "[1, 1e6]", true)]
    [InlineData("record.score", "[73, 100]", false)]
    [InlineData("record.dueDate", "[\"2026-03-01\", \"2026-03-31\"]", true)]
    [InlineData("record.dueDate", "[\"-7d\", \"today\"]", true)]
    [InlineData("record.dueDate", "[\"-4d\", \"today\"]", false)]
    [InlineData("record.missing", "[1, 2]", false)]
    public void Between_is_inclusive_for_numbers_and_dates(string field, string value, bool expected)
    {
        Assert.Equal(expected, Leaf(field, "between", value).Result);
    }

    [Theory]
    [InlineData("record.name", "\"love\"", true)]
    [InlineData("record.name", "\"LOVE\"", true)]
    [InlineData("record.name", "\"babbage\"", false)]
    [InlineData("record.tags", "\"hot\"", true)]
    [InlineData("record.tags", "\"HOT\"", true)]
    [InlineData("record.tags", "\"ho\"", false)]
    [InlineData("record.amount", "\"500\"", true)]
    [InlineData("record.missing", "\"x\"", false)]
    public void Contains_finds_text_in_text_and_items_in_arrays(string field, string value, bool expected)
    {
        Assert.Equal(expected, Leaf(field, "contains", value).Result);
        Assert.Equal(!expected, Leaf(field, "notContains", value).Result);
    }

    [Theory]
    [InlineData("startsWith", "record.email", "\"ADA@\"", true)]
    [InlineData("startsWith", "record.email", "\"example\"", false)]
    [InlineData("endsWith", "record.email", "\"@example.com\"", true)]
    [InlineData("endsWith", "record.email", "\".org\"", false)]
    [InlineData("startsWith", "record.missing", "\"a\"", false)]
    [InlineData("endsWith", "record.nothing", "\"a\"", false)]
    public void StartsWith_and_endsWith_match_text_ends(string op, string field, string value, bool expected)
    {
        Assert.Equal(expected, Leaf(field, op, value).Result);
    }

    [Theory]
    [InlineData("record.status", "[\"open\", \"pending\"]", true)]
    [InlineData("record.status", "[\"closed\", \"lost\"]", false)]
    [InlineData("record.score", "[\"72\", \"80\"]", true)]
    [InlineData("record.amountText", "[50000]", true)]
    [InlineData("record.tags", "[\"web\", \"email\"]", true)]
    [InlineData("record.tags", "[\"email\"]", false)]
    [InlineData("record.missing", "[\"open\"]", false)]
    public void In_checks_membership_and_notIn_is_its_opposite(string field, string value, bool expected)
    {
        Assert.Equal(expected, Leaf(field, "in", value).Result);
        Assert.Equal(!expected, Leaf(field, "notIn", value).Result);
    }

    [Theory]
    [InlineData("record.name", true, false)]
    [InlineData("record.empty", true, true)]
    [InlineData("record.blank", true, true)]
    [InlineData("record.nothing", false, true)]
    [InlineData("record.missing", false, true)]
    [InlineData("record.noTags", true, true)]
    [InlineData("record.noAddress", true, true)]
    [InlineData("record.tags", true, false)]
    [InlineData("record.address", true, false)]
    [InlineData("record.amount", true, false)]
    [InlineData("record.vip", true, false)]
    public void Exists_and_isEmpty_distinguish_missing_null_and_blank(string field, bool exists, bool isEmpty)
    {
        Assert.Equal(exists, Leaf(field, "exists", null).Result);
        Assert.Equal(!exists, Leaf(field, "notExists", null).Result);
        Assert.Equal(isEmpty, Leaf(field, "isEmpty", null).Result);
        Assert.Equal(!isEmpty, Leaf(field, "isNotEmpty", null).Result);
    }

    [Fact]
    public void Neq_notIn_and_notContains_on_a_missing_field_are_true()
    {
        Assert.True(Leaf("record.missing", "neq", "\"x\"").Result);
        Assert.True(Leaf("record.missing", "notIn", "[\"x\"]").Result);
        Assert.True(Leaf("record.missing", "notContains", "\"x\"").Result);
    }

    [Theory]
    [InlineData("event.type", "\"record.updated\"", true)]
    [InlineData("event.data.name", "\"Trial Started\"", true)]
    [InlineData("run.attempt", "2", true)]
    [InlineData("previous.status", "\"new\"", true)]
    [InlineData("contact.status", "\"Open\"", false)]
    [InlineData("status", "\"Open\"", false)]
    public void Paths_reach_every_root_and_nothing_else(string field, string value, bool expected)
    {
        var condition = Scopes.Condition($$"""{ "field": "{{field}}", "op": "eq", "value": {{value}} }""");
        var scope = Scopes.Of(
            record: """{ "status": "Open" }""",
            previous: """{ "status": "new" }""",
            evt: """{ "type": "record.updated", "data": { "name": "Trial Started" } }""",
            run: """{ "attempt": 2 }""");

        Assert.Equal(expected, ConditionEvaluator.Evaluate(condition, scope).Result);
    }

    [Fact]
    public void A_record_field_in_another_case_is_found()
    {
        Assert.True(Leaf("record.Status", "eq", "\"open\"").Result);
    }

    [Fact]
    public void A_scope_without_a_record_sees_every_field_as_missing()
    {
        var trace = ConditionEvaluator.Evaluate(
            Scopes.Condition("""{ "field": "record.amount", "op": "exists" }"""), Scopes.Of());

        Assert.False(trace.Result);
        Assert.Equal("field is missing", Assert.Single(trace.Leaves).Note);
    }

    [Fact]
    public void Actual_keeps_the_value_as_the_record_sent_it()
    {
        var leaf = Leaf("record.amountText", "gt", "100");

        Assert.True(leaf.Result);
        Assert.Equal(JsonValueKind.String, leaf.Actual!.Value.ValueKind);
        Assert.Equal("50000", leaf.Actual.Value.GetString());
        Assert.Equal(100, leaf.Expected!.Value.GetInt32());
        Assert.Equal("gt", leaf.Op);
        Assert.Equal("record.amountText", leaf.Field);
    }
}
