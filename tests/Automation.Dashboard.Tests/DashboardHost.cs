using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Dashboard.Tests;

/// <summary>
/// The real host on a real loopback port (the browser needs one), on the shared Azurite with tables and queues of its
/// own, with a webhook receiver that call_webhook steps may reach. One per test class.
/// </summary>
public class DashboardHost : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "dashboard-test-admin-key";

    public string Prefix { get; } = "d" + Guid.NewGuid().ToString("N")[..10];

    public WebhookReceiver Receiver { get; private set; } = null!;

    public Uri BaseUrl { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public DashboardHost()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        Api = new HttpClient { BaseAddress = BaseUrl };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        await SeedAsync();
    }

    /// <summary>What a test class needs stored before its tests run.</summary>
    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task<string> StatusAsync(string id) =>
        (await Api.GetFromJsonAsync<JsonObject>($"/api/workflows/{id}"))!["status"]!.GetValue<string>();

    async Task IAsyncLifetime.DisposeAsync()
    {
        Api?.Dispose();
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Automation:Admin:Keys:0", AdminKey);
        builder.UseSetting("Automation:Storage:Prefix", Prefix);
        builder.UseSetting("Automation:Outbound:AllowedHosts:0", "127.0.0.1");
        // An idle queue is polled at least every half second, so delayed work is picked up promptly.
        builder.UseSetting("Automation:Runner:PollMaxDelay", "00:00:00.500");
    }

    /// <summary>Creates a workflow through the API and returns its id.</summary>
    public async Task<string> CreateWorkflowAsync(object definition, bool activate = false)
    {
        using var response = await Api.PostAsJsonAsync("/api/workflows", definition);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Creating the workflow answered {(int)response.StatusCode}: {body}");
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        if (activate)
        {
            using var activated = await Api.PostAsync($"/api/workflows/{id}/activate", null);
            activated.EnsureSuccessStatusCode();
        }

        return id;
    }

    /// <summary>Posts one event as a CRM would (the admin key is accepted by intake).</summary>
    public async Task PostEventAsync(string module, string recordId, string type, object record, object? previous = null)
    {
        var evt = new Dictionary<string, object?>
        {
            ["id"] = "evt-" + Guid.NewGuid().ToString("N")[..12],
            ["type"] = type,
            ["module"] = module,
            ["recordId"] = recordId,
            ["occurredAt"] = DateTimeOffset.UtcNow,
            ["record"] = record,
        };
        if (previous is not null)
        {
            evt["previous"] = previous;
        }

        using var response = await Api.PostAsJsonAsync("/api/events", evt);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Posting the event answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>The next call to <paramref name="path"/> is answered 500 (later ones 200 again).</summary>
    public void FailNextCall(string path) => Receiver.Respond(path, new Reply(500, "{\"error\":\"the receiver was told to fail\"}"));

    public int Calls(string path) => Receiver.RequestsTo(path).Count;

    /// <summary>A call_webhook step that calls the receiver at <paramref name="path"/>.</summary>
    public object WebhookStep(string id, string path, object? delay = null, int maxAttempts = 1) => new Dictionary<string, object?>
    {
        ["id"] = id,
        ["action"] = "call_webhook",
        ["params"] = new { url = Receiver.Url(path), body = new { email = "{{ record.email }}" } },
        ["retry"] = new { maxAttempts },
        ["delay"] = delay,
    }.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
