using Automation.Runtime.Scheduling;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Orchestration;

/// <summary>
/// Everything the rest of the runtime asks of the task hub: start a run's orchestration (instance id = run id, so a
/// second start of the same run is refused by the hub, not by us), raise the events it waits for, terminate it, start
/// a date trigger's wake-up. Written against <see cref="DurableTaskClient"/>, so both hosts share it.
/// </summary>
public sealed class RunOrchestrations(IDurableClientSource clients, ILogger<RunOrchestrations> logger)
{
    /// <summary>How long a retry waits for the failed execution to finish completing (it takes milliseconds when healthy).</summary>
    private static readonly TimeSpan FinishingPatience = TimeSpan.FromSeconds(15);

    private DurableTaskClient Client => clients.Client;

    /// <summary>Starts the run's orchestration; true when started, false when it already runs (a redelivered event).</summary>
    public async Task<bool> StartAsync(string runId, string triggerEventId, RetryRequest? retry = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        try
        {
            await Client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.RunWorkflow,
                new RunInput(runId, triggerEventId) { Retry = retry },
                new StartOrchestrationOptions(runId),
                cancellationToken);
            Logs.OrchestrationStarted(logger, runId);
            return true;
        }
        catch (Exception e) when (AlreadyExists(e))
        {
            Logs.OrchestrationExists(logger, runId);
            return false;
        }
    }

    /// <summary>
    /// Starts a new execution of an ended run's instance (an admin's retry); false when a retry runs already. The run row
    /// says failed a moment before its orchestration has completed, so an execution still finishing is waited for (a
    /// few seconds at most) rather than taken for a retry in progress.
    /// </summary>
    public async Task<bool> RestartAsync(string runId, string triggerEventId, RetryRequest retry, CancellationToken cancellationToken = default)
    {
        if (await StartAsync(runId, triggerEventId, retry, cancellationToken))
        {
            return true;
        }

        var current = await Client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken);
        if (current is null || current.ReadInputAs<RunInput>()?.Retry is not null)
        {
            return false;
        }

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(FinishingPatience);
        try
        {
            await Client.WaitForInstanceCompletionAsync(runId, patience.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return await StartAsync(runId, triggerEventId, retry, cancellationToken);
    }

    /// <summary>An event about the run's record was processed: the run checks its exit conditions now.</summary>
    public Task RecordChangedAsync(string runId, string eventId, CancellationToken cancellationToken = default) =>
        RaiseAsync(runId, RunEvents.RecordChanged, eventId, cancellationToken);

    /// <summary>The decision the run waits for (its key) was made.</summary>
    public Task DecidedAsync(string runId, string key, CancellationToken cancellationToken = default) =>
        RaiseAsync(runId, RunEvents.Decision, key, cancellationToken);

    /// <summary>An admin asked the waiting run to go on now.</summary>
    public Task RunNowAsync(string runId, string by, CancellationToken cancellationToken = default) =>
        RaiseAsync(runId, RunEvents.RunNow, by, cancellationToken);

    /// <summary>Ends the run's orchestration (the run row says why); nothing happens when it is not running.</summary>
    public async Task TerminateAsync(string runId, string reason, CancellationToken cancellationToken = default)
    {
        try
        {
            await Client.TerminateInstanceAsync(runId, reason, cancellationToken);
        }
        catch (Exception e) when (NotFound(e))
        {
            // Never started, or already over: the run row is the truth.
        }
    }

    /// <summary>The orchestration's status and history, for the run page.</summary>
    public Task<OrchestrationMetadata?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        Client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken);

    /// <summary>Starts a date trigger's wake-up; scheduling the same wake-up again starts nothing.</summary>
    public async Task StartDateWakeAsync(DateWakeMessage wake, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wake);
        var id = DateWakeInstanceId(wake);
        try
        {
            await Client.ScheduleNewOrchestrationInstanceAsync(OrchestrationNames.DateWake, wake, new StartOrchestrationOptions(id), cancellationToken);
        }
        catch (Exception e) when (AlreadyExists(e))
        {
            Logs.OrchestrationExists(logger, id);
        }
    }

    /// <summary>
    /// <c>date-{hash}</c> of the workflow, the record, the date value and the instant: the same wake-up always gets the
    /// same instance, and a changed offset (a new instant) a new one.
    /// </summary>
    public static string DateWakeInstanceId(DateWakeMessage wake)
    {
        ArgumentNullException.ThrowIfNull(wake);
        var key = string.Join('\n', wake.WorkflowId, wake.Module.ToLowerInvariant(), wake.RecordId, wake.Value, wake.DueAt.UtcTicks);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        return "date-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    private async Task RaiseAsync(string runId, string name, string payload, CancellationToken cancellationToken)
    {
        try
        {
            await Client.RaiseEventAsync(runId, name, payload, cancellationToken);
            Logs.EventRaised(logger, runId, name);
        }
        catch (Exception e) when (NotFound(e))
        {
            // No orchestration (the run ended, or it never started because it was skipped): nothing waits for it.
        }
    }

    /// <summary>
    /// The local host's client throws the Durable Task Framework's exception; the Functions host's gRPC client answers
    /// with an <c>AlreadyExists</c> status, which surfaces as an exception naming it.
    /// </summary>
    private static bool AlreadyExists(Exception e) =>
        e is OrchestrationAlreadyExistsException
        || e.GetType().Name.Contains("AlreadyExists", StringComparison.Ordinal)
        || (e.GetType().Name == "RpcException" && e.Message.Contains("AlreadyExists", StringComparison.Ordinal))
        || (e is InvalidOperationException && e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase));

    private static bool NotFound(Exception e) =>
        e is ArgumentException or InvalidOperationException
        && (e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("No instance", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("not running", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("is not in a running state", StringComparison.OrdinalIgnoreCase))
        || (e.GetType().Name == "RpcException" && (e.Message.Contains("NotFound", StringComparison.Ordinal) || e.Message.Contains("FailedPrecondition", StringComparison.Ordinal)));
}
