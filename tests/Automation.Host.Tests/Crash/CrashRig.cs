using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Automation.Runtime.Storage;
using Xunit.Abstractions;

namespace Automation.Host.Tests.Crash;

/// <summary>
/// What one crash test owns: the host as a child process on a storage prefix of its own (and so a task hub of its
/// own: nothing else's runs or workers share its queues and leases), the receiver its webhooks reach, and the host's
/// API as the test reads it. <see cref="DisposeAsync"/> kills the host and deletes the prefix's storage.
/// </summary>
public sealed class CrashRig : IAsyncDisposable
{
    public const string Module = "lead";
    private const string AdminKey = "crash-test-admin-key-0123456789";
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How long the queue messages a killed worker had taken (activities, orchestration messages) stay hidden before
    /// another worker takes them: 10 s instead of the product's 30 s, so that these tests are quick. Still safe for
    /// their steps: the framework renews a running activity's visibility every 5 s whatever the timeout.
    /// </summary>
    public static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper output;
    private readonly IReadOnlyDictionary<string, string> settings;
    private HostProcess? host;

    private CrashRig(ITestOutputHelper output, CrashReceiver receiver, IReadOnlyDictionary<string, string> settings)
    {
        this.output = output;
        this.settings = settings;
        Receiver = receiver;
    }

    public string Prefix { get; } = "crash" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The task hub: named after the prefix, as tables spell it (the default).</summary>
    public string Hub => new StorageNames(Prefix).TablePrefix;

    public CrashReceiver Receiver { get; }

    /// <summary>The exit code of each killed host: 137 (128 + 9) says SIGKILL ended it and no shutdown code ran.</summary>
    public List<int> ExitCodes { get; } = [];

    private HttpClient Admin => host?.Admin ?? throw new InvalidOperationException("The host is not started.");

    /// <param name="settings">The host's configuration beyond the rig's (<c>Automation__Durable__...</c>, say).</param>
    public static async Task<CrashRig> StartAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string>? settings = null)
    {
        var rig = new CrashRig(output, await CrashReceiver.StartAsync(), settings ?? new Dictionary<string, string>());
        await rig.StartHostAsync();
        return rig;
    }

    /// <summary>
    /// SIGKILL, the host stays down for <paramref name="down"/>, then a new process on the same storage, with
    /// <paramref name="restart"/> on top of the rig's settings. Returns when the new one was started (before it
    /// answered /health), which is what resume times are measured from.
    /// </summary>
    public async Task<DateTimeOffset> KillAndRestartAsync(TimeSpan? down = null, IReadOnlyDictionary<string, string>? restart = null)
    {
        var dying = host!;
        dying.Kill();
        ExitCodes.Add(dying.ExitCode);
        dying.Dispose();
        host = null;
        if (down is { } wait)
        {
            await Task.Delay(wait);
        }

        var restarted = DateTimeOffset.UtcNow;
        await StartHostAsync(restart);
        output.WriteLine($"restarted: /health answered {Seconds(restarted, DateTimeOffset.UtcNow)} after the new process started");
        return restarted;
    }

    public static string Seconds(DateTimeOffset from, DateTimeOffset to) => $"{(to - from).TotalSeconds:0.0} s";

    /// <summary>Saves and activates a workflow of webhook steps (null delay: none); returns its id.</summary>
    public async Task<string> CreateWorkflowAsync(params (string Step, string? DelayUntil)[] steps)
    {
        var definition = new
        {
            name = "Crash test",
            module = Module,
            trigger = new { type = "record.created" },
            steps = steps.Select(s => s.DelayUntil is { } until
                ? (object)new { id = s.Step, action = "call_webhook", delay = new { until }, @params = new { url = Receiver.Url(s.Step) } }
                : new { id = s.Step, action = "call_webhook", @params = new { url = Receiver.Url(s.Step) } }).ToArray(),
        };
        using var created = await Admin.PostAsJsonAsync("api/workflows", definition);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadAsync()).GetProperty("id").GetString()!;
        using var activated = await Admin.PostAsync(new Uri($"api/workflows/{id}/activate", UriKind.Relative), null);
        Assert.True(activated.StatusCode == HttpStatusCode.OK, await activated.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>Posts one <c>record.created</c> per record; returns the run id each will have (derived as the runtime derives it).</summary>
    public async Task<string[]> PostAsync(string workflowId, params (string RecordId, object Record)[] records)
    {
        var events = records.Select(r => new
        {
            id = EventId(r.RecordId),
            type = "record.created",
            module = Module,
            recordId = r.RecordId,
            occurredAt = DateTimeOffset.UtcNow,
            record = r.Record,
        }).ToArray();
        using var response = await Admin.PostAsJsonAsync("api/events", events);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return [.. records.Select(r => Keys.RunId(Keys.RecordPartition(Module, r.RecordId), EventId(r.RecordId), workflowId))];
    }

    /// <summary><c>GET /api/runs/{id}</c>: the run and its step logs; null while the run does not exist yet.</summary>
    public async Task<JsonElement?> RunAsync(string runId)
    {
        using var response = await Admin.GetAsync(new Uri($"api/runs/{runId}", UriKind.Relative));
        return response.StatusCode == HttpStatusCode.OK ? await response.ReadAsync() : null;
    }

    /// <summary><c>GET /api/workflows/{id}/runs</c>: the runs list (the run index), one page of up to 1000.</summary>
    public async Task<JsonElement[]> ListAsync(string workflowId)
    {
        using var response = await Admin.GetAsync(new Uri($"api/workflows/{workflowId}/runs?limit=1000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadAsync()).GetProperty("items").EnumerateArray()];
    }

    /// <summary><c>GET /api/workflows/{id}/stats</c>.</summary>
    public async Task<JsonElement> StatsAsync(string workflowId)
    {
        using var response = await Admin.GetAsync(new Uri($"api/workflows/{workflowId}/stats", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync();
    }

    /// <summary>Polls the run until <paramref name="done"/> holds for it; fails after <see cref="WaitLimit"/> with the host's last lines.</summary>
    public async Task<JsonElement> WaitForRunAsync(string runId, Func<JsonElement, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await RunAsync(runId);
            if (run is { } r && done(r))
            {
                return r;
            }

            if (clock.Elapsed > WaitLimit)
            {
                Assert.Fail($"Waited {WaitLimit.TotalSeconds:0} s for {what} of {runId}; the run: {run?.GetProperty("run")}{Environment.NewLine}its orchestration: {await OrchestrationAsync(runId)}{Environment.NewLine}{host?.Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary><c>GET /api/runs/{id}/orchestration</c> as text, for failure messages: where the task hub says the run is.</summary>
    public async Task<string> OrchestrationAsync(string runId)
    {
        using var response = await Admin.GetAsync(new Uri($"api/runs/{runId}/orchestration", UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Waits for each run to succeed; returns them with their step logs.</summary>
    public async Task<List<JsonElement>> WaitForSuccessAsync(IEnumerable<string> runIds)
    {
        var runs = new List<JsonElement>();
        foreach (var runId in runIds)
        {
            runs.Add(await WaitForRunAsync(runId, r => r.GetProperty("run").GetProperty("status").GetString() == "succeeded", "success"));
        }

        return runs;
    }

    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < WaitLimit, $"Waited {WaitLimit.TotalSeconds:0} s for {what}.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        host?.Dispose();
        await Receiver.DisposeAsync();
        await CrashStorage.DeleteAsync(Prefix, Hub);
    }

    private string EventId(string recordId) => $"evt-{Prefix}-{recordId}";

    private async Task StartHostAsync(IReadOnlyDictionary<string, string>? restart = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Automation__Storage__ConnectionString"] = "UseDevelopmentStorage=true",
            ["Automation__Storage__Prefix"] = Prefix,
            ["Automation__Outbound__AllowedHosts__0"] = "127.0.0.1",
            ["Automation__Runner__Pollers"] = "true",
            ["Automation__Runner__PollMaxDelay"] = "00:00:01",
            ["Automation__Durable__WorkItemVisibilityTimeout"] = VisibilityTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Automation__Durable__ControlQueueVisibilityTimeout"] = VisibilityTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (name, value) in settings.Concat(restart ?? new Dictionary<string, string>()))
        {
            environment[name] = value;
        }

        host = await HostProcess.StartAsync(AdminKey, environment);
    }
}
