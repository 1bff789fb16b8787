using Automation.Engine.Runs;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.Processing;

/// <summary>
/// Wakes a run that waits for an outside decision (<see cref="RunState.AwaitKey"/>) once the decision is recorded: the
/// key, raised to the run's orchestration. Record the decision first, then signal: a run that was not waiting yet (its
/// action still running) asks for the decision itself once it waits, so one of the two always sees the other.
/// </summary>
public sealed class RunSignals(AutomationStorage storage, RunOrchestrations orchestrations)
{
    /// <summary>The run as it is (null when there is none); a wake-up is queued when it waits for <paramref name="key"/>.</summary>
    public async Task<RunState?> SignalAsync(string runId, string key, CancellationToken cancellationToken = default)
    {
        if (await ReadAsync(runId, cancellationToken) is not { } row)
        {
            return null;
        }

        if (row.State.Status == RunStatus.Waiting && string.Equals(row.State.AwaitKey, key, StringComparison.Ordinal))
        {
            await orchestrations.DecidedAsync(runId, key, cancellationToken);
        }

        return row.State;
    }

    /// <summary>The run's state, or null when there is no such run.</summary>
    public async Task<RunState?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(runId, cancellationToken))?.State;

    private async Task<RunRow?> ReadAsync(string runId, CancellationToken cancellationToken)
    {
        if (!Keys.TryParseRunId(runId, out var partition))
        {
            return null;
        }

        var read = await storage.Records.GetEntityIfExistsAsync<TableEntity>(partition, Keys.RunRow(runId), cancellationToken: cancellationToken);
        return read.HasValue ? RunRow.From(read.Value!) : null;
    }
}
