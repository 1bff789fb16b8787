using Automation.Engine.Runs;
using Automation.Runtime.Processing;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Runs;

/// <summary>
/// Admin changes to a run: retry and cancel. Each reads the run, asks the engine whether the change is allowed and
/// what the run becomes, and writes with the ETag it read; a 412 means a worker moved the run meanwhile, so it reads
/// and decides again.
/// </summary>
public sealed class RunCommands(AutomationStorage storage, RunIndex index, StepScheduler scheduler, TimeProvider time, ILogger<RunCommands> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>Resumes a failed run from its failed step, or from the first step with <paramref name="fromStart"/>.</summary>
    public async Task<CommandResult<RunState>> RetryAsync(string runId, bool fromStart = false, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (partition, row) = await ReadAsync(runId, cancellationToken);
            if (row is null)
            {
                return CommandResult.NotFound<RunState>($"Run '{runId}' does not exist.");
            }

            if (!RunTransitions.CanRetry(row.State.Status))
            {
                return CommandResult.Conflict<RunState>($"The run is {EnumNames.Camel(row.State.Status)}; only failed runs can be retried.");
            }

            var now = time.GetUtcNow();
            var retried = RunProgress.RetryFrom(row.State, fromStart, now);

            // Queue first: a crash before the write leaves a message for a failed run, which is dropped when it comes.
            await scheduler.ScheduleAsync(new StepMessage(runId, null, retried.TriggerEventId), null, cancellationToken);
            try
            {
                await storage.Records.UpdateEntityAsync(
                    (row with { State = retried, LeaseId = null, LeaseUntil = null, WakeToken = null }).ToEntity(partition),
                    row.ETag,
                    Azure.Data.Tables.TableUpdateMode.Replace,
                    cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                continue;
            }

            Logs.RunRetried(logger, runId, fromStart);
            await index.RecordAsync(retried, probablyNew: false, cancellationToken);
            return CommandResult.Done(retried);
        }
    }

    /// <summary>Cancels a running or waiting run. Its queued wake-up is dropped when it comes; a worker executing it stops at its next checkpoint.</summary>
    public async Task<CommandResult<RunState>> CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (partition, row) = await ReadAsync(runId, cancellationToken);
            if (row is null)
            {
                return CommandResult.NotFound<RunState>($"Run '{runId}' does not exist.");
            }

            if (!RunTransitions.CanCancel(row.State.Status))
            {
                return CommandResult.Conflict<RunState>($"The run is {EnumNames.Camel(row.State.Status)}; only running or waiting runs can be cancelled.");
            }

            var cancelled = RunProgress.Cancel(row.State, time.GetUtcNow(), "Cancelled by an admin.");
            try
            {
                await storage.Records.UpdateEntityAsync(
                    (row with { State = cancelled, LeaseId = null, LeaseUntil = null, WakeToken = null }).ToEntity(partition),
                    row.ETag,
                    Azure.Data.Tables.TableUpdateMode.Replace,
                    cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                continue;
            }

            Logs.RunCancelled(logger, runId);
            await index.RecordAsync(cancelled, probablyNew: false, cancellationToken);
            return CommandResult.Done(cancelled);
        }
    }

    private async Task<(string Partition, RunRow? Row)> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        if (!Keys.TryParseRunId(runId, out var partition))
        {
            return ("", null);
        }

        var read = await storage.Records.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>(partition, Keys.RunRow(runId), cancellationToken: cancellationToken);
        return (partition, read.HasValue ? RunRow.From(read.Value!) : null);
    }
}
