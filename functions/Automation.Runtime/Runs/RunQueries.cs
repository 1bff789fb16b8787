using Automation.Engine.Runs;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure.Data.Tables;

namespace Automation.Runtime.Runs;

/// <summary>Reads of runs for the admin API. Each is one partition read or range.</summary>
public sealed class RunQueries(AutomationStorage storage, RunIndex index)
{
    /// <summary>
    /// Runs of a workflow, newest first. From the run index, which is brought up to date each time a run ends or
    /// waits: a run executing at this moment shows the status it had when it was last handed off.
    /// </summary>
    public Task<Page<RunSummary>> ListForWorkflowAsync(
        string workflowId, RunStatus? status = null, string? recordId = null, int limit = 50, string? continuationToken = null,
        CancellationToken cancellationToken = default) =>
        index.ListAsync(workflowId, status, recordId, limit, continuationToken, cancellationToken);

    /// <summary>The run with its step logs in order and its notes; null when there is no such run.</summary>
    public async Task<RunDetails?> GetAsync(string runId, CancellationToken cancellationToken = default)
    {
        if (!Keys.TryParseRunId(runId, out var partition))
        {
            return null;
        }

        var logStart = Keys.LogRangeStart(runId);
        var noteStart = Keys.NoteRangeStart(runId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" +
            TableClient.CreateQueryFilter($"RowKey eq {Keys.RunRow(runId)}") + " or (" +
            TableClient.CreateQueryFilter($"RowKey ge {logStart} and RowKey lt {Keys.RangeEnd(logStart)}") + ") or (" +
            TableClient.CreateQueryFilter($"RowKey ge {noteStart} and RowKey lt {Keys.RangeEnd(noteStart)}") + "))";
        RunRow? run = null;
        var logs = new List<(string Key, StepLogEntry Entry)>();
        var notes = new List<RunNote>();
        await foreach (var e in storage.Records.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey.StartsWith(Keys.RunPrefix, StringComparison.Ordinal))
            {
                run = RunRow.From(e);
            }
            else if (e.RowKey.StartsWith(Keys.LogPrefix, StringComparison.Ordinal))
            {
                logs.Add((e.RowKey, StepLogRows.From(e)));
            }
            else
            {
                notes.Add(new RunNote(e.GetDateTimeOffset("At") ?? default, e.GetString("Message") ?? "", e.GetString("EventId")));
            }
        }

        if (run is null)
        {
            return null;
        }

        logs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        notes.Sort((a, b) => a.At.CompareTo(b.At));
        return new RunDetails(run.State, run.Conditions, run.Exit, logs.Select(l => l.Entry).ToArray(), notes);
    }

    public Task<RunStats> StatsAsync(string workflowId, CancellationToken cancellationToken = default) =>
        index.StatsAsync(workflowId, cancellationToken);

    /// <summary>Every run of a record, newest first (from the record's partition: always current).</summary>
    public async Task<IReadOnlyList<RunSummary>> ListForRecordAsync(string module, string recordId, CancellationToken cancellationToken = default)
    {
        var partition = Keys.RecordPartition(module, recordId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {Keys.RunPrefix} and RowKey lt {Keys.RangeEnd(Keys.RunPrefix)}");
        var runs = new List<RunSummary>();
        await foreach (var e in storage.Records.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            runs.Add(RunSummary.From(RunRow.From(e).State));
        }

        runs.Sort((a, b) => b.CreatedAt.CompareTo(a.CreatedAt));
        return runs;
    }
}
