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

    /// <summary>Accepted (202 received) to the first step's webhook received, in ms.</summary>
    public IReadOnlyList<double> FirstStepMs { get; init; } = [];

    /// <summary>Sent to the first step's webhook received, in ms.</summary>
    public IReadOnlyList<double> FirstStepFromSendMs { get; init; } = [];

    /// <summary>The delayed step's webhook received minus its scheduled wake time, in ms.</summary>
    public IReadOnlyList<double> LatenessMs { get; init; } = [];

    public double TransactionsPerRun => Runs == 0 ? 0 : (double)Transactions / Runs;

    public double RunsPerSecond => Elapsed.TotalSeconds <= 0 ? 0 : Runs / Elapsed.TotalSeconds;

    public int Succeeded => Statuses.GetValueOrDefault(RunStatus.Succeeded);
}

/// <summary>The measured phases. Each uses a workflow of its own (its own module), so phases never match each other's events.</summary>
public sealed class Phases(BenchHost host, Receiver receiver, StorageTraffic traffic)
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(120);

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
        var (counterBefore, trafficBefore) = (host.Counter.Total, traffic.Snapshot());
        var start = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(
            events.Chunk(50),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (chunk, _) => await host.PostEventsAsync(chunk));
        return await FinishAsync(phase, workflowId, steps, events, start, counterBefore, trafficBefore, expectWakeUps: false, null, null);
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
        var (counterBefore, trafficBefore) = (host.Counter.Total, traffic.Snapshot());
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
        return await FinishAsync(phase, workflowId, steps, events, start, counterBefore, trafficBefore, expectWakeUps: delay is not null, sent, accepted, due);
    }

    private async Task<PhaseResult> FinishAsync(
        string phase, string workflowId, int steps, BenchEvent[] events, DateTimeOffset start, long counterBefore,
        IReadOnlyDictionary<string, long> trafficBefore, bool expectWakeUps, DateTimeOffset[]? sent, DateTimeOffset[]? accepted,
        DateTimeOffset[]? due = null)
    {
        // A run is handed off when its event (and, with a delay, its wake-up) message is deleted: the last checkpoint and
        // the run index are written before that. Waiting on the receiver and on those deletes reads no storage.
        var last = StepId(steps);
        var n = events.Length;
        var eventsDeleted = trafficBefore.GetValueOrDefault("queue delete events");
        var stepsDeleted = trafficBefore.GetValueOrDefault("queue delete steps");
        var completed = await WaitAsync(() =>
            receiver.Count(phase, last) >= n
            && traffic.Of("queue delete events") - eventsDeleted >= n
            && (!expectWakeUps || traffic.Of("queue delete steps") - stepsDeleted >= n));
        var transactions = host.Counter.Total - counterBefore;
        var spent = StorageTraffic.Difference(traffic.Snapshot(), trafficBefore);

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
        };
        if (sent is not null && accepted is not null)
        {
            var fromAccepted = new List<double>();
            var fromSent = new List<double>();
            var lateness = new List<double>();
            for (var i = 0; i < n; i++)
            {
                if (receiver.FirstAt(phase, StepId(1), events[i].Id) is { } firstAt)
                {
                    fromAccepted.Add((firstAt - accepted[i]).TotalMilliseconds);
                    fromSent.Add((firstAt - sent[i]).TotalMilliseconds);
                }

                if (due is not null && steps >= 2 && receiver.FirstAt(phase, StepId(2), events[i].Id) is { } secondAt)
                {
                    lateness.Add((secondAt - due[i]).TotalMilliseconds);
                }
            }

            result = result with { FirstStepMs = fromAccepted, FirstStepFromSendMs = fromSent, LatenessMs = expectWakeUps ? lateness : [] };
        }

        return result;
    }

    /// <summary>Waits until the host's queues have been idle long enough that a phase starts from rest.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(1));

    private static async Task<bool> WaitAsync(Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > CompletionTimeout)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

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
