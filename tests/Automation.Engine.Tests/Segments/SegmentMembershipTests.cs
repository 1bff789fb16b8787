using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Segments;

namespace Automation.Engine.Tests.Segments;

public class SegmentMembershipTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly Segment Hot = Segment("hot", "lead", """{ "field": "record.score", "op": "gte", "value": 80 }""");
    private static readonly Segment Paris = Segment("paris", "lead", """{ "field": "record.city", "op": "eq", "value": "Paris" }""");
    private static readonly Segment BigDeals = Segment("big-deals", "opportunity", """{ "field": "record.score", "op": "gte", "value": 0 }""");

    [Fact]
    public void A_record_enters_the_segments_it_matches_that_it_was_not_stored_in()
    {
        var change = Decide("""{ "score": 90, "city": "Paris" }""", stored: ["paris"]);

        Assert.Equal(["hot"], change.Entered);
        Assert.Empty(change.Exited);
        Assert.Equal(["hot", "paris"], change.Members);
        Assert.True(change.Changed);
    }

    [Fact]
    public void A_record_leaves_the_stored_segments_it_no_longer_matches()
    {
        var change = Decide("""{ "score": 10, "city": "Paris" }""", stored: ["hot", "paris"]);

        Assert.Empty(change.Entered);
        Assert.Equal(["hot"], change.Exited);
        Assert.Equal(["paris"], change.Members);
    }

    [Fact]
    public void A_record_that_still_matches_enters_nothing_again()
    {
        var change = Decide("""{ "score": 95, "city": "Lyon" }""", stored: ["hot"]);

        Assert.False(change.Changed);
        Assert.Equal(["hot"], change.Members);
    }

    [Fact]
    public void A_deleted_record_leaves_every_segment_it_was_in()
    {
        var change = SegmentMembership.Decide("lead", [Hot, Paris], record: null, stored: ["hot", "paris"], Now);

        Assert.Equal(["hot", "paris"], change.Exited);
        Assert.Empty(change.Members);
    }

    [Fact]
    public void Segments_of_another_module_are_not_judged()
    {
        var change = Decide("""{ "score": 90 }""", stored: []);

        Assert.DoesNotContain("big-deals", change.Members);
    }

    [Fact]
    public void A_stored_segment_that_no_longer_exists_is_dropped_without_an_exit()
    {
        var change = Decide("""{ "score": 90 }""", stored: ["hot", "deleted-one"]);

        Assert.Empty(change.Exited);
        Assert.Equal(["hot"], change.Members);
        Assert.False(change.Changed);
    }

    [Fact]
    public void Modules_compare_without_case()
    {
        var change = SegmentMembership.Decide("Lead", [Hot], Parse("""{ "score": 90 }"""), [], Now);

        Assert.Equal(["hot"], change.Entered);
    }

    [Fact]
    public void Relative_dates_are_judged_at_the_now_given()
    {
        var stale = Segment("stale", "lead", """{ "field": "record.lastActivity", "op": "before", "value": "-30d" }""");

        var change = SegmentMembership.Decide("lead", [stale], Parse("""{ "lastActivity": "2026-01-01T00:00:00Z" }"""), [], Now);

        Assert.Equal(["stale"], change.Entered);
    }

    private static SegmentChange Decide(string record, IReadOnlyCollection<string> stored) =>
        SegmentMembership.Decide("lead", [Hot, Paris, BigDeals], Parse(record), stored, Now);

    private static Segment Segment(string id, string module, string conditions) => new()
    {
        Id = id,
        Name = id,
        Module = module,
        Conditions = JsonSerializer.Deserialize<Condition>(conditions, EngineJson.Options)!,
    };

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
