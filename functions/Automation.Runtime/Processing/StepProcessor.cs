using Automation.Engine.Runs;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Scheduling;
using Automation.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Processing;

/// <summary>
/// Processes one step message (a wake-up, a retry, a resume): loads the run with its record and trigger event in one
/// read, drops the message when it is stale, and otherwise lets <see cref="RunExecutor"/> drive the run on.
/// </summary>
public sealed class StepProcessor(
    AutomationStorage storage,
    RunExecutor executor,
    RunIndex index,
    StepScheduler scheduler,
    DeadLetterStore deadLetters,
    DateTriggers dates,
    IOptions<RunnerOptions> options,
    TimeProvider time,
    ILogger<StepProcessor> logger) : IQueueProcessor
{
    public string Queue => "steps";

    public async Task ProcessAsync(string payload, long dequeueCount, CancellationToken cancellationToken = default)
    {
        // Date triggers' wake-ups share the steps queue: they are timers too, and need no queue, poller or function of their own.
        var wake = DateWakeMessage.TryParse(payload);
        var message = wake is null ? StepMessage.TryParse(payload) : null;
        if (wake is null && (message is null || !Keys.TryParseRunId(message.RunId, out _)))
        {
            Logs.MessageUnreadable(logger, Queue);
            await deadLetters.AddAsync(Queue, payload, "The message is not a step message ({ runId, token, eventId }) with a valid run id.", dequeueCount, cancellationToken);
            return;
        }

        await DeadLetterOnLastTry.ProcessAsync(
            () => wake is null ? ProcessAsync(message!, cancellationToken) : dates.WakeAsync(wake, cancellationToken), Queue, payload, dequeueCount, options.Value, deadLetters, logger, cancellationToken);
    }

    public async Task ProcessAsync(StepMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Keys.TryParseRunId(message.RunId, out var partition))
        {
            return;
        }

        var (row, snapshot, trigger) = await RecordPartition.LoadRunAsync(storage.Records, partition, message.RunId, message.EventId, cancellationToken);
        var now = time.GetUtcNow();
        if (row is null)
        {
            Logs.StaleMessage(logger, message.RunId, "no such run");
            return;
        }

        var status = row.State.Status;
        if (RunTransitions.IsTerminal(status))
        {
            Logs.StaleMessage(logger, message.RunId, "the run has ended");
            return;
        }

        if (row.LeaseHeldByOther(null, now))
        {
            // Another worker drives the run. Look again when its lease ends, in case it died.
            await scheduler.ScheduleAsync(message, row.LeaseUntil!.Value.AddSeconds(1), cancellationToken);
            Logs.StaleMessage(logger, message.RunId, "another worker holds the run");
            return;
        }

        if (status == RunStatus.Waiting && !string.Equals(row.WakeToken, message.Token, StringComparison.Ordinal))
        {
            Logs.StaleMessage(logger, message.RunId, "a newer wake-up replaced this one");
            return;
        }

        var inputs = new RunInputs(
            snapshot?.Snapshot.Fields,
            trigger?.Event.Previous ?? trigger?.StoredPrevious,
            trigger?.Event);
        var handle = new RunHandle(partition, row, leaseHeld: false, Keys.NewToken());
        var before = row.State.Status;
        var outcome = await executor.ExecuteAsync(handle, inputs, message.Signal, cancellationToken);
        switch (outcome)
        {
            case RunOutcome.Ended:
            case RunOutcome.Waiting when before != RunStatus.Waiting:
                await index.RecordAsync(handle.Row.State, probablyNew: false, cancellationToken);
                break;
            case RunOutcome.Lost:
                await EnsureDrivenAsync(partition, message, cancellationToken);
                break;
        }
    }

    /// <summary>
    /// After losing a run to another writer: if the run is now held by a worker, queue a look at its lease's end, so
    /// that the run is never left without a message should that worker die.
    /// </summary>
    private async Task EnsureDrivenAsync(string partition, StepMessage message, CancellationToken cancellationToken)
    {
        var (row, _, _) = await RecordPartition.LoadRunAsync(storage.Records, partition, message.RunId, message.EventId, cancellationToken);
        if (row is not null && row.State.Status == RunStatus.Running && row.LeaseUntil is { } until)
        {
            await scheduler.ScheduleAsync(message with { Token = null }, until.AddSeconds(1), cancellationToken);
        }
    }
}
