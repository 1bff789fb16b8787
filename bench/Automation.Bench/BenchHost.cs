using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Runs;
using Automation.Api;
using Automation.DurableLocal;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Automation.Bench;

/// <summary>
/// The real host (<see cref="ApiSetup.AddAutomationApi"/>: HTTP API, runtime, in-process pollers) in this process on
/// 127.0.0.1, with a storage prefix of its own and the product's default runner settings. Events go in over HTTP
/// (<c>POST /api/events</c> with an admin key), so the measured path includes intake as a client sees it.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private BenchHost(WebApplication app, string prefix, HttpClient client)
    {
        this.app = app;
        Prefix = prefix;
        Client = client;
    }

    public string Prefix { get; }

    public HttpClient Client { get; }

    public StorageTransactionCounter Counter => app.Services.GetRequiredService<StorageTransactionCounter>();

    public AutomationStorage Storage => app.Services.GetRequiredService<AutomationStorage>();

    public static async Task<BenchHost> StartAsync(string connection)
    {
        var prefix = "bench" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));
        var adminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Automation:Storage:ConnectionString"] = connection,
            ["Automation:Storage:Prefix"] = prefix,
            ["Automation:Admin:Keys:0"] = adminKey,
            ["Automation:Runner:Pollers"] = "true",
            ["Automation:Outbound:AllowedHosts:0"] = "127.0.0.1",

            // Per-event information logs would measure the console, not the runtime.
            ["Logging:LogLevel:Default"] = "Warning",

            // The framework warns of every start message it puts back because the instance row is not written yet, a
            // routine race under a burst that would bury the figures.
            ["Logging:LogLevel:DurableTask"] = "Error",
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddAutomationApi();
        builder.AddLocalDurable();
        var app = builder.Build();
        app.UseAutomationApi();
        await app.StartAsync();
        await app.Services.GetRequiredService<AutomationStorage>().EnsureCreatedAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return new BenchHost(app, prefix, client);
    }

    /// <summary>Creates the workflow through the admin API and activates it; returns its id.</summary>
    public async Task<string> ActiveWorkflowAsync(object definition)
    {
        using var created = await Client.PostAsJsonAsync("api/workflows", definition, EngineJson.Options);
        await EnsureAsync(created, HttpStatusCode.Created);
        using var doc = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = doc.RootElement.GetProperty("id").GetString()!;
        using var activated = await Client.PostAsync(new Uri($"api/workflows/{id}/activate", UriKind.Relative), null);
        await EnsureAsync(activated, HttpStatusCode.OK);
        return id;
    }

    /// <summary>Posts events (one request); returns when the host answered 202.</summary>
    public async Task PostEventsAsync(IReadOnlyList<BenchEvent> events)
    {
        object body = events.Count == 1 ? events[0] : events;
        using var response = await Client.PostAsJsonAsync("api/events", body, EngineJson.Options);
        await EnsureAsync(response, HttpStatusCode.Accepted);
    }

    /// <summary>Run counts by status of a workflow, from its runs list (read after the measurement, so not counted in it).</summary>
    public async Task<Dictionary<RunStatus, int>> RunStatusesAsync(string workflowId)
    {
        var runs = app.Services.GetRequiredService<RunQueries>();
        var counts = new Dictionary<RunStatus, int>();
        string? token = null;
        do
        {
            var page = await runs.ListForWorkflowAsync(workflowId, limit: 1000, continuationToken: token);
            foreach (var run in page.Items)
            {
                counts[run.Status] = counts.GetValueOrDefault(run.Status) + 1;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        var storage = Storage;
        foreach (var table in storage.Names.Tables)
        {
            await storage.TableService.DeleteTableAsync(table);
        }

        foreach (var queue in storage.Names.Queues)
        {
            await storage.QueueService.DeleteQueueAsync(queue);
        }

        await app.DisposeAsync();
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            var text = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}"));
        }
    }
}

/// <summary>An event as <c>POST /api/events</c> takes it.</summary>
public sealed record BenchEvent(string Id, string Type, string Module, string RecordId, DateTimeOffset OccurredAt, IReadOnlyDictionary<string, object?> Record);
