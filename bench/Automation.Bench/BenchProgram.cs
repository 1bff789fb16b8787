using static System.FormattableString;

namespace Automation.Bench;

/// <summary>
/// The benchmark of issues 4 and 10, on the Durable engine. Phases, in order, each with a workflow (or baseline
/// instance ids) of its own:
/// <list type="number">
/// <item>warm-up (JIT, connections, tables, the task hub's partition lease), not measured;</item>
/// <item>idle: storage requests per second with nothing to do (the task hub's polling and leases, our events poller);</item>
/// <item>rate5: events at a fixed rate (20/s) through 5 immediate steps: accepted-to-first-step latency;</item>
/// <item>delay5 / basedelay5: a lower rate (5/s), 5 steps with a delay before step 2, through our runs and through the
/// bare-Durable baseline: lateness of the delayed step, transactions per delayed run;</item>
/// <item>sparse5: one event every 2.5 s, so that each wake-up is a timer on an otherwise idle worker;</item>
/// <item>resume: a child host killed with SIGKILL while a run waits on its delay, then a new one;</item>
/// <item>burst5 / base5, burst1 / base1: N events (N/2 for one step) as fast as the host takes them, through our runs
/// and through the baseline: runs/s and transactions per run, ours and the task hub's.</item>
/// </list>
/// </summary>
public static class BenchProgram
{
    private static readonly TimeSpan SparseGap = TimeSpan.FromSeconds(2.5);

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ChildHost.Flag)
        {
            return await ChildHost.RunAsync(args);
        }

        var (options, error) = BenchOptions.Parse(args);
        if (options is null)
        {
            if (!string.IsNullOrEmpty(error))
            {
                await Console.Error.WriteLineAsync(error);
            }

            Console.WriteLine(BenchOptions.Usage);
            return string.IsNullOrEmpty(error) ? 0 : 2;
        }

        await using var receiver = await Receiver.StartAsync();
        var results = new List<PhaseResult>();
        Figures figures;
        await using (var host = await BenchHost.StartAsync(options.Connection))
        {
            using var traffic = new StorageTraffic(
                host.Storage.TableService.Uri, host.Storage.QueueService.Uri, host.Storage.Names.TablePrefix, host.Storage.Names.QueuePrefix);
            var phases = new Phases(host, receiver, traffic, options.AzuritePid);
            Report.Header(options, await Report.StorageServerAsync(host.Storage.TableService.Uri));
            var rate = options.Rate;
            var length = TimeSpan.FromSeconds(options.Seconds);
            var delay = TimeSpan.FromSeconds(options.DelaySeconds);

            Console.WriteLine("warm-up ...");
            await phases.BurstAsync(await phases.RunsAsync("warm", 5), 40);
            await phases.FixedRateAsync(await phases.RunsAsync("warmdelay", 5, delayBeforeSecond: true), rate, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            await phases.BurstAsync(phases.Baseline("basewarm", 5), 40);
            await Phases.SettleAsync();

            var idleLength = TimeSpan.FromSeconds(options.Quick ? 3 : 6);
            Console.WriteLine(Invariant($"idle for {idleLength.TotalSeconds:0} s ..."));
            var idle = await phases.IdleAsync(idleLength);
            Report.Idle(idle.Total, idle.Hub);

            async Task<PhaseResult> Measure(string what, Func<Task<PhaseResult>> phase)
            {
                Console.WriteLine(what + " ...");
                var result = await phase();
                Report.Phase(result);
                results.Add(result);
                await Phases.SettleAsync();
                return result;
            }

            var rate5 = await Measure(Invariant($"{rate:0.#} events/s for {length.TotalSeconds:0.#} s, 5 steps"), async () => await phases.FixedRateAsync(await phases.RunsAsync("rate5", 5), rate, length, null));
            var delayRate = options.DelayRate;
            var delay5 = await Measure(
                Invariant($"{delayRate:0.#} events/s for {length.TotalSeconds:0.#} s, 5 steps, {delay.TotalSeconds:0.#} s before step 2"),
                async () => await phases.FixedRateAsync(await phases.RunsAsync("delay5", 5, delayBeforeSecond: true), delayRate, length, delay));
            var baseDelay5 = await Measure(
                Invariant($"baseline: {delayRate:0.#} starts/s for {length.TotalSeconds:0.#} s, 5 activities, {delay.TotalSeconds:0.#} s before the second"),
                () => phases.FixedRateAsync(phases.Baseline("basedelay5", 5), delayRate, length, delay));

            // One run at a time: each wake-up is a timer on a worker with nothing else to do.
            var sparseCount = options.Quick ? 2 : 8;
            var sparse5 = await Measure(
                Invariant($"{sparseCount} events {SparseGap.TotalSeconds:0.#} s apart, 5 steps, {delay.TotalSeconds:0.#} s before step 2"),
                async () => await phases.FixedRateAsync(await phases.RunsAsync("sparse5", 5, delayBeforeSecond: true), 1 / SparseGap.TotalSeconds, SparseGap * sparseCount, delay));

            var resumes = new List<ResumeResult>();
            foreach (var sameWorker in options.Quick ? [true] : new[] { true, false })
            {
                Console.WriteLine(Invariant($"kill -9 of a host with a run waiting {options.KillDelaySeconds:0.#} s, {(sameWorker ? "same" : "new")} worker id ..."));
                var resume = await ResumeAfterKill.MeasureAsync(options.Connection, receiver, TimeSpan.FromSeconds(options.KillDelaySeconds), sameWorker);
                Report.Resume(resume);
                resumes.Add(resume);
            }

            // Throughput last: Azurite in memory slows as it fills, and the latencies above are the figures that suffer most.
            var n1 = Math.Max(50, options.Events / 2);
            var burst5 = await Measure(Invariant($"burst of {options.Events} events, 5 steps"), async () => await phases.BurstAsync(await phases.RunsAsync("burst5", 5), options.Events));
            var base5 = await Measure(Invariant($"baseline: burst of {options.Events} starts, 5 activities"), () => phases.BurstAsync(phases.Baseline("base5", 5), options.Events));
            var burst1 = await Measure(Invariant($"burst of {n1} events, 1 step"), async () => await phases.BurstAsync(await phases.RunsAsync("burst1", 1), n1));
            var base1 = await Measure(Invariant($"baseline: burst of {n1} starts, 1 activity"), () => phases.BurstAsync(phases.Baseline("base1", 1), n1));
            figures = new Figures(burst5, burst1, rate5, delay5, sparse5, base5, base1, baseDelay5, idle.Total, idle.Hub) { Resumes = resumes };
        }

        Report.Summary(figures with { PeakRss = Stats.PeakRssBytes(), RepeatedKeys = receiver.Repeated });
        var complete = results.All(p => p.Completed && p.Succeeded == p.Runs) && figures.Resumes.All(r => r.Completed);
        if (!complete)
        {
            await Console.Error.WriteLineAsync("Some runs did not finish or did not succeed: the figures above are not valid.");
        }

        return complete ? 0 : 1;
    }
}
