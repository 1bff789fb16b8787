using System.Net;
using System.Text;
using Automation.Engine.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Host.Tests;

public sealed class IntakeApiTests(HostFactory host) : IClassFixture<HostFactory>
{
    private static string Event(string id, string recordId = "L-1") =>
        $$"""{ "id": "{{id}}", "type": "record.created", "module": "lead", "recordId": "{{recordId}}", "record": { "email": "a@example.com" } }""";

    private static HttpRequestMessage Signed(string url, string body, string secret = HostFactory.IntakeSecret, DateTimeOffset? at = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Json.Body(body) };
        request.Headers.Add(Signature.HeaderName, Signature.Create(secret, at ?? DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes(body)));
        return request;
    }

    [Fact]
    public async Task An_event_no_trigger_listens_for_is_accepted_and_the_answer_says_so()
    {
        var body = """
            [ { "id": "ev-lead-created", "type": "lead.created", "module": "lead", "recordId": "L-9" },
              { "id": "ev-lead-created-rec", "type": "lead.created", "module": "lead", "recordId": "L-9", "record": { "email": "a@example.com" } },
              { "id": "ev-normal", "type": "record.created", "module": "lead", "recordId": "L-9", "record": {} } ]
            """;

        var response = await host.Admin().PostAsync("/api/events", Json.Body(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.ReadAsync();
        Assert.Equal(3, answer.GetProperty("accepted").GetArrayLength());
        var unmatched = Assert.Single(answer.GetProperty("unmatched").EnumerateArray());
        Assert.Equal("ev-lead-created", unmatched.GetProperty("id").GetString());
        Assert.Contains("never start a run", unmatched.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("Did you mean 'record.created'", unmatched.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var note = Assert.Single(answer.GetProperty("notes").EnumerateArray());
        Assert.Equal("ev-lead-created-rec", note.GetProperty("id").GetString());
        Assert.Contains("only change triggers", note.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_event_is_accepted_with_202_and_its_id()
    {
        var response = await host.CreateClient().SendAsync(Signed("/api/events", Event("ev-signed-1")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.ReadAsync();
        Assert.Equal("ev-signed-1", answer.GetProperty("accepted")[0].GetString());
        Assert.Equal(0, answer.GetProperty("duplicates").GetArrayLength());
    }

    [Fact]
    public async Task An_event_id_seen_before_is_answered_as_a_duplicate()
    {
        var client = host.Admin();
        await client.PostAsync("/api/events", Json.Body(Event("ev-dup-1")));

        var again = await (await client.PostAsync("/api/events", Json.Body($"[{Event("ev-dup-1")}, {Event("ev-dup-2", "L-2")}]"))).ReadAsync();

        Assert.Equal(["ev-dup-2"], again.GetProperty("accepted").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["ev-dup-1"], again.GetProperty("duplicates").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_id_accept_it_exactly_once()
    {
        var client = host.Admin();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            await (await client.PostAsync("/api/events", Json.Body(Event("ev-race-1", "L-race")))).ReadAsync()));

        Assert.Equal(1, answers.Sum(a => a.GetProperty("accepted").GetArrayLength()));
        Assert.Equal(7, answers.Sum(a => a.GetProperty("duplicates").GetArrayLength()));
    }

    [Theory]
    [InlineData("wrong-secret", 0)]
    [InlineData(HostFactory.IntakeSecret, -301)]
    [InlineData(HostFactory.IntakeSecret, 301)]
    public async Task A_wrong_or_stale_signature_gets_401_and_queues_nothing(string secret, int skewSeconds)
    {
        var id = $"ev-unauth-{Guid.NewGuid():N}";
        var response = await host.CreateClient().SendAsync(Signed("/api/events", Event(id), secret, DateTimeOffset.UtcNow.AddSeconds(skewSeconds)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // Nothing was recorded: the same id is new when it finally arrives signed.
        var accepted = await (await host.CreateClient().SendAsync(Signed("/api/events", Event(id)))).ReadAsync();
        Assert.Equal(id, accepted.GetProperty("accepted")[0].GetString());
    }

    [Fact]
    public async Task A_signature_over_another_body_is_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Json.Body(Event("ev-tampered")) };
        request.Headers.Add(Signature.HeaderName, Signature.Create(HostFactory.IntakeSecret, DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes(Event("ev-original"))));

        var response = await host.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task No_signature_and_no_key_gets_401()
    {
        var response = await host.CreateClient().PostAsync("/api/events", Json.Body(Event("ev-anon")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_malformed_event_in_a_batch_gets_400_naming_its_field_and_nothing_is_queued()
    {
        var client = host.Admin();
        var bad = $$"""[{{Event("ev-batch-ok")}}, { "id": "ev-batch-bad", "type": "record.created", "module": "lead" }]""";

        var response = await client.PostAsync("/api/events", Json.Body(bad));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.ReadAsync()).ErrorsAt("[1].recordId"));
        var later = await (await client.PostAsync("/api/events", Json.Body(Event("ev-batch-ok")))).ReadAsync();
        Assert.Equal(1, later.GetProperty("accepted").GetArrayLength());
    }

    [Fact]
    public async Task More_than_100_events_in_one_request_is_refused()
    {
        var events = string.Join(",", Enumerable.Range(0, 101).Select(i => Event($"ev-many-{i}", $"L-{i}")));

        var response = await host.Admin().PostAsync("/api/events", Json.Body($"[{events}]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("100", Assert.Single((await response.ReadAsync()).ErrorsAt("$")));
    }

    [Fact]
    public async Task A_hook_body_becomes_a_webhook_event_and_its_delivery_id_dedupes_it()
    {
        var client = host.Admin();
        var request = () =>
        {
            var r = new HttpRequestMessage(HttpMethod.Post, "/api/hooks/typeform?module=lead&recordId=L-9") { Content = Json.Body("""{ "answers": [1, 2] }""") };
            r.Headers.Add("Idempotency-Key", "delivery-77");
            return r;
        };

        var first = await (await client.SendAsync(request())).ReadAsync();
        var second = await (await client.SendAsync(request())).ReadAsync();

        Assert.Equal("hook:typeform:delivery-77", first.GetProperty("accepted")[0].GetString());
        Assert.Equal("hook:typeform:delivery-77", second.GetProperty("duplicates")[0].GetString());
    }

    [Fact]
    public async Task A_hook_needs_both_module_and_record_id_or_neither()
    {
        var response = await host.Admin().PostAsync("/api/hooks/typeform?module=lead", Json.Body("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEmpty((await response.ReadAsync()).ErrorsAt("recordId"));
    }

    [Fact]
    public async Task Health_reports_storage_reachable()
    {
        var health = await (await host.CreateClient().GetAsync("/health")).ReadAsync();

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("tables").GetBoolean());
        Assert.True(health.GetProperty("queues").GetBoolean());
    }
}

/// <summary>An event near the documented 900 KB limit, through the HTTP API: 202, and it is stored.</summary>
public sealed class LargeIntakeApiTests(HostFactory host) : IClassFixture<HostFactory>
{
    [Fact]
    public async Task An_850_kb_event_is_answered_202_and_is_stored_whole()
    {
        using var large = host.WithWebHostBuilder(b => b.UseSetting("Automation:Http:MaxBodyBytes", "1048576"));
        var client = large.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HostFactory.AdminKey);
        var notes = new string('n', 850 * 1024);
        var body = $$"""{ "id": "big-http", "type": "record.created", "module": "lead", "recordId": "BIG-HTTP", "record": { "notes": "{{notes}}" } }""";

        var response = await client.PostAsync("/api/events", Json.Body(body));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var storage = large.Services.GetRequiredService<Automation.Runtime.Storage.AutomationStorage>();
        var partition = Automation.Runtime.Storage.Keys.RecordPartition("lead", "BIG-HTTP");
        var row = Automation.Runtime.Records.EventRow.From(
            (await storage.Records.GetEntityAsync<Azure.Data.Tables.TableEntity>(partition, Automation.Runtime.Storage.Keys.EventRow("big-http"))).Value);
        var whole = await Automation.Runtime.Records.EventBlobs.FillAsync(storage.Records, row, CancellationToken.None);
        Assert.Equal(notes.Length, whole.Event.Record!.Value.GetProperty("notes").GetString()!.Length);
    }
}
