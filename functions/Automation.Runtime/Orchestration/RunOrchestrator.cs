using Microsoft.DurableTask;

namespace Automation.Runtime.Orchestration;

/// <summary>
/// One run, as a Durable orchestration (instance id = run id). The run's state and step logs live in our table; the
/// orchestration decides nothing about the workflow itself: it calls <see cref="OrchestrationNames.AdvanceRun"/>, which
/// executes steps until the run must wait or ends, and then waits durably for whichever comes first:
/// <list type="bullet">
/// <item>the wake time (a delay, a retry backoff, a send window), on a timer that never fires early;</item>
/// <item><see cref="RunEvents.RecordChanged"/>: an event about the record came, so the exit conditions are checked at once;</item>
/// <item><see cref="RunEvents.Decision"/>: the decision a step waits for (a draft) was made;</item>
/// <item><see cref="RunEvents.RunNow"/>: an admin skipped the wait.</item>
/// </list>
/// Deterministic: no clock but the context's, no I/O; everything with an effect is in the activity.
/// </summary>
public sealed class RunOrchestrator : TaskOrchestrator<RunInput, RunResult>
{
    /// <summary>
    /// Activities fail only on infrastructure trouble (storage unreachable, the host stopping): action failures are the
    /// engine's business and come back as a result. Keep trying for about an hour before the instance fails.
    /// </summary>
    private static readonly TaskOptions ActivityRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 12,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(10)));

    /// <summary>After this many waits the instance continues as new, so that a long-lived run's history stays short.</summary>
    private const int WaitsPerExecution = 50;

    public override async Task<RunResult> RunAsync(TaskOrchestrationContext context, RunInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var request = new AdvanceRequest(input.RunId, input.TriggerEventId) { Retry = input.Retry };
        for (var waits = 0; ; waits++)
        {
            var result = await context.CallActivityAsync<AdvanceResult>(OrchestrationNames.AdvanceRun, request, ActivityRetry);
            context.SetCustomStatus(new { status = result.Status, step = result.Cursor, wakeAt = result.WakeAt, awaiting = result.AwaitKey });
            if (result.Ended)
            {
                return new RunResult(result.Status, result.Error);
            }

            request = new AdvanceRequest(input.RunId, input.TriggerEventId);
            if (result.Decided)
            {
                request = request with { Signal = result.AwaitKey };
                continue;
            }

            if (waits >= WaitsPerExecution)
            {
                // Events raised meanwhile stay queued for the next execution.
                context.ContinueAsNew(input with { Retry = null }, preserveUnprocessedEvents: true);
                return new RunResult(result.Status, null);
            }

            request = await WaitAsync(context, result, request);
        }
    }

    /// <summary>Waits for the first of: the wake time, a record change, the decision, a "run now"; says what woke the run.</summary>
    private static async Task<AdvanceRequest> WaitAsync(TaskOrchestrationContext context, AdvanceResult result, AdvanceRequest next)
    {
        using var stop = new CancellationTokenSource();
        var waits = new List<Task>();
        var changed = context.WaitForExternalEvent<string?>(RunEvents.RecordChanged, stop.Token);
        waits.Add(changed);
        var runNow = context.WaitForExternalEvent<string?>(RunEvents.RunNow, stop.Token);
        waits.Add(runNow);
        Task<string?>? decision = null;
        if (result.AwaitKey is not null)
        {
            decision = context.WaitForExternalEvent<string?>(RunEvents.Decision, stop.Token);
            waits.Add(decision);
        }

        if (result.WakeAt is { } wakeAt)
        {
            // The wait the engine meant, measured on the orchestration's clock. Should the timer still come early by
            // the engine's clock, the next activity finds the run not due and it waits again for the rest.
            // (A result recorded before Now existed has none: its wake time is taken as it is.)
            var due = result.Now == default ? wakeAt : new DateTimeOffset(context.CurrentUtcDateTime, TimeSpan.Zero) + (wakeAt - result.Now);
            waits.Add(DurableTimers.UntilAsync(context, due, stop.Token));
        }

        var first = await Task.WhenAny(waits);
        stop.Cancel();
        if (first == decision)
        {
            return next with { Signal = decision.Result ?? result.AwaitKey };
        }

        if (first == runNow)
        {
            return next with { RunNowBy = runNow.Result ?? "admin" };
        }

        return next;
    }
}
