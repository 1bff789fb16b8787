namespace Automation.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class KeyboardTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task The_first_tab_reaches_a_skip_link_that_moves_focus_to_the_page()
    {
        await using var s = await Session.StartAsync(browser, host);
        await s.GoAsync("/dead-letters");
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Dead letters", Exact = true })).ToBeVisibleAsync();
        await s.Page.EvaluateAsync("() => document.activeElement.blur()");

        await s.Page.Keyboard.PressAsync("Tab");
        await Expect(s.Page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await s.Page.Keyboard.PressAsync("Enter");
        await Expect(s.Page.Locator("#main")).ToBeFocusedAsync();
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_active_switch_works_from_the_keyboard_and_changes_the_stored_status()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Hand hot leads to sales",
            module = "lead",
            trigger = new { type = "score.crossed", threshold = 80, direction = "up" },
            steps = new[] { host.WebhookStep("sales", "keyboard/sales") },
        });
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/");
        var row = page.Locator($"#workflow-grid tr[data-workflow-id=\"{id}\"]");
        var toggle = row.GetByRole(AriaRole.Switch, new() { Name = "Active: Hand hot leads to sales" });
        await Expect(toggle).ToHaveAttributeAsync("aria-checked", "false");

        await toggle.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Expect(row.Locator("td[data-label=\"Status\"]")).ToHaveTextAsync("Active");
        await Expect(toggle).ToHaveAttributeAsync("aria-checked", "true");
        Assert.Equal("active", await host.StatusAsync(id));

        await page.Keyboard.PressAsync("Enter");
        await Expect(row.Locator("td[data-label=\"Status\"]")).ToHaveTextAsync("Paused");
        Assert.Equal("paused", await host.StatusAsync(id));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_new_workflow_can_be_built_and_saved_without_a_mouse()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/workflows/new");
        var name = page.GetByLabel("Name", new() { Exact = true });
        await Expect(name).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Typed, not clicked");

        var addStep = page.GetByRole(AriaRole.Button, new() { Name = "+ Add step" });
        await addStep.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var action = page.GetByLabel("Action");
        await Expect(action).ToBeFocusedAsync();
        await action.SelectOptionAsync("call_webhook");
        await page.GetByLabel("url", new() { Exact = true }).FocusAsync();
        await page.Keyboard.TypeAsync(host.Receiver.Url("keyboard"));

        await page.Locator("#save-workflow").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Typed, not clicked" })).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }
}
