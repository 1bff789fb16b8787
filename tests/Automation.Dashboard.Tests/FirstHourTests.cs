using System.Net;
using System.Net.Http.Json;
using Automation.Engine.Model;

namespace Automation.Dashboard.Tests;

/// <summary>
/// What a newcomer meets in the first hour: the events feed, the records list, the editor's whole vocabulary, the runs
/// list's figures, and pages that read without scrolling sideways.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class FirstHourTests(BrowserFixture browser, DashboardHost host) : IClassFixture<DashboardHost>
{
    private async Task PostAsync(string id, string module, string recordId, object record)
    {
        using var response = await host.Api.PostAsJsonAsync("/api/events", new { id, type = "record.created", module, recordId, record });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_events_page_shows_each_event_with_duplicates_and_what_each_workflow_did()
    {
        var module = "ev" + Guid.NewGuid().ToString("N")[..6];
        var workflow = await host.CreateWorkflowAsync(new
        {
            name = "Greet " + module,
            module,
            trigger = new { type = "record.created" },
            steps = new[] { host.WebhookStep("hello", "first-hour/hello") },
        }, activate: true);
        var id = "evt-" + Guid.NewGuid().ToString("N")[..12];
        await PostAsync(id, module, "R-1", new { email = "r1@example.com" });
        await PostAsync(id, module, "R-1", new { email = "r1@example.com" });

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Events" }).ClickAsync();
        await page.GetByLabel("Module").FillAsync(module);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        var items = page.Locator("#events-feed > li");
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.Nth(0)).ToHaveAttributeAsync("data-duplicate", "true");
        await Expect(items.Nth(0)).ToContainTextAsync("not processed again");

        // The first delivery enrolled the record: reload until the processor has applied it.
        var first = items.Nth(1);
        for (var i = 0; i < 100 && await first.GetAttributeAsync("data-outcome") != "enrolled"; i++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await Expect(page.Locator("#events-feed > li")).ToHaveCountAsync(2);
        }

        await Expect(first).ToHaveAttributeAsync("data-outcome", "enrolled");
        var judgement = first.Locator($".judgement[data-workflow-id=\"{workflow}\"]");
        await Expect(judgement).ToHaveAttributeAsync("data-outcome", "enrolled");
        await judgement.GetByRole(AriaRole.Link, new() { Name = "Open run" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Session.Text("/runs/"));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_records_page_lists_a_module_s_records_and_finds_one_by_a_field()
    {
        var module = "rec" + Guid.NewGuid().ToString("N")[..6];
        await PostAsync("a-" + Guid.NewGuid().ToString("N"), module, "A-1", new { name = "Ada Lovelace", email = "ada@example.com" });
        await PostAsync("g-" + Guid.NewGuid().ToString("N"), module, "G-1", new { name = "Grace Hopper", email = "grace@example.com" });

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/records");
        await page.GetByLabel("Module").FillAsync(module);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var rows = page.Locator("#records-list tbody tr");
        await Expect(rows).ToHaveCountAsync(2);

        await page.GetByLabel("Id, name, email or any field").FillAsync("grace@");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Grace Hopper");
        await rows.First.GetByRole(AriaRole.Link, new() { Name = "G-1" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Session.Text($"/records/{module}/G-1$"));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task The_editor_offers_every_trigger_and_operator_of_the_engine_and_the_retry_policy()
    {
        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/workflows/new");
        var trigger = page.GetByLabel("Start when");
        foreach (var type in TriggerTypes.All)
        {
            await Expect(trigger.Locator($"option[value=\"{type}\"]")).ToHaveCountAsync(1);
        }

        await trigger.SelectOptionAsync(TriggerTypes.DateReached);
        await Expect(page.GetByLabel("Date field")).ToBeVisibleAsync();
        await page.GetByLabel("Date field").FillAsync("dueDate");
        await page.GetByLabel("Offset").FillAsync("+1d");
        await Expect(page.Locator("#workflow-json")).ToHaveValueAsync(Session.Text("\"offset\": \"\\+1d\""));

        // Placeholders read as examples, not as values.
        var style = await page.GetByLabel("Name", new() { Exact = true }).EvaluateAsync<string>("el => getComputedStyle(el, '::placeholder').fontStyle");
        Assert.Equal("italic", style);

        await page.GetByRole(AriaRole.Button, new() { Name = "+ Add condition" }).First.ClickAsync();
        var operators = page.Locator("[data-path$=\".op\"]").First.Locator("option");
        Assert.Equal(
            Enum.GetValues<ConditionOperator>().Select(ConditionOperators.Name).Order(StringComparer.Ordinal),
            (await operators.EvaluateAllAsync<string[]>("os => os.map(o => o.value)")).Order(StringComparer.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { Name = "+ Add step" }).ClickAsync();
        var step = page.Locator(".step-card").First;
        await step.GetByText("Retries: default").ClickAsync();
        await step.GetByLabel("Attempts").FillAsync("5");
        await Expect(page.Locator("#workflow-json")).ToHaveValueAsync(Session.Text("\"maxAttempts\": 5"));
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Modules_come_from_the_workflows_in_use_not_a_fixed_list()
    {
        var module = "custom" + Guid.NewGuid().ToString("N")[..6];
        await host.CreateWorkflowAsync(new { name = "Custom module", module, trigger = new { type = "record.created" }, steps = new[] { host.WebhookStep("c", "first-hour/c") } });

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync("/");
        await Expect(page.Locator($"#workflow-module option[value=\"{module}\"]")).ToHaveCountAsync(1);
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task Testing_an_active_workflow_does_not_call_it_a_draft_and_the_runs_list_counts_the_actions_run()
    {
        var module = "act" + Guid.NewGuid().ToString("N")[..6];
        var workflow = await host.CreateWorkflowAsync(new
        {
            name = "Two calls " + module,
            module,
            trigger = new { type = "record.created" },
            steps = new[] { host.WebhookStep("one", "first-hour/one"), host.WebhookStep("two", "first-hour/two") },
        }, activate: true);
        await PostAsync("c-" + Guid.NewGuid().ToString("N"), module, "C-1", new { email = "c@example.com" });

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync($"/workflows/{workflow}/runs");
        var row = page.Locator("#runs-table tbody tr");
        for (var i = 0; i < 100 && await row.First.GetAttributeAsync("data-status") != "succeeded"; i++)
        {
            await page.ReloadAsync();
            await Expect(row).ToHaveCountAsync(1);
        }

        await Expect(row.Locator("td[data-label=\"Actions run\"]")).ToHaveTextAsync("2");

        await s.GoAsync($"/workflows/{workflow}/edit");
        await page.Locator("#test-workflow").ClickAsync();
        await Expect(page.Locator("#test-results")).ToContainTextAsync("The record would enroll");
        await Expect(page.Locator("#test-results")).Not.ToContainTextAsync("draft");
        s.AssertNoScriptErrors();
    }

    [Fact]
    public async Task A_skipped_run_s_condition_table_reads_without_scrolling_sideways()
    {
        var module = "skip" + Guid.NewGuid().ToString("N")[..6];
        var workflow = await host.CreateWorkflowAsync(new
        {
            name = "Only partners " + module,
            module,
            trigger = new { type = "record.created" },
            conditions = new { all = new[] { new { field = "record.source", op = "eq", value = "Partner" } } },
            steps = new[] { host.WebhookStep("p", "first-hour/p") },
        }, activate: true);
        var longValue = string.Join(" ", Enumerable.Repeat("a-rather-long-lead-source-description-that-keeps-going", 6));
        await PostAsync("s-" + Guid.NewGuid().ToString("N"), module, "S-1", new { source = longValue });

        await using var s = await Session.StartAsync(browser, host);
        var page = s.Page;
        await s.GoAsync($"/workflows/{workflow}/runs");
        var link = page.Locator("#runs-table tbody tr[data-status=\"skipped\"] a", new() { HasText = "Open" });
        for (var i = 0; i < 100 && await link.CountAsync() == 0; i++)
        {
            await page.ReloadAsync();
            await Expect(page.Locator("#runs-table, .empty").First).ToBeVisibleAsync();
        }

        await link.ClickAsync();
        var wrap = page.Locator(".card", new() { HasText = "Why it was skipped" }).Locator(".table-wrap");
        await Expect(wrap).ToContainTextAsync("keeps-going");
        var overflow = await wrap.EvaluateAsync<int>("el => el.scrollWidth - el.clientWidth");
        Assert.True(overflow <= 0, $"The trace table scrolls sideways by {overflow} px.");
        s.AssertNoScriptErrors();
    }
}
