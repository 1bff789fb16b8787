using System.Net;
using System.Text.Json.Nodes;
using Automation.Testing;

namespace Automation.Dashboard.Tests;

/// <summary>
/// GET /api/records/{module}/{recordId}/events, the read the record page needs: each recent event with every workflow
/// of the module and what became of it. No browser: these are the API's answers.
/// </summary>
public sealed class RecordEventsApiTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task Each_event_names_the_run_it_started_or_why_a_workflow_started_none()
    {
        var once = await host.CreateWorkflowAsync(new
        {
            name = "Once per contact",
            module = "contact",
            trigger = new { type = "record.updated" },
            enrollment = "once",
            steps = new[] { host.WebhookStep("ping", "events/once") },
        }, activate: true);
        var paused = await host.CreateWorkflowAsync(new
        {
            name = "Paused before the events",
            module = "contact",
            trigger = new { type = "record.updated" },
            steps = new[] { host.WebhookStep("ping", "events/paused") },
        }, activate: true);
        using (var pause = await host.Api.PostAsync($"/api/workflows/{paused}/pause", null))
        {
            pause.EnsureSuccessStatusCode();
        }

        var stage = await host.CreateWorkflowAsync(new
        {
            name = "Stage entered",
            module = "contact",
            trigger = new { type = "stage.entered", stage = "Customer" },
            steps = new[] { host.WebhookStep("ping", "events/stage") },
        }, activate: true);
        var otherModule = await host.CreateWorkflowAsync(new
        {
            name = "Leads only",
            module = "lead",
            trigger = new { type = "record.updated" },
            steps = new[] { host.WebhookStep("ping", "events/lead") },
        }, activate: true);

        await host.PostEventAsync("contact", "c-1", "record.updated", new { email = "a@example.com", stage = "Lead" });
        await AppliedEventsAsync("c-1", 1);
        await host.PostEventAsync("contact", "c-1", "record.updated", new { email = "b@example.com", stage = "Lead" });
        var events = await AppliedEventsAsync("c-1", 2);

        var later = await host.CreateWorkflowAsync(new
        {
            name = "Created after the events",
            module = "contact",
            trigger = new { type = "record.updated" },
            steps = new[] { host.WebhookStep("ping", "events/later") },
        }, activate: true);
        events = await AppliedEventsAsync("c-1", 2);

        var second = events[0]!;
        var first = events[1]!;
        Assert.Equal(["email"], second["changedFields"]!.AsArray().Select(f => f!.GetValue<string>()));

        var firstOnce = Judgement(first, once);
        Assert.Equal("enrolled", firstOnce["outcome"]!.GetValue<string>());
        Assert.NotNull(firstOnce["runId"]);
        Assert.Equal("alreadyEnrolled", Outcome(second, once));
        Assert.Equal("noRun", Outcome(first, paused));
        Assert.Contains("paused", Judgement(first, paused)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("triggerNotMatched", Outcome(first, stage));
        Assert.Contains("Customer", Judgement(first, stage)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("notYetCreated", Outcome(first, later));
        Assert.DoesNotContain(first["workflows"]!.AsArray(), w => w!["workflowId"]!.GetValue<string>() == otherModule);
    }

    [Fact]
    public async Task A_record_never_seen_is_a_404_problem()
    {
        using var response = await host.Api.GetAsync("/api/records/contact/never-seen/events");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_admin_key_is_required()
    {
        using var anonymous = new HttpClient { BaseAddress = host.BaseUrl };
        using var response = await anonymous.GetAsync("/api/records/contact/c-1/events");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>The record's events, newest first, once <paramref name="count"/> of them are applied.</summary>
    private async Task<JsonArray> AppliedEventsAsync(string recordId, int count)
    {
        var answer = await Eventually.GetAsync(
            async () =>
            {
                using var response = await host.Api.GetAsync($"/api/records/contact/{recordId}/events");
                return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["items"]!.AsArray() : [];
            },
            items => items.Count == count && items.All(e => e!["state"]!.GetValue<string>() == "applied"),
            $"{count} applied events of contact {recordId}");
        return answer;
    }

    private static JsonNode Judgement(JsonNode evt, string workflowId) =>
        evt["workflows"]!.AsArray().Single(w => w!["workflowId"]!.GetValue<string>() == workflowId)!;

    private static string Outcome(JsonNode evt, string workflowId) => Judgement(evt, workflowId)["outcome"]!.GetValue<string>();
}
