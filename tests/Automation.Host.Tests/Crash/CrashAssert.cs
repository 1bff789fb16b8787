using System.Globalization;
using System.Text.Json;

namespace Automation.Host.Tests.Crash;

/// <summary>What every crash test checks of a run's effects, from the receiver's side and the run's step log.</summary>
public static class CrashAssert
{
    /// <summary>Each step reached the receiver under exactly the keys of the attempts its step log shows, and succeeded once.</summary>
    public static void KeysMatchAttempts(JsonElement run, IReadOnlyList<Hit> hits)
    {
        var runId = run.GetProperty("run").GetProperty("runId").GetString()!;
        var logs = run.GetProperty("steps").EnumerateArray().ToArray();
        foreach (var step in logs.Select(l => l.GetProperty("stepId").GetString()!).Distinct())
        {
            var attempts = logs.Where(l => l.GetProperty("stepId").GetString() == step)
                .Select(l => $"{runId}:{step}:{l.GetProperty("attempt").GetInt32().ToString(CultureInfo.InvariantCulture)}")
                .ToHashSet();
            var keys = hits.Where(h => h.StepId == step).Select(h => h.Key).ToHashSet();
            Assert.True(attempts.SetEquals(keys), $"{runId} step {step}: keys received [{string.Join(", ", keys)}], attempts logged [{string.Join(", ", attempts)}]");
            Assert.Single(logs, l => l.GetProperty("stepId").GetString() == step && l.GetProperty("status").GetString() == "succeeded");
        }
    }

    /// <summary>
    /// Every run reached each of <paramref name="steps"/>, under the keys of its logged attempts, and repeated no more
    /// than its step in flight at the kill. Returns the keys sent again.
    /// </summary>
    public static List<string> Effects(CrashReceiver receiver, IEnumerable<JsonElement> runs, DateTimeOffset killedAt, params string[] steps)
    {
        var repeated = new List<string>();
        foreach (var run in runs)
        {
            var hits = receiver.For(run.GetProperty("run").GetProperty("runId").GetString()!);
            KeysMatchAttempts(run, hits);
            Assert.Equal(steps, hits.Select(h => h.StepId).Distinct());
            repeated.AddRange(OnlyTheStepInFlightRepeated(hits, killedAt));
        }

        return repeated;
    }

    /// <summary>
    /// A run has one activity at a time, which checkpoints before each step: only the step it had in flight at the kill
    /// can reach the receiver again, once, under the same key. Returns the repeated key, if any.
    /// </summary>
    private static IEnumerable<string> OnlyTheStepInFlightRepeated(IReadOnlyList<Hit> hits, DateTimeOffset killedAt)
    {
        var again = hits.GroupBy(h => h.Key).Where(g => g.Count() > 1).ToArray();
        Assert.True(again.Length <= 1, $"steps repeated: {string.Join(", ", again.Select(g => g.Key))}");
        Assert.All(again, g => Assert.True(g.First().At < killedAt && g.Count() == 2, $"{g.Key} repeated outside the kill"));
        return again.Select(g => g.Key);
    }

    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
