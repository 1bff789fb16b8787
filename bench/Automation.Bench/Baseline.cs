using Microsoft.DurableTask;
using Automation.Runtime.Orchestration;

namespace Automation.Bench;

/// <summary>
/// The comparison: a plain Durable orchestration with one activity per step, each calling the step's URL, on the same
/// worker and task hub settings as the runs. No intake, no run row, no step logs, no runs index: what the runs cost
/// beyond this is what our bookkeeping costs on top of bare Durable.
/// </summary>
public static class Baseline
{
    public const string Orchestration = "BenchBaseline";
    public const string Activity = "BenchBaselineStep";
}

/// <summary>The URL of each step, and when step 2 is due (null: no delay).</summary>
public sealed record BaselineInput(IReadOnlyList<string> StepUrls, DateTimeOffset? WakeAt);

/// <summary>Calls the steps in order; before step 2 waits on the product's never-early timer, as a run's delay does.</summary>
public sealed class BaselineOrchestrator : TaskOrchestrator<BaselineInput, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, BaselineInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        for (var i = 0; i < input.StepUrls.Count; i++)
        {
            if (i == 1 && input.WakeAt is { } wakeAt)
            {
                await DurableTimers.UntilAsync(context, wakeAt);
            }

            await context.CallActivityAsync<bool>(Baseline.Activity, input.StepUrls[i]);
        }

        return input.StepUrls.Count;
    }
}

/// <summary>One step: a POST to the receiver, as a webhook step makes.</summary>
public sealed class BaselineStepActivity : TaskActivity<string, bool>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public override async Task<bool> RunAsync(TaskActivityContext context, string input)
    {
        using var response = await Http.PostAsync(new Uri(input), null);
        response.EnsureSuccessStatusCode();
        return true;
    }
}
