using Automation.Engine.Runs;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Runs;

/// <summary>
/// Admin changes to a run: retry, cancel, run now. Each reads the run and asks the engine whether the change is
/// allowed. A retry starts the run's orchestration again (its first activity applies the retry, so a crash between
/// the two leaves nothing half done); a cancel writes the run with the ETag it read (a 412 means a step moved the run
/// meanwhile: read and decide again) and then terminates the orchestration; "run now" is an event to the orchestration.
/// </summary>
public sealed class RunCommands(AutomationStorage storage, RunIndex index, RunOrchestrations orchestrations, TimeProvider time, ILogger<RunCommands> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Resumes a failed run from its failed step, or from the first step with <paramref name="fromStart"/>. Answers with
    /// the run as the retry makes it; the orchestration writes it.
    /// </summary>
    public async Task<CommandResult<RunState>> RetryAsync(string runId, bool fromStart = false, string by = "an admin", CancellationToken cancellationToken = default)
    {
        var (_, row) = await ReadAsync(runId, cancellationToken);
        if (row is null)
        {
            return CommandResult.NotFound<RunState>($"Run '{runId}' does not exist.");
        }

        if (!RunTransitions.CanRetry(row.State.Status))
        {
            return CommandResult.Conflict<RunState>($"The run is {EnumNames.Camel(row.State.Status)}; only failed runs can be retried.");
        }

        if (!await orchestrations.RestartAsync(runId, row.State.TriggerEventId, new RetryRequest(fromStart, by), cancellationToken))
        {
            return CommandResult.Conflict<RunState>("The run is being retried already.");
        }

        return CommandResult.Done(RunProgress.RetryFrom(row.State, fromStart, time.GetUtcNow()));
    }

    /// <summary>Asks a run waiting on a time (a delay, a backoff, a send window) to go on now.</summary>
    public async Task<CommandResult<RunState>> RunNowAsync(string runId, string by = "an admin", CancellationToken cancellationToken = default)
    {
        var (_, row) = await ReadAsync(runId, cancellationToken);
        if (row is null)
        {
            return CommandResult.NotFound<RunState>($"Run '{runId}' does not exist.");
        }

        if (RunProgress.SkipWait(row.State, by, time.GetUtcNow()) is not { } hurried)
        {
            return CommandResult.Conflict<RunState>(row.State.AwaitKey is not null
                ? "The run waits for a decision (a draft to approve or discard), not for a time."
                : $"The run is {EnumNames.Camel(row.State.Status)}; only a run waiting for a time can go on now.");
        }

        await orchestrations.RunNowAsync(runId, by, cancellationToken);
        return CommandResult.Done(hurried);
    }

    /// <summary>Cancels a running or waiting run: the row first (a step running now stops at its next checkpoint), then the orchestration.</summary>
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
                if (row.State.Status == RunStatus.Cancelled)
                {
                    // A cancel that died after writing the run finishes here: the instance stops, the index catches up.
                    await orchestrations.TerminateAsync(runId, "Cancelled by an admin.", cancellationToken);
                    await index.RecordAsync(row.State, probablyNew: false, cancellationToken);
                }

                return CommandResult.Conflict<RunState>($"The run is {EnumNames.Camel(row.State.Status)}; only running or waiting runs can be cancelled.");
            }

            var cancelled = RunProgress.Cancel(row.State, time.GetUtcNow(), "Cancelled by an admin.");
            try
            {
                await storage.Records.UpdateEntityAsync(
                    (row with { State = cancelled }).ToEntity(partition),
                    row.ETag,
                    Azure.Data.Tables.TableUpdateMode.Replace,
                    cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                continue;
            }

            Logs.RunCancelled(logger, runId);
            await orchestrations.TerminateAsync(runId, "Cancelled by an admin.", cancellationToken);
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
