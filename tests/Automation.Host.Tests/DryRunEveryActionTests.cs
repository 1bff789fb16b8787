using System.Net;
using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Testing;

namespace Automation.Host.Tests;

/// <summary>
/// One dry run with a step of every action in the registry: each renders its parameters, credentials come back masked,
/// and nothing leaves the host (no email, no request to any receiver, no record stored).
/// </summary>
public sealed class DryRunEveryActionTests(CommunicationHostFactory host) : IClassFixture<CommunicationHostFactory>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        await MailDev.EnsureRunningAsync();
        receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private string Steps() => $$$"""
        [
          { "id": "email", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Hi {{ record.firstName }}", "body": "Welcome, {{ record.firstName }}." } },
          { "id": "sms", "action": "send_sms", "params": { "to": "{{ record.phone }}", "body": "Hi {{ record.firstName }}" } },
          { "id": "call", "action": "initiate_call", "params": { "to": "{{ record.phone }}", "say": "Hello {{ record.firstName }}" } },
          { "id": "slack", "action": "slack_message", "params": { "webhookUrl": "{{{receiver.Url("slack")}}}", "text": "New lead {{ record.firstName }}" } },
          { "id": "team", "action": "notify_team", "params": { "team": "sales", "subject": "Lead {{ record.firstName }}", "body": "Call {{ record.phone }}" } },
          { "id": "inapp", "action": "in_app_notification", "params": { "userId": "{{ record.ownerId }}", "title": "{{ record.firstName }} signed up" } },
          { "id": "assign", "action": "assign_owner", "params": { "strategy": "fixed", "ownerId": "rep-{{ record.territory }}" } },
          { "id": "mark", "action": "mark_contact", "params": { "flag": "custom", "field": "qualified", "value": "Yes" } },
          { "id": "update", "action": "update_field", "params": { "fields": { "rating": "hot {{ record.firstName }}" } } },
          { "id": "status", "action": "change_status", "params": { "status": "Working" } },
          { "id": "stage", "action": "move_stage", "params": { "stage": "SQL" } },
          { "id": "task", "action": "create_task", "params": { "title": "Call {{ record.firstName }}", "dueInDays": 2 } },
          { "id": "case", "action": "create_case", "params": { "subject": "Onboard {{ record.firstName }}" } },
          { "id": "opportunity", "action": "create_opportunity", "params": { "name": "{{ record.firstName }} deal" } },
          { "id": "project", "action": "create_record", "params": { "module": "project", "fields": { "name": "Onboard {{ record.firstName }}" } } },
          { "id": "note", "action": "add_note", "params": { "body": "Dry run for {{ record.firstName }}" } },
          { "id": "document", "action": "attach_document", "params": { "name": "{{ record.firstName }}.txt", "template": "Dear {{ record.firstName }}" } },
          { "id": "webhook", "action": "call_webhook", "params": { "url": "{{{receiver.Url("hook")}}}", "secret": "s3cret", "body": { "email": "{{ record.email }}" } } },
          { "id": "start", "action": "start_workflow", "params": { "workflowId": "wf-follow-up" } },
          { "id": "sequence", "action": "add_to_sequence", "params": { "sequenceId": "nurture" } }
        ]
        """;

    [Fact]
    public async Task Every_action_renders_in_a_dry_run_with_secrets_masked_and_nothing_sent_or_stored()
    {
        var email = MailDev.Address();
        var recordId = "DRY-" + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""
            { "workflow": { "name": "Every action", "module": "lead", "trigger": { "type": "record.created" }, "steps": {{Steps()}} },
              "event": { "type": "record.created", "module": "lead", "recordId": "{{recordId}}",
                         "record": { "email": "{{email}}", "firstName": "Ann", "phone": "+16502530000", "ownerId": "u-1", "territory": "emea" } } }
            """;
        var client = host.Admin();

        var response = await client.PostAsync("/api/workflows/test-definition", Json.Body(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var steps = (await response.ReadAsync()).GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(ActionRegistry.All.Select(a => a.Type).Order(StringComparer.Ordinal), steps.Select(s => s.GetProperty("action").GetString()!).Order(StringComparer.Ordinal));
        foreach (var step in steps)
        {
            Assert.True(step.GetProperty("params").ValueKind == JsonValueKind.Object, $"{step.GetProperty("id")} has no rendered params: {step}");
            Assert.Empty(step.GetProperty("errors").EnumerateObject());
        }

        JsonElement Params(string id) => steps.Single(s => s.GetProperty("id").GetString() == id).GetProperty("params");
        Assert.Equal("Hi Ann", Params("email").GetProperty("subject").GetString());
        Assert.Equal("Hello Ann", Params("call").GetProperty("say").GetString());
        Assert.Equal("Ann signed up", Params("inapp").GetProperty("title").GetString());
        Assert.Equal("rep-emea", Params("assign").GetProperty("ownerId").GetString());
        Assert.Equal("Onboard Ann", Params("project").GetProperty("fields").GetProperty("name").GetString());
        Assert.Equal("Ann.txt", Params("document").GetProperty("name").GetString());
        Assert.Equal("***", Params("slack").GetProperty("webhookUrl").GetString());
        Assert.Equal("***", Params("webhook").GetProperty("secret").GetString());
        Assert.Equal(email, Params("webhook").GetProperty("body").GetProperty("email").GetString());

        Assert.Empty(await MailDev.ReceivedByAsync(email));
        Assert.Empty(receiver.RequestsTo("slack"));
        Assert.Empty(receiver.RequestsTo("hook"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/records/lead/{recordId}")).StatusCode);
    }
}
