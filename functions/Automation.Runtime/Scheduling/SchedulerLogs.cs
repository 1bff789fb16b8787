using Microsoft.Extensions.Logging;

namespace Automation.Runtime;

/// <summary>The scheduler's log lines (8xxx), in the runtime's one <c>Logs</c> class.</summary>
internal static partial class Logs
{
    [LoggerMessage(8001, LogLevel.Information, "Workflow {WorkflowId}: occurrence {Occurrence:o} fired ({Events} event(s))")]
    public static partial void OccurrenceFired(ILogger logger, string workflowId, DateTimeOffset occurrence, long events);

    [LoggerMessage(8002, LogLevel.Debug, "Workflow {WorkflowId}: occurrence {Occurrence:o} was claimed by another instance")]
    public static partial void OccurrenceTaken(ILogger logger, string workflowId, DateTimeOffset occurrence);

    [LoggerMessage(8003, LogLevel.Information, "Workflow {WorkflowId}: missed occurrences up to {Occurrence:o} skipped (catchUp)")]
    public static partial void OccurrencesSkipped(ILogger logger, string workflowId, DateTimeOffset occurrence);

    [LoggerMessage(8004, LogLevel.Warning, "Workflow {WorkflowId}: its schedule cannot be used: {Error}")]
    public static partial void ScheduleUnusable(ILogger logger, string workflowId, string error);

    [LoggerMessage(8005, LogLevel.Error, "Workflow {WorkflowId}: the scheduler failed on it; it is tried again at the next tick")]
    public static partial void ScheduleFailed(ILogger logger, Exception exception, string workflowId);

    [LoggerMessage(8006, LogLevel.Information, "Scheduler tick: {Summary}")]
    public static partial void Ticked(ILogger logger, string summary);

    [LoggerMessage(8007, LogLevel.Error, "Scheduler tick failed; the next tick catches up")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(8008, LogLevel.Debug, "Workflow {WorkflowId}: record {RecordId} wakes at {DueAt:o}")]
    public static partial void DateScheduled(ILogger logger, string workflowId, string recordId, DateTimeOffset dueAt);

    [LoggerMessage(8009, LogLevel.Debug, "Workflow {WorkflowId}: date wake-up of record {RecordId} dropped: {Reason}")]
    public static partial void DateDropped(ILogger logger, string workflowId, string recordId, string reason);

    [LoggerMessage(8010, LogLevel.Information, "Workflow {WorkflowId}: record {RecordId} reached date {Value} (new event: {Accepted})")]
    public static partial void DateFired(ILogger logger, string workflowId, string recordId, string value, bool accepted);

    [LoggerMessage(8011, LogLevel.Information, "Workflow {WorkflowId}: date back-fill done ({Count} record(s) scheduled or fired)")]
    public static partial void BackfillDone(ILogger logger, string workflowId, long count);
}
