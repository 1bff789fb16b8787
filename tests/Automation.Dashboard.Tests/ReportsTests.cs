namespace Automation.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ReportsTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task An_admin_opens_a_workflows_report_from_its_page_and_sees_runs_funnel_and_the_overview_as_charts()
    {
        var name = "Report me " + Guid.NewGuid().ToString("N")[..6];
        var id = await host.CreateWorkflowAsync(new
        {
            name, module = "lead", trigger = new { type = "record.created" },
            steps = new[] { host.WebhookStep("first", "report/first"), host.WebhookStep("second", "report/second") },
        }, activate: true);
        host.FailNextCall("report/second");
        await host.PostEventAsync("lead", "REP-1", "record.created", new { email = "a@example.com" });
        await host.PostEventAsync("lead", "REP-2", "record.created", new { email = "b@example.com" });
        await Automation.Testing.Eventually.HoldsAsync(async () => await EndedAsync(id) >= 2);

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync($"/workflows/{id}");
        await page.Locator("#view-report").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Report: {name}" })).ToBeVisibleAsync();

        var totals = page.Locator("#report-totals");
        await Expect(totals.Locator(".stat", new() { HasText = "Started" }).Locator("dd")).ToHaveTextAsync("2");
        await Expect(totals.Locator(".stat", new() { HasText = "Succeeded" }).Locator("dd")).ToHaveTextAsync("1");
        await Expect(totals.Locator(".stat", new() { HasText = "Failed" }).Locator("dd")).ToHaveTextAsync("1");
        await Expect(page.Locator("#runs-chart[data-ready=\"true\"]")).ToBeVisibleAsync();
        await Expect(page.Locator("#funnel-chart[data-ready=\"true\"]")).ToBeVisibleAsync();
        var funnel = page.Locator("[data-chart=\"funnel-chart\"] table");
        await Expect(funnel.Locator("tr", new() { HasText = "second" }).Locator("td")).ToHaveTextAsync(["2", "1", "1", "0", "0"]);
        await s.ScreenshotAsync("report");

        await page.Locator("#report-bucket").SelectOptionAsync("hour");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("bucket=hour"));
        await Expect(page.Locator("#runs-chart[data-ready=\"true\"]")).ToBeVisibleAsync();

        await s.GoAsync("/reports");
        var row = page.Locator($"#reports-table tr[data-workflow-id=\"{id}\"]");
        await Expect(row.Locator("td[data-label=\"Started\"]")).ToHaveTextAsync("2");
        await Expect(page.Locator("#overview-chart[data-ready=\"true\"]")).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }

    private async Task<int> EndedAsync(string workflowId)
    {
        var runs = await host.Api.GetStringAsync($"/api/workflows/{workflowId}/runs");
        return System.Text.RegularExpressions.Regex.Count(runs, "\"status\":\"(succeeded|failed)\"");
    }
}
