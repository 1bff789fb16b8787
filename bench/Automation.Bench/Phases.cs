using System.Diagnostics;

namespace Automation.Bench;

/// <summary>The measured phases: a burst, or items at a fixed rate, of one <see cref="IPhaseLoad"/>.</summary>
public sealed class Phases(BenchHost host, Receiver receiver, StorageTraffic traffic, int? azuritePid)
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(600);

    private Dictionary<string, long> idleReceives = new(StringComparer.Ordinal);

    public async Task<RunsLoad> RunsAsync(string phase, int steps, bool delayBeforeSecond = false) =>
        new(host, phase, steps, await host.Api.ActiveWorkflowAsync(BenchWorkflows.Definition(receiver, phase, steps, delayBeforeSecond)));

    public BaselineLoad Baseline(string phase, int steps) => new(host, receiver, phase, steps);

    /// <summary>Items sent as fast as the host takes them: 50 per request (the baseline: 50 starts one after another), 4 at a time.</summary>
    public async Task<PhaseResult> BurstAsync(IPhaseLoad load, int count, TimeSpan? delay = null)
    {
        ArgumentNullException.ThrowIfNull(load);
        var before = Begin();
        var wakeAt = delay is { } d ? before.At + d : (DateTimeOffset?)null;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count).Select(i => (i, wakeAt)).Chunk(50),
            new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (chunk, _) => await load.SendAsync(chunk));
        return await FinishAsync(load, count, before, null, null, null);
    }

    /// <summary>
    /// One item per request at a fixed rate (each sent on schedule whatever the previous answers took). With
    /// <paramref name="delay"/>, each item's step 2 is due at its send time plus the delay.
    /// </summary>
    public async Task<PhaseResult> FixedRateAsync(IPhaseLoad load, double rate, TimeSpan length, TimeSpan? delay)
    {
        ArgumentNullException.ThrowIfNull(load);
        var count = Math.Max(1, (int)Math.Round(rate * length.TotalSeconds));
        var sent = new DateTimeOffset[count];
        var accepted = new DateTimeOffset[count];
        var due = new DateTimeOffset[count];
        var posts = new List<Task>(count);
        var before = Begin();
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
            posts.Add(Task.Run(async () =>
            {
                await load.SendAsync([(index, delay is null ? null : due[index])]);
                accepted[index] = DateTimeOffset.UtcNow;
            }));
        }

        await Task.WhenAll(posts);
        return await FinishAsync(load, count, before, sent, accepted, delay is null ? null : due) with { Rate = rate };
    }

    /// <summary>Storage requests per second, ours and the task hub's, with nothing to do (the hub's polling, our events poller, leases).</summary>
    public async Task<(double Total, double Hub)> IdleAsync(TimeSpan length)
    {
        var before = Begin();
        await Task.Delay(length);
        var seconds = (DateTimeOffset.UtcNow - before.At).TotalSeconds;
        return ((host.Counter.Total - before.Counter) / seconds, (HubCount() - before.Hub) / seconds);
    }

    /// <summary>Gives the host a moment between phases, so that a phase starts from rest.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(1));

    private sealed record Before(
        DateTimeOffset At, long Counter, long Hub, IReadOnlyDictionary<string, long> Traffic, IReadOnlyDictionary<string, long> Durations, TimeSpan Cpu, TimeSpan? AzuriteCpu);

    private Before Begin() => new(
        DateTimeOffset.UtcNow, host.Counter.Total, HubCount(), traffic.Snapshot(), traffic.DurationSnapshot(), CpuTime(), Stats.ProcessCpu(azuritePid));

    private async Task<PhaseResult> FinishAsync(
        IPhaseLoad load, int n, Before before, DateTimeOffset[]? sent, DateTimeOffset[]? accepted, DateTimeOffset[]? due)
    {
        // Done when every item's last step reached the receiver, the host's own work for them is done, and storage has
        // then seen no request but receives for a while (a run's completion is written after its last step). Requests
        // are counted up to the last one that was not a receive; later receives are idle polling, counted by IdleAsync.
        var last = BenchWorkflows.StepId(load.Steps);
        var (completed, transactions, hub) = await WaitForRestAsync(
            () => receiver.Count(load.Phase, last) >= n && load.Drained(n, traffic, before.Traffic));
        var cpu = CpuTime() - before.Cpu;
        var azuriteCpu = Stats.ProcessCpu(azuritePid) - before.AzuriteCpu;
        var all = StorageTraffic.Difference(traffic.Snapshot(), before.Traffic);
        var durations = StorageTraffic.Difference(traffic.DurationSnapshot(), before.Durations);
        var meanMs = all.Where(kv => kv.Value > 0).ToDictionary(
            kv => kv.Key, kv => TimeSpan.FromTicks(durations.GetValueOrDefault(kv.Key)).TotalMilliseconds / kv.Value, StringComparer.Ordinal);
        var spent = new Dictionary<string, long>(all, StringComparer.Ordinal);
        foreach (var idle in spent.Keys.Where(k => k.StartsWith("queue receive", StringComparison.Ordinal)).ToArray())
        {
            // Receives after the last real request found nothing; the counter figure excludes them, so must this.
            spent[idle] -= idleReceives.GetValueOrDefault(idle);
        }

        var lastDone = Enumerable.Range(0, n).Select(i => receiver.FirstAt(load.Phase, last, load.Id(i))).Max() ?? DateTimeOffset.UtcNow;
        var result = new PhaseResult
        {
            Name = load.Phase,
            Runs = n,
            Steps = load.Steps,
            Elapsed = lastDone - before.At,
            Completed = completed,
            Transactions = transactions - before.Counter,
            HubTransactions = hub - before.Hub,
            Traffic = spent,
            Statuses = await load.StatusesAsync(),
            Cpu = cpu,
            AzuriteCpu = azuriteCpu,
            MeanMs = meanMs,
        };
        return sent is null || accepted is null ? result : WithLatencies(result, load, sent, accepted, due);
    }

    private PhaseResult WithLatencies(PhaseResult result, IPhaseLoad load, DateTimeOffset[] sent, DateTimeOffset[] accepted, DateTimeOffset[]? due)
    {
        var fromAccepted = new List<double>();
        var fromSent = new List<double>();
        var lateness = new List<double>();
        var waited = 0;
        for (var i = 0; i < sent.Length; i++)
        {
            var id = load.Id(i);
            if (receiver.FirstAt(load.Phase, BenchWorkflows.StepId(1), id) is { } firstAt)
            {
                fromAccepted.Add((firstAt - accepted[i]).TotalMilliseconds);
                fromSent.Add((firstAt - sent[i]).TotalMilliseconds);
                if (due is not null && firstAt < due[i])
                {
                    waited++;
                }
            }

            if (due is not null && load.Steps >= 2 && receiver.FirstAt(load.Phase, BenchWorkflows.StepId(2), id) is { } secondAt)
            {
                lateness.Add((secondAt - due[i]).TotalMilliseconds);
            }
        }

        return result with { FirstStepMs = fromAccepted, FirstStepFromSendMs = fromSent, LatenessMs = lateness, Waited = waited };
    }

    /// <summary>
    /// Waits until <paramref name="done"/> holds and storage has been quiet (nothing but receives) for
    /// <see cref="Quiet"/>. Returns whether that happened in time, and the counter's total and the hub's part of it at the
    /// last request that was not a receive (later receives are idle polling, kept in <see cref="idleReceives"/>).
    /// </summary>
    private async Task<(bool Completed, long CounterAtLastWork, long HubAtLastWork)> WaitForRestAsync(Func<bool> done)
    {
        var clock = Stopwatch.StartNew();
        var lastWork = Work(traffic.Snapshot());
        var (counterAtLastWork, hubAtLastWork) = (host.Counter.Total, HubCount());
        var receivesAtLastWork = traffic.Snapshot();
        var quietSince = clock.Elapsed;
        while (clock.Elapsed < CompletionTimeout)
        {
            var snapshot = traffic.Snapshot();
            var work = Work(snapshot);
            if (work != lastWork)
            {
                // Read the counter before the traffic moved on again: at worst a request too many is counted.
                (counterAtLastWork, hubAtLastWork) = (host.Counter.Total, HubCount());
                receivesAtLastWork = snapshot;
                lastWork = work;
                quietSince = clock.Elapsed;
            }
            else if (done() && clock.Elapsed - quietSince >= Quiet)
            {
                idleReceives = StorageTraffic.Difference(traffic.Snapshot(), receivesAtLastWork);
                return (true, counterAtLastWork, hubAtLastWork);
            }

            await Task.Delay(10);
        }

        idleReceives = new Dictionary<string, long>(StringComparer.Ordinal);
        return (false, host.Counter.Total, HubCount());
    }

    /// <summary>Requests the task hub's clients sent: the counter names them <c>hub …</c>.</summary>
    private long HubCount() => host.Counter.ByKind().Where(kv => kv.Key.StartsWith("hub ", StringComparison.Ordinal)).Sum(kv => kv.Value);

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static long Work(IReadOnlyDictionary<string, long> traffic) =>
        traffic.Where(kv => !kv.Key.StartsWith("queue receive", StringComparison.Ordinal)).Sum(kv => kv.Value);
}
