using Microsoft.AspNetCore.Hosting;

namespace Automation.Dashboard.Tests;

/// <summary>The host with a configured pipeline: its stages in order, and the module its records are.</summary>
public sealed class PipelineDashboardHost : DashboardHost
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Automation:Pipelines:sales:Module", "deal");
        string[] stages = ["Lead", "Qualified", "Proposal", "Won"];
        for (var i = 0; i < stages.Length; i++)
        {
            builder.UseSetting($"Automation:Pipelines:sales:Stages:{i}", stages[i]);
        }
    }
}

[Collection(DashboardCollection.Name)]
public sealed class StageBoardTests(BrowserFixture browser, PipelineDashboardHost host) : IClassFixture<PipelineDashboardHost>
{
    private static object Workflow(string name, object trigger) => new
    {
        name, module = "deal", trigger,
        steps = new[] { new { id = "note", action = "add_note", @params = new { body = "Stage moved" } } },
    };

    [Fact]
    public async Task An_admin_sees_each_stages_entry_and_exit_workflows_and_adds_one_from_the_board()
    {
        await host.CreateWorkflowAsync(Workflow("Welcome qualified deals", new { type = "stage.entered", stage = "Qualified", pipeline = "sales" }), activate: true);
        await host.CreateWorkflowAsync(Workflow("Chase lost proposals", new { type = "stage.exited", stage = "Proposal", pipeline = "sales" }));
        await host.CreateWorkflowAsync(Workflow("Log every move", new { type = "stage.changed" }), activate: true);

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/stages");
        await page.Locator(".tabs").GetByRole(AriaRole.Link, new() { Name = "sales" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pipeline sales", Level = 1 })).ToBeVisibleAsync();

        var columns = page.Locator("#stage-board .board__column");
        await Expect(columns.Locator(".card__title")).ToHaveTextAsync(["Lead", "Qualified", "Proposal", "Won"]);
        var qualified = page.Locator(".board__column[data-stage=\"Qualified\"]");
        await Expect(qualified.Locator("[data-part=\"entry\"]")).ToContainTextAsync("Welcome qualified deals");
        await Expect(qualified.Locator("[data-part=\"entry\"] .pill")).ToHaveTextAsync("Active");
        var proposal = page.Locator(".board__column[data-stage=\"Proposal\"]");
        await Expect(proposal.Locator("[data-part=\"exit\"]")).ToContainTextAsync("Chase lost proposals");
        await Expect(proposal.Locator("[data-part=\"entry\"]")).ToContainTextAsync("None yet.");
        await Expect(page.Locator("#any-stage")).ToContainTextAsync("Log every move");
        await Expect(page.Locator("#any-stage")).ToContainTextAsync("any pipeline");
        await s.ScreenshotAsync("stages");

        await page.Locator(".board__column[data-stage=\"Won\"] [data-part=\"entry\"]").GetByRole(AriaRole.Link, new() { Name = "+ Add on entry" }).ClickAsync();
        await Expect(page.GetByLabel("Module")).ToHaveValueAsync("deal");
        var json = await page.Locator("#workflow-json").InputValueAsync();
        Assert.Contains("\"stage.entered\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Won\"", json, StringComparison.Ordinal);
        Assert.Contains("\"sales\"", json, StringComparison.Ordinal);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Kick off won deals");
        await page.GetByRole(AriaRole.Button, new() { Name = "+ Add step" }).ClickAsync();
        var step = page.Locator(".step-card").Nth(0);
        await step.GetByLabel("Action").SelectOptionAsync("create_record");
        await step.GetByLabel("module", new() { Exact = true }).FillAsync("project");
        await step.GetByLabel("fields (JSON)", new() { Exact = true }).FillAsync("{ \"name\": \"Onboarding {{ record.name }}\" }");
        await page.Locator("#save-workflow").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Kick off won deals" })).ToBeVisibleAsync();

        await s.GoAsync("/stages?pipeline=sales");
        await Expect(page.Locator(".board__column[data-stage=\"Won\"] [data-part=\"entry\"]")).ToContainTextAsync("Kick off won deals");
        s.AssertNoScriptErrors();
    }
}
