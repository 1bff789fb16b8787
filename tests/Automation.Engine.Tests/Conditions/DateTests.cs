using Automation.Engine.Conditions;

namespace Automation.Engine.Tests.Conditions;

public class DateTests
{
    // Now is 2026-03-15T10:30:00Z.
    private static Automation.Engine.Conditions.LeafTrace Leaf(string op, string fieldValue, string value, TimeZoneInfo? zone = null)
    {
        var condition = Scopes.Condition($$"""{ "field": "record.when", "op": "{{op}}", "value": {{value}} }""");
        var scope = Scopes.Of($$"""{ "when": {{fieldValue}} }""", timeZone: zone);
        return Assert.Single(ConditionEvaluator.Evaluate(condition, scope).Leaves);
    }

    [Theory]
    [InlineData("before", "\"2026-03-01T00:00:00Z\"", "\"2026-03-02\"", true)]
    [InlineData("before", "\"2026-03-03T00:00:00Z\"", "\"2026-03-02\"", false)]
    [InlineData("after", "\"2026-03-03T00:00:00Z\"", "\"2026-03-02\"", true)]
    [InlineData("after", "\"2026-03-02T00:00:00Z\"", "\"2026-03-02\"", false)]
    [InlineData("before", "\"2026-03-15T10:29:00Z\"", "\"now\"", true)]
    [InlineData("after", "\"2026-03-15T10:31:00Z\"", "\"now\"", true)]
    [InlineData("after", "\"2026-03-09T00:00:00Z\"", "\"-7d\"", true)]
    [InlineData("after", "\"2026-03-08T10:00:00Z\"", "\"-7d\"", false)]
    [InlineData("before", "\"2026-03-22T10:00:00Z\"", "\"+1w\"", true)]
    [InlineData("before", "\"2026-03-15T12:00:00Z\"", "\"+2h\"", true)]
    [InlineData("before", "\"2026-03-15T11:00:00Z\"", "\"30m\"", false)]
    [InlineData("before", "\"2026-03-14T23:59:00Z\"", "\"today\"", true)]
    [InlineData("after", "\"2026-03-15T00:01:00Z\"", "\"today\"", true)]
    [InlineData("after", "\"2026-03-14T08:00:00Z\"", "\"yesterday\"", true)]
    [InlineData("before", "\"2026-03-13T23:00:00Z\"", "\"yesterday\"", true)]
    [InlineData("before", "\"2026-03-15T23:00:00Z\"", "\"tomorrow\"", true)]
    [InlineData("after", "\"2026-03-15T10:00:00+09:00\"", "\"2026-03-15T02:00:00Z\"", false)]
    [InlineData("before", "\"2026-03-01\"", "\"2026-03-01T00:00:01Z\"", true)]
    public void Before_and_after_compare_absolute_and_relative_dates(string op, string field, string value, bool expected)
    {
        Assert.Equal(expected, Leaf(op, field, value).Result);
    }

    [Fact]
    public void A_relative_date_is_explained_in_the_note()
    {
        var leaf = Leaf("after", "\"2026-03-09T00:00:00Z\"", "\"-7d\"");

        Assert.Equal("relative date -7d = 2026-03-08T10:30:00+00:00", leaf.Note);
    }

    [Fact]
    public void Today_is_midnight_in_the_scope_time_zone()
    {
        // 10:30 UTC is 11:30 in Paris, where today began at 23:00 UTC the day before.
        var paris = Scopes.Zone("Europe/Paris");

        Assert.True(Leaf("after", "\"2026-03-14T23:30:00Z\"", "\"today\"", paris).Result);
        Assert.False(Leaf("after", "\"2026-03-14T23:30:00Z\"", "\"today\"").Result);
        Assert.Equal("relative date today = 2026-03-15T00:00:00+01:00", Leaf("after", "\"2026-03-14T23:30:00Z\"", "\"today\"", paris).Note);
    }

    [Fact]
    public void Today_can_be_a_different_day_in_the_scope_time_zone()
    {
        // 10:30 UTC on the 15th is already 00:30 on the 16th in Kiritimati (UTC+14).
        var kiritimati = Scopes.Zone("Pacific/Kiritimati");

        Assert.Equal(
            "relative date today = 2026-03-16T00:00:00+14:00",
            Leaf("after", "\"2026-03-16T00:00:00Z\"", "\"today\"", kiritimati).Note);
    }

    [Fact]
    public void Dates_without_an_offset_are_local_to_the_scope_time_zone()
    {
        var newYork = Scopes.Zone("America/New_York");

        // 2026-03-15 09:00 in New York (EDT, UTC-4) is 13:00 UTC: after now.
        Assert.True(Leaf("after", "\"2026-03-15T09:00:00\"", "\"now\"", newYork).Result);
        Assert.False(Leaf("after", "\"2026-03-15T09:00:00\"", "\"now\"").Result);
    }

    [Theory]
    [InlineData("\"soon\"", "\"today\"")]
    [InlineData("42", "\"today\"")]
    [InlineData("\"03/01/2026\"", "\"today\"")]
    public void A_field_that_is_not_a_date_is_neither_before_nor_after(string field, string value)
    {
        Assert.False(Leaf("before", field, value).Result);
        Assert.False(Leaf("after", field, value).Result);
        Assert.Contains("is not a date", Leaf("after", field, value).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_is_not_a_date_makes_before_false()
    {
        var leaf = Leaf("before", "\"2026-03-01\"", "\"last week\"");

        Assert.False(leaf.Result);
        Assert.Equal("'last week' is not a date", leaf.Note);
    }
}
