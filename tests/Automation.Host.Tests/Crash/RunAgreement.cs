using System.Diagnostics;
using System.Text.Json;

namespace Automation.Host.Tests.Crash;

/// <summary>
/// The runs list and the stats (the run index, written at the end of every activity) against each run's own state
/// (<c>GET /api/runs/{id}</c>, the record partition). After a crash the index may lag for as long as the activity that
/// rewrites it takes to come back, never for good: this polls until they agree, and fails saying where they differ.
/// </summary>
public static class RunAgreement
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static async Task AssertAsync(CrashRig rig, string workflowId, IReadOnlyCollection<string> runIds)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var differences = await DifferencesAsync(rig, workflowId, runIds);
            if (differences.Count == 0)
            {
                return;
            }

            Assert.True(clock.Elapsed < Limit, $"The runs list and stats disagree with the runs after {Limit.TotalSeconds:0} s:{Environment.NewLine}{string.Join(Environment.NewLine, differences)}");
            await Task.Delay(500);
        }
    }

    private static async Task<List<string>> DifferencesAsync(CrashRig rig, string workflowId, IReadOnlyCollection<string> runIds)
    {
        var differences = new List<string>();
        var listed = (await rig.ListAsync(workflowId)).ToDictionary(i => i.GetProperty("runId").GetString()!, StringComparer.Ordinal);
        var statuses = new List<string>();
        foreach (var runId in runIds)
        {
            var run = (await rig.RunAsync(runId))?.GetProperty("run");
            if (run is not { } r)
            {
                differences.Add($"{runId}: no run");
                continue;
            }

            var status = r.GetProperty("status").GetString()!;
            statuses.Add(status);
            if (!listed.TryGetValue(runId, out var item))
            {
                differences.Add($"{runId}: {status}, not in the list");
                continue;
            }

            foreach (var field in new[] { "status", "stepsExecuted", "updatedAt" })
            {
                if (item.GetProperty(field).GetRawText() != r.GetProperty(field).GetRawText())
                {
                    differences.Add($"{runId}: {field} {r.GetProperty(field)} in the run, {item.GetProperty(field)} in the list");
                }
            }
        }

        if (listed.Count != runIds.Count)
        {
            differences.Add($"{listed.Count} runs listed, {runIds.Count} started");
        }

        var stats = await rig.StatsAsync(workflowId);
        if (stats.GetProperty("runCount").GetInt64() != runIds.Count)
        {
            differences.Add($"stats count {stats.GetProperty("runCount")} runs, {runIds.Count} started");
        }

        foreach (var byStatus in stats.GetProperty("byStatus").EnumerateObject())
        {
            var actual = statuses.Count(s => s == byStatus.Name);
            if (byStatus.Value.GetInt64() != actual)
            {
                differences.Add($"stats count {byStatus.Value} {byStatus.Name}, the runs {actual}");
            }
        }

        return differences;
    }

    /// <summary>The run's status as <c>GET /api/runs/{id}</c> gives it.</summary>
    public static string Status(JsonElement details) => details.GetProperty("run").GetProperty("status").GetString()!;
}
