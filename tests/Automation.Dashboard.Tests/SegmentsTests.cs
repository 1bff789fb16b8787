using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Automation.Testing;

namespace Automation.Dashboard.Tests;

/// <summary>Segments in the dashboard: the list and edit pages, the editor's segment picker, and a record's segments.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SegmentsTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    private async Task<string> CreateSegmentAsync(string name, string module, int threshold)
    {
        using var response = await host.Api.PostAsJsonAsync("/api/segments", new
        {
            name,
            module,
            conditions = new { field = "record.score", op = "gte", value = threshold },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Creating the segment answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_segment_is_made_from_the_navigation_with_the_condition_builder_and_a_mistake_lands_on_its_field()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Segments" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Session.Text("/segments$"));
        await page.Locator("#new-segment").ClickAsync();
        await Expect(page).ToHaveURLAsync(Session.Text("/segments/new$"));

        // Saved without a name: the API's error is shown under the name, and nothing is saved.
        await page.GetByLabel("Module").FillAsync("partner");
        await page.GetByLabel("Field").FillAsync("record.tier");
        await page.GetByLabel("Value").FillAsync("gold");
        await page.Locator("#save-segment").ClickAsync();
        await Expect(page.Locator("[data-error-path=\"name\"] .field-error")).ToContainTextAsync("needs a name");
        await Expect(page.Locator("#segment-errors")).ToContainTextAsync("The segment has 1 problem");
        await Expect(page).ToHaveURLAsync(Session.Text("/segments/new$"));

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Gold partners");
        await page.Locator("#save-segment").ClickAsync();
        await Expect(page).ToHaveURLAsync(Session.Text("/segments/gold-partners-[0-9a-f]{6}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segment “Gold partners”" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Module")).ToHaveAttributeAsync("readonly", "");
        await Expect(page.Locator("#segment-workflows")).ToContainTextAsync("No workflow starts on this segment yet");
        await Expect(page.Locator("#segment-records")).ToContainTextAsync("No record is in it yet");

        await page.GetByRole(AriaRole.Link, new() { Name = "← Segments" }).ClickAsync();
        var row = page.Locator("#segments-table tbody tr", new() { HasText = "Gold partners" });
        await Expect(row).ToContainTextAsync("partner");
        await Expect(row).ToContainTextAsync("record.tier");
        await s.ScreenshotAsync("segments");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_workflow_editor_offers_the_segments_of_the_workflows_module()
    {
        var hot = await CreateSegmentAsync("Hot leads", "lead", 80);
        await CreateSegmentAsync("Big accounts", "account", 1);

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/workflows/new");
        await page.GetByLabel("Start when").SelectOptionAsync("segment.entered");
        var picker = page.GetByLabel("Segment", new() { Exact = true });
        await Expect(picker.Locator($"option[value=\"{hot}\"]")).ToHaveTextAsync("Hot leads");
        await Expect(picker.Locator("option", new() { HasText = "Big accounts" })).ToHaveCountAsync(0);

        await picker.SelectOptionAsync(hot);
        await Expect(page.Locator("#workflow-json")).ToHaveValueAsync(Session.Text($"\"segment\": \"{hot}\""));

        await page.GetByLabel("Start when").SelectOptionAsync("segment.exited");
        await page.GetByLabel("Segment", new() { Exact = true }).SelectOptionAsync(hot);
        await Expect(page.Locator("#workflow-json")).ToHaveValueAsync(Session.Text("\"type\": \"segment.exited\""));

        // Another module: its segments are offered, and the chosen one is marked as not of that module.
        await page.GetByLabel("Module").FillAsync("account");
        await page.GetByLabel("Module").PressAsync("Tab");
        picker = page.GetByLabel("Segment", new() { Exact = true });
        await Expect(picker.Locator("option", new() { HasText = "Big accounts" })).ToHaveCountAsync(1);
        await Expect(picker.Locator($"option[value=\"{hot}\"]")).ToHaveTextAsync($"{hot} (not a segment of account)");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_record_page_links_to_its_segments_and_a_segment_in_use_is_not_deleted()
    {
        const string module = "ticket";
        var urgent = await CreateSegmentAsync("Urgent tickets", module, 90);
        var workflow = await host.CreateWorkflowAsync(new
        {
            name = "Page the on-call",
            module,
            trigger = new { type = "segment.entered", segment = urgent },
            steps = new[] { host.WebhookStep("page", "segments/page") },
        }, activate: true);
        await host.PostEventAsync(module, "T-1", "record.created", new { subject = "Down", score = 95 });
        await Eventually.GetAsync(() => Task.FromResult(host.Calls("segments/page")), n => n == 1, "the segment.entered run's webhook");

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync($"/records/{module}/T-1");
        var segments = page.Locator("#record-segments");
        await Expect(segments.GetByRole(AriaRole.Link, new() { Name = "Urgent tickets" })).ToBeVisibleAsync();
        await Expect(page.Locator("#record-runs")).ToContainTextAsync("Page the on-call");

        await segments.GetByRole(AriaRole.Link, new() { Name = "Urgent tickets" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Session.Text($"/segments/{urgent}$"));
        await Expect(page.Locator("#segment-records").GetByRole(AriaRole.Link, new() { Name = "T-1" })).ToHaveAttributeAsync("href", $"/records/{module}/T-1");
        var workflowLink = page.Locator("#segment-workflows").GetByRole(AriaRole.Link, new() { Name = "Page the on-call" });
        await Expect(workflowLink).ToHaveAttributeAsync("href", $"/workflows/{workflow}");

        // The workflow's page leads back to the segment its trigger names.
        await workflowLink.ClickAsync();
        await page.Locator("#trigger-segment").ClickAsync();
        await Expect(page).ToHaveURLAsync(Session.Text($"/segments/{urgent}$"));

        await s.ScreenshotAsync("segment", fullPage: true);

        // Re-evaluation judges the saved segment: unsaved edits are to be saved first.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Urgent tickets!");
        await page.Locator("#evaluate-segment").ClickAsync();
        await Expect(page.Locator(".messages")).ToContainTextAsync("Save your changes first");
        await page.Locator("#save-segment").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segment “Urgent tickets!”" })).ToBeVisibleAsync();

        // Re-evaluation queues one event per stored record of the module (here the one ticket).
        await page.Locator("#evaluate-segment").ClickAsync();
        await Expect(page.Locator(".toast", new() { HasText = "queued" })).ToContainTextAsync("1 ticket record queued");

        await page.Locator("#delete-segment").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete segment" }).ClickAsync();
        await Expect(page.Locator(".messages")).ToContainTextAsync("Page the on-call");
        await Expect(page).ToHaveURLAsync(Session.Text($"/segments/{urgent}$"));
        s.AssertNoScriptErrors();
    }
}
