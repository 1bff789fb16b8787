using System.Text.Json;
using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;
using CommunicationHost = Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests;

/// <summary>
/// The seed examples end to end as workflows: record actions with the communication actions (a real SMTP server,
/// a local chat-completions endpoint, a local Twilio), and call_webhook to a local receiver.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordSeedExampleTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver receiver = null!;
    private ChatCompletionsServer model = null!;
    private TwilioServer twilio = null!;

    public async Task InitializeAsync()
    {
        await MailDev.EnsureRunningAsync();
        receiver = await WebhookReceiver.StartAsync();
        model = await ChatCompletionsServer.StartAsync();
        twilio = await TwilioServer.StartAsync();
        host = await RuntimeHost.StartAsync(settings: CommunicationHost.Settings(
            ("Automation:Ai:Endpoint", model.Endpoint),
            ("Automation:Ai:ApiKey", ChatCompletionsServer.ApiKey),
            ("Automation:Ai:Model", ChatCompletionsServer.Model),
            ("Automation:Twilio:AccountSid", TwilioServer.AccountSid),
            ("Automation:Twilio:AuthToken", TwilioServer.AuthToken),
            ("Automation:Twilio:BaseUrl", twilio.BaseUrl),
            ("Automation:Twilio:From", "+1 650-253-0000"),
            ("Automation:Twilio:DefaultRegion", "US")));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await receiver.DisposeAsync();
        await model.DisposeAsync();
        await twilio.DisposeAsync();
    }

    [Fact]
    public async Task A_contact_entering_SQL_is_assigned_to_its_territory_rep_emailed_marked_qualified_and_a_webhook_fires_in_that_order()
    {
        var wf = await host.ActiveWorkflowAsync($$$"""
        {
          "name": "SQL hand-off", "module": "contact", "trigger": { "type": "stage.entered", "stage": "SQL" },
          "steps": [
            { "id": "assign", "action": "assign_owner", "params": { "strategy": "rules", "rules": [
                { "when": { "field": "record.territory", "op": "eq", "value": "EMEA" }, "ownerId": "rep-emea" },
                { "when": { "field": "record.territory", "op": "eq", "value": "AMER" }, "ownerId": "rep-amer" },
                { "ownerId": "rep-pool" } ] } },
            { "id": "confirm", "action": "send_email", "params": {
                "mode": "personalized", "to": "{{ record.email }}", "subject": "You are qualified, {{ record.firstName }}",
                "brandVoice": "Warm and brief.",
                "body": "Confirm that {{ record.company }} is sales-qualified; {{ run.steps.assign.after.ownerId }} will call." } },
            { "id": "qualify", "action": "mark_contact", "params": { "flag": "custom", "field": "qualified", "value": "Yes" } },
            { "id": "notify", "action": "call_webhook", "params": { "url": "{{{receiver.Url("sql")}}}", "body": {
                "contact": "{{ record.firstName }}",
                "owner": "{{ run.steps.assign.after.ownerId }}",
                "emailed": "{{ run.steps.confirm.messageId }}",
                "qualified": "{{ run.steps.qualify.after.qualified }}" } } }
          ]
        }
        """);
        var email = MailDev.Address("ann");
        var fields = new { firstName = "Ann", email, company = "Acme", territory = "EMEA", stage = "MQL" };
        await host.SendAsync(Json.Event("record.created", "contact", "C-1", fields));
        await host.WaitForSnapshotAsync("contact", "C-1", _ => true);

        await host.SendAsync(Json.Event("record.updated", "contact", "C-1", fields with { stage = "SQL" }));
        var run = await host.WaitForEndAsync("contact", "C-1", wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("contact", "C-1", s => s.Text("qualified") == "Yes");

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(["assign", "confirm", "qualify", "notify"], run.Steps.Select(s => s.StepId));
        for (var i = 1; i < run.Steps.Count; i++)
        {
            Assert.True(run.Steps[i].StartedAt >= run.Steps[i - 1].EndedAt, $"step {run.Steps[i].StepId} started after {run.Steps[i - 1].StepId} ended");
        }

        Assert.Equal("rep-emea", snapshot.Text("ownerId"));
        Assert.Equal("Yes", snapshot.Text("qualified"));
        Assert.Equal("SQL", snapshot.Text("stage"));

        var message = Assert.Single(await MailDev.WaitForAsync(email)).Message;
        Assert.Equal("You are qualified, Ann", message.Subject);
        Assert.Contains("Confirm that Acme is sales-qualified; rep-emea will call.", Assert.Single(model.Requests).Body, StringComparison.Ordinal);

        var body = JsonDocument.Parse(Assert.Single(receiver.RequestsTo("sql")).Body).RootElement;
        Assert.Equal("Ann", body.GetProperty("contact").GetString());
        Assert.Equal("rep-emea", body.GetProperty("owner").GetString());
        Assert.Equal(message.MessageId, body.GetProperty("emailed").GetString()?.Trim('<', '>'));
        Assert.Equal("Yes", body.GetProperty("qualified").GetString());

        var assigned = (await host.EventAsync("contact", "C-1", $"{run.Run.RunId}:assign"))!;
        var qualified = (await host.EventAsync("contact", "C-1", $"{run.Run.RunId}:qualify"))!;
        Assert.True(assigned.Event.OccurredAt < qualified.Event.OccurredAt);
    }

    [Fact]
    public async Task A_contact_entering_At_Risk_texts_the_account_manager_its_name_and_score_and_gets_Retention_Priority_High()
    {
        var wf = await host.ActiveWorkflowAsync("""
        {
          "name": "At risk", "module": "contact", "trigger": { "type": "stage.entered", "stage": "At Risk" },
          "steps": [
            { "id": "alert", "action": "send_sms", "params": {
                "to": "{{ record.accountManagerPhone }}", "body": "{{ record.name }} is at risk (score {{ record.score }})." } },
            { "id": "priority", "action": "update_field", "params": { "fields": { "retentionPriority": "High" } } }
          ]
        }
        """);

        await host.SendAsync(Json.Event("record.updated", "contact", "C-2",
            new { name = "Bo Chen", score = 31, stage = "At Risk", retentionPriority = "Normal", accountManagerPhone = "(650) 253-0007" },
            previous: new { name = "Bo Chen", score = 64, stage = "Healthy", retentionPriority = "Normal", accountManagerPhone = "(650) 253-0007" }));
        var run = await host.WaitForEndAsync("contact", "C-2", wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("contact", "C-2", s => s.Text("retentionPriority") == "High");

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(["alert", "priority"], run.Steps.Select(s => s.StepId));
        var sms = TwilioServer.Form(Assert.Single(twilio.Messages));
        Assert.Equal("+16502530007", sms["To"]);
        Assert.Equal("Bo Chen is at risk (score 31).", sms["Body"]);
        Assert.Equal("Normal", run.Steps[1].Output.Text("before.retentionPriority"));
        Assert.Equal("High", run.Steps[1].Output.Text("after.retentionPriority"));
        Assert.Equal("31", snapshot.Text("score"));
    }
}
