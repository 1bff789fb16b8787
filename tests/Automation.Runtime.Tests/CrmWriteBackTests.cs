using System.Text;
using System.Text.Json;
using Automation.Engine.Runs;
using Automation.Engine.Security;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

/// <summary>With Automation:Crm:WriteBackUrl, each record change goes to the CRM (a real local server) before it is applied.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CrmWriteBackTests : IAsyncLifetime
{
    private const string Secret = "crm-secret-1";
    private RuntimeHost host = null!;
    private WebhookReceiver crm = null!;

    public async Task InitializeAsync()
    {
        crm = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Automation:Crm:WriteBackUrl"] = crm.Url("changes"),
            ["Automation:Crm:Secret"] = Secret,
            ["Automation:Crm:TimeoutSeconds"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await crm.DisposeAsync();
    }

    private Task<Engine.Model.Workflow> QualifyAsync() => host.ActiveWorkflowAsync("""
        {
          "name": "Qualify", "module": "contact", "trigger": { "type": "record.created" },
          "steps": [ { "id": "qualify", "action": "update_field", "params": { "fields": { "qualified": "Yes" } },
                       "retry": { "maxAttempts": 3, "initialIntervalSeconds": 1 } } ]
        }
        """);

    [Fact]
    public async Task A_change_is_sent_signed_with_its_idempotency_key_and_then_applied()
    {
        var wf = await QualifyAsync();

        await host.SendAsync(Json.Event("record.created", "contact", "C-1", new { qualified = "No" }));
        var run = await host.WaitForEndAsync("contact", "C-1", wf.Id!);
        await host.WaitForSnapshotAsync("contact", "C-1", s => s.Text("qualified") == "Yes");

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var request = Assert.Single(crm.RequestsTo("changes"));
        var changeId = $"{run.Run.RunId}:qualify";
        Assert.Equal("POST", request.Method);
        Assert.Equal(changeId, request.Header("Idempotency-Key"));
        Assert.Equal(SignatureCheck.Valid, Signature.Verify(request.Header(Signature.HeaderName), [Secret], Encoding.UTF8.GetBytes(request.Body), DateTimeOffset.UtcNow));
        var body = Json.Element(request.Body);
        Assert.Equal(changeId, body.GetProperty("id").GetString());
        Assert.Equal("update", body.GetProperty("operation").GetString());
        Assert.Equal("update_field", body.GetProperty("action").GetString());
        Assert.Equal("contact", body.GetProperty("module").GetString());
        Assert.Equal("C-1", body.GetProperty("recordId").GetString());
        Assert.Equal("""{"qualified":"Yes"}""", body.GetProperty("fields").GetRawText());
        Assert.Equal("""{"qualified":"No"}""", body.GetProperty("previous").GetRawText());
        Assert.Equal(1, body.GetProperty("causation").GetProperty("depth").GetInt32());
        Assert.Equal(wf.Id, body.GetProperty("causation").GetProperty("workflowId").GetString());
        Assert.Equal("200", run.Steps[0].Output.Text("writeBack.status"));
    }

    [Fact]
    public async Task A_500_is_retried_with_the_same_key_and_the_change_is_applied_once()
    {
        var wf = await QualifyAsync();
        crm.Respond("changes", new Reply(500, """{"error":"busy"}"""));

        await host.SendAsync(Json.Event("record.created", "contact", "C-2", new { qualified = "No" }));
        var run = await host.WaitForEndAsync("contact", "C-2", wf.Id!);
        await host.WaitForSnapshotAsync("contact", "C-2", s => s.Text("qualified") == "Yes");

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([(1, StepStatus.Retrying), (2, StepStatus.Succeeded)], run.Steps.Select(s => (s.Attempt, s.Status)));
        Assert.Contains("answered 500", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Equal("500", run.Steps[0].Output.Text("writeBack.status"));
        var keys = crm.RequestsTo("changes").Select(r => r.Header("Idempotency-Key") ?? "").ToArray();
        Assert.Equal([$"{run.Run.RunId}:qualify", $"{run.Run.RunId}:qualify"], keys);
        var caused = (await host.EventsAsync("contact", "C-2")).Where(e => e.Event.Causation is not null).ToArray();
        Assert.Equal($"{run.Run.RunId}:qualify", Assert.Single(caused).Event.Id);
    }

    [Fact]
    public async Task A_400_fails_the_step_for_good_and_the_refused_change_never_reaches_the_store()
    {
        var wf = await QualifyAsync();
        crm.Respond("changes", new Reply(400, """{"error":"qualified is read-only"}"""));

        await host.SendAsync(Json.Event("record.created", "contact", "C-3", new { qualified = "No" }));
        var run = await host.WaitForEndAsync("contact", "C-3", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        var step = Assert.Single(run.Steps);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Contains("answered 400", step.Error, StringComparison.Ordinal);
        Assert.Single(crm.RequestsTo("changes"));
        Assert.Single(await host.EventsAsync("contact", "C-3"));
        Assert.Equal("No", (await host.SnapshotAsync("contact", "C-3"))!.Text("qualified"));
    }

    [Fact]
    public async Task A_created_task_is_sent_as_a_create_with_its_link_and_id()
    {
        var wf = await host.ActiveWorkflowAsync("""
        {
          "name": "Task", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "task", "action": "create_task", "params": { "title": "Call", "assignee": "u-1" } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "lead", "L-1"));
        var run = await host.WaitForEndAsync("lead", "L-1", wf.Id!);

        var body = Json.Element(Assert.Single(crm.RequestsTo("changes")).Body);
        Assert.Equal("create", body.GetProperty("operation").GetString());
        Assert.Equal("task", body.GetProperty("module").GetString());
        Assert.Equal(run.Steps[0].Output.Text("recordId"), body.GetProperty("recordId").GetString());
        Assert.Equal("""{"module":"lead","recordId":"L-1"}""", body.GetProperty("relatedTo").GetRawText());
        Assert.Equal("Call", body.GetProperty("fields").GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Undefined, body.TryGetProperty("previous", out var p) ? p.ValueKind : JsonValueKind.Undefined);
    }

    [Fact]
    public async Task A_write_back_that_times_out_is_retried()
    {
        var wf = await QualifyAsync();
        crm.Respond("changes", new Reply(200, "{}", Delay: TimeSpan.FromSeconds(5)));

        await host.SendAsync(Json.Event("record.created", "contact", "C-4", new { qualified = "No" }));
        var run = await host.WaitForEndAsync("contact", "C-4", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Contains("timed out after 1 s", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Equal("Yes", (await host.WaitForSnapshotAsync("contact", "C-4", s => s.Text("qualified") == "Yes")).Text("qualified"));
    }

    [Fact]
    public async Task A_write_back_url_on_a_private_address_that_is_not_allowed_is_refused_for_good()
    {
        var port = new Uri(crm.BaseUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var guarded = await RuntimeHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Automation:Crm:WriteBackUrl"] = $"http://localhost:{port}/changes",
        });
        var wf = await guarded.ActiveWorkflowAsync("""
            { "name": "Guarded", "module": "contact", "trigger": { "type": "record.created" },
              "steps": [ { "id": "qualify", "action": "update_field", "params": { "fields": { "qualified": "Yes" } } } ] }
            """);

        await guarded.SendAsync(Json.Event("record.created", "contact", "C-5", new { qualified = "No" }));
        var run = await guarded.WaitForEndAsync("contact", "C-5", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("The CRM write-back was refused", Assert.Single(run.Steps).Error, StringComparison.Ordinal);
        Assert.Empty(crm.Requests);
        Assert.Equal("No", (await guarded.SnapshotAsync("contact", "C-5"))!.Text("qualified"));
    }
}
