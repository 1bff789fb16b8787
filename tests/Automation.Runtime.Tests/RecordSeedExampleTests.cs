using System.Text.Json;
using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

/// <summary>
/// The seed examples as workflows, with the record actions and call_webhook. The steps that send email and SMS
/// belong to the communication actions (branch comm) and are not part of these workflows.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordSeedExampleTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_contact_entering_SQL_is_assigned_to_its_territory_rep_then_marked_qualified_then_a_webhook_fires_in_that_order()
    {
        var wf = await host.ActiveWorkflowAsync($$$"""
        {
          "name": "SQL hand-off", "module": "contact", "trigger": { "type": "stage.entered", "stage": "SQL" },
          "steps": [
            { "id": "assign", "action": "assign_owner", "params": { "strategy": "rules", "rules": [
                { "when": { "field": "record.territory", "op": "eq", "value": "EMEA" }, "ownerId": "rep-emea" },
                { "when": { "field": "record.territory", "op": "eq", "value": "AMER" }, "ownerId": "rep-amer" },
                { "ownerId": "rep-pool" } ] } },
            { "id": "qualify", "action": "mark_contact", "params": { "flag": "custom", "field": "qualified", "value": "Yes" } },
            { "id": "notify", "action": "call_webhook", "params": { "url": "{{{receiver.Url("sql")}}}", "body": {
                "contact": "{{ record.name }}",
                "owner": "{{ run.steps.assign.after.ownerId }}",
                "qualified": "{{ run.steps.qualify.after.qualified }}" } } }
          ]
        }
        """);
        await host.SendAsync(Json.Event("record.created", "contact", "C-1", new { name = "Ann Lee", territory = "EMEA", stage = "MQL" }));
        await host.WaitForSnapshotAsync("contact", "C-1", _ => true);

        await host.SendAsync(Json.Event("record.updated", "contact", "C-1", new { name = "Ann Lee", territory = "EMEA", stage = "SQL" }));
        var run = await host.WaitForEndAsync("contact", "C-1", wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("contact", "C-1", s => s.Text("qualified") == "Yes");

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(["assign", "qualify", "notify"], run.Steps.Select(s => s.StepId));
        Assert.Equal("rep-emea", snapshot.Text("ownerId"));
        Assert.Equal("Yes", snapshot.Text("qualified"));
        Assert.Equal("SQL", snapshot.Text("stage"));
        var body = JsonDocument.Parse(Assert.Single(receiver.RequestsTo("sql")).Body).RootElement;
        Assert.Equal("Ann Lee", body.GetProperty("contact").GetString());
        Assert.Equal("rep-emea", body.GetProperty("owner").GetString());
        Assert.Equal("Yes", body.GetProperty("qualified").GetString());

        // In that order: each change's event is later than the one before, and the webhook came after both.
        var assigned = (await host.EventAsync("contact", "C-1", $"{run.Run.RunId}:assign"))!;
        var qualified = (await host.EventAsync("contact", "C-1", $"{run.Run.RunId}:qualify"))!;
        Assert.True(assigned.Event.OccurredAt < qualified.Event.OccurredAt);
        Assert.True(receiver.RequestsTo("sql")[0].At >= qualified.ReceivedAt);
    }

    [Fact]
    public async Task A_contact_entering_At_Risk_gets_Retention_Priority_High()
    {
        var wf = await host.ActiveWorkflowAsync("""
        {
          "name": "At risk", "module": "contact", "trigger": { "type": "stage.entered", "stage": "At Risk" },
          "steps": [ { "id": "priority", "action": "update_field", "params": { "fields": { "retentionPriority": "High" } } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.updated", "contact", "C-2",
            new { name = "Bo Chen", score = 31, stage = "At Risk", retentionPriority = "Normal" },
            previous: new { name = "Bo Chen", score = 64, stage = "Healthy", retentionPriority = "Normal" }));
        var run = await host.WaitForEndAsync("contact", "C-2", wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("contact", "C-2", s => s.Text("retentionPriority") == "High");

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal("Normal", run.Steps[0].Output.Text("before.retentionPriority"));
        Assert.Equal("High", run.Steps[0].Output.Text("after.retentionPriority"));
        Assert.Equal("31", snapshot.Text("score"));
    }
}
