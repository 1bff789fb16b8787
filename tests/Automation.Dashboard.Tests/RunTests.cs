using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class RunTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task A_failed_run_shows_its_error_and_retrying_the_failed_step_finishes_it_without_repeating_earlier_steps()
    {
        host.FailNextCall("retry/sync");
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Sync new leads to the warehouse",
            module = "lead",
            trigger = new { type = "record.created" },
            steps = new[] { host.WebhookStep("notify", "retry/notify"), host.WebhookStep("sync", "retry/sync") },
        }, activate: true);
        await host.PostEventAsync("lead", "lead-retry", "record.created", new { email = "ada@example.com", firstName = "Ada" });

        await using var s = await Session.StartAsync(browser, host);
        var page = await OpenOnlyRunAsync(s, id, "failed");

        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Failed");
        await Expect(page.Locator("#run-error")).ToContainTextAsync("500");
        var sync = page.Locator("#timeline [data-step-id=\"sync\"]");
        await Expect(sync).ToHaveAttributeAsync("data-state", "failed");
        await Expect(sync.Locator(".attempt__error")).ToContainTextAsync("answered 500");
        await Expect(page.Locator("#timeline [data-step-id=\"notify\"]")).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(page.Locator("#cancel-run")).ToHaveCountAsync(0);
        await s.ScreenshotAsync("run-failed");
        await page.Locator("#retry-run").ClickAsync();

        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
        await Expect(sync).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(sync.Locator(".attempt")).ToHaveCountAsync(2);
        await Expect(page.Locator("#retry-run")).ToHaveCountAsync(0);
        Assert.Equal(1, host.Calls("retry/notify"));
        Assert.Equal(2, host.Calls("retry/sync"));
        await s.ScreenshotAsync("run-timeline");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Retrying_from_the_start_runs_every_step_again()
    {
        host.FailNextCall("again/second");
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Retry from the start",
            module = "contact",
            trigger = new { type = "record.created" },
            steps = new[] { host.WebhookStep("first", "again/first"), host.WebhookStep("second", "again/second") },
        }, activate: true);
        await host.PostEventAsync("contact", "contact-again", "record.created", new { email = "grace@example.com" });

        await using var s = await Session.StartAsync(browser, host);
        var page = await OpenOnlyRunAsync(s, id, "failed");
        await page.Locator("#retry-run-start").ClickAsync();

        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
        await Expect(page.Locator("#timeline [data-step-id=\"first\"] .attempt")).ToHaveCountAsync(2);
        Assert.Equal(2, host.Calls("again/first"));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_waiting_run_shows_when_it_wakes_in_local_time_with_utc_on_hover_and_can_be_cancelled()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Follow up two days later",
            module = "lead",
            trigger = new { type = "record.created" },
            steps = new[]
            {
                host.WebhookStep("now", "wait/now"),
                host.WebhookStep("later", "wait/later", delay: new { days = 2 }),
            },
        }, activate: true);
        await host.PostEventAsync("lead", "lead-wait", "record.created", new { email = "wait@example.com" });

        await using var s = await Session.StartAsync(browser, host);
        var page = await OpenOnlyRunAsync(s, id, "waiting");

        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Waiting");
        var later = page.Locator("#timeline [data-step-id=\"later\"]");
        await Expect(later).ToHaveAttributeAsync("data-state", "waiting");
        await Expect(later.Locator("#waiting-note")).ToContainTextAsync("in 2 days");

        // Shown in the browser's zone (Asia/Tokyo, UTC+9), with the UTC time as the tooltip.
        var wake = later.Locator("#waiting-note time");
        var iso = await wake.GetAttributeAsync("datetime");
        var utc = DateTimeOffset.Parse(iso!, CultureInfo.InvariantCulture);
        await Expect(wake).ToHaveAttributeAsync("title", utc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC");
        var tokyo = utc.ToOffset(TimeSpan.FromHours(9));
        await Expect(wake).ToContainTextAsync(tokyo.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        await s.ScreenshotAsync("run-waiting");

        await page.Locator("#cancel-run").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Cancel this run?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();

        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Cancelled");
        await Expect(later).ToHaveAttributeAsync("data-state", "notRun");
        await Expect(page.Locator("#cancel-run")).ToHaveCountAsync(0);
        Assert.Equal(0, host.Calls("wait/later"));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_run_that_exited_shows_the_exit_condition_that_became_true()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Nurture until they buy",
            module = "lead",
            trigger = new { type = "record.created" },
            steps = new[]
            {
                host.WebhookStep("intro", "exit/intro"),
                host.WebhookStep("nudge", "exit/nudge", delay: new { days = 3 }),
            },
            exitConditions = new { any = new[] { new { field = "record.status", op = "eq", value = "customer" } } },
        }, activate: true);
        await host.PostEventAsync("lead", "lead-exit", "record.created", new { email = "exit@example.com", status = "new" });

        await using var s = await Session.StartAsync(browser, host);
        await s.GoAsync($"/workflows/{id}/runs?status=waiting");
        await Expect(s.Page.Locator("#runs-table tbody tr")).ToHaveCountAsync(1);

        // The record becomes a customer: the waiting run exits at once.
        await host.PostEventAsync("lead", "lead-exit", "record.updated", new { email = "exit@example.com", status = "customer" });
        var page = await OpenOnlyRunAsync(s, id, "exited");

        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Exited");
        var why = page.Locator(".card", new() { HasText = "Why it exited" });
        await Expect(why).ToContainTextAsync("record.status");
        await Expect(why).ToContainTextAsync("\"customer\"");
        await Expect(why.Locator(".pill[data-status=\"yes\"]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#timeline [data-step-id=\"nudge\"]")).ToHaveAttributeAsync("data-state", "notRun");
        Assert.Equal(0, host.Calls("exit/nudge"));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Keeping_a_run_in_the_cancel_dialog_leaves_it_waiting()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Wait a day",
            module = "account",
            trigger = new { type = "record.created" },
            steps = new[] { host.WebhookStep("tomorrow", "keep/tomorrow", delay: new { days = 1 }) },
        }, activate: true);
        await host.PostEventAsync("account", "account-keep", "record.created", new { name = "Analytical Engines" });

        await using var s = await Session.StartAsync(browser, host);
        var page = await OpenOnlyRunAsync(s, id, "waiting");
        await page.Locator("#cancel-run").ClickAsync();
        await page.Keyboard.PressAsync("Escape");

        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await page.Locator("#refresh-run").ClickAsync();
        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Waiting");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_run_that_does_not_exist_says_so()
    {
        await using var s = await Session.StartAsync(browser, host);
        await s.GoAsync("/runs/00000000000000000000-000000000000");
        await Expect(s.Page.GetByText("This run does not exist")).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }

    /// <summary>Opens the workflow's runs filtered by status, waits for its one run to show up there, and opens it.</summary>
    private static async Task<IPage> OpenOnlyRunAsync(Session s, string workflowId, string status)
    {
        await s.GoAsync($"/workflows/{workflowId}/runs?status={status}");
        var row = s.Page.Locator("#runs-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToHaveAttributeAsync("data-status", status);
        await row.GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();
        await Expect(s.Page).ToHaveURLAsync(new Regex("/runs/[0-9a-f]{20}-[0-9a-f]{12}$"));
        return s.Page;
    }
}
