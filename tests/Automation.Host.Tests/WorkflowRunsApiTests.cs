using System.Net;
using System.Text.Json;
using Automation.Testing;

namespace Automation.Host.Tests;

/// <summary>The admin API end to end on Azurite: workflows with versions, runs and their step logs, skips, retries, cancels.</summary>
public sealed class WorkflowRunsApiTests(HostFactory host) : IClassFixture<HostFactory>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private string Definition(string path, string module, object? delay = null, string status = "draft", string enrollment = "every_time")
    {
        var steps = new List<object>
        {
            new { id = "notify", action = "call_webhook", @params = new { url = receiver.Url(path), method = "POST", body = new { lead = "{{ record.email }}", step = "notify" } } },
        };
        if (delay is not null)
        {
            steps.Add(new { id = "later", action = "call_webhook", delay, @params = new { url = receiver.Url(path), body = new { step = "later" } } });
        }

        return JsonSerializer.Serialize(new
        {
            name = $"Welcome {module}",
            module,
            status,
            enrollment,
            trigger = new { type = "record.created" },
            conditions = new { all = new object[] { new { field = "record.source", op = "eq", value = "Web Form" }, new { field = "record.score", op = "gte", value = 50 } } },
            steps,
            exitConditions = new { any = new object[] { new { field = "record.status", op = "eq", value = "customer" } } },
        });
    }

    private static string Lead(string module, string recordId, int score, string source = "Web Form") => $$"""
        { "id": "{{Guid.NewGuid():N}}", "type": "record.created", "module": "{{module}}", "recordId": "{{recordId}}",
          "record": { "email": "{{recordId}}@example.com", "source": "{{source}}", "score": "{{score}}" } }
        """;

    private async Task<JsonElement> CreateAsync(string definition)
    {
        var response = await host.Admin().PostAsync("/api/workflows", Json.Body(definition));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadAsync();
    }

    private async Task<JsonElement> RunOfAsync(string workflowId, string recordId, Func<string, bool> statusIs)
    {
        var client = host.Admin();
        var summary = await Eventually.GetAsync(
            async () => (await (await client.GetAsync($"/api/workflows/{workflowId}/runs?recordId={recordId}")).ReadAsync()).GetProperty("items"),
            items => items.GetArrayLength() > 0 && statusIs(items[0].GetProperty("status").GetString()!),
            $"a run of {recordId}");
        return await (await client.GetAsync($"/api/runs/{summary[0].GetProperty("runId").GetString()}")).ReadAsync();
    }

    [Fact]
    public async Task An_active_workflow_runs_its_webhook_step_and_logs_it()
    {
        var created = await CreateAsync(Definition("ok", "lead"));
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal("draft", created.GetProperty("status").GetString());
        Assert.Equal(1, created.GetProperty("version").GetInt32());

        var activated = await (await host.Admin().PostAsync($"/api/workflows/{id}/activate", null)).ReadAsync();
        Assert.Equal("active", activated.GetProperty("status").GetString());
        await host.Admin().PostAsync("/api/events", Json.Body(Lead("lead", "L-100", 72)));

        var run = await RunOfAsync(id, "L-100", s => s == "succeeded");
        var step = Assert.Single(run.GetProperty("steps").EnumerateArray());
        Assert.Equal("notify", step.GetProperty("stepId").GetString());
        Assert.Equal("succeeded", step.GetProperty("status").GetString());
        Assert.Equal("L-100@example.com", step.GetProperty("input").GetProperty("body").GetProperty("lead").GetString());
        var received = Assert.Single(receiver.RequestsTo("ok"));
        Assert.Contains("\"lead\":\"L-100@example.com\"", received.Body.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(received.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task A_record_that_fails_the_conditions_leaves_a_skipped_run_with_the_trace()
    {
        var id = (await CreateAsync(Definition("skip", "contact", status: "active"))).GetProperty("id").GetString()!;

        await host.Admin().PostAsync("/api/events", Json.Body(Lead("contact", "C-1", 10)));

        var run = await RunOfAsync(id, "C-1", s => s == "skipped");
        var failed = run.GetProperty("conditions").GetProperty("leaves").EnumerateArray().Single(l => !l.GetProperty("result").GetBoolean());
        Assert.Equal("record.score", failed.GetProperty("field").GetString());
        Assert.Equal("10", failed.GetProperty("actual").GetString());
        Assert.Empty(receiver.RequestsTo("skip"));
    }

    [Fact]
    public async Task A_failed_run_can_be_retried_from_its_failed_step()
    {
        receiver.Respond("flaky", new Reply(400, """{"error":"bad"}"""));
        var id = (await CreateAsync(Definition("flaky", "account", status: "active"))).GetProperty("id").GetString()!;
        await host.Admin().PostAsync("/api/events", Json.Body(Lead("account", "A-1", 90)));
        var failed = await RunOfAsync(id, "A-1", s => s == "failed");
        var runId = failed.GetProperty("run").GetProperty("runId").GetString()!;
        Assert.Contains("400", failed.GetProperty("run").GetProperty("error").GetString());

        var retry = await host.Admin().PostAsync($"/api/runs/{runId}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var done = await RunOfAsync(id, "A-1", s => s == "succeeded");
        Assert.Equal(["failed", "succeeded"], done.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        var calls = receiver.RequestsTo("flaky");
        Assert.Equal(2, calls.Count);

        // The receiver saw the failed attempt; the admin's retry must not look like a repeat of it.
        Assert.NotEqual(calls[0].Header("Idempotency-Key"), calls[1].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Retrying_a_run_that_has_not_failed_is_a_conflict()
    {
        var id = (await CreateAsync(Definition("fine", "partner", status: "active"))).GetProperty("id").GetString()!;
        await host.Admin().PostAsync("/api/events", Json.Body(Lead("partner", "P-1", 90)));
        var runId = (await RunOfAsync(id, "P-1", s => s == "succeeded")).GetProperty("run").GetProperty("runId").GetString()!;

        var retry = await host.Admin().PostAsync($"/api/runs/{runId}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
    }

    [Fact]
    public async Task A_waiting_run_can_be_cancelled_and_never_runs_its_delayed_step()
    {
        var id = (await CreateAsync(Definition("wait", "deal", delay: new { days = 1 }, status: "active"))).GetProperty("id").GetString()!;
        await host.Admin().PostAsync("/api/events", Json.Body(Lead("deal", "D-1", 90)));
        var waiting = await RunOfAsync(id, "D-1", s => s == "waiting");
        var runId = waiting.GetProperty("run").GetProperty("runId").GetString()!;
        Assert.True(waiting.GetProperty("run").GetProperty("wakeAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));

        var cancel = await host.Admin().PostAsync($"/api/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var cancelled = await RunOfAsync(id, "D-1", s => s == "cancelled");
        Assert.Single(cancelled.GetProperty("steps").EnumerateArray());
        Assert.Single(receiver.RequestsTo("wait"));
    }

    [Fact]
    public async Task Editing_makes_a_new_version_and_versions_list_newest_first()
    {
        var id = (await CreateAsync(Definition("v", "vendor"))).GetProperty("id").GetString()!;
        var edited = Definition("v2", "vendor").Replace("Welcome vendor", "Welcome vendors, edited", StringComparison.Ordinal);

        var replaced = await (await host.Admin().PutAsync($"/api/workflows/{id}", Json.Body(edited))).ReadAsync();
        var versions = await (await host.Admin().GetAsync($"/api/workflows/{id}/versions")).ReadAsync();
        var first = await (await host.Admin().GetAsync($"/api/workflows/{id}?version=1")).ReadAsync();

        Assert.Equal(2, replaced.GetProperty("version").GetInt32());
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal("Welcome vendor", first.GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_invalid_definition_is_refused_with_field_errors_and_nothing_is_saved()
    {
        var before = (await (await host.Admin().GetAsync("/api/workflows?module=ghost")).ReadAsync()).GetProperty("items").GetArrayLength();

        var response = await host.Admin().PostAsync("/api/workflows", Json.Body("""{ "name": "Ghost", "module": "ghost", "trigger": { "type": "record.created" }, "steps": [ { "id": "x", "action": "nope" } ] }"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.ReadAsync()).ErrorsAt("steps[0].action"));
        var after = (await (await host.Admin().GetAsync("/api/workflows?module=ghost")).ReadAsync()).GetProperty("items").GetArrayLength();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_paused_workflow_enrolls_no_one_and_archiving_hides_it_from_the_list()
    {
        var id = (await CreateAsync(Definition("paused", "ticket", status: "active"))).GetProperty("id").GetString()!;
        var paused = await (await host.Admin().PostAsync($"/api/workflows/{id}/pause", null)).ReadAsync();
        Assert.Equal("paused", paused.GetProperty("status").GetString());

        await host.Admin().PostAsync("/api/events", Json.Body(Lead("ticket", "T-1", 90)));
        await Eventually.GetAsync(
            async () => await host.Admin().GetAsync("/api/records/ticket/T-1"),
            r => r.StatusCode == HttpStatusCode.OK,
            "the record snapshot");
        var runs = await (await host.Admin().GetAsync($"/api/workflows/{id}/runs")).ReadAsync();
        Assert.Equal(0, runs.GetProperty("items").GetArrayLength());

        Assert.Equal(HttpStatusCode.OK, (await host.Admin().DeleteAsync($"/api/workflows/{id}")).StatusCode);
        var list = await (await host.Admin().GetAsync("/api/workflows?module=ticket")).ReadAsync();
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), w => w.GetProperty("id").GetString() == id);
        Assert.Equal("archived", (await (await host.Admin().GetAsync($"/api/workflows/{id}")).ReadAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_record_shows_its_snapshot_and_runs_and_stats_count_them()
    {
        var id = (await CreateAsync(Definition("rec", "opportunity", status: "active"))).GetProperty("id").GetString()!;
        await host.Admin().PostAsync("/api/events", Json.Body(Lead("opportunity", "O-1", 90)));
        await RunOfAsync(id, "O-1", s => s == "succeeded");

        var record = await (await host.Admin().GetAsync("/api/records/opportunity/O-1")).ReadAsync();
        var stats = await Eventually.GetAsync(
            async () => await (await host.Admin().GetAsync($"/api/workflows/{id}/stats")).ReadAsync(),
            s => s.GetProperty("runCount").GetInt64() == 1,
            "the run count");

        Assert.Equal("O-1@example.com", record.GetProperty("record").GetProperty("fields").GetProperty("email").GetString());
        Assert.Equal(id, Assert.Single(record.GetProperty("runs").EnumerateArray()).GetProperty("workflowId").GetString());
        Assert.Equal(1, stats.GetProperty("byStatus").GetProperty("succeeded").GetInt64());
    }

    [Fact]
    public async Task A_stored_workflow_can_be_tested_against_a_stored_record_without_side_effects()
    {
        var id = (await CreateAsync(Definition("dry", "prospect"))).GetProperty("id").GetString()!;
        await host.Admin().PostAsync("/api/events", Json.Body(Lead("prospect", "PR-1", 80)));
        await Eventually.GetAsync(async () => await host.Admin().GetAsync("/api/records/prospect/PR-1"), r => r.StatusCode == HttpStatusCode.OK, "the record");

        var result = await (await host.Admin().PostAsync($"/api/workflows/{id}/test", Json.Body("""{ "recordId": "PR-1" }"""))).ReadAsync();

        Assert.True(result.GetProperty("conditions").GetProperty("result").GetBoolean());
        Assert.Equal("PR-1@example.com", result.GetProperty("steps")[0].GetProperty("params").GetProperty("body").GetProperty("lead").GetString());
        Assert.Empty(receiver.RequestsTo("dry"));
    }

    [Theory]
    [InlineData("/api/workflows/nope")]
    [InlineData("/api/workflows/nope/versions")]
    [InlineData("/api/runs/nope")]
    [InlineData("/api/records/lead/never-seen")]
    public async Task Unknown_things_are_404_problems(string url)
    {
        var response = await host.Admin().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_status_filter_names_the_values_that_exist()
    {
        var response = await host.Admin().GetAsync("/api/workflows/x/runs?status=done");

        Assert.Contains("succeeded", Assert.Single((await response.ReadAsync()).ErrorsAt("status")));
    }
}
