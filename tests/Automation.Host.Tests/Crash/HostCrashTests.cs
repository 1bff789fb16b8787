using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Automation.Runtime.Storage;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Xunit.Abstractions;

namespace Automation.Host.Tests.Crash;

/// <summary>
/// Invariants 1, 2 and 3 across real crashes: the host runs as a process of its own and is killed with SIGKILL at
/// varied points of runs of four webhook steps with delays, then started again on the same storage. In the end every
/// run has succeeded; each step's effect reached the receiver under one <c>Idempotency-Key</c> per attempt the step log
/// shows (the same key may arrive twice: that is what it is for), no step is missing, and each run's requests came in
/// step order. Needs Azurite on 127.0.0.1:10001-10002 (scripts/start-azurite.sh, as every host test).
/// </summary>
public sealed class HostCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminKey = "crash-test-admin-key-0123456789";
    private const string Module = "lead";
    private static readonly string[] StepIds = ["one", "two", "three", "four"];

    /// <summary>
    /// Short, so that a killed host's runs and messages come back within seconds: the lease is also how long a received
    /// message stays invisible. Everything else is the product's default.
    /// </summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(90);

    private readonly string prefix = "crash" + Guid.NewGuid().ToString("N")[..10];
    private readonly List<string> recordIds = [];
    private readonly List<(string Point, int ExitCode)> kills = [];
    private CrashReceiver receiver = null!;
    private HostProcess? host;
    private string? workflowId;

    public async Task InitializeAsync() => receiver = await CrashReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        host?.Dispose();
        await receiver.DisposeAsync();
        await DeleteStorageAsync();
    }

    [Fact]
    public async Task Runs_killed_at_any_point_all_finish_with_each_step_effect_received_once_and_in_order()
    {
        await StartHostAsync();
        workflowId = await CreateWorkflowAsync();

        // Right after intake: every event was answered 202, and the host dies before it could do much with them.
        var a = Events("a", 4);
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(a));
        await KillAndRestartAsync("right after intake answered 202");

        // In the middle of the runs: after a few webhook effects.
        var b = Events("b", 4);
        var seen = receiver.Count;
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(b));
        await WaitForAsync(() => receiver.Count >= seen + 3, "3 more webhook requests");
        await KillAndRestartAsync("after 3 more webhook requests");

        // During a delay: runs did step one and wait before step two; the host stays down until the wake-ups are due.
        var c = Events("c", 4);
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(c));
        await WaitForAsync(() => Reached("c", "one") >= 3, "step one of 3 runs of batch c");
        await KillAndRestartAsync("during the delay before step two", down: TimeSpan.FromSeconds(3));

        // Between effect and checkpoint: a step-three request has reached the receiver, which holds the answer while
        // the host is killed. The step was done but not checkpointed, so it must be sent again with the same key.
        var held = receiver.HoldNext("three");
        var d = Events("d", 4);
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(d));
        var heldHit = await held.WaitAsync(WaitLimit);
        await KillAndRestartAsync("while a step-three request was in flight", beforeRestart: receiver.Release);

        // During intake: the host dies while a request of events is in flight. A client that got no 202 sends the same
        // events again; whichever of them were queued before the crash are duplicates, none is lost or doubled.
        var e = Events("e", 4);
        var inFlight = PostAsync(e);
        await KillAndRestartAsync("while events were being posted");
        _ = await inFlight;
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(e));

        // During recovery: the restarted host is killed again once it has resumed some work.
        seen = receiver.Count;
        await WaitForAsync(() => receiver.Count >= seen + 2, "2 more webhook requests after the restart");
        await KillAndRestartAsync("during recovery, after 2 more webhook requests");

        var runs = await WaitForRunsToEndAsync();
        var hits = receiver.Hits;

        Assert.Equal(6, kills.Count);
        Assert.All(kills, k => Assert.Equal(137, k.ExitCode)); // 128 + 9: SIGKILL, no shutdown code ran.
        Assert.Equal(recordIds.Count, runs.Count);
        foreach (var (recordId, run) in runs)
        {
            var runId = run.GetProperty("run").GetProperty("runId").GetString()!;
            Assert.True(run.GetProperty("run").GetProperty("workflowId").GetString() == workflowId, $"{recordId}: run of another workflow");
            Assert.True(run.GetProperty("run").GetProperty("status").GetString() == "succeeded", $"{recordId}: {run}");
            var logs = run.GetProperty("steps").EnumerateArray().ToArray();
            var succeeded = logs.Where(l => l.GetProperty("status").GetString() == "succeeded").Select(l => l.GetProperty("stepId").GetString()).ToArray();
            Assert.Equal(StepIds, succeeded);

            var mine = hits.Where(h => h.RunId == runId).ToArray();
            foreach (var step in StepIds)
            {
                var attempts = logs.Where(l => l.GetProperty("stepId").GetString() == step)
                    .Select(l => $"{runId}:{step}:{l.GetProperty("attempt").GetInt32().ToString(CultureInfo.InvariantCulture)}")
                    .ToHashSet();
                var keys = mine.Where(h => h.StepId == step).Select(h => h.Key).ToHashSet();
                Assert.True(attempts.SetEquals(keys), $"{runId} step {step}: keys received [{string.Join(", ", keys)}], attempts logged [{string.Join(", ", attempts)}]");
            }

            var order = mine.Select(h => Array.IndexOf(StepIds, h.StepId)).ToArray();
            Assert.True(order.SequenceEqual(order.Order()), $"{runId}: requests out of step order: {string.Join(", ", mine.Select(h => h.StepId))}");
        }

        var gaps = runs.Values.Select(r => Gap(r, "one", "two")).Order().ToArray();
        output.WriteLine($"wait before step two: {gaps[0]:0.0} s to {gaps[^1]:0.0} s");
        output.WriteLine($"{runs.Count} runs, {hits.Count} webhook requests, {hits.GroupBy(h => h.Key).Count(g => g.Count() > 1)} keys received more than once");
        foreach (var (point, exitCode) in kills)
        {
            output.WriteLine($"killed {point}: exit code {exitCode}");
        }

        // The in-flight step was sent again under its key after the restart: the crash landed between effect and checkpoint.
        Assert.True(hits.Count(h => h.Key == heldHit.Key) >= 2, $"{heldHit.Key} was received once; the kill did not land between effect and checkpoint.");
    }

    private HttpClient Admin => host?.Admin ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>Seconds from the end of step <paramref name="from"/> to the first start of step <paramref name="to"/>, from the step logs.</summary>
    private static double Gap(JsonElement run, string from, string to)
    {
        var logs = run.GetProperty("steps").EnumerateArray().ToArray();
        var ended = logs.First(l => l.GetProperty("stepId").GetString() == from && l.GetProperty("status").GetString() == "succeeded").GetProperty("endedAt").GetDateTimeOffset();
        var started = logs.First(l => l.GetProperty("stepId").GetString() == to).GetProperty("startedAt").GetDateTimeOffset();
        return (started - ended).TotalSeconds;
    }

    private async Task StartHostAsync()
    {
        host?.Dispose();
        host = await HostProcess.StartAsync(AdminKey, new Dictionary<string, string>
        {
            ["Automation__Storage__ConnectionString"] = "UseDevelopmentStorage=true",
            ["Automation__Storage__Prefix"] = prefix,
            ["Automation__Outbound__AllowedHosts__0"] = "127.0.0.1",
            ["Automation__Runner__Pollers"] = "true",
            ["Automation__Runner__LeaseDuration"] = Lease.ToString("c", CultureInfo.InvariantCulture),
            ["Automation__Runner__PollMaxDelay"] = "00:00:01",
            ["Automation__Runner__FailedMessageBackoff"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Warning",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        });
    }

    private async Task KillAndRestartAsync(string point, TimeSpan? down = null, Action? beforeRestart = null)
    {
        var dying = host!;
        dying.Kill();
        kills.Add((point, dying.ExitCode));
        beforeRestart?.Invoke();
        if (down is { } wait)
        {
            await Task.Delay(wait);
        }

        await StartHostAsync();
    }

    /// <summary>Four webhook steps; steps two and four wait about two seconds first (the delay is rendered from <c>now</c>).</summary>
    private async Task<string> CreateWorkflowAsync()
    {
        var definition = new
        {
            name = "Crash test",
            module = Module,
            trigger = new { type = "record.created" },
            steps = new object[]
            {
                new { id = "one", action = "call_webhook", @params = new { url = receiver.Url("one") } },
                new { id = "two", action = "call_webhook", delay = new { until = "{{ now | add_minutes: 0.04 }}" }, @params = new { url = receiver.Url("two") } },
                new { id = "three", action = "call_webhook", @params = new { url = receiver.Url("three") } },
                new { id = "four", action = "call_webhook", delay = new { until = "{{ now | add_minutes: 0.03 }}" }, @params = new { url = receiver.Url("four") } },
            },
        };
        using var created = await Admin.PostAsJsonAsync("api/workflows", definition);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadAsync()).GetProperty("id").GetString()!;
        using var activated = await Admin.PostAsync(new Uri($"api/workflows/{id}/activate", UriKind.Relative), null);
        Assert.True(activated.StatusCode == HttpStatusCode.OK, await activated.Content.ReadAsStringAsync());
        return id;
    }

    private object[] Events(string batch, int count)
    {
        var events = new object[count];
        for (var i = 0; i < count; i++)
        {
            var recordId = $"{batch}{i}";
            recordIds.Add(recordId);
            events[i] = new
            {
                id = EventId(recordId),
                type = "record.created",
                module = Module,
                recordId,
                occurredAt = DateTimeOffset.UtcNow,
                record = new { name = "Crash " + recordId },
            };
        }

        return events;
    }

    /// <summary>The status the host answered, or null when it answered nothing (it died meanwhile).</summary>
    private async Task<HttpStatusCode?> PostAsync(object[] events)
    {
        try
        {
            using var response = await Admin.PostAsJsonAsync("api/events", events);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>How many runs of the batch's records have had <paramref name="step"/> reach the receiver.</summary>
    private int Reached(string batch, string step)
    {
        var runIds = recordIds.Where(r => r.StartsWith(batch, StringComparison.Ordinal))
            .Select(r => Keys.RunId(Keys.RecordPartition(Module, r), EventId(r), workflowId!))
            .ToHashSet(StringComparer.Ordinal);
        return receiver.Hits.Where(h => h.StepId == step && runIds.Contains(h.RunId)).Select(h => h.RunId).Distinct().Count();
    }

    private string EventId(string recordId) => $"evt-{prefix}-{recordId}";

    /// <summary>Polls each record's runs until every one has exactly one run and it has ended; returns each run with its step logs.</summary>
    private async Task<Dictionary<string, JsonElement>> WaitForRunsToEndAsync()
    {
        var ended = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var last = "";
        while (ended.Count < recordIds.Count)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(180), $"Runs did not end in time; {ended.Count}/{recordIds.Count} ended; last seen: {last}{Environment.NewLine}{host!.Output}");
            foreach (var recordId in recordIds.Where(r => !ended.ContainsKey(r)))
            {
                using var record = await Admin.GetAsync(new Uri($"api/records/{Module}/{recordId}", UriKind.Relative));
                if (record.StatusCode != HttpStatusCode.OK)
                {
                    last = $"{recordId}: record {(int)record.StatusCode}";
                    continue;
                }

                var runs = (await record.ReadAsync()).GetProperty("runs").EnumerateArray().ToArray();
                Assert.True(runs.Length <= 1, $"{recordId} has {runs.Length} runs: its event was processed more than once.");
                if (runs.Length == 0 || runs[0].GetProperty("status").GetString() is "running" or "waiting")
                {
                    last = $"{recordId}: {(runs.Length == 0 ? "no run" : runs[0].GetProperty("status").GetString())}";
                    continue;
                }

                var runId = runs[0].GetProperty("runId").GetString()!;
                using var detail = await Admin.GetAsync(new Uri($"api/runs/{runId}", UriKind.Relative));
                ended[recordId] = await detail.ReadAsync();
            }

            await Task.Delay(500);
        }

        return ended;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < WaitLimit, $"Waited {WaitLimit.TotalSeconds:0} s for {what}.");
            await Task.Delay(20);
        }
    }

    private async Task DeleteStorageAsync()
    {
        var names = new StorageNames(prefix);
        var tables = new TableServiceClient("UseDevelopmentStorage=true");
        var queues = new QueueServiceClient("UseDevelopmentStorage=true");
        foreach (var table in names.Tables)
        {
            await tables.DeleteTableAsync(table);
        }

        foreach (var queue in names.Queues)
        {
            await queues.DeleteQueueAsync(queue);
        }
    }
}
