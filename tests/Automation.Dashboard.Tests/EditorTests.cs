using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Automation.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class EditorTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task An_admin_builds_a_workflow_in_the_form_fixes_the_field_validation_names_tests_it_activates_it_watches_its_run_and_pauses_it()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "New workflow" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New workflow" })).ToBeVisibleAsync();

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Tell the CRM bridge about new leads");
        await page.GetByLabel("Start when").SelectOptionAsync("record.created");
        await page.GetByRole(AriaRole.Button, new() { Name = "+ Add step" }).ClickAsync();
        await page.GetByLabel("Action").SelectOptionAsync("call_webhook");

        // Saved without its url: the API's error lands beside the url field, and nothing is saved.
        await page.Locator("#save-workflow").ClickAsync();
        var urlField = page.Locator("[data-error-path=\"steps[0].params.url\"]");
        await Expect(urlField.Locator(".field-error")).ToContainTextAsync("required");
        await Expect(urlField.GetByLabel("url")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#editor-errors")).ToContainTextAsync("steps[0].params.url");
        await Expect(page).ToHaveURLAsync(Session.Text("/workflows/new$"));
        await urlField.ScrollIntoViewIfNeededAsync();
        await s.ScreenshotAsync("editor-validation");

        // Fixing the field clears its error as the admin types.
        await urlField.GetByLabel("url").FillAsync(host.Receiver.Url("bridge"));
        await Expect(urlField.Locator(".field-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#editor-errors")).ToBeEmptyAsync();

        // The test runs the unsaved definition on a sample lead: trigger, conditions, rendered params.
        await page.Locator("#test-workflow").ClickAsync();
        await Expect(page.Locator("#test-trigger")).ToContainTextAsync("Matches");
        await Expect(page.Locator("#test-results")).ToContainTextAsync("The record would enroll");
        var testedStep = page.Locator(".test-step[data-step-id=\"call-webhook\"]");
        await Expect(testedStep.Locator("table")).ToContainTextAsync(host.Receiver.Url("bridge"));
        await s.ScreenshotAsync("editor");

        await page.Locator("#save-workflow").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tell the CRM bridge about new leads" })).ToBeVisibleAsync();
        await Expect(page.Locator(".header-meta .pill")).ToHaveTextAsync("Draft");
        var id = page.Url.Split('/').Last();

        await page.Locator("#activate-workflow").ClickAsync();
        await Expect(page.Locator(".header-meta .pill")).ToHaveTextAsync("Active");
        await s.ScreenshotAsync("workflow");

        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).ClickAsync();
        await Expect(page.GetByText("No runs yet")).ToBeVisibleAsync();
        await host.PostEventAsync("lead", "lead-42", "record.created", new { email = "grace@example.com", firstName = "Grace" });

        // The runs tab follows new runs on its own.
        var row = page.Locator("#runs-table tbody tr").First;
        await Expect(row).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(row).ToContainTextAsync("lead-42");
        await row.GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();

        await Expect(page.Locator("#run-status")).ToHaveTextAsync("Succeeded");
        var step = page.Locator("#timeline [data-step-id=\"call-webhook\"]");
        await Expect(step).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(step.Locator(".attempt")).ToContainTextAsync("Succeeded");
        await Expect(step.Locator("details", new() { HasText = "Rendered input" })).ToContainTextAsync(host.Receiver.Url("bridge"));
        await Expect(step.Locator("details", new() { HasText = "Output" })).ToContainTextAsync("\"status\": 200");
        Assert.Equal(1, host.Calls("bridge"));

        // Paused from the grid's switch.
        await page.GetByRole(AriaRole.Link, new() { Name = "Workflows" }).First.ClickAsync();
        var gridRow = page.Locator($"#workflow-grid tr[data-workflow-id=\"{id}\"]");
        await Expect(gridRow.Locator(".pill")).ToHaveTextAsync("Active");
        await Expect(gridRow.GetByRole(AriaRole.Cell, new() { Name = "1", Exact = true })).ToBeVisibleAsync();
        await gridRow.GetByRole(AriaRole.Switch).ClickAsync();
        await Expect(gridRow.Locator(".pill")).ToHaveTextAsync("Paused");
        await Expect(gridRow.GetByRole(AriaRole.Switch)).ToHaveAttributeAsync("aria-checked", "false");
        var stored = await host.Api.GetFromJsonAsync<JsonObject>($"/api/workflows/{id}");
        Assert.Equal("paused", stored!["status"]!.GetValue<string>());
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_condition_error_appears_beside_the_condition_it_names()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/workflows/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Big deals only");

        var conditions = page.Locator("#section-conditions");
        await conditions.GetByRole(AriaRole.Button, new() { Name = "+ Add condition" }).ClickAsync();
        await conditions.GetByLabel("Field").FillAsync("record.amount");
        await conditions.GetByLabel("Operator").SelectOptionAsync("gt");
        await conditions.GetByLabel("Value").FillAsync("a lot");
        await page.Locator("#check-workflow").ClickAsync();

        var value = page.Locator("[data-error-path=\"conditions.all[0].value\"]");
        await Expect(value.Locator(".field-error")).ToContainTextAsync("number or a date");
        await Expect(value.GetByLabel("Value")).ToHaveAttributeAsync("aria-invalid", "true");

        // An OR group added beside it keeps each error on its own leaf.
        await conditions.GetByRole(AriaRole.Button, new() { Name = "+ OR group" }).ClickAsync();
        await page.Locator("#check-workflow").ClickAsync();
        await Expect(page.Locator("[data-error-path=\"conditions.all[1].any[0].field\"] .field-error")).ToBeVisibleAsync();
        await conditions.ScrollIntoViewIfNeededAsync();
        await s.ScreenshotAsync("editor-conditions");

        await value.GetByLabel("Value").FillAsync("50000");
        await Expect(value.Locator(".field-error")).ToHaveCountAsync(0);
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_form_and_the_json_follow_each_other()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/workflows/new");
        var json = page.Locator("#workflow-json");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Stage entry actions for SQL");
        await page.GetByLabel("Start when").SelectOptionAsync("stage.entered");
        await page.GetByLabel("Stage", new() { Exact = true }).FillAsync("SQL");
        await Expect(json).ToHaveValueAsync(Session.Text("\"name\": \"Stage entry actions for SQL\""));
        await Expect(json).ToHaveValueAsync(Session.Text("\"type\": \"stage.entered\",\\s*\"stage\": \"SQL\""));

        var definition = new JsonObject
        {
            ["name"] = "Edited as JSON",
            ["module"] = "opportunity",
            ["trigger"] = new JsonObject { ["type"] = "event", ["name"] = "demo.requested" },
            ["enrollment"] = "every_time",
            ["steps"] = new JsonArray(new JsonObject
            {
                ["id"] = "tell-sales",
                ["action"] = "call_webhook",
                ["delay"] = new JsonObject { ["hours"] = 3 },
                ["params"] = new JsonObject { ["url"] = "https://sales.example.com/hook" },
            }),
        };
        await json.FillAsync(definition.ToJsonString());

        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Edited as JSON");
        await Expect(page.GetByLabel("Module")).ToHaveValueAsync("opportunity");
        await Expect(page.GetByLabel("Event name")).ToHaveValueAsync("demo.requested");
        await Expect(page.GetByLabel("Every time")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Step id")).ToHaveValueAsync("tell-sales");
        await Expect(page.GetByLabel("Hours")).ToHaveValueAsync("3");
        await Expect(page.GetByLabel("url", new() { Exact = true })).ToHaveValueAsync("https://sales.example.com/hook");

        await json.FillAsync("{ \"name\": ");
        await Expect(page.Locator("#json-status")).ToContainTextAsync("Not valid JSON");
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Edited as JSON");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_newcomer_builds_the_welcome_workflow_by_hand_tests_it_and_activates_it()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/workflows/new");

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("New lead: welcome, then follow up");
        await page.GetByLabel("Module").FillAsync("lead");
        await page.GetByLabel("Start when").SelectOptionAsync("record.created");

        await page.GetByRole(AriaRole.Button, new() { Name = "+ Add step" }).ClickAsync();
        var email = page.Locator(".step-card").Nth(0);
        await email.GetByLabel("Action").SelectOptionAsync("send_email");
        await email.GetByLabel("to", new() { Exact = true }).FillAsync("{{ record.email }}");
        await email.GetByLabel("subject", new() { Exact = true }).FillAsync("Welcome, {{ record.firstName }}");
        await email.GetByLabel("body", new() { Exact = true }).FillAsync("Thanks for your interest.");

        await page.GetByRole(AriaRole.Button, new() { Name = "+ Add step" }).ClickAsync();
        var task = page.Locator(".step-card").Nth(1);
        await task.GetByLabel("Action").SelectOptionAsync("create_task");
        await task.GetByLabel("Before this step").SelectOptionAsync("duration");
        await task.GetByLabel("Days", new() { Exact = true }).FillAsync("2");
        await task.GetByLabel("title", new() { Exact = true }).FillAsync("Follow-up call with {{ record.firstName }}");

        await page.Locator("#test-workflow").ClickAsync();
        await Expect(page.Locator("#test-results")).ToContainTextAsync("The record would enroll");
        await Expect(page.Locator(".test-step[data-step-id=\"send-email\"]")).ToContainTextAsync("Welcome, Ada");
        var taskResult = page.Locator(".test-step[data-step-id=\"create-task\"]");
        await Expect(taskResult).ToContainTextAsync("Waits 2 days");
        await Expect(taskResult).ToContainTextAsync("Follow-up call with Ada");

        await page.Locator("#save-workflow").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New lead: welcome, then follow up" })).ToBeVisibleAsync();
        var flow = page.Locator(".flow");
        await Expect(flow).ToContainTextAsync("A record is created");
        await Expect(flow.Locator(".flow__delay")).ToHaveTextAsync(Session.Text("Wait 2 days"));
        await page.Locator("#activate-workflow").ClickAsync();
        await Expect(page.Locator(".header-meta .pill")).ToHaveTextAsync("Active");
        await s.ScreenshotAsync("workflow-welcome");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Leaving_the_editor_with_unsaved_changes_asks_first()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/workflows/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Half done");

        var asked = new TaskCompletionSource<string>();
        var accept = false;
        page.Dialog += async (_, dialog) =>
        {
            asked.TrySetResult(dialog.Message);
            if (accept)
            {
                await dialog.AcceptAsync();
            }
            else
            {
                await dialog.DismissAsync();
            }
        };

        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await nav.GetByRole(AriaRole.Link, new() { Name = "Dead letters" }).ClickAsync();
        Assert.Contains("Leave without saving?", await asked.Task.WaitAsync(TimeSpan.FromSeconds(30)), StringComparison.Ordinal);
        await Expect(page).ToHaveURLAsync(Session.Text("/workflows/new$"));
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Half done");

        accept = true;
        await nav.GetByRole(AriaRole.Link, new() { Name = "Dead letters" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dead letters", Exact = true })).ToBeVisibleAsync();
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_welcome_example_fills_the_form_with_the_seed_workflow()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/workflows/new");
        await page.GetByLabel("Start from").SelectOptionAsync(new SelectOptionValue { Index = 1 });

        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Welcome new web leads");
        await Expect(page.Locator(".step-card")).ToHaveCountAsync(2);
        await Expect(page.Locator(".step-card").Nth(1).GetByLabel("Days", new() { Exact = true })).ToHaveValueAsync("2");
        await Expect(page.Locator("#section-exit")).ToContainTextAsync("ANY of these");
        await page.Locator("#check-workflow").ClickAsync();
        await Expect(page.Locator("#editor-errors")).ToBeEmptyAsync();
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Editing_saves_a_new_version_and_the_versions_tab_lists_both()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Versioned",
            module = "lead",
            trigger = new { type = "record.updated" },
            steps = new[] { host.WebhookStep("ping", "ping") },
        });
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync($"/workflows/{id}");
        await page.Locator("#edit-workflow").ClickAsync();

        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Versioned");
        await page.GetByLabel("Description").FillAsync("Now with a description.");
        await page.Locator("#save-workflow").ClickAsync();

        await Expect(page.Locator(".description")).ToHaveTextAsync("Now with a description.");
        await Expect(page.Locator(".header-meta")).ToContainTextAsync("Version 2");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Versions") }).ClickAsync();
        await Expect(page.Locator(".version")).ToHaveCountAsync(2);
        await Expect(page.Locator(".version").First).ToContainTextAsync("Current");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Test_on_a_saved_workflow_opens_the_editor_ready_to_test_it()
    {
        var id = await host.CreateWorkflowAsync(new
        {
            name = "Tested from its page",
            module = "lead",
            trigger = new { type = "record.created" },
            conditions = new { all = new[] { new { field = "record.score", op = "gte", value = 90 } } },
            steps = new[] { host.WebhookStep("ping", "tested/ping") },
        });
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync($"/workflows/{id}");
        await page.Locator("#test-workflow-link").ClickAsync();

        await Expect(page.Locator("#run-test")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        // The sample lead scores 72: the trigger matches, the condition does not, and the trace says why.
        await Expect(page.Locator("#test-results")).ToContainTextAsync("The run would be skipped");
        var leaf = page.Locator("#test-conditions tr[data-path=\"conditions.all[0]\"]");
        await Expect(leaf).ToContainTextAsync("record.score");
        await Expect(leaf).ToContainTextAsync("72");
        await Expect(leaf.Locator(".pill")).ToHaveTextAsync("False");
        s.AssertNoScriptErrors();
    }
}
