using Automation.Engine.Runs;
using Automation.Runtime.Processing;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Orchestration;

/// <summary>
/// The body of the <see cref="OrchestrationNames.AdvanceRun"/> activity: loads the run with its record and trigger event
/// in one read, applies what woke it (an admin's retry, a decision, "run now"), lets <see cref="RunExecutor"/> drive it
/// until it must wait or ends, and brings the run's index row up to date.
/// <para>Idempotent per step attempt: Durable runs an activity again when its worker died before answering; the run
/// row's checkpoints say where the first attempt got to, so no checkpointed step repeats. The index is written last,
/// every time, from the run row: a crash before it is repaired by the activity's next attempt, so the runs list and
/// the stats converge on the run's real state (the index ignores states older than the one it holds).</para>
/// </summary>
public sealed class RunAdvancer(
    AutomationStorage storage,
    RunExecutor executor,
    RunIndex index,
    TimeProvider time,
    ILogger<RunAdvancer> logger)
{
    public async Task<AdvanceResult> AdvanceAsync(AdvanceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Keys.TryParseRunId(request.RunId, out var partition))
        {
            return new AdvanceResult(RunStatus.Failed) { Error = $"'{request.RunId}' is not a run id." };
        }

        var (row, snapshot, trigger) = await RecordPartition.LoadRunAsync(storage.Records, partition, request.RunId, request.TriggerEventId, cancellationToken);
        if (row is null)
        {
            return new AdvanceResult(RunStatus.Cancelled) { Error = $"Run '{request.RunId}' does not exist." };
        }

        var handle = new RunHandle(partition, row);
        var firstActivity = row.LogSeq == 0;
        if (request.Retry is { } retry && RunTransitions.CanRetry(row.State.Status))
        {
            if (!await RetryAsync(handle, retry, cancellationToken))
            {
                return await ReloadAsync(handle, cancellationToken);
            }
        }

        if (request.RunNowBy is { } by && RunProgress.SkipWait(handle.Row.State, by, time.GetUtcNow()) is not null)
        {
            // Before the steps it lets run, so the note is there whenever the run is seen to move on.
            await NoteAsync(partition, request.RunId, $"run-now-{handle.Row.State.UpdatedAt.UtcTicks}", $"The wait was skipped by {by}.", cancellationToken);
        }

        var outcome = RunOutcome.Nothing;
        if (!RunTransitions.IsTerminal(handle.Row.State.Status))
        {
            var inputs = new RunInputs(snapshot?.Snapshot.Fields, trigger?.Event.Previous ?? trigger?.StoredPrevious, trigger?.Event);
            outcome = await executor.ExecuteAsync(handle, inputs, request.Signal, request.RunNowBy, cancellationToken);
            if (outcome == RunOutcome.Lost)
            {
                return await ReloadAsync(handle, cancellationToken);
            }
        }

        await index.RecordAsync(handle.Row.State, probablyNew: firstActivity, cancellationToken);
        return ResultOf(handle.Row.State, decided: outcome == RunOutcome.Decided);
    }

    /// <summary>An admin's retry, applied by the first activity of the run's new orchestration. False: lost to another writer.</summary>
    private async Task<bool> RetryAsync(RunHandle handle, RetryRequest retry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retried = handle.Row with { State = RunProgress.RetryFrom(handle.Row.State, retry.FromStart, now) };
        try
        {
            var response = await storage.Records.UpdateEntityAsync(retried.ToEntity(handle.Partition), handle.Row.ETag, TableUpdateMode.Replace, cancellationToken);
            handle.Row = retried with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }

        var from = retry.FromStart ? "from the start" : $"from step {retried.State.Cursor + 1}";
        await NoteAsync(handle.Partition, retried.State.RunId, $"retry-{retried.State.Retries}", $"Retried {from} by {retry.RequestedBy}.", cancellationToken);
        Logs.RunRetried(logger, retried.State.RunId, retry.FromStart);
        return true;
    }

    /// <summary>Another writer (an admin) moved the run while this activity ran: answer with where the run is now.</summary>
    private async Task<AdvanceResult> ReloadAsync(RunHandle handle, CancellationToken cancellationToken)
    {
        var rows = await RecordPartition.LoadRunsAsync(storage.Records, handle.Partition, [handle.Row.State.RunId], cancellationToken);
        if (rows.Count == 0)
        {
            return new AdvanceResult(RunStatus.Cancelled) { Error = $"Run '{handle.Row.State.RunId}' does not exist." };
        }

        var state = rows[0].State;
        if (state.Status == RunStatus.Running)
        {
            // Nobody else drives a run while its orchestration waits for this activity: this is a race to be retried.
            Logs.RunContended(logger, state.RunId, EnumNames.Camel(state.Status));
            throw new InvalidOperationException($"Run '{state.RunId}' was changed by another writer while running; trying again.");
        }

        await index.RecordAsync(state, probablyNew: false, cancellationToken);
        return ResultOf(state, decided: false);
    }

    private async Task NoteAsync(string partition, string runId, string key, string message, CancellationToken cancellationToken) =>
        await storage.Records.UpsertEntityAsync(
            new TableEntity(partition, Keys.NoteRow(runId, key))
            {
                ["Kind"] = "note",
                ["RunId"] = runId,
                ["EventId"] = key,
                ["Message"] = message,
                ["At"] = time.GetUtcNow(),
            },
            TableUpdateMode.Replace,
            cancellationToken);

    private AdvanceResult ResultOf(RunState state, bool decided) => new(state.Status)
    {
        WakeAt = state.Status == RunStatus.Waiting ? state.WakeAt : null,
        Now = time.GetUtcNow(),
        AwaitKey = state.Status == RunStatus.Waiting ? state.AwaitKey : null,
        Decided = decided,
        Cursor = state.Cursor,
        Error = state.Error,
    };
}
