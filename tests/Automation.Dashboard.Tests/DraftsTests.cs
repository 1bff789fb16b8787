using System.Text.RegularExpressions;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Automation.Dashboard.Tests;

/// <summary>The host with email going to the real SMTP server (MailDev), so an approved draft is really sent.</summary>
public sealed class MailingDashboardHost : DashboardHost
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in MailDev.Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override Task SeedAsync() => MailDev.EnsureRunningAsync();
}

[Collection(DashboardCollection.Name)]
public sealed class DraftsTests(BrowserFixture browser, MailingDashboardHost host) : IClassFixture<MailingDashboardHost>
{
    [Fact]
    public async Task An_owner_edits_a_drafted_email_approves_it_and_the_edited_email_is_sent()
    {
        var to = MailDev.Address("ann");
        var recordId = "lead-" + Guid.NewGuid().ToString("N")[..8];
        var workflowId = await DraftingWorkflowAsync("Quote follow-up", recordId, to);

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/drafts");
        var row = page.Locator("#drafts-table tbody tr", new() { HasText = recordId });
        await ReloadUntilVisibleAsync(page, row);
        await Expect(row).ToContainTextAsync(to);
        await Expect(row).ToContainTextAsync("Waiting");
        await s.ScreenshotAsync("drafts");

        await row.GetByRole(AriaRole.Link, new() { Name = "Your quote, Ann" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your quote, Ann", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.FrameLocator("#draft-preview").Locator("body")).ToContainTextAsync("Here is the quote for Acme.");

        // The draft names the workflow it comes from, not only its id.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Quote follow-up (v1)" })).ToHaveAttributeAsync("href", $"/workflows/{workflowId}");
        await page.GetByLabel("Subject").FillAsync("Your quote, as promised");
        await page.GetByLabel("Body (HTML)").FillAsync("<p>Dear Ann, here is the quote for Acme. Call me any time.</p>");
        await Expect(page.FrameLocator("#draft-preview").Locator("body")).ToContainTextAsync("Call me any time.");
        await s.ScreenshotAsync("draft");
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve and send" }).ClickAsync();

        // The run may send it before the page reads the draft again.
        await Expect(page.Locator(".page-header .pill")).ToHaveTextAsync(new Regex("^(Approved|Sent)$"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Approve and send" })).ToHaveCountAsync(0);
        var mail = Assert.Single(await MailDev.WaitForAsync(to)).Message;
        Assert.Equal("Your quote, as promised", mail.Subject);
        Assert.Contains("Call me any time.", mail.HtmlBody, StringComparison.Ordinal);
        await ReloadUntilVisibleAsync(page, page.Locator(".page-header .pill", new() { HasText = "Sent" }));
        await Expect(page.Locator(".meta")).ToContainTextAsync("by dashboard");

        // The workflow's page counts the email against its step.
        await s.GoAsync($"/workflows/{workflowId}");
        var quote = page.Locator("#email-stats tr[data-step-id=\"quote\"]");
        await Expect(quote.Locator("td").First).ToHaveTextAsync("1");
        await Expect(quote.Locator("td").Nth(1)).ToHaveTextAsync("0 (0%)");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_discarded_draft_is_never_sent_and_the_run_goes_on()
    {
        var to = MailDev.Address("bo");
        var recordId = "lead-" + Guid.NewGuid().ToString("N")[..8];
        var workflowId = await DraftingWorkflowAsync("Quote follow-up (discard)", recordId, to);

        var waiting = await Eventually.GetAsync(
            async () => (await host.Api.GetFromJsonAsync<JsonObject>($"/api/workflows/{workflowId}/runs"))!["items"]!.AsArray().FirstOrDefault(),
            r => r?["status"]?.GetValue<string>() == "waiting",
            "the run to wait for the draft");

        // From the waiting run to its draft.
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync($"/runs/{waiting!["runId"]!.GetValue<string>()}");
        await Expect(page.Locator("#waiting-note")).ToContainTextAsync("Waiting for the drafted email to be approved or discarded");
        await page.Locator("#waiting-note").GetByRole(AriaRole.Link, new() { Name = "open the draft" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Discard this email?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();

        await Expect(page.Locator(".page-header .pill")).ToHaveTextAsync("Discarded");
        await Expect(page.GetByLabel("Subject")).ToHaveCountAsync(0);
        var run = await Eventually.GetAsync(
            async () => (await host.Api.GetFromJsonAsync<JsonObject>($"/api/workflows/{workflowId}/runs"))!["items"]!.AsArray().FirstOrDefault(),
            r => r?["status"]?.GetValue<string>() == "succeeded",
            "the run to finish after the discard");
        Assert.NotNull(run);
        Assert.Empty(await MailDev.ReceivedByAsync(to));

        await s.GoAsync("/drafts?status=discarded");
        await Expect(page.Locator("#drafts-table tbody tr", new() { HasText = recordId })).ToContainTextAsync("Discarded");
        await s.GoAsync("/drafts");
        await Expect(page.Locator("#drafts-table tbody tr", new() { HasText = recordId })).ToHaveCountAsync(0);
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_draft_that_does_not_exist_says_so()
    {
        await using var s = await Session.StartAsync(browser, host);
        await s.GoAsync("/drafts/no-such-draft");
        await Expect(s.Page.GetByText("This draft does not exist")).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }

    private async Task<string> DraftingWorkflowAsync(string name, string recordId, string to)
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name,
            module = "lead",
            trigger = new { type = "record.created" },
            conditions = new { all = new[] { new { field = "record.email", op = "eq", value = to } } },
            steps = new object[]
            {
                new
                {
                    id = "quote",
                    action = "send_email",
                    @params = new { mode = "draft", to = "{{ record.email }}", subject = "Your quote, {{ record.firstName }}", html = "<p>Dear {{ record.firstName }},</p><p>Here is the quote for {{ record.company }}.</p>" },
                },
            },
        }, activate: true);
        await host.PostEventAsync("lead", recordId, "record.created", new { email = to, firstName = to.StartsWith("ann", StringComparison.Ordinal) ? "Ann" : "Bo", company = "Acme", ownerId = "u-owner" });
        return id;
    }

    private static async Task ReloadUntilVisibleAsync(IPage page, ILocator locator)
    {
        for (var i = 0; i < 60 && await locator.CountAsync() == 0; i++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        await Expect(locator.First).ToBeVisibleAsync();
    }
}
