using System.Net;
using System.Text.Json;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Automation.Host.Tests;

/// <summary>Email templates, suppressions, notifications, activation checks and the registry through the HTTP API.</summary>
public sealed class CommunicationApiTests(CommunicationHostFactory host) : IClassFixture<CommunicationHostFactory>, IAsyncLifetime
{
    /// <summary>A module of this test's own: the host is shared, and every active workflow of a module enrolls its records.</summary>
    private readonly string module = "lead_" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => MailDev.EnsureRunningAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Unique(string stem) => stem + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<string> ActiveWorkflowAsync(string steps, string trigger = "record.created", string enrollment = "once")
    {
        var definition = $$"""
            { "name": "{{Unique("Comms")}}", "module": "{{module}}", "status": "active", "enrollment": "{{enrollment}}",
              "trigger": { "type": "{{trigger}}" }, "steps": {{steps}} }
            """;
        var response = await host.Admin().PostAsync("/api/workflows", Json.Body(definition));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync()).GetProperty("id").GetString()!;
    }

    private async Task<JsonElement> EndedRunAsync(string workflowId, string recordId)
    {
        var client = host.Admin();
        var items = await Eventually.GetAsync(
            async () => (await (await client.GetAsync($"/api/workflows/{workflowId}/runs?recordId={recordId}")).ReadAsync()).GetProperty("items"),
            i => i.GetArrayLength() > 0 && i[0].GetProperty("status").GetString() is "succeeded" or "failed",
            $"the run of {recordId}");
        return await (await client.GetAsync($"/api/runs/{items[0].GetProperty("runId").GetString()}")).ReadAsync();
    }

    private Task<HttpResponseMessage> SendEventAsync(string recordId, object record, string type = "record.created") =>
        host.Admin().PostAsync("/api/events", Json.Body(JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid().ToString("N"), type, module, recordId, record,
        })));

    [Fact]
    public async Task Email_templates_are_created_versioned_read_and_deleted()
    {
        var client = host.Admin();
        var id = Unique("welcome");

        var created = await client.PostAsync("/api/email-templates", Json.Body($$$"""{ "id": "{{{id}}}", "name": "Welcome", "subject": "Hi {{ record.firstName }}", "html": "<p>Welcome</p>" }"""));
        var replaced = await client.PutAsync($"/api/email-templates/{id}?expectedVersion=1", Json.Body("""{ "name": "Welcome", "subject": "Hello {{ record.firstName }}", "text": "Welcome!" }"""));
        var stale = await client.PutAsync($"/api/email-templates/{id}?expectedVersion=1", Json.Body("""{ "name": "Welcome", "text": "Late" }"""));
        var current = await (await client.GetAsync($"/api/email-templates/{id}")).ReadAsync();
        var first = await (await client.GetAsync($"/api/email-templates/{id}?version=1")).ReadAsync();
        var versions = await (await client.GetAsync($"/api/email-templates/{id}/versions")).ReadAsync();
        var listed = await (await client.GetAsync("/api/email-templates")).ReadAsync();
        var duplicate = await client.PostAsync("/api/email-templates", Json.Body($$"""{ "id": "{{id}}", "name": "Again", "text": "x" }"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/email-templates/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal("Hello {{ record.firstName }}", current.GetProperty("subject").GetString());
        Assert.Equal("<p>Welcome</p>", first.GetProperty("html").GetString());
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/email-templates/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/email-templates/{id}")).StatusCode);
    }

    [Fact]
    public async Task Sms_templates_are_created_versioned_read_and_deleted_and_checked_as_texts()
    {
        var client = host.Admin();
        var id = Unique("renewal");

        var created = await client.PostAsync("/api/sms-templates", Json.Body($$$"""{ "id": "{{{id}}}", "name": "Renewal", "body": "Hi {{ record.firstName }}, you renew soon." }"""));
        var replaced = await client.PutAsync($"/api/sms-templates/{id}?expectedVersion=1", Json.Body("""{ "name": "Renewal", "body": "{{ record.firstName }}, you renew Friday." }"""));
        var current = await (await client.GetAsync($"/api/sms-templates/{id}")).ReadAsync();
        var first = await (await client.GetAsync($"/api/sms-templates/{id}?version=1")).ReadAsync();
        var versions = await (await client.GetAsync($"/api/sms-templates/{id}/versions")).ReadAsync();
        var listed = await (await client.GetAsync("/api/sms-templates")).ReadAsync();
        var emailOnes = await (await client.GetAsync("/api/email-templates")).ReadAsync();
        var bad = await client.PostAsync("/api/sms-templates", Json.Body($$"""{ "name": "", "body": "{{new string('x', 1601)}}", "subject": "no" }"""));
        var badSyntax = await client.PostAsync("/api/sms-templates", Json.Body("""{ "name": "Broken", "body": "Hi {{ record.firstName " }"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/sms-templates/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(2, current.GetProperty("version").GetInt32());
        Assert.Equal("{{ record.firstName }}, you renew Friday.", current.GetProperty("body").GetString());
        Assert.Equal("Hi {{ record.firstName }}, you renew soon.", first.GetProperty("body").GetString());
        Assert.Equal([2, 1], versions.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        Assert.DoesNotContain(emailOnes.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.ReadAsync();
        Assert.Contains("takes id, name, description and body", problem.ErrorsAt("subject")[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badSyntax.StatusCode);
        var syntax = await badSyntax.ReadAsync();
        Assert.Contains("Syntax error", syntax.ErrorsAt("body")[0], StringComparison.Ordinal);

        var tooLong = await client.PostAsync("/api/sms-templates", Json.Body($$"""{ "name": "Long", "body": "{{new string('x', 1601)}}" }"""));
        var tooLongProblem = await tooLong.ReadAsync();
        Assert.Contains("at most 1600", tooLongProblem.ErrorsAt("body")[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/sms-templates/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/sms-templates/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_template_with_mistakes_is_refused_with_every_mistake_by_field()
    {
        var response = await host.Admin().PostAsync("/api/email-templates", Json.Body("""
            { "id": "Bad Id", "name": "", "subject": "Hi {{ record.firstName ", "colour": "red" }
            """));
        var again = await host.Admin().PostAsync("/api/email-templates", Json.Body("""
            { "id": "Bad Id", "name": "", "subject": "Hi {{ record.firstName " }
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.ReadAsync()).ErrorsAt("colour"));
        var problem = await again.ReadAsync();
        Assert.Contains("not a template id", problem.ErrorsAt("id")[0], StringComparison.Ordinal);
        Assert.Equal("A template needs a name.", problem.ErrorsAt("name")[0]);
        Assert.Equal("A template needs html, text or both.", problem.ErrorsAt("html")[0]);
        Assert.Contains("Syntax error", problem.ErrorsAt("subject")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suppressions_are_normalized_listed_checked_and_removed()
    {
        var client = host.Admin();
        var email = Unique("ann") + "@example.com";

        var byEmail = await client.PostAsync("/api/suppressions", Json.Body($$"""{ "address": "Ann <{{email.ToUpperInvariant()}}>", "reason": "asked by phone" }"""));
        var byPhone = await client.PostAsync("/api/suppressions", Json.Body("""{ "address": "(650) 253-0123", "kind": "phone" }"""));
        var phones = await (await client.GetAsync("/api/suppressions?kind=phone")).ReadAsync();
        var one = await client.GetAsync($"/api/suppressions/email/{Uri.EscapeDataString(email)}");

        Assert.Equal(HttpStatusCode.Created, byEmail.StatusCode);
        var saved = await byEmail.ReadAsync();
        Assert.Equal(email, saved.GetProperty("address").GetString());
        Assert.Equal("email", saved.GetProperty("kind").GetString());
        Assert.Equal("asked by phone", saved.GetProperty("reason").GetString());
        Assert.Equal("+16502530123", (await byPhone.ReadAsync()).GetProperty("address").GetString());
        Assert.Contains(phones.GetProperty("items").EnumerateArray(), s => s.GetProperty("address").GetString() == "+16502530123");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/suppressions/phone/{Uri.EscapeDataString("+1 650 253 0123")}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/suppressions/phone/%2B16502530123")).StatusCode);
    }

    [Theory]
    [InlineData("""{ "address": "not-an-address", "kind": "email" }""", "address")]
    [InlineData("""{ "address": "12", "kind": "phone" }""", "address")]
    [InlineData("""{ "address": "a@example.com", "kind": "fax" }""", "kind")]
    [InlineData("""{ "reason": "no address" }""", "address")]
    public async Task A_suppression_that_is_not_an_address_is_refused_naming_the_field(string body, string field)
    {
        var response = await host.Admin().PostAsync("/api/suppressions", Json.Body(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.ReadAsync()).ErrorsAt(field));
    }

    [Fact]
    public async Task In_app_notifications_are_listed_per_user_and_marked_read()
    {
        var user = Unique("u");
        var id = await ActiveWorkflowAsync("""
            [ { "id": "ping", "action": "in_app_notification", "params": { "userId": "{{ record.ownerId }}", "title": "Call {{ record.name }}" } } ]
            """);
        await SendEventAsync("N-" + user, new { ownerId = user, name = "Acme" });
        await EndedRunAsync(id, "N-" + user);

        var client = host.Admin();
        var listed = await (await client.GetAsync($"/api/notifications?userId={user}")).ReadAsync();
        var notification = Assert.Single(listed.GetProperty("items").EnumerateArray());
        var read = await client.PostAsync($"/api/notifications/{notification.GetProperty("id").GetString()}/read", null);
        var unread = await (await client.GetAsync($"/api/notifications?userId={user}&unread=true")).ReadAsync();

        Assert.Equal("Call Acme", notification.GetProperty("title").GetString());
        Assert.False(notification.GetProperty("read").GetBoolean());
        Assert.True((await read.ReadAsync()).GetProperty("read").GetBoolean());
        Assert.Empty(unread.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/notifications/nope/read", null)).StatusCode);
    }

    [Fact]
    public async Task A_personalized_workflow_cannot_be_activated_without_a_language_model()
    {
        var client = host.Admin();
        const string Steps = """[ { "id": "confirm", "action": "send_email", "params": { "mode": "personalized", "to": "{{ record.email }}", "subject": "Hi", "body": "Confirm the call." } } ]""";
        var draft = await client.PostAsync("/api/workflows", Json.Body($$"""{ "name": "Personal", "module": "lead", "trigger": { "type": "record.created" }, "steps": {{Steps}} }"""));
        var id = (await draft.ReadAsync()).GetProperty("id").GetString()!;

        var activate = await client.PostAsync($"/api/workflows/{id}/activate", null);
        var createActive = await client.PostAsync("/api/workflows", Json.Body($$"""{ "name": "Personal", "module": "lead", "status": "active", "trigger": { "type": "record.created" }, "steps": {{Steps}} }"""));

        Assert.Equal(HttpStatusCode.Conflict, activate.StatusCode);
        var problem = await activate.ReadAsync();
        Assert.Equal("The workflow cannot be activated", problem.GetProperty("title").GetString());
        Assert.Contains("Automation:Ai:Endpoint", problem.ErrorsAt("steps[0].params.mode")[0], StringComparison.Ordinal);
        Assert.Equal("draft", (await (await client.GetAsync($"/api/workflows/{id}")).ReadAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, createActive.StatusCode);

        await using var withModel = host.WithWebHostBuilder(b => b.UseSetting("Automation:Ai:Endpoint", "http://127.0.0.1:9/v1"));
        var allowed = await CommunicationHostFactory.WithKey(withModel.CreateClient()).PostAsync($"/api/workflows/{id}/activate", null);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task A_personalized_text_cannot_be_activated_without_a_language_model()
    {
        var created = await host.Admin().PostAsync("/api/workflows", Json.Body("""
            { "name": "Personal text", "module": "lead", "status": "active", "trigger": { "type": "record.created" },
              "steps": [ { "id": "text", "action": "send_sms", "params": { "mode": "personalized", "to": "{{ record.phone }}", "body": "Say hello." } } ] }
            """));

        Assert.Equal(HttpStatusCode.Conflict, created.StatusCode);
        Assert.Contains("writes a personalized text message", (await created.ReadAsync()).ErrorsAt("steps[0].params.mode")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registry_lists_the_communication_parameters()
    {
        var actions = await (await host.Admin().GetAsync("/api/actions")).ReadAsync();

        string[] Params(string type) => actions.EnumerateArray().Single(a => a.GetProperty("type").GetString() == type)
            .GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray();
        Assert.Contains("sendWindow", Params("send_sms"));
        Assert.Contains("sendWindow", Params("initiate_call"));
        Assert.Contains("approvalTimeoutHours", Params("send_email"));
        Assert.Contains("notifyOwner", Params("send_email"));
        Assert.Contains("templateId", Params("send_sms"));
        Assert.Contains("maxLength", Params("send_sms"));
        Assert.Contains("onApprovalTimeout", Params("send_email"));
    }

    [Fact]
    public async Task A_dry_run_renders_messages_and_sends_nothing()
    {
        var to = MailDev.Address();
        var body = $$$"""
            { "workflow": { "name": "Dry", "module": "lead", "trigger": { "type": "record.created" }, "steps": [
                { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Hi {{ record.firstName }}", "body": "x",
                  "sendWindow": { "days": ["mon"], "start": "09:00", "end": "10:00" } } },
                { "id": "text", "action": "send_sms", "params": { "to": "{{ record.phone }}", "body": "Hi {{ record.firstName }}" } } ] },
              "event": { "type": "record.created", "module": "lead", "recordId": "DRY-1", "record": { "email": "{{{to}}}", "firstName": "Ann", "phone": "+16502530000" } } }
            """;

        var result = await (await host.Admin().PostAsync("/api/workflows/test-definition", Json.Body(body))).ReadAsync();

        var steps = result.GetProperty("steps");
        Assert.Equal("Hi Ann", steps[0].GetProperty("params").GetProperty("subject").GetString());
        Assert.Equal("09:00", steps[0].GetProperty("params").GetProperty("sendWindow").GetProperty("start").GetString());
        Assert.Equal("Hi Ann", steps[1].GetProperty("params").GetProperty("body").GetString());
        Assert.Empty(await MailDev.ReceivedByAsync(to));
    }
}
