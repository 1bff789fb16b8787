using System.Diagnostics;
using System.Security.Cryptography;
using Automation.Runtime.Storage;

namespace Automation.Bench;

/// <summary>What one kill -9 of a host with a run parked on its delay measured.</summary>
public sealed record ResumeResult(
    string Variant, bool Completed, TimeSpan Down, TimeSpan RestartToListening, TimeSpan RestartToStep, TimeSpan DueAfterRestart, double LatenessMs, int StepsBeforeRepeated);

/// <summary>
/// Resume after a crash: a child host starts a run whose step 2 is due after a delay, is killed with SIGKILL once the
/// run's orchestration has created its timer, and a new child host starts on the same storage. Measured: how late step 2
/// reaches the receiver after its due time, and after the new host's start. The due time falls after the restart, so
/// this is the resumed worker's timer, not an overdue one found at startup.
/// </summary>
public static class ResumeAfterKill
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <param name="sameWorker">
    /// The new host has the dead one's worker id (a host restarted in place) and takes the partition back at once; else
    /// it must wait for the dead worker's partition lease to expire, as a replacement on another machine would.
    /// </param>
    public static async Task<ResumeResult> MeasureAsync(string connection, Receiver receiver, TimeSpan delay, bool sameWorker)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        var phase = sameWorker ? "killsame" : "killnew";
        var prefix = BenchHost.NewPrefix("benchkill");
        var adminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        BenchEvent run;
        DateTimeOffset due;
        DateTimeOffset killed;
        var (first, api) = await ChildHost.StartAsync(connection, prefix, adminKey, "bench-worker-a");
        using (first)
        using (api)
        {
            var workflowId = await api.ActiveWorkflowAsync(BenchWorkflows.Definition(receiver, phase, 3, delayBeforeSecond: true));
            due = DateTimeOffset.UtcNow + delay;
            run = BenchWorkflows.Event(phase, 0, due);
            await api.PostEventsAsync([run]);
            var runId = Keys.RunId(Keys.RecordPartition(run.Module, run.RecordId), run.Id, workflowId);
            await UntilAsync(() => Task.FromResult(receiver.FirstAt(phase, BenchWorkflows.StepId(1), run.Id) is not null), "step 1", first);
            await UntilAsync(
                async () => (await api.GetTextAsync($"api/runs/{runId}/orchestration"))?.Contains("TimerCreated", StringComparison.Ordinal) == true,
                "the orchestration's timer",
                first);
            first.Kill();
            killed = DateTimeOffset.UtcNow;
        }

        var restarted = DateTimeOffset.UtcNow;
        var (second, api2) = await ChildHost.StartAsync(connection, prefix, adminKey, sameWorker ? "bench-worker-a" : "bench-worker-b");
        using (second)
        using (api2)
        {
            var listening = DateTimeOffset.UtcNow;
            var step2 = BenchWorkflows.StepId(2);
            var completed = await TryUntilAsync(() => receiver.FirstAt(phase, BenchWorkflows.StepId(3), run.Id) is not null);
            var at = receiver.FirstAt(phase, step2, run.Id);
            await second.StopAsync();
            return new ResumeResult(
                sameWorker ? "same worker id (restarted in place)" : "new worker id (replacement host)",
                completed && at is not null,
                restarted - killed,
                listening - restarted,
                (at ?? DateTimeOffset.UtcNow) - restarted,
                due - restarted,
                ((at ?? DateTimeOffset.UtcNow) - due).TotalMilliseconds,
                receiver.Hits(phase, BenchWorkflows.StepId(1), run.Id) - 1);
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, ChildHost host)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Limit)
            {
                throw new InvalidOperationException($"Waited {Limit.TotalSeconds:0} s for {what}; the child host's last lines:{Environment.NewLine}{host.Output}");
            }

            await Task.Delay(50);
        }
    }

    private static async Task<bool> TryUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Limit)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
