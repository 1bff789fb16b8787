using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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

        // Who retried and when, between the failed try (kept, marked as superseded) and the one it led to.
        var retried = sync.Locator(".attempt--failed.attempt--superseded + .tl__note--admin[data-note=\"retry\"] + .attempt--succeeded");
        await Expect(retried).ToHaveCountAsync(1);
        var note = sync.Locator(".tl__note--admin[data-note=\"retry\"]");
        await Expect(note).ToContainTextAsync("Retried from step 2 by admin");
        await Expect(note.Locator("time")).ToHaveCountAsync(1);
        await Expect(sync.Locator(".attempt--superseded")).ToContainTextAsync("Superseded by a retry");
        await Expect(page.Locator("#timeline [data-step-id=\"notify\"] .attempt--superseded")).ToHaveCountAsync(0);
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
        var first = page.Locator("#timeline [data-step-id=\"first\"]");
        await Expect(first.Locator(".attempt")).ToHaveCountAsync(2);
        Assert.Equal(2, host.Calls("again/first"));

        // The note sits where the run started again; every try before it is superseded, the failed one included.
        await Expect(first.Locator(".attempt--superseded + .tl__note--admin[data-note=\"retry\"] + .attempt")).ToHaveCountAsync(1);
        await Expect(first.Locator(".tl__note--admin")).ToContainTextAsync("Retried from the start by admin");
        await Expect(page.Locator("#timeline [data-step-id=\"second\"] .attempt--failed.attempt--superseded")).ToHaveCountAsync(1);
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
    public async Task Run_now_on_a_run_waiting_two_days_runs_the_step_at_once_and_the_timeline_says_who_did_it()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Follow up in two days, or now",
            module = "lead",
            trigger = new { type = "record.created" },
            steps = new[]
            {
                host.WebhookStep("now", "runnow/now"),
                host.WebhookStep("later", "runnow/later", delay: new { days = 2 }),
            },
        }, activate: true);
        await host.PostEventAsync("lead", "lead-run-now", "record.created", new { email = "now@example.com" });

        await using var s = await Session.StartAsync(browser, host);
        var page = await OpenOnlyRunAsync(s, id, "waiting");
        var later = page.Locator("#timeline [data-step-id=\"later\"]");
        await Expect(later).ToHaveAttributeAsync("data-state", "waiting");
        await page.Locator("#run-now").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Run the next step now?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();

        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Expect(later).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(later.Locator(".tl__note--admin[data-note=\"run-now\"] + .attempt--succeeded")).ToHaveCountAsync(1);
        await Expect(later.Locator(".tl__note--admin[data-note=\"run-now\"]")).ToContainTextAsync("skipped by admin");
        await Expect(page.Locator("#run-now")).ToHaveCountAsync(0);
        Assert.Equal(1, host.Calls("runnow/later"));

        // The orchestration saw the admin's event and ended with the run.
        await Expect(page.Locator("#orchestration-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });
        await Expect(page.Locator("#orchestration-history tr[data-event-type=\"EventRaised\"]")).ToContainTextAsync("RunNow");
        await later.ScrollIntoViewIfNeededAsync();
        await s.ScreenshotAsync("run-now");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_orchestration_section_shows_the_history_of_a_run_that_waited_on_a_timer()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Call back in a few seconds",
            module = "contact",
            trigger = new { type = "record.created" },
            steps = new[] { host.WebhookStep("callback", "timer/callback", delay: new { until = "{{ record.callBackAt }}" }) },
        }, activate: true);
        var callBackAt = DateTimeOffset.UtcNow.AddSeconds(3).ToString("o", CultureInfo.InvariantCulture);
        await host.PostEventAsync("contact", "contact-timer", "record.created", new { email = "timer@example.com", callBackAt });

        await using var s = await Session.StartAsync(browser, host);
        var page = await OpenOnlyRunAsync(s, id, "succeeded");
        await Expect(page.Locator("#orchestration-status")).ToHaveTextAsync("Completed", new() { Timeout = 60_000 });

        var history = page.Locator("#orchestration-history");
        await Expect(history.Locator("tr[data-event-type=\"ExecutionStarted\"]")).ToContainTextAsync("RunWorkflow");
        await Expect(history.Locator("tr[data-event-type=\"TaskScheduled\"]").First).ToContainTextAsync("AdvanceRun");
        var created = history.Locator("tr[data-event-type=\"TimerCreated\"]");
        await Expect(created).ToHaveCountAsync(1);
        await Expect(created).ToContainTextAsync("fires at");
        await Expect(created.Locator("td").Nth(2).Locator("time")).ToHaveCountAsync(1);
        await Expect(history.Locator("tr[data-event-type=\"TimerCreated\"] ~ tr[data-event-type=\"TimerFired\"]")).ToHaveCountAsync(1);
        await Expect(history.Locator("tr[data-event-type=\"TimerFired\"] ~ tr[data-event-type=\"ExecutionCompleted\"]")).ToHaveCountAsync(1);
        await Expect(history.Locator("tr[data-event-type=\"OrchestratorStarted\"]")).ToHaveCountAsync(0);

        // Where to find the same history: the task hub and instance as the API names them.
        var runId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var view = await host.Api.GetFromJsonAsync<JsonObject>($"/api/runs/{runId}/orchestration");
        var section = page.Locator("#orchestration");
        await Expect(section).ToContainTextAsync("Durable Functions Monitor");
        await Expect(section).ToContainTextAsync(view!["hub"]!.GetValue<string>());
        await Expect(section).ToContainTextAsync(runId);
        await section.ScrollIntoViewIfNeededAsync();
        await s.ScreenshotAsync("run-orchestration");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_skipped_run_says_it_has_no_orchestration()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Only partners",
            module = "account",
            trigger = new { type = "record.created" },
            conditions = new { all = new[] { new { field = "record.source", op = "eq", value = "Partner" } } },
            steps = new[] { host.WebhookStep("partner", "skipped/partner") },
        }, activate: true);
        await host.PostEventAsync("account", "account-skipped", "record.created", new { name = "Babbage Ltd", source = "Web" });

        await using var s = await Session.StartAsync(browser, host);
        var page = await OpenOnlyRunAsync(s, id, "skipped");
        await Expect(page.Locator("#orchestration #orchestration-none")).ToContainTextAsync("No orchestration");
        await Expect(page.Locator("#orchestration-history")).ToHaveCountAsync(0);
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
