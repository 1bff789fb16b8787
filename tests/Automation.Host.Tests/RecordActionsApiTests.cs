using System.Net;
using System.Text.Json;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests;

/// <summary>Record actions through the HTTP API: dry runs change nothing; a real run's changes show on the records API.</summary>
public sealed class RecordActionsApiTests(HostFactory host) : IClassFixture<HostFactory>, IAsyncLifetime
{
    private WebhookReceiver crm = null!;
    private WebApplicationFactory<Program> app = null!;

    public async Task InitializeAsync()
    {
        crm = await WebhookReceiver.StartAsync();
        app = host.WithWebHostBuilder(b => b.UseSetting("Automation:Crm:WriteBackUrl", crm.Url("changes")));
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await crm.DisposeAsync();
    }

    private HttpClient Admin()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", HostFactory.AdminKey);
        return client;
    }

    private const string Steps = """
        [
          { "id": "assign", "action": "assign_owner", "params": { "strategy": "rules", "rules": [
              { "when": { "field": "record.territory", "op": "eq", "value": "EMEA" }, "ownerId": "rep-emea" }, { "ownerId": "rep-pool" } ] } },
          { "id": "stamp", "action": "update_field", "params": { "fields": { "reviewedBy": "{{ record.name }} desk", "qualified": "Yes" } } },
          { "id": "task", "action": "create_task", "params": { "title": "Call {{ record.name }}", "dueInDays": 3 } },
          { "id": "doc", "action": "attach_document", "params": { "name": "{{ record.name }}.txt", "template": "Dear {{ record.name }}" } },
          { "id": "stage", "action": "move_stage", "params": { "stage": "SQL" } }
        ]
        """;

    [Fact]
    public async Task A_dry_run_renders_every_record_action_s_params_and_changes_nothing()
    {
        var recordId = "DR-" + Guid.NewGuid().ToString("N")[..8];
        var response = await Admin().PostAsync("/api/workflows/test-definition", Json.Body($$"""
            {
              "workflow": { "name": "Dry", "module": "contact", "trigger": { "type": "record.created" }, "steps": {{Steps}} },
              "event": { "id": "e-{{recordId}}", "type": "record.created", "module": "contact", "recordId": "{{recordId}}",
                         "record": { "name": "Ann", "territory": "EMEA" } }
            }
            """));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var steps = (await response.ReadAsync()).GetProperty("steps");
        Assert.Equal("Ann desk", steps[1].GetProperty("params").GetProperty("fields").GetProperty("reviewedBy").GetString());
        Assert.Equal("Call Ann", steps[2].GetProperty("params").GetProperty("title").GetString());
        Assert.Equal("Dear Ann", steps[3].GetProperty("params").GetProperty("template").GetString());
        Assert.Equal("rep-emea", steps[0].GetProperty("params").GetProperty("rules")[0].GetProperty("ownerId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin().GetAsync($"/api/records/contact/{recordId}")).StatusCode);
        Assert.Empty(crm.Requests);
    }

    [Fact]
    public async Task A_run_s_record_changes_show_on_the_records_api_with_the_created_task_and_the_document()
    {
        var recordId = "RA-" + Guid.NewGuid().ToString("N")[..8];
        var client = Admin();
        var created = await (await client.PostAsync("/api/workflows", Json.Body($$"""
            { "name": "Hand-off {{recordId}}", "module": "contact", "status": "active", "trigger": { "type": "record.created" },
              "conditions": { "all": [ { "field": "record.name", "op": "eq", "value": "Ann {{recordId}}" } ] },
              "steps": {{Steps}} }
            """))).ReadAsync();
        Assert.Equal("active", created.GetProperty("status").GetString());

        await client.PostAsync("/api/events", Json.Body($$"""
            { "id": "e-{{recordId}}", "type": "record.created", "module": "contact", "recordId": "{{recordId}}",
              "record": { "name": "Ann {{recordId}}", "territory": "EMEA", "stage": "MQL" } }
            """));
        var record = await Eventually.GetAsync(
            async () => await (await client.GetAsync($"/api/records/contact/{recordId}")).ReadAsync(),
            r => r.TryGetProperty("runs", out var runs) && runs.GetArrayLength() > 0 && runs[0].GetProperty("status").GetString() == "succeeded"
                && r.GetProperty("record").GetProperty("fields").TryGetProperty("stage", out var stage) && stage.GetString() == "SQL",
            "the run and its changes");

        var fields = record.GetProperty("record").GetProperty("fields");
        Assert.Equal("rep-emea", fields.GetProperty("ownerId").GetString());
        Assert.Equal("Yes", fields.GetProperty("qualified").GetString());
        var document = Assert.Single(record.GetProperty("documents").EnumerateArray());
        Assert.Equal($"Ann {recordId}.txt", document.GetProperty("name").GetString());

        var run = await (await client.GetAsync($"/api/runs/{record.GetProperty("runs")[0].GetProperty("runId").GetString()}")).ReadAsync();
        var taskId = run.GetProperty("steps")[2].GetProperty("output").GetProperty("recordId").GetString();
        var task = await (await client.GetAsync($"/api/records/task/{taskId}")).ReadAsync();
        Assert.Equal($"Call Ann {recordId}", task.GetProperty("record").GetProperty("fields").GetProperty("title").GetString());
        Assert.Equal(recordId, task.GetProperty("record").GetProperty("fields").GetProperty("relatedRecordId").GetString());

        var download = await client.GetAsync($"/api/records/contact/{recordId}/documents/{document.GetProperty("id").GetString()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal($"Dear Ann {recordId}", await download.Content.ReadAsStringAsync());
        Assert.Equal(5, crm.RequestsTo("changes").Count);
        Assert.Equal(
            ["update", "update", "create", "attach", "update"],
            crm.RequestsTo("changes").Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("operation").GetString()));
    }
}
