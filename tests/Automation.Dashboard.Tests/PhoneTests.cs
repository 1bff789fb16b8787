namespace Automation.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class PhoneTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    private const int Width = 390;
    private const int Height = 844;

    [Fact]
    public async Task At_phone_width_the_menu_opens_the_navigation_and_rows_read_as_labelled_cards()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Welcome new web leads",
            module = "lead",
            trigger = new { type = "record.created" },
            steps = new[] { host.WebhookStep("welcome", "phone/welcome"), host.WebhookStep("later", "phone/later", delay: new { days = 2 }) },
        }, activate: true);
        await host.PostEventAsync("lead", "lead-phone", "record.created", new { email = "ada@example.com" });

        await using var s = await Session.StartAsync(browser, host, width: Width, height: Height);
        var page = s.Page;
        await s.GoAsync("/");

        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav).Not.ToBeInViewportAsync();
        var cell = page.Locator($"#workflow-grid tr[data-workflow-id=\"{id}\"] td[data-label=\"Trigger\"]");
        await Expect(cell).ToBeVisibleAsync();
        Assert.Equal("\"Trigger\"", await cell.EvaluateAsync<string>("td => getComputedStyle(td, '::before').content"));
        await Expect(page.Locator("#workflow-grid thead")).ToBeHiddenAsync();
        await s.ScreenshotAsync("workflows-phone");

        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(nav).ToBeInViewportAsync();
        await nav.GetByRole(AriaRole.Link, new() { Name = "Dead letters" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dead letters", Exact = true })).ToBeVisibleAsync();
        await Expect(nav).Not.ToBeInViewportAsync();

        await s.GoAsync($"/workflows/{id}/runs?status=waiting");
        await page.Locator("#runs-table tbody tr").GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();
        await Expect(page.Locator("#waiting-note")).ToBeVisibleAsync();
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "The run page scrolls sideways at phone width.");
        await s.ScreenshotAsync("run-phone");
        s.AssertNoScriptErrors();
    }
}
