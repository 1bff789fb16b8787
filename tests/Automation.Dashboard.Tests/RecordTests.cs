namespace Automation.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class RecordTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task A_record_shows_its_snapshot_its_runs_and_for_its_events_which_workflows_matched_and_why_not()
    {
        var welcome = await host.CreateWorkflowAsync(new
        {
            name = "Welcome web leads",
            module = "lead",
            trigger = new { type = "record.created" },
            conditions = new { all = new[] { new { field = "record.source", op = "eq", value = "Web Form" } } },
            steps = new[] { host.WebhookStep("hello", "record/hello") },
        }, activate: true);
        var partners = await host.CreateWorkflowAsync(new
        {
            name = "Partner leads",
            module = "lead",
            trigger = new { type = "record.created" },
            conditions = new { all = new[] { new { field = "record.source", op = "eq", value = "Partner" } } },
            steps = new[] { host.WebhookStep("partner", "record/partner") },
        }, activate: true);
        var sql = await host.CreateWorkflowAsync(new
        {
            name = "SQL entry actions",
            module = "lead",
            trigger = new { type = "stage.entered", stage = "SQL" },
            steps = new[] { host.WebhookStep("sql", "record/sql") },
        }, activate: true);
        await host.PostEventAsync("lead", "lead-7", "record.created", new { email = "ada@example.com", source = "Web Form", stage = "New" });

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        // Reached the way an admin would: from a run of the workflow.
        await s.GoAsync($"/workflows/{welcome}/runs");
        await Expect(page.Locator("#runs-table tbody tr")).ToHaveAttributeAsync("data-status", "succeeded");
        await page.Locator("#runs-table").GetByRole(AriaRole.Link, new() { Name = "lead-7", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Lead lead-7" })).ToBeVisibleAsync();
        await Expect(page.Locator("#record-snapshot")).ToContainTextAsync("ada@example.com");
        var runs = page.Locator("#record-runs tbody tr");
        await Expect(runs).ToHaveCountAsync(2);
        await Expect(page.Locator("#record-runs")).ToContainTextAsync("Welcome web leads");
        await Expect(page.Locator("#record-runs")).ToContainTextAsync("Partner leads");

        var enrolled = page.Locator($"#record-events .judgement[data-workflow-id=\"{welcome}\"]");
        await Expect(enrolled).ToHaveAttributeAsync("data-outcome", "enrolled");
        var skipped = page.Locator($"#record-events .judgement[data-workflow-id=\"{partners}\"]");
        await Expect(skipped).ToHaveAttributeAsync("data-outcome", "skipped");
        var notMatched = page.Locator($"#record-events .judgement[data-workflow-id=\"{sql}\"]");
        await Expect(notMatched).ToHaveAttributeAsync("data-outcome", "triggerNotMatched");
        await Expect(notMatched.Locator(".judgement__reason")).ToContainTextAsync("SQL");
        await s.ScreenshotAsync("record");

        // The skipped run keeps the trace of the condition that failed.
        await skipped.GetByRole(AriaRole.Link, new() { Name = "Open run" }).ClickAsync();
        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Skipped");
        var trace = page.Locator(".card", new() { HasText = "Why it was skipped" });
        await Expect(trace).ToContainTextAsync("record.source");
        await Expect(trace).ToContainTextAsync("\"Web Form\"");
        await Expect(trace.Locator(".pill[data-status=\"no\"]")).ToHaveCountAsync(1);
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_records_page_opens_a_record_by_module_and_id_and_says_when_none_was_seen()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/records");
        await page.GetByLabel("Module").FillAsync("invoice");
        await page.GetByLabel("Id, name, email or any field").FillAsync("INV-404");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open by id" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(Session.Text("/records/invoice/INV-404$"));
        await Expect(page.GetByText("No invoice “INV-404” yet")).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }
}
