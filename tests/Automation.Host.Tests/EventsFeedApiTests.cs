using System.Net;
using System.Text.Json;
using Automation.Testing;

namespace Automation.Host.Tests;

/// <summary>
/// <c>GET /api/events</c>: every event intake answered for, newest first across records, duplicates included, with
/// what each workflow of its module did with it.
/// </summary>
public sealed class EventsFeedApiTests(HostFactory host) : IClassFixture<HostFactory>
{
    private static string Event(string id, string module, string recordId, int score) => $$"""
        { "id": "{{id}}", "type": "record.created", "module": "{{module}}", "recordId": "{{recordId}}",
          "record": { "email": "{{recordId}}@example.com", "score": {{score}} } }
        """;

    private async Task<string> ActiveWorkflowAsync(string module)
    {
        var definition = JsonSerializer.Serialize(new
        {
            name = "Hot leads " + module,
            module,
            status = "active",
            trigger = new { type = "record.created" },
            conditions = new { field = "record.score", op = "gte", value = 50 },
            steps = new object[] { new { id = "note", action = "add_note", @params = new { body = "hot" } } },
        });
        var response = await host.Admin().PostAsync("/api/workflows", Json.Body(definition));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> FeedAsync(string query) =>
        await (await host.Admin().GetAsync("/api/events?" + query)).ReadAsync();

    [Fact]
    public async Task The_feed_lists_events_newest_first_with_duplicates_and_what_each_workflow_did()
    {
        var module = "feed" + Guid.NewGuid().ToString("N")[..6];
        var workflowId = await ActiveWorkflowAsync(module);
        var hot = "hot-" + Guid.NewGuid().ToString("N");
        var cold = "cold-" + Guid.NewGuid().ToString("N");
        var client = host.Admin();
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/events", Json.Body(Event(hot, module, "R-1", 80)))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/events", Json.Body(Event(cold, module, "R-2", 10)))).StatusCode);
        var again = await (await client.PostAsync("/api/events", Json.Body(Event(hot, module, "R-1", 80)))).ReadAsync();
        Assert.Equal(hot, again.GetProperty("duplicates")[0].GetString());

        var page = await Eventually.GetAsync(
            () => FeedAsync($"module={module}"),
            p => p.GetProperty("items").GetArrayLength() == 3
                && p.GetProperty("items").EnumerateArray().All(i => i.GetProperty("outcome").GetString() != "pending"),
            "three processed events in the feed");
        var items = page.GetProperty("items").EnumerateArray().ToArray();

        // Newest first: the duplicate came last.
        Assert.Equal([hot, cold, hot], items.Select(i => i.GetProperty("eventId").GetString()));
        Assert.True(items[0].GetProperty("duplicate").GetBoolean());
        Assert.Equal("duplicate", items[0].GetProperty("outcome").GetString());
        Assert.False(items[2].GetProperty("duplicate").GetBoolean());

        var enrolled = Assert.Single(items[2].GetProperty("workflows").EnumerateArray());
        Assert.Equal(workflowId, enrolled.GetProperty("workflowId").GetString());
        Assert.Equal("enrolled", enrolled.GetProperty("outcome").GetString());
        Assert.False(string.IsNullOrEmpty(enrolled.GetProperty("runId").GetString()));
        Assert.Equal("enrolled", items[2].GetProperty("outcome").GetString());

        var skipped = Assert.Single(items[1].GetProperty("workflows").EnumerateArray());
        Assert.Equal("skipped", skipped.GetProperty("outcome").GetString());
        Assert.Equal("skipped", items[1].GetProperty("outcome").GetString());
        Assert.Equal("R-2", items[1].GetProperty("recordId").GetString());
    }

    [Fact]
    public async Task The_feed_filters_by_record_type_and_outcome_and_pages_with_a_token()
    {
        var module = "feed" + Guid.NewGuid().ToString("N")[..6];
        var client = host.Admin();
        var ids = Enumerable.Range(0, 3).Select(i => $"page-{i}-{Guid.NewGuid():N}").ToArray();
        foreach (var id in ids)
        {
            await client.PostAsync("/api/events", Json.Body(Event(id, module, "P-1", 1)));
        }

        await client.PostAsync("/api/events", Json.Body(Event(ids[0], module, "P-1", 1)));
        await client.PostAsync("/api/events", Json.Body(Event("other-" + Guid.NewGuid().ToString("N"), module, "P-2", 1)));

        var duplicates = await FeedAsync($"module={module}&outcome=duplicate");
        Assert.Equal(ids[0], Assert.Single(duplicates.GetProperty("items").EnumerateArray()).GetProperty("eventId").GetString());

        // No workflow in this module: once processed, nothing ran.
        var none = await Eventually.GetAsync(
            () => FeedAsync($"module={module}&recordId=P-1&outcome=noRun"),
            p => p.GetProperty("items").GetArrayLength() == 3, "three events of P-1 with no run");
        Assert.All(none.GetProperty("items").EnumerateArray(), i => Assert.Equal("P-1", i.GetProperty("recordId").GetString()));
        Assert.Empty((await FeedAsync($"module={module}&type=record.updated")).GetProperty("items").EnumerateArray());

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await FeedAsync($"module={module}&recordId=P-1&outcome=accepted&limit=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("eventId").GetString()!));
            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        Assert.Equal(ids.Reverse(), seen);
    }

    [Fact]
    public async Task A_wrong_outcome_or_token_is_a_problem_naming_the_parameter_and_the_feed_needs_the_admin_key()
    {
        var outcome = await host.Admin().GetAsync("/api/events?outcome=lost");
        Assert.Equal(HttpStatusCode.BadRequest, outcome.StatusCode);
        Assert.Contains("noRun", Assert.Single((await outcome.ReadAsync()).ErrorsAt("outcome")), StringComparison.Ordinal);

        var token = await host.Admin().GetAsync("/api/events?continuationToken=nonsense");
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Single((await token.ReadAsync()).ErrorsAt("continuationToken"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync("/api/events")).StatusCode);
    }
}
