using System.Globalization;
using System.Security.Cryptography;

namespace Automation.Bench;

/// <summary>
/// The benchmark's workflows and events. Each phase has a module of its own, so phases never match each other's events,
/// and its steps call <c>/p/{phase}/{step}/{eventId}</c> on the <see cref="Receiver"/>.
/// </summary>
public static class BenchWorkflows
{
    private static readonly string RunTag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary><paramref name="steps"/> immediate webhook steps, or with a delay before step 2 until <c>record.wakeAt</c>.</summary>
    public static object Definition(Receiver receiver, string phase, int steps, bool delayBeforeSecond = false)
    {
        ArgumentNullException.ThrowIfNull(receiver);
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
        return new Dictionary<string, object>
        {
            ["name"] = $"Bench {phase}",
            ["module"] = Module(phase),
            ["trigger"] = new Dictionary<string, object> { ["type"] = "record.created" },
            ["steps"] = list,
        };
    }

    /// <summary>Unique to this phase of this benchmark run; also the baseline's instance id.</summary>
    public static string EventId(string phase, int i) => string.Create(CultureInfo.InvariantCulture, $"{phase}-{RunTag}-{i}");

    /// <summary>What the baseline's instance ids of <paramref name="phase"/> start with.</summary>
    public static string EventIdPrefix(string phase) => $"{phase}-{RunTag}-";

    public static BenchEvent Event(string phase, int i, DateTimeOffset? wakeAt)
    {
        var id = EventId(phase, i);
        var record = new Dictionary<string, object?> { ["name"] = "Bench " + id, ["email"] = id + "@example.com" };
        if (wakeAt is { } at)
        {
            record["wakeAt"] = at.ToString("O", CultureInfo.InvariantCulture);
        }

        return new BenchEvent(id, "record.created", Module(phase), "R-" + id, DateTimeOffset.UtcNow, record);
    }

    public static string Module(string phase) => "bench_" + phase;

    public static string StepId(int i) => string.Create(CultureInfo.InvariantCulture, $"s{i}");
}
