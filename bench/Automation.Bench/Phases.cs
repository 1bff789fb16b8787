using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Automation.Engine.Runs;

namespace Automation.Bench;

/// <summary>What one phase measured. Transactions are counted from its first event until its last run was handed off.</summary>
public sealed record PhaseResult
{
    public required string Name { get; init; }

    public required int Runs { get; init; }

    public required int Steps { get; init; }

    /// <summary>From the first request until the last run's last step reached the receiver.</summary>
    public required TimeSpan Elapsed { get; init; }

    public required bool Completed { get; init; }

    public required long Transactions { get; init; }

    public required IReadOnlyDictionary<string, long> Traffic { get; init; }

    public required IReadOnlyDictionary<RunStatus, int> Statuses { get; init; }

    /// <summary>Mean time to an answer of each kind of storage request, in ms.</summary>
    public required IReadOnlyDictionary<string, double> MeanMs { get; init; }

    /// <summary>CPU time this whole process (host, receiver, client) used during the phase.</summary>
    public required TimeSpan Cpu { get; init; }

    /// <summary>Accepted (202 received) to the first step's webhook received, in ms.</summary>
    public IReadOnlyList<double> FirstStepMs { get; init; } = [];

    /// <summary>Sent to the first step's webhook received, in ms.</summary>
    public IReadOnlyList<double> FirstStepFromSendMs { get; init; } = [];

    /// <summary>The delayed step's webhook received minus its scheduled wake time, in ms.</summary>
    public IReadOnlyList<double> LatenessMs { get; init; } = [];

    /// <summary>Delayed runs whose first step was done before the wake time, so that they really waited on a wake-up.</summary>
    public int Waited { get; init; }

    public double TransactionsPerRun => Runs == 0 ? 0 : (double)Transactions / Runs;

    public double RunsPerSecond => Elapsed.TotalSeconds <= 0 ? 0 : Runs / Elapsed.TotalSeconds;

    public int Succeeded => Statuses.GetValueOrDefault(RunStatus.Succeeded);
}

/// <summary>The measured phases. Each uses a workflow of its own (its own module), so phases never match each other's events.</summary>
public sealed class Phases(BenchHost host, Receiver receiver, StorageTraffic traffic)
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(600);

    private Dictionary<string, long> idleReceives = new(StringComparer.Ordinal);

    /// <summary>A workflow of <paramref name="steps"/> immediate webhook steps, or with a delay before step 2 until <c>record.wakeAt</c>.</summary>
    public Task<string> CreateWorkflowAsync(string phase, int steps, bool delayBeforeSecond = false)
    {
        var list = Enumerable.Range(1, steps).Select(i =>
        {
            var step = new Dictionary<string, object>
            {
                ["id"] = StepId(i),
                ["action"] = "call_webhook",
                ["params"] = new Dictionary<string, object> { ["url"] = receiver.StepUrl(phase, StepId(i)) },
            };
            if (delayBeforeSecond && i == 2)
            {
                step["delay"] = new Dictionary<string, object> { ["until"] = "{{ record.wakeAt }}" };
            }

            return step;
        }).ToList();
        return host.ActiveWorkflowAsync(new Dictionary<string, object>
        {
            ["name"] = $"Bench {phase}",
            ["module"] = Module(phase),
            ["trigger"] = new Dictionary<string, object> { ["type"] = "record.created" },
            ["steps"] = list,
        });
    }

    /// <summary>Events sent as fast as intake takes them: 50 per request, 4 requests at a time.</summary>
    public async Task<PhaseResult> BurstAsync(string phase, string workflowId, int steps, int count)
    {
        var events = Enumerable.Range(0, count).Select(i => Event(phase, i, null)).ToArray();
        var (counterBefore, trafficBefore, cpuBefore) = (host.Counter.Total, traffic.Snapshot(), CpuTime());
        var durationsBefore = traffic.DurationSnapshot();
        var start = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(
            events.Chunk(50),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (chunk, _) => await host.PostEventsAsync(chunk));
        return await FinishAsync(phase, workflowId, steps, events, start, counterBefore, trafficBefore, durationsBefore, cpuBefore, delayed: false, null, null);
    }

    /// <summary>
    /// One event per request at a fixed rate (each sent on schedule whatever the previous answers took). With
    /// <paramref name="delay"/>, each event's record says when step 2 is due: its send time plus the delay.
    /// </summary>
    public async Task<PhaseResult> FixedRateAsync(string phase, string workflowId, int steps, double rate, TimeSpan length, TimeSpan? delay)
    {
        var count = Math.Max(1, (int)Math.Round(rate * length.TotalSeconds));
        var events = new BenchEvent[count];
        var sent = new DateTimeOffset[count];
        var accepted = new DateTimeOffset[count];
        var due = new DateTimeOffset[count];
        var posts = new List<Task>(count);
        var (counterBefore, trafficBefore, cpuBefore) = (host.Counter.Total, traffic.Snapshot(), CpuTime());
        var durationsBefore = traffic.DurationSnapshot();
        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var wait = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var index = i;
            sent[index] = DateTimeOffset.UtcNow;
            due[index] = sent[index] + (delay ?? TimeSpan.Zero);
            events[index] = Event(phase, index, delay is null ? null : due[index]);
            posts.Add(Task.Run(async () =>
            {
                await host.PostEventsAsync([events[index]]);
                accepted[index] = DateTimeOffset.UtcNow;
            }));
        }

        await Task.WhenAll(posts);
        return await FinishAsync(phase, workflowId, steps, events, start, counterBefore, trafficBefore, durationsBefore, cpuBefore, delayed: delay is not null, sent, accepted, due);
    }

    private async Task<PhaseResult> FinishAsync(
        string phase, string workflowId, int steps, BenchEvent[] events, DateTimeOffset start, long counterBefore,
        IReadOnlyDictionary<string, long> trafficBefore, IReadOnlyDictionary<string, long> durationsBefore, TimeSpan cpuBefore, bool delayed, DateTimeOffset[]? sent, DateTimeOffset[]? accepted,
        DateTimeOffset[]? due = null)
    {
        // Done when every run's last step reached the receiver, every event message was deleted (a run's last
        // checkpoint and its index row are written before that), and storage has then seen no request but idle
        // receives for a while (a run whose delay had passed by the time its first step ended needs no wake-up, so
        // wake-up deletes cannot be counted on). Transactions are counted up to the last request that was not an idle
        // receive. Watching the receiver and the traffic reads no storage.
        var last = StepId(steps);
        var n = events.Length;
        var eventsDeleted = trafficBefore.GetValueOrDefault("queue delete events");
        var (completed, transactions) = await WaitForRestAsync(
            () => receiver.Count(phase, last) >= n && traffic.Of("queue delete events") - eventsDeleted >= n);
        transactions -= counterBefore;
        var cpu = CpuTime() - cpuBefore;
        var all = StorageTraffic.Difference(traffic.Snapshot(), trafficBefore);
        var durations = StorageTraffic.Difference(traffic.DurationSnapshot(), durationsBefore);
        var meanMs = all.Where(kv => kv.Value > 0).ToDictionary(
            kv => kv.Key, kv => TimeSpan.FromTicks(durations.GetValueOrDefault(kv.Key)).TotalMilliseconds / kv.Value, StringComparer.Ordinal);
        var spent = new Dictionary<string, long>(all, StringComparer.Ordinal);
        foreach (var idle in spent.Keys.Where(k => k.StartsWith("queue receive", StringComparison.Ordinal)).ToArray())
        {
            // Receives after the last real request found nothing; the counter figure excludes them, so must this.
            spent[idle] -= idleReceives.GetValueOrDefault(idle);
        }

        var lastDone = events.Select(e => receiver.FirstAt(phase, last, e.Id)).Max() ?? DateTimeOffset.UtcNow;
        var statuses = await host.RunStatusesAsync(workflowId);
        var result = new PhaseResult
        {
            Name = phase,
            Runs = n,
            Steps = steps,
            Elapsed = lastDone - start,
            Completed = completed,
            Transactions = transactions,
            Traffic = spent,
            Statuses = statuses,
            Cpu = cpu,
            MeanMs = meanMs,
        };
        if (sent is not null && accepted is not null)
        {
            var fromAccepted = new List<double>();
            var fromSent = new List<double>();
            var lateness = new List<double>();
            var waited = 0;
            for (var i = 0; i < n; i++)
            {
                if (receiver.FirstAt(phase, StepId(1), events[i].Id) is { } firstAt)
                {
                    fromAccepted.Add((firstAt - accepted[i]).TotalMilliseconds);
                    fromSent.Add((firstAt - sent[i]).TotalMilliseconds);
                    if (due is not null && firstAt < due[i])
                    {
                        waited++;
                    }
                }

                if (due is not null && steps >= 2 && receiver.FirstAt(phase, StepId(2), events[i].Id) is { } secondAt)
                {
                    lateness.Add((secondAt - due[i]).TotalMilliseconds);
                }
            }

            result = result with { FirstStepMs = fromAccepted, FirstStepFromSendMs = fromSent, LatenessMs = delayed ? lateness : [], Waited = waited };
        }

        return result;
    }

    /// <summary>Waits until the host's queues have been idle long enough that a phase starts from rest.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(1));

    /// <summary>
    /// Waits until <paramref name="done"/> holds and storage has been quiet (nothing but receives) for
    /// <see cref="Quiet"/>. Returns whether that happened in time, and the counter's total at the last request that was
    /// not a receive (later receives are idle polling, counted apart in <see cref="idleReceives"/>).
    /// </summary>
    private async Task<(bool Completed, long CounterAtLastWork)> WaitForRestAsync(Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        var lastWork = Work(traffic.Snapshot());
        var counterAtLastWork = host.Counter.Total;
        var receivesAtLastWork = traffic.Snapshot();
        var quietSince = clock.Elapsed;
        while (clock.Elapsed < CompletionTimeout)
        {
            var snapshot = traffic.Snapshot();
            var work = Work(snapshot);
            if (work != lastWork)
            {
                // Read the counter before the traffic moved on again: at worst a request too many is counted.
                counterAtLastWork = host.Counter.Total;
                receivesAtLastWork = snapshot;
                lastWork = work;
                quietSince = clock.Elapsed;
            }
            else if (done() && clock.Elapsed - quietSince >= Quiet)
            {
                var now = traffic.Snapshot();
                idleReceives = StorageTraffic.Difference(now, receivesAtLastWork);
                return (true, counterAtLastWork);
            }

            await Task.Delay(10);
        }

        idleReceives = new Dictionary<string, long>(StringComparer.Ordinal);
        return (false, host.Counter.Total);
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static long Work(IReadOnlyDictionary<string, long> traffic) =>
        traffic.Where(kv => !kv.Key.StartsWith("queue receive", StringComparison.Ordinal)).Sum(kv => kv.Value);

    private static readonly string RunTag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    private static BenchEvent Event(string phase, int i, DateTimeOffset? wakeAt)
    {
        var id = string.Create(CultureInfo.InvariantCulture, $"{phase}-{RunTag}-{i}");
        var record = new Dictionary<string, object?> { ["name"] = "Bench " + id, ["email"] = id + "@example.com" };
        if (wakeAt is { } at)
        {
            record["wakeAt"] = at.ToString("O", CultureInfo.InvariantCulture);
        }

        return new BenchEvent(id, "record.created", Module(phase), "R-" + id, DateTimeOffset.UtcNow, record);
    }

    private static string Module(string phase) => "bench_" + phase;

    private static string StepId(int i) => string.Create(CultureInfo.InvariantCulture, $"s{i}");
}
