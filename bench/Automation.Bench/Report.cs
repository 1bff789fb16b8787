using System.Runtime.InteropServices;
using static System.FormattableString;

namespace Automation.Bench;

/// <summary>Prints the figures as they come, then the summary beside the baseline, then the targets with met / not met.</summary>
public static class Report
{
    // The targets of the move to Durable: against a bare Durable orchestration with one activity per step, on the same
    // worker and Azurite, at most half its transactions and at least 1.5 times its runs per second.
    private const double MaxTxRatio = 0.5;
    private const double MinRunsRatio = 1.5;
    private const double MaxTxPerStep = 1.5;
    private const double MaxFirstStepP99Ms = 1000;
    private const double MaxLatenessP99Ms = 2000;
    private const double MaxResumeSeconds = 60;
    private const long MaxRssBytes = 300L * 1024 * 1024;

    public static void Header(BenchOptions options, string storageServer)
    {
        ArgumentNullException.ThrowIfNull(options);
        Console.WriteLine(Invariant(
            $"Automation benchmark {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · {Environment.ProcessorCount} cores · {Stats.MachineMemoryBytes() / (1024.0 * 1024 * 1024):0.#} GiB · {RuntimeInformation.FrameworkDescription} · {RuntimeInformation.OSDescription}"));
        Console.WriteLine(Invariant($"storage: {Redact(options.Connection)} ({storageServer}) · GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}"));
        Console.WriteLine("load average at start: " + LoadAverage());
        Console.WriteLine(Invariant($"options: --events {options.Events} --rate {options.Rate} --delay-rate {options.DelayRate} --seconds {options.Seconds} --delay-seconds {options.DelaySeconds} --kill-delay-seconds {options.KillDelaySeconds}{(options.Quick ? " (--quick)" : "")}"));
        Console.WriteLine("transactions: every request of our table, queue and blob clients and of DurableTask.AzureStorage's own clients, counted by one pipeline policy on each (the task hub's marked as such)");
        Console.WriteLine();
    }

    public static void Idle(double perSecond, double hubPerSecond)
    {
        Console.WriteLine(Invariant($"  idle: {perSecond:0.00} transactions/s ({hubPerSecond:0.00} of them the task hub's: control and work-item queue polling, partition and app leases)"));
        Console.WriteLine();
    }

    public static void Phase(PhaseResult p)
    {
        ArgumentNullException.ThrowIfNull(p);
        Console.WriteLine(Invariant(
            $"  {p.Name}: {p.Succeeded}/{p.Runs} succeeded{(p.Completed ? "" : " (TIMED OUT)")} in {p.Elapsed.TotalSeconds:0.0} s = {p.RunsPerSecond:0.0} runs/s; {p.TransactionsPerRun:0.00} transactions per run = ours {p.OursPerRun:0.00} + task hub {p.HubPerRun:0.00} ({p.Transactions} in all); CPU per run: {p.Cpu.TotalMilliseconds / p.Runs:0.0} ms this process{(p.AzuriteCpu is { } a ? Invariant($", {a.TotalMilliseconds / p.Runs:0.0} ms Azurite") : "")}"));
        var others = p.Statuses.Where(s => s.Key != "Succeeded").ToArray();
        if (others.Length > 0)
        {
            Console.WriteLine("    other statuses: " + string.Join(", ", others.Select(s => Invariant($"{s.Key}: {s.Value}"))));
        }

        if (p.FirstStepMs.Count > 0)
        {
            Console.WriteLine(Invariant(
                $"    accepted → first step received: p50 {Stats.Percentile(p.FirstStepMs, 50):0} ms, p99 {Stats.Percentile(p.FirstStepMs, 99):0} ms, max {p.FirstStepMs.Max():0} ms; from send: p50 {Stats.Percentile(p.FirstStepFromSendMs, 50):0} ms, p99 {Stats.Percentile(p.FirstStepFromSendMs, 99):0} ms"));
        }

        if (p.LatenessMs.Count > 0)
        {
            Console.WriteLine(Invariant(
                $"    delayed step received − due: p50 {Stats.Percentile(p.LatenessMs, 50):0} ms, p99 {Stats.Percentile(p.LatenessMs, 99):0} ms, min {p.LatenessMs.Min():0} ms, max {p.LatenessMs.Max():0} ms ({p.LatenessMs.Count} steps, {p.Waited} of them after a real wait: the others were due before step 1 ended)"));
        }

        var parts = p.Traffic.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => Invariant($"{kv.Key} {(double)kv.Value / p.Runs:0.00}"));
        Console.WriteLine("    per run (table and queue requests by name): " + string.Join(" · ", parts));
        Console.WriteLine("    mean ms to an answer: " + string.Join(" · ", p.MeanMs.Where(kv => p.Traffic.GetValueOrDefault(kv.Key) >= p.Runs / 10)
            .OrderByDescending(kv => kv.Value).Select(kv => Invariant($"{kv.Key} {kv.Value:0.0}"))));
        Console.WriteLine();
    }

    public static void Resume(ResumeResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        Console.WriteLine(Invariant(
            $"  resume, {r.Variant}: {(r.Completed ? "completed" : "DID NOT COMPLETE")}; step 2 received {r.LatenessMs:0} ms after its due time, {r.RestartToStep.TotalSeconds:0.0} s after the new host started (due {r.DueAfterRestart.TotalSeconds:0.0} s after it; down {r.Down.TotalSeconds:0.0} s; new host listening after {r.RestartToListening.TotalSeconds:0.0} s); step 1 repeated {r.StepsBeforeRepeated} times"));
        Console.WriteLine();
    }

    public static void Summary(Figures f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var perStep = (f.Burst5.TransactionsPerRun - f.Burst1.TransactionsPerRun) / (f.Burst5.Steps - f.Burst1.Steps);
        var basePerStep = (f.Base5.TransactionsPerRun - f.Base1.TransactionsPerRun) / (f.Base5.Steps - f.Base1.Steps);
        string Tx(PhaseResult p) => Invariant($"{p.TransactionsPerRun:0.0} ({p.OursPerRun:0.0} + {p.HubPerRun:0.0})");
        string Latency(IReadOnlyList<double> ms) => Invariant($"{Stats.Percentile(ms, 50):0} / {Stats.Percentile(ms, 99):0}");
        string Lateness(IReadOnlyList<double> ms) => Invariant($"{Stats.Percentile(ms, 50):0} / {Stats.Percentile(ms, 99):0} / {ms.DefaultIfEmpty(double.NaN).Min():0}");
        var rows = new (string Figure, string Ours, string Bare)[]
        {
            ("transactions per 1-step run, burst (ours + task hub)", Tx(f.Burst1), Tx(f.Base1)),
            ("transactions per 5-step run, burst (ours + task hub)", Tx(f.Burst5), Tx(f.Base5)),
            (Invariant($"transactions per 5-step run with a delay, {f.Delay5.Rate:0.#}/s (ours + task hub)"), Tx(f.Delay5), Tx(f.BaseDelay5)),
            ("transactions per extra immediate step (5-step − 1-step) / 4", Invariant($"{perStep:0.00}"), Invariant($"{basePerStep:0.00}")),
            (Invariant($"runs/s, burst of {f.Burst5.Runs} 5-step runs"), Invariant($"{f.Burst5.RunsPerSecond:0.0}"), Invariant($"{f.Base5.RunsPerSecond:0.0}")),
            (Invariant($"runs/s, burst of {f.Burst1.Runs} 1-step runs"), Invariant($"{f.Burst1.RunsPerSecond:0.0}"), Invariant($"{f.Base1.RunsPerSecond:0.0}")),
            (Invariant($"accepted → first step p50 / p99 ms, {f.Rate5.Rate:0.#}/s, immediate steps"), Latency(f.Rate5.FirstStepMs), "—"),
            (Invariant($"accepted → first step p50 / p99 ms, {f.Delay5.Rate:0.#}/s, delayed workflow"), Latency(f.Delay5.FirstStepMs), Latency(f.BaseDelay5.FirstStepMs)),
            (Invariant($"delayed step lateness p50 / p99 / min ms, {f.Delay5.Rate:0.#}/s"), Lateness(f.Delay5.LatenessMs), Lateness(f.BaseDelay5.LatenessMs)),
            ("delayed step lateness p50 / p99 / min ms, one run at a time", Lateness(f.Sparse5.LatenessMs), "—"),
        };
        Console.WriteLine("Summary (ours: runs through intake with step logs and the runs index; bare: one activity per step)");
        Console.WriteLine(Invariant($"  {"figure",-72} {"ours",-22} {"bare Durable",-22}"));
        foreach (var (figure, ours, bare) in rows)
        {
            Console.WriteLine(Invariant($"  {figure,-72} {ours,-22} {bare,-22}"));
        }

        foreach (var r in f.Resumes)
        {
            Console.WriteLine(Invariant($"  {"resume after kill -9, " + r.Variant + ": step 2 after due / after restart",-72} {r.LatenessMs / 1000:0.0} s / {r.RestartToStep.TotalSeconds:0.0} s"));
        }

        Console.WriteLine(Invariant($"  {"idle transactions/s (task hub's part)",-72} {f.IdlePerSecond:0.00} ({f.IdleHubPerSecond:0.00})"));
        Console.WriteLine(Invariant($"  {"peak RSS of the bench process (host, Durable worker, receiver, load)",-72} {f.PeakRss / (1024.0 * 1024):0} MB"));
        Console.WriteLine(Invariant($"  {"webhook requests repeating an Idempotency-Key",-72} {f.RepeatedKeys}"));
        Console.WriteLine();
        Targets(f, perStep);
    }

    private static void Targets(Figures f, double perStep)
    {
        var firstP99 = Stats.Percentile(f.Rate5.FirstStepMs, 99);
        var lateP99 = Stats.Percentile(f.Delay5.LatenessMs, 99);
        var lateMin = f.Delay5.LatenessMs.Concat(f.Sparse5.LatenessMs).DefaultIfEmpty(double.NaN).Min();
        var sparseP99 = Stats.Percentile(f.Sparse5.LatenessMs, 99);
        var delayedRatio = f.Delay5.TransactionsPerRun / f.BaseDelay5.TransactionsPerRun;
        var burstRatio = f.Burst5.TransactionsPerRun / f.Base5.TransactionsPerRun;
        var runsRatio = f.Burst5.RunsPerSecond / f.Base5.RunsPerSecond;
        var resume = f.Resumes.Select(r => r.Completed ? r.RestartToStep.TotalSeconds : double.PositiveInfinity).DefaultIfEmpty(double.NaN).Max();
        var rows = new (string Figure, string Measured, string Target, bool Met)[]
        {
            ("transactions per 5-step run with a delay, ours ÷ bare", Invariant($"{delayedRatio:0.00}"), Invariant($"≤ {MaxTxRatio}"), delayedRatio <= MaxTxRatio),
            ("transactions per 5-step run, burst, ours ÷ bare", Invariant($"{burstRatio:0.00}"), Invariant($"≤ {MaxTxRatio}"), burstRatio <= MaxTxRatio),
            ("runs/s, burst of 5-step runs, ours ÷ bare", Invariant($"{runsRatio:0.00}"), Invariant($"≥ {MinRunsRatio}"), runsRatio >= MinRunsRatio),
            ("transactions per immediate step (5-step − 1-step run) / 4", Invariant($"{perStep:0.00}"), Invariant($"≤ {MaxTxPerStep}"), perStep <= MaxTxPerStep),
            (Invariant($"accepted → first step p99 at {f.Rate5.Rate:0.#}/s"), Invariant($"{firstP99:0} ms"), Invariant($"≤ {MaxFirstStepP99Ms} ms"), firstP99 <= MaxFirstStepP99Ms),
            (Invariant($"delayed-step lateness p99 at {f.Delay5.Rate:0.#}/s"), Invariant($"{lateP99:0} ms"), Invariant($"≤ {MaxLatenessP99Ms} ms"), lateP99 <= MaxLatenessP99Ms),
            ("delayed-step lateness p99, one run at a time", Invariant($"{sparseP99:0} ms"), Invariant($"≤ {MaxLatenessP99Ms} ms"), sparseP99 <= MaxLatenessP99Ms),
            ("delayed-step lateness min (never early)", Invariant($"{lateMin:0} ms"), "≥ 0 ms", lateMin >= 0),
            ("resumed after kill -9 (step 2 done, from the restart)", Invariant($"{resume:0.0} s"), Invariant($"≤ {MaxResumeSeconds} s"), resume <= MaxResumeSeconds),
            ("peak RSS (whole bench process)", Invariant($"{f.PeakRss / (1024.0 * 1024):0} MB"), Invariant($"≤ {MaxRssBytes / (1024 * 1024)} MB"), f.PeakRss <= MaxRssBytes),
        };

        Console.WriteLine("Targets");
        Console.WriteLine(Invariant($"  {"figure",-58} {"measured",-12} {"target",-10} "));
        foreach (var (figure, measured, target, met) in rows)
        {
            Console.WriteLine(Invariant($"  {figure,-58} {measured,-12} {target,-10} {(met ? "met" : "NOT MET")}"));
        }

        Console.WriteLine();
        Console.WriteLine("  load average at end: " + LoadAverage() + " (other processes on the machine compete for its cores)");
    }

    /// <summary>The storage server's name and version from its <c>Server</c> header (Azurite says which it is).</summary>
    public static async Task<string> StorageServerAsync(Uri tableService)
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

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Redact(string connection) =>
        connection.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) ? "connection string (key hidden)" : connection;
}
