using Automation.Runtime.DeadLetters;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ListsTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task Dead_letters_say_what_to_do_when_there_are_none_and_show_each_with_its_reason()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/dead-letters");
        await Expect(page.GetByText("No dead letters")).ToBeVisibleAsync();
        await Expect(page.GetByText("Failed runs are on each workflow’s Runs tab")).ToBeVisibleAsync();

        // Written by the store the queue processors use when a message cannot be processed.
        var store = host.Services.GetRequiredService<DeadLetterStore>();
        await store.AddAsync("events", "{\"oops\":true}", "The message is not an event message ({ module, recordId, eventId }).", 5);

        await page.ReloadAsync();
        var row = page.Locator("#dead-letters tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("events");
        await Expect(row).ToContainTextAsync("The message is not an event message");
        await Expect(row.GetByRole(AriaRole.Cell, new() { Name = "5", Exact = true })).ToBeVisibleAsync();
        await row.GetByText("Payload").ClickAsync();
        await Expect(row.Locator("pre")).ToContainTextAsync("\"oops\": true");
        await s.ScreenshotAsync("dead-letters");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_workflow_that_does_not_exist_is_explained_in_the_apis_words()
    {
        await using var s = await Session.StartAsync(browser, host);
        await s.GoAsync("/workflows/no-such-workflow");
        await Expect(s.Page.GetByText("This workflow does not exist")).ToBeVisibleAsync();
        await Expect(s.Page.GetByText("Workflow 'no-such-workflow' does not exist.")).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task An_address_the_dashboard_does_not_know_says_so()
    {
        await using var s = await Session.StartAsync(browser, host);
        await s.GoAsync("/records/lead/lead-1/extra");
        await Expect(s.Page.GetByText("This page does not exist")).ToBeVisibleAsync();
        await s.Page.GetByRole(AriaRole.Link, new() { Name = "Go to workflows" }).ClickAsync();
        await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Workflows", Exact = true })).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }
}
