using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Automation.Runtime.Crm.HubSpot;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests;

/// <summary>HubSpot's webhooks in: signed batches become our events, the records read back from HubSpot's API.</summary>
public sealed class HubSpotHooksTests(HostFactory factory) : IClassFixture<HostFactory>, IAsyncLifetime
{
    private const string Secret = "hubspot-client-secret";
    private const string Url = "http://localhost/api/hooks/hubspot";

    private HubSpotServer hubspot = null!;
    private WebApplicationFactory<Program> host = null!;

    public async Task InitializeAsync()
    {
        hubspot = await HubSpotServer.StartAsync();
        host = factory.WithWebHostBuilder(b => b
            .UseSetting("Automation:HubSpot:ClientSecret", Secret)
            .UseSetting("Automation:HubSpot:AccessToken", HubSpotServer.AccessToken)
            .UseSetting("Automation:HubSpot:BaseUrl", hubspot.BaseUrl + "/")
            .UseSetting("Automation:HubSpot:PortalId", "62515"));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await hubspot.DisposeAsync();
    }

    private HttpClient Admin()
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HostFactory.AdminKey);
        return client;
    }

    private static string Item(long eventId, string subscription, string objectId, string? property = null, string? value = null, long portal = 62515) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["eventId"] = eventId, ["subscriptionId"] = 4242, ["portalId"] = portal, ["appId"] = 1160452,
            ["occurredAt"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), ["subscriptionType"] = subscription, ["attemptNumber"] = 0,
            ["objectId"] = long.Parse(objectId, CultureInfo.InvariantCulture), ["changeSource"] = "CRM", ["propertyName"] = property, ["propertyValue"] = value,
        });

    private async Task<HttpResponseMessage> PostAsync(string body, DateTimeOffset? at = null, string secret = Secret)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/hubspot") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-HubSpot-Request-Timestamp", timestamp);
        request.Headers.Add("X-HubSpot-Signature-v3", HubSpotSignature.Sign(secret, "POST", Url, body, timestamp));
        return await host.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task A_deal_moving_to_a_stage_enrolls_the_stage_workflow_with_the_whole_record_and_a_retry_is_a_duplicate()
    {
        var dealId = Random.Shared.NextInt64(10_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var created = await Admin().PostAsync("/api/workflows", Json.Body("""
            { "name": "Won deals", "module": "opportunity", "status": "active", "trigger": { "type": "stage.entered", "stage": "closedwon" },
              "steps": [ { "id": "note", "action": "add_note", "params": { "body": "{{ record.name }} won for {{ record.amount }}" } } ] }
            """));
        var workflow = await created.ReadAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, workflow.ToString());
        var workflowId = workflow.GetProperty("id").GetString()!;
        hubspot.Set("deals", dealId, new() { ["dealname"] = "Acme renewal", ["dealstage"] = "appointmentscheduled", ["amount"] = "5000", ["pipeline"] = "default", ["hubspot_owner_id"] = "77" });

        var creation = await PostAsync($"[{Item(1001, "deal.creation", dealId)}]");
        await Eventually.GetAsync(async () => (await Admin().GetAsync($"/api/records/opportunity/{dealId}")).StatusCode, s => s == HttpStatusCode.OK, "the deal stored");
        hubspot.Set("deals", dealId, new() { ["dealname"] = "Acme renewal", ["dealstage"] = "closedwon", ["amount"] = "5000", ["pipeline"] = "default", ["hubspot_owner_id"] = "77" });
        var change = $"[{Item(1002, "deal.propertyChange", dealId, "dealstage", "closedwon")}]";
        var moved = await PostAsync(change);
        var again = await PostAsync(change);

        Assert.Equal(HttpStatusCode.Accepted, creation.StatusCode);
        Assert.Equal(["hubspot-1001"], (await creation.ReadAsync()).GetProperty("accepted").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.Accepted, moved.StatusCode);
        Assert.Equal(["hubspot-1002"], (await again.ReadAsync()).GetProperty("duplicates").EnumerateArray().Select(e => e.GetString()));
        var runs = await Eventually.GetAsync(
            async () => (await (await Admin().GetAsync($"/api/workflows/{workflowId}/runs?recordId={dealId}")).ReadAsync()).GetProperty("items"),
            items => items.GetArrayLength() > 0 && items[0].GetProperty("status").GetString() == "succeeded",
            "the won deal's run");
        Assert.Equal(1, runs.GetArrayLength());
        var record = (await (await Admin().GetAsync($"/api/records/opportunity/{dealId}")).ReadAsync()).GetProperty("record").GetProperty("fields");
        Assert.Equal("closedwon", record.GetProperty("stage").GetString());
        Assert.Equal("Acme renewal", record.GetProperty("name").GetString());
        Assert.Equal("77", record.GetProperty("ownerId").GetString());
        Assert.Equal(dealId, record.GetProperty("hubspotId").GetString());
        var read = hubspot.Requests.Last(r => r.Path == "/crm/v3/objects/deals/batch/read");
        Assert.Contains("\"dealstage\"", read.Body, StringComparison.Ordinal);
    }

    /// <summary>A deal in HubSpot moving to a stage, and the stage workflow's steps as they reach HubSpot.</summary>
    private async Task<(string DealId, JsonElement Run)> WonDealAsync(string steps, Action? beforeTheRun = null)
    {
        var dealId = Random.Shared.NextInt64(10_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var stage = "won-" + dealId;  // a stage of its own, so no other test's workflow enrolls this deal
        var created = await Admin().PostAsync("/api/workflows", Json.Body($$"""
            { "name": "Won deal follow-up", "module": "opportunity", "status": "active", "trigger": { "type": "stage.entered", "stage": "{{stage}}" },
              "steps": {{steps}} }
            """));
        var workflowId = (await created.ReadAsync()).GetProperty("id").GetString()!;
        hubspot.Set("deals", dealId, new() { ["dealname"] = "Globex", ["dealstage"] = stage, ["amount"] = "900", ["hubspot_owner_id"] = "77" });
        var moved = await PostAsync($"[{Item(Random.Shared.NextInt64(1, long.MaxValue), "deal.propertyChange", dealId, "dealstage", stage)}]");
        Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        beforeTheRun?.Invoke();
        var runs = await Eventually.GetAsync(
            async () => (await (await Admin().GetAsync($"/api/workflows/{workflowId}/runs?recordId={dealId}")).ReadAsync()).GetProperty("items"),
            items => items.GetArrayLength() > 0 && items[0].GetProperty("status").GetString() is "succeeded" or "failed",
            "the won deal's run");
        var runId = runs[0].GetProperty("runId").GetString()!;
        return (dealId, await (await Admin().GetAsync($"/api/runs/{runId}")).ReadAsync());
    }

    [Fact]
    public async Task The_stage_workflow_creates_a_hubspot_task_on_the_deal_for_its_owner_and_writes_the_field_back_after_waiting_out_a_429()
    {
        var (dealId, run) = await WonDealAsync("""
            [ { "id": "task", "action": "create_task", "params": { "title": "Kick-off call with {{ record.name }}", "dueInDays": 2 } },
              { "id": "flag", "action": "update_field", "params": { "fields": { "handoff": "ready" } } } ]
            """,
            () => hubspot.FailNext(new Answer(429, """{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}""",
                Headers: new Dictionary<string, string> { ["Retry-After"] = "1" })));

        Assert.Equal("succeeded", run.GetProperty("run").GetProperty("status").GetString());
        var (taskId, task) = Assert.Single(hubspot.Objects("tasks"));
        Assert.Equal("Kick-off call with Globex", task["hs_task_subject"]);
        Assert.Equal("77", task["hubspot_owner_id"]);
        Assert.Equal("NOT_STARTED", task["hs_task_status"]);
        Assert.StartsWith(DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), task["hs_timestamp"], StringComparison.Ordinal);
        Assert.Equal((dealId, 216), Assert.Single(hubspot.AssociationsOf("tasks", taskId)));
        Assert.Equal(2, hubspot.Requests.Count(r => r.Method == "POST" && r.Path == "/crm/v3/objects/tasks"));
        var patch = Assert.Single(hubspot.Requests, r => r.Method == "PATCH");
        Assert.Equal($"/crm/v3/objects/deals/{dealId}", patch.Path);
        Assert.Equal("""{"properties":{"handoff":"ready"}}""", patch.Body);
        Assert.Equal("ready", hubspot.Objects("deals").Single(d => d.Id == dealId).Properties["handoff"]);
        var steps = run.GetProperty("steps");
        var taskStep = steps.EnumerateArray().Last(s => s.GetProperty("stepId").GetString() == "task").GetProperty("output");
        Assert.Equal("hubspot", taskStep.GetProperty("crm").GetProperty("crm").GetString());
        Assert.Equal(taskId, taskStep.GetProperty("crm").GetProperty("id").GetString());
        Assert.Equal(taskId, taskStep.GetProperty("fields").GetProperty("hubspotId").GetString());
        var flagStep = steps.EnumerateArray().Last(s => s.GetProperty("stepId").GetString() == "flag").GetProperty("output");
        Assert.Equal(dealId, flagStep.GetProperty("crm").GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_found_in_hubspot_on_the_retry_and_not_made_twice()
    {
        var (dealId, run) = await WonDealAsync("""
            [ { "id": "task", "action": "create_task", "params": { "title": "Send the contract" },
                "retry": { "maxAttempts": 3, "initialIntervalSeconds": 1 } } ]
            """,
            () => hubspot.LoseNextCreateAnswer = true);

        Assert.Equal("succeeded", run.GetProperty("run").GetProperty("status").GetString());
        var (taskId, _) = Assert.Single(hubspot.Objects("tasks"));
        Assert.Equal(1, hubspot.Requests.Count(r => r.Method == "POST" && r.Path == "/crm/v3/objects/tasks"));
        var search = Assert.Single(hubspot.Requests, r => r.Path == "/crm/v3/objects/tasks/search");
        Assert.Contains($"\"associations.deal\"", search.Body, StringComparison.Ordinal);
        Assert.Contains(dealId, search.Body, StringComparison.Ordinal);
        var output = run.GetProperty("steps").EnumerateArray().Last().GetProperty("output");
        Assert.Equal(taskId, output.GetProperty("crm").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Assigning_an_owner_writes_hubspot_owner_id_and_names_the_owner_as_hubspot_knows_them()
    {
        hubspot.SetOwner("88", "Grace", "Hopper", "grace@example.com");
        var (dealId, run) = await WonDealAsync("""
            [ { "id": "assign", "action": "assign_owner", "params": { "strategy": "fixed", "ownerId": "88" } } ]
            """);

        Assert.Equal("succeeded", run.GetProperty("run").GetProperty("status").GetString());
        var patch = Assert.Single(hubspot.Requests, r => r.Method == "PATCH");
        Assert.Equal($"/crm/v3/objects/deals/{dealId}", patch.Path);
        Assert.Equal("""{"properties":{"hubspot_owner_id":"88"}}""", patch.Body);
        var owner = run.GetProperty("steps").EnumerateArray().Last().GetProperty("output").GetProperty("owner");
        Assert.Equal("Grace Hopper", owner.GetProperty("name").GetString());
        Assert.Equal("grace@example.com", owner.GetProperty("email").GetString());
        Assert.Equal("hubspot", owner.GetProperty("crm").GetString());
        Assert.Single(hubspot.Requests, r => r.Method == "GET" && r.Path == "/crm/v3/owners/88");
    }

    [Fact]
    public async Task A_bad_or_stale_signature_is_refused_and_nothing_is_read_or_accepted()
    {
        var body = $"[{Item(2001, "contact.creation", "501")}]";

        var wrongSecret = await PostAsync(body, secret: "not-the-secret");
        var stale = await PostAsync(body, at: DateTimeOffset.UtcNow.AddMinutes(-6));
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/hubspot") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var none = await host.CreateClient().SendAsync(unsigned);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Contains("does not match", (await wrongSecret.ReadAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains("5 minutes", (await stale.ReadAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Empty(hubspot.Requests);
    }

    [Fact]
    public async Task Items_of_another_portal_or_subscription_are_ignored_and_hubspot_down_asks_for_the_batch_again()
    {
        hubspot.Set("contacts", "601", new() { ["email"] = "ann@example.com", ["firstname"] = "Ann", ["lifecyclestage"] = "lead" });
        var mixed = await PostAsync($"[{Item(3001, "contact.creation", "601")},{Item(3002, "contact.creation", "602", portal: 999)},{Item(3003, "contact.associationChange", "601")}]");
        hubspot.FailNext(HubSpotServer.Error(502, "Bad gateway", "INTERNAL_ERROR"));
        var down = await PostAsync($"[{Item(3004, "contact.propertyChange", "601", "email", "ann@new.example")}]");

        Assert.Equal(HttpStatusCode.Accepted, mixed.StatusCode);
        var answer = await mixed.ReadAsync();
        Assert.Equal(["hubspot-3001"], answer.GetProperty("accepted").EnumerateArray().Select(e => e.GetString()));
        var ignored = answer.GetProperty("ignored").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Contains(ignored, i => i.StartsWith("[1]: it is from portal 999", StringComparison.Ordinal));
        Assert.Contains(ignored, i => i.StartsWith("[2]: subscription 'contact.associationChange'", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Contains("HubSpot answered 502", (await down.ReadAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
