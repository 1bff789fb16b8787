using System.Text.RegularExpressions;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Automation.Dashboard.Tests;

/// <summary>A dashboard whose records come from HubSpot: record actions write there (a local server shaped like HubSpot's API).</summary>
public sealed class HubSpotDashboardHost : DashboardHost
{
    public HubSpotServer HubSpot { get; private set; } = null!;

    protected override async Task SeedAsync() => await Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        HubSpot = HubSpotServer.StartAsync().GetAwaiter().GetResult();
        builder.UseSetting("Automation:HubSpot:AccessToken", HubSpotServer.AccessToken);
        builder.UseSetting("Automation:HubSpot:BaseUrl", HubSpot.BaseUrl + "/");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (HubSpot is not null)
        {
            await HubSpot.DisposeAsync();
        }
    }
}

[Collection(DashboardCollection.Name)]
public sealed class CrmStepTests(BrowserFixture browser, HubSpotDashboardHost host) : IClassFixture<HubSpotDashboardHost>
{
    [Fact]
    public async Task The_run_page_shows_which_crm_each_step_wrote_to_and_the_crm_id_of_what_it_created()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Won deal hand-off",
            module = "opportunity",
            trigger = new { type = "record.created" },
            steps = new object[]
            {
                new { id = "task", action = "create_task", @params = new { title = "Kick-off call" } },
                new { id = "flag", action = "update_field", @params = new { fields = new { handoff = "ready" } } },
            },
        }, activate: true);
        host.HubSpot.Set("deals", "4242", new() { ["dealname"] = "Globex" });
        await host.PostEventAsync("opportunity", "4242", "record.created", new { name = "Globex", ownerId = "77", hubspotId = "4242", hubspotType = "deal" });

        await using var s = await Session.StartAsync(browser, host);
        await s.GoAsync($"/workflows/{id}/runs?status=succeeded");
        var row = s.Page.Locator("#runs-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();
        await Expect(s.Page).ToHaveURLAsync(new Regex("/runs/"));

        var (taskId, _) = Assert.Single(host.HubSpot.Objects("tasks"));
        var task = s.Page.Locator("#timeline [data-step-id=\"task\"] .attempt__crm");
        await Expect(task).ToHaveAttributeAsync("data-crm", "hubspot");
        await Expect(task).ToContainTextAsync($"Wrote to HubSpot: task {taskId}");
        await Expect(s.Page.Locator("#timeline [data-step-id=\"flag\"] .attempt__crm")).ToContainTextAsync("Wrote to HubSpot: deal 4242");
        s.AssertNoScriptErrors();
    }
}
