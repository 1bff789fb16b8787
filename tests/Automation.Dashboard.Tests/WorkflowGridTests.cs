namespace Automation.Dashboard.Tests;

/// <summary>The grid of a realistic set of workflows, created once for the class.</summary>
[Collection(DashboardCollection.Name)]
public sealed class WorkflowGridTests(BrowserFixture browser, GridHost host) : IClassFixture<GridHost>
{
    [Fact]
    public async Task The_grid_lists_each_workflow_with_status_trigger_module_runs_and_last_run()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        // Runs are counted once processed: wait for the welcome workflow's two, then look at the grid.
        await s.GoAsync($"/workflows/{host.Welcome}/runs");
        await Expect(page.Locator("#runs-table tbody tr[data-status=\"succeeded\"]")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Link, new() { Name = "Workflows" }).First.ClickAsync();

        var rows = page.Locator("#workflow-grid tbody tr");
        await Expect(rows).ToHaveCountAsync(5);
        var welcome = page.Locator($"#workflow-grid tr[data-workflow-id=\"{host.Welcome}\"]");
        await Expect(welcome.Locator("td[data-label=\"Status\"]")).ToHaveTextAsync("Active");
        await Expect(welcome.Locator("td[data-label=\"Trigger\"]")).ToHaveTextAsync("Record created");
        await Expect(welcome.Locator("td[data-label=\"Module\"]")).ToHaveTextAsync("lead");
        await Expect(welcome.Locator("td[data-label=\"Runs\"]")).ToHaveTextAsync("2");
        await Expect(welcome.Locator("td[data-label=\"Last run\"] time")).ToHaveAttributeAsync("title", Session.Text("UTC$"));
        var draft = page.Locator($"#workflow-grid tr[data-workflow-id=\"{host.Cold}\"]");
        await Expect(draft.Locator("td[data-label=\"Status\"]")).ToHaveTextAsync("Draft");
        await Expect(draft.Locator("td[data-label=\"Last run\"]")).ToHaveTextAsync("Never");
        await s.ScreenshotAsync("workflows");
        s.AssertNoScriptErrors();
    }

    [Theory]
    [InlineData("status", "paused", 1)]
    [InlineData("status", "active", 2)]
    [InlineData("status", "draft", 2)]
    [InlineData("module", "lead", 2)]
    [InlineData("module", "invoice", 1)]
    public async Task Filters_narrow_the_grid(string filter, string value, int expected)
    {
        await using var s = await Session.StartAsync(browser, host);
        await s.GoAsync("/");
        await Expect(s.Page.Locator("#workflow-grid tbody tr")).ToHaveCountAsync(5);

        await s.Page.Locator($"#workflow-{filter}").SelectOptionAsync(value);

        await Expect(s.Page.Locator("#workflow-grid tbody tr")).ToHaveCountAsync(expected);
        await Expect(s.Page).ToHaveURLAsync(Session.Text($"[?&]{filter}={value}"));
        var column = filter == "status" ? "Status" : "Module";
        var shown = filter == "status" ? char.ToUpperInvariant(value[0]) + value[1..] : value;
        foreach (var cell in await s.Page.Locator($"#workflow-grid td[data-label=\"{column}\"]").AllAsync())
        {
            await Expect(cell).ToHaveTextAsync(shown);
        }

        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Searching_by_name_finds_the_workflow_and_a_search_that_finds_none_offers_to_clear_it()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/");
        await page.GetByLabel("Search workflows by name").FillAsync("overdue");
        await Expect(page.Locator("#workflow-grid tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#workflow-grid")).ToContainTextAsync("Escalate overdue invoices");

        await page.GetByLabel("Search workflows by name").FillAsync("nothing is called this");
        await Expect(page.GetByText("No workflow matches these filters")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Expect(page.Locator("#workflow-grid tbody tr")).ToHaveCountAsync(5);
        s.AssertNoScriptErrors();
    }
}

/// <summary>Five workflows of several modules and statuses; the welcome one has run twice.</summary>
public sealed class GridHost : DashboardHost
{
    public string Welcome { get; private set; } = "";

    public string Cold { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        Welcome = await CreateWorkflowAsync(new
        {
            name = "Welcome new web leads",
            description = "A welcome message to every new web lead, then a follow-up two days later.",
            module = "lead",
            trigger = new { type = "record.created" },
            steps = new[] { WebhookStep("welcome", "grid/welcome") },
        }, activate: true);
        await CreateWorkflowAsync(new
        {
            name = "Escalate overdue invoices",
            description = "Tells finance the moment an invoice is overdue.",
            module = "invoice",
            trigger = new { type = "invoice.overdue" },
            steps = new[] { WebhookStep("finance", "grid/finance") },
        }, activate: true);
        var won = await CreateWorkflowAsync(new
        {
            name = "Notify billing when a deal is won",
            module = "opportunity",
            trigger = new { type = "stage.entered", stage = "Closed Won" },
            steps = new[] { WebhookStep("billing", "grid/billing") },
        }, activate: true);
        using (var paused = await Api.PostAsync($"/api/workflows/{won}/pause", null))
        {
            paused.EnsureSuccessStatusCode();
        }

        Cold = await CreateWorkflowAsync(new
        {
            name = "Re-engage cold contacts",
            module = "contact",
            trigger = new { type = "schedule", cron = "0 9 * * MON", timeZone = "Europe/Paris" },
            steps = new[] { WebhookStep("nudge", "grid/nudge") },
        });
        await CreateWorkflowAsync(new
        {
            name = "Hand hot leads to sales",
            module = "lead",
            trigger = new { type = "score.crossed", threshold = 80, direction = "up" },
            steps = new[] { WebhookStep("sales", "grid/sales") },
        });
        await PostEventAsync("lead", "lead-1", "record.created", new { email = "ada@example.com" });
        await PostEventAsync("lead", "lead-2", "record.created", new { email = "grace@example.com" });
    }
}
