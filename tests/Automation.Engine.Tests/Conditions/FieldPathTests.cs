using Automation.Engine.Conditions;

namespace Automation.Engine.Tests.Conditions;

public class FieldPathTests
{
    private static readonly Model.EvaluationScope Scope = Scopes.Of(
        record: """{ "address": { "city": "Paris" }, "tags": ["hot", "web"], "lines": [{ "sku": "A1" }], "nothing": null }""",
        evt: """{ "type": "record.updated" }""");

    [Theory]
    [InlineData("record.address.city", "\"Paris\"")]
    [InlineData("record.tags.1", "\"web\"")]
    [InlineData("record.tags[0]", "\"hot\"")]
    [InlineData("record.lines[0].sku", "\"A1\"")]
    [InlineData("record.lines.0.sku", "\"A1\"")]
    [InlineData("record.nothing", "null")]
    [InlineData("event.type", "\"record.updated\"")]
    public void Resolve_walks_objects_and_arrays(string path, string expected)
    {
        Assert.Equal(expected, FieldPath.Resolve(Scope, path)!.Value.GetRawText());
    }

    [Theory]
    [InlineData("record.address.country")]
    [InlineData("record.tags.2")]
    [InlineData("record.tags.-1")]
    [InlineData("record.address.city.length")]
    [InlineData("record..city")]
    [InlineData("record.tags[x")]
    [InlineData("previous.address")]
    [InlineData("run.id")]
    [InlineData("contact.address")]
    [InlineData("")]
    public void Resolve_returns_null_for_anything_missing(string path)
    {
        Assert.Null(FieldPath.Resolve(Scope, path));
    }

    [Theory]
    [InlineData("record.amount", true)]
    [InlineData("previous", true)]
    [InlineData("event.data.name", true)]
    [InlineData("run.id", true)]
    [InlineData("records.amount", false)]
    [InlineData("amount", false)]
    public void HasKnownRoot_accepts_only_the_four_roots(string path, bool expected)
    {
        Assert.Equal(expected, FieldPath.HasKnownRoot(path));
    }
}
