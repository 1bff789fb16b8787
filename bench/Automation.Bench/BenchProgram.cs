using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Automation.Engine.Runs;
using static System.FormattableString;

namespace Automation.Bench;

/// <summary>
/// The benchmark of issue 4. Phases, in order, each with a workflow of its own:
/// <list type="number">
/// <item>warm-up (JIT, connections, tables), not measured;</item>
/// <item>the Azurite ceiling: batch writes per second with the host idle (its idle polling is counted meanwhile);</item>
/// <item>burst5 / burst1: N events as fast as intake takes them through 5 and 1 immediate webhook steps: runs/s,
/// transactions per run, and per step as the difference of the two divided by 4;</item>
/// <item>rate5: events at a fixed rate (20/s) through the 5-step workflow: accepted-to-first-step latency;</item>
/// <item>delay5: events at the same rate through 5 steps with a delay before step 2: lateness of the delayed step;</item>
/// <item>sparse5: the same, one event every 2.5 s, so that each wake-up has to wake an idle poller by itself.</item>
/// </list>
/// </summary>
public static class BenchProgram
{
    private static readonly TimeSpan SparseGap = TimeSpan.FromSeconds(2.5);

    public static async Task<int> Main(string[] args)
    {
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
        await using var host = await BenchHost.StartAsync(options.Connection);
        using var traffic = new StorageTraffic(
            host.Storage.TableService.Uri, host.Storage.QueueService.Uri, host.Storage.Names.TablePrefix, host.Storage.Names.QueuePrefix);
        var phases = new Phases(host, receiver, traffic, options.AzuritePid);
        Report.Header(options, await StorageServerAsync(host.Storage.TableService.Uri));

        var burst5 = await phases.CreateWorkflowAsync("burst5", 5);
        var burst1 = await phases.CreateWorkflowAsync("burst1", 1);
        var rate5 = await phases.CreateWorkflowAsync("rate5", 5);
        var delay5 = await phases.CreateWorkflowAsync("delay5", 5, delayBeforeSecond: true);
        var sparse5 = await phases.CreateWorkflowAsync("sparse5", 5, delayBeforeSecond: true);
        var warm = await phases.CreateWorkflowAsync("warm", 5);
        var warmDelay = await phases.CreateWorkflowAsync("warmdelay", 5, delayBeforeSecond: true);

        Console.WriteLine("warm-up ...");
        await phases.BurstAsync("warm", warm, 5, 40);
        await phases.FixedRateAsync("warmdelay", warmDelay, 5, options.Rate, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        await Phases.SettleAsync();

        Console.WriteLine(Invariant($"Azurite ceiling probe ({options.CeilingSeconds:0.#} s) ..."));
        var idleBefore = host.Counter.Total;
        var idleClock = Stopwatch.StartNew();
        var ceiling = await CeilingProbe.BatchWritesPerSecondAsync(
            options.Connection, host.Storage.Names.TablePrefix + "Ceiling", TimeSpan.FromSeconds(options.CeilingSeconds));
        var idlePerSecond = (host.Counter.Total - idleBefore) / idleClock.Elapsed.TotalSeconds;
        Report.Ceiling(ceiling, idlePerSecond);

        Console.WriteLine(Invariant($"burst of {options.Events} events, 5 steps ..."));
        var b5 = await phases.BurstAsync("burst5", burst5, 5, options.Events);
        Report.Phase(b5);
        await Phases.SettleAsync();

        var n1 = Math.Max(50, options.Events / 2);
        Console.WriteLine(Invariant($"burst of {n1} events, 1 step ..."));
        var b1 = await phases.BurstAsync("burst1", burst1, 1, n1);
        Report.Phase(b1);
        await Phases.SettleAsync();

        Console.WriteLine(Invariant($"{options.Rate:0.#} events/s for {options.Seconds:0.#} s, 5 steps ..."));
        var r5 = await phases.FixedRateAsync("rate5", rate5, 5, options.Rate, TimeSpan.FromSeconds(options.Seconds), null);
        Report.Phase(r5);
        await Phases.SettleAsync();

        Console.WriteLine(Invariant($"{options.Rate:0.#} events/s for {options.Seconds:0.#} s, 5 steps, {options.DelaySeconds:0.#} s before step 2 ..."));
        var d5 = await phases.FixedRateAsync("delay5", delay5, 5, options.Rate, TimeSpan.FromSeconds(options.Seconds), TimeSpan.FromSeconds(options.DelaySeconds));
        Report.Phase(d5);
        await Phases.SettleAsync();

        // One run at a time: nothing else wakes the step poller, so a wake-up must do it on its own.
        var sparseCount = options.Quick ? 4 : 8;
        Console.WriteLine(Invariant($"{sparseCount} events {SparseGap.TotalSeconds:0.#} s apart, 5 steps, {options.DelaySeconds:0.#} s before step 2 ..."));
        var s5 = await phases.FixedRateAsync("sparse5", sparse5, 5, 1 / SparseGap.TotalSeconds, SparseGap * sparseCount, TimeSpan.FromSeconds(options.DelaySeconds));
        Report.Phase(s5);

        var rss = Stats.PeakRssBytes();
        Report.Targets(b5, b1, r5, d5, s5, ceiling, idlePerSecond, rss, receiver.Repeated);

        var complete = new[] { b5, b1, r5, d5, s5 }.All(p => p.Completed && p.Succeeded == p.Runs);
        if (!complete)
        {
            await Console.Error.WriteLineAsync("Some runs did not finish or did not succeed: the figures above are not valid.");
        }

        return complete ? 0 : 1;
    }

    /// <summary>The storage server's name and version from its <c>Server</c> header (Azurite says which it is).</summary>
    private static async Task<string> StorageServerAsync(Uri tableService)
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await client.GetAsync(tableService);
            return response.Headers.Server.ToString() is { Length: > 0 } server ? server : "unknown";
        }
        catch (HttpRequestException)
        {
            return "unknown";
        }
    }
}

/// <summary>Prints the figures as they come, then the targets with met / not met.</summary>
public static class Report
{
    private const double MaxTxPerStep = 1.5;
    private const double MaxTxPerRun = 12;
    private const double MaxFirstStepP99Ms = 250;
    private const double MaxLatenessP99Ms = 2000;
    private const double MinCeilingShare = 0.5;
    private const long MaxRssBytes = 250L * 1024 * 1024;

    public static void Header(BenchOptions options, string storageServer)
    {
        ArgumentNullException.ThrowIfNull(options);
        Console.WriteLine(Invariant(
            $"Automation benchmark {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {Stats.MachineMemoryBytes() / (1024.0 * 1024 * 1024):0.#} GiB · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription}"));
        Console.WriteLine(Invariant($"storage: {Redact(options.Connection)} ({storageServer}) · GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}"));
        Console.WriteLine("load average at start: " + LoadAverage());
        Console.WriteLine(Invariant($"options: --events {options.Events} --rate {options.Rate} --seconds {options.Seconds} --delay-seconds {options.DelaySeconds} --ceiling-seconds {options.CeilingSeconds}"));
        Console.WriteLine();
    }

    public static void Ceiling(double batchesPerSecond, double idlePerSecond)
    {
        Console.WriteLine(Invariant($"  ceiling: {batchesPerSecond:0} batch writes/s (2 entities each, one partition per batch, 32 writers)"));
        Console.WriteLine(Invariant($"  idle polling of the host meanwhile: {idlePerSecond:0.0} transactions/s (two queues, backing off to 5 s)"));
        Console.WriteLine();
    }

    public static void Phase(PhaseResult p)
    {
        ArgumentNullException.ThrowIfNull(p);
        Console.WriteLine(Invariant(
            $"  {p.Name}: {p.Succeeded}/{p.Runs} runs succeeded{(p.Completed ? "" : " (TIMED OUT)")} in {p.Elapsed.TotalSeconds:0.0} s = {p.RunsPerSecond:0.0} runs/s; {p.TransactionsPerRun:0.00} transactions per run ({p.Transactions} in all); CPU per run: {p.Cpu.TotalMilliseconds / p.Runs:0.0} ms this process{(p.AzuriteCpu is { } a ? Invariant($", {a.TotalMilliseconds / p.Runs:0.0} ms Azurite") : "")}"));
        var others = p.Statuses.Where(s => s.Key != RunStatus.Succeeded).ToArray();
        if (others.Length > 0)
        {
            Console.WriteLine("    other statuses: " + string.Join(", ", others.Select(s => Invariant($"{s.Key}: {s.Value}"))));
        }

        if (p.FirstStepMs.Count > 0)
        {
            Console.WriteLine(Invariant(
                $"    accepted (202) → first step received: p50 {Stats.Percentile(p.FirstStepMs, 50):0} ms, p99 {Stats.Percentile(p.FirstStepMs, 99):0} ms, max {p.FirstStepMs.Max():0} ms; from send: p50 {Stats.Percentile(p.FirstStepFromSendMs, 50):0} ms, p99 {Stats.Percentile(p.FirstStepFromSendMs, 99):0} ms"));
        }

        if (p.LatenessMs.Count > 0)
        {
            Console.WriteLine(Invariant(
                $"    delayed step received − scheduled wake: p50 {Stats.Percentile(p.LatenessMs, 50):0} ms, p99 {Stats.Percentile(p.LatenessMs, 99):0} ms, min {p.LatenessMs.Min():0} ms, max {p.LatenessMs.Max():0} ms ({p.LatenessMs.Count} steps, {p.Waited} of them after a real wait: the others' wake time had passed when step 1 ended)"));
        }

        var seen = p.Traffic.Values.Sum();
        var parts = p.Traffic.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => Invariant($"{kv.Key} {(double)kv.Value / p.Runs:0.00}"));
        Console.WriteLine("    per run: " + string.Join(" · ", parts));
        Console.WriteLine("    mean ms to an answer: " + string.Join(" · ", p.MeanMs.Where(kv => p.Traffic.GetValueOrDefault(kv.Key) >= p.Runs / 10)
            .OrderByDescending(kv => kv.Value).Select(kv => Invariant($"{kv.Key} {kv.Value:0.0}"))));
        if (seen != p.Transactions)
        {
            Console.WriteLine(Invariant($"    (HTTP requests seen to storage: {seen}; the counter's {p.Transactions} is the figure used)"));
        }

        Console.WriteLine();
    }

    public static void Targets(
        PhaseResult burst5, PhaseResult burst1, PhaseResult rate5, PhaseResult delay5, PhaseResult sparse5, double ceiling, double idlePerSecond, long rss, long repeatedKeys)
    {
        ArgumentNullException.ThrowIfNull(burst5);
        ArgumentNullException.ThrowIfNull(burst1);
        ArgumentNullException.ThrowIfNull(rate5);
        ArgumentNullException.ThrowIfNull(delay5);
        ArgumentNullException.ThrowIfNull(sparse5);
        var perStep = (burst5.TransactionsPerRun - burst1.TransactionsPerRun) / (burst5.Steps - burst1.Steps);

        // At a fixed rate the pollers also poll the idle steps queue (measured on its own before the phases): a cost of
        // time, not of runs, so the compared figure leaves it out and the raw one is printed beside it.
        var idlePerRun = idlePerSecond * rate5.Elapsed.TotalSeconds / rate5.Runs;
        var rateNet = rate5.TransactionsPerRun - idlePerRun;
        var firstP99 = Stats.Percentile(rate5.FirstStepMs, 99);
        var lateP99 = Stats.Percentile(delay5.LatenessMs, 99);
        var sparseP99 = Stats.Percentile(sparse5.LatenessMs, 99);
        var batchesPerRun = (double)burst5.Traffic.GetValueOrDefault("table batch") / burst5.Runs;
        var runCeiling = ceiling / batchesPerRun;
        var share = burst5.RunsPerSecond / runCeiling;
        var rows = new (string Figure, string Measured, string Target, bool Met)[]
        {
            ("transactions per immediate step (5-step − 1-step run) / 4", Invariant($"{perStep:0.00}"), Invariant($"≤ {MaxTxPerStep}"), perStep <= MaxTxPerStep),
            ("transactions per 5-step run incl. intake, burst", Invariant($"{burst5.TransactionsPerRun:0.00}"), Invariant($"≤ {MaxTxPerRun}"), burst5.TransactionsPerRun <= MaxTxPerRun),
            ("transactions per 5-step run incl. intake, at fixed rate", Invariant($"{rateNet:0.00} ({rate5.TransactionsPerRun:0.00} raw)"), Invariant($"≤ {MaxTxPerRun}"), rateNet <= MaxTxPerRun),
            ("accepted → first step p99 at fixed rate", Invariant($"{firstP99:0} ms"), Invariant($"≤ {MaxFirstStepP99Ms} ms"), firstP99 <= MaxFirstStepP99Ms),
            ("delayed-step lateness p99 at fixed rate", Invariant($"{lateP99:0} ms"), Invariant($"≤ {MaxLatenessP99Ms} ms"), lateP99 <= MaxLatenessP99Ms),
            ("delayed-step lateness p99, one run at a time", Invariant($"{sparseP99:0} ms"), Invariant($"≤ {MaxLatenessP99Ms} ms"), sparseP99 <= MaxLatenessP99Ms),
            ("runs/s vs storage-bound runs/s", Invariant($"{burst5.RunsPerSecond:0.0} / {runCeiling:0.0} = {share:P0}"), Invariant($"≥ {MinCeilingShare:P0}"), share >= MinCeilingShare),
            ("peak RSS (whole bench process)", Invariant($"{rss / (1024.0 * 1024):0} MB"), Invariant($"≤ {MaxRssBytes / (1024 * 1024)} MB"), rss <= MaxRssBytes),
        };

        Console.WriteLine("Targets");
        Console.WriteLine(Invariant($"  {"figure",-58} {"measured",-24} {"target",-10} "));
        foreach (var (figure, measured, target, met) in rows)
        {
            Console.WriteLine(Invariant($"  {figure,-58} {measured,-24} {target,-10} {(met ? "met" : "NOT MET")}"));
        }

        Console.WriteLine();
        Console.WriteLine(Invariant($"  storage-bound runs/s = Azurite batch writes/s ({ceiling:0}) ÷ batch writes per burst5 run ({batchesPerRun:0.00}); raw runs/s ÷ batch writes/s = {burst5.RunsPerSecond / ceiling:P1}"));
        Console.WriteLine(Invariant($"  fixed-rate run less idle polling = raw {rate5.TransactionsPerRun:0.00} − {idlePerSecond:0.00} transactions/s × {rate5.Elapsed.TotalSeconds:0.0} s ÷ {rate5.Runs} runs"));
        Console.WriteLine(Invariant($"  webhook requests repeating an Idempotency-Key: {repeatedKeys}"));
        Console.WriteLine(Invariant($"  delay5 run: {delay5.TransactionsPerRun:0.00} transactions (immediate 5-step run: {burst5.TransactionsPerRun:0.00})"));
        Console.WriteLine("  load average at end: " + LoadAverage() + " (other processes on the machine compete for its cores)");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Redact(string connection) =>
        connection.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) ? "connection string (key hidden)" : connection;
}
