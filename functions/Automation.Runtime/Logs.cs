using Microsoft.Extensions.Logging;

namespace Automation.Runtime;

/// <summary>
/// Every log line of the runtime. Event ids by area: 1xxx intake, 2xxx event processing, 3xxx runner, 4xxx actions,
/// 5xxx queues and dead letters, 6xxx admin commands, 7xxx storage. Never a secret or a whole body.
/// </summary>
internal static partial class Logs
{
    // Intake
    [LoggerMessage(1001, LogLevel.Debug, "Event {EventId} ({Type} on {Module}) accepted and queued")]
    public static partial void EventAccepted(ILogger logger, string eventId, string type, string module);

    [LoggerMessage(1002, LogLevel.Information, "Event {EventId} is a duplicate")]
    public static partial void DuplicateEvent(ILogger logger, string eventId);

    [LoggerMessage(1010, LogLevel.Warning, "{Count} events were accepted but not added to the events feed: {Reason}")]
    public static partial void FeedNotWritten(ILogger logger, int count, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Event {EventId} is a duplicate not yet processed: queued again in case the first delivery was not")]
    public static partial void DuplicateRequeued(ILogger logger, string eventId);

    // Event processing
    [LoggerMessage(2001, LogLevel.Information, "Run {RunId} of workflow {WorkflowId} created ({Status}) for event {EventId}")]
    public static partial void RunCreated(ILogger logger, string runId, string workflowId, string status, string eventId);

    [LoggerMessage(2002, LogLevel.Information, "Event {EventId} was applied before; resuming its {Count} run(s)")]
    public static partial void EventResumed(ILogger logger, string eventId, int count);

    [LoggerMessage(2003, LogLevel.Debug, "Event {EventId}: the record changed meanwhile ({Status}); deciding again")]
    public static partial void EventRetried(ILogger logger, string eventId, int status);

    [LoggerMessage(2004, LogLevel.Warning, "Event {EventId} not processed: causation depth {Depth} is past the limit {Limit} (caused by run {RunId})")]
    public static partial void LoopStopped(ILogger logger, string eventId, int depth, int limit, string runId);

    [LoggerMessage(2005, LogLevel.Information, "Event {EventId} on {Module}: record entered segments [{Entered}] and left [{Exited}]")]
    public static partial void SegmentsChanged(ILogger logger, string eventId, string module, string entered, string exited);

    // Runner
    [LoggerMessage(3001, LogLevel.Debug, "Run {RunId}: step {StepId} ({Action}) attempt {Attempt} starts")]
    public static partial void StepStarted(ILogger logger, string runId, string stepId, string action, int attempt);

    [LoggerMessage(3002, LogLevel.Information, "Run {RunId}: step {StepId} attempt {Attempt} failed (retryable: {Retryable}, retry scheduled: {Retrying})")]
    public static partial void StepFailed(ILogger logger, string runId, string stepId, int attempt, bool retryable, bool retrying);

    [LoggerMessage(3003, LogLevel.Information, "Run {RunId} {Outcome}")]
    public static partial void RunEnded(ILogger logger, string runId, string outcome);

    [LoggerMessage(3004, LogLevel.Debug, "Run {RunId} waits before step {StepIndex} until {Until:o}")]
    public static partial void RunWaiting(ILogger logger, string runId, int stepIndex, DateTimeOffset until);

    [LoggerMessage(3005, LogLevel.Debug, "Run {RunId} woke before {Until:o}; next hop queued")]
    public static partial void WakeUpHopped(ILogger logger, string runId, DateTimeOffset until);

    [LoggerMessage(3006, LogLevel.Information, "Run {RunId}: workflow {WorkflowId} is not active; looking again at {Until:o}")]
    public static partial void RunParked(ILogger logger, string runId, string workflowId, DateTimeOffset until);

    [LoggerMessage(3007, LogLevel.Information, "Run {RunId} was moved on by another writer ({Status}); backing off")]
    public static partial void RunLost(ILogger logger, string runId, int status);

    [LoggerMessage(3008, LogLevel.Debug, "Step message for run {RunId} dropped: {Reason}")]
    public static partial void StaleMessage(ILogger logger, string runId, string reason);

    [LoggerMessage(3009, LogLevel.Debug, "Index row of run {RunId} not written ({Status} at action {Action}); trying again")]
    public static partial void IndexWriteRetried(ILogger logger, string runId, int status, int action);

    [LoggerMessage(3010, LogLevel.Debug, "Counter shards of workflow {WorkflowId} not compacted ({Status})")]
    public static partial void CompactionSkipped(ILogger logger, string workflowId, int status);

    // Actions
    [LoggerMessage(4001, LogLevel.Warning, "Run {RunId}: action {Action} of step {StepId} threw")]
    public static partial void ActionThrew(ILogger logger, Exception exception, string runId, string stepId, string action);

    [LoggerMessage(4002, LogLevel.Debug, "Run {RunId}: webhook of step {StepId} answered {Status}")]
    public static partial void WebhookAnswered(ILogger logger, string runId, string stepId, int status);

    // Queues
    [LoggerMessage(5001, LogLevel.Warning, "A message on the {Queue} queue cannot be read; moved to dead letters")]
    public static partial void MessageUnreadable(ILogger logger, string queue);

    [LoggerMessage(5002, LogLevel.Error, "A message on the {Queue} queue failed {DequeueCount} times; moved to dead letters")]
    public static partial void DeadLettered(ILogger logger, Exception exception, string queue, long dequeueCount);

    // A failure that will be tried again is one line without a stack trace; the last try's is logged whole (5002).
    [LoggerMessage(5003, LogLevel.Warning, "Message {MessageId} on the {Queue} queue failed (dequeue {DequeueCount}): {Error}; it will be tried again")]
    public static partial void MessageFailed(ILogger logger, string queue, string messageId, long dequeueCount, string error);

    [LoggerMessage(5004, LogLevel.Debug, "Message {MessageId} on the {Queue} queue could not be deleted or updated ({Status})")]
    public static partial void DeleteFailed(ILogger logger, string queue, string messageId, int status);

    [LoggerMessage(5005, LogLevel.Warning, "Receiving from the {Queue} queue failed: {Error}; trying again")]
    public static partial void ReceiveFailed(ILogger logger, string queue, string error);

    /// <summary>An exception in one line: its type and message, and those of its innermost cause when it wraps one.</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var inner = exception.GetBaseException();
        var line = $"{exception.GetType().Name}: {FirstLine(exception.Message)}";
        return ReferenceEquals(inner, exception) ? line : $"{line} ({inner.GetType().Name}: {FirstLine(inner.Message)})";
    }

    // The storage SDK's messages go on with the response's headers and content: never log those.
    private static string FirstLine(string message)
    {
        var trimmed = message.Trim();
        var end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end];
    }

    // Admin commands
    [LoggerMessage(6001, LogLevel.Information, "Run {RunId} retried (from start: {FromStart})")]
    public static partial void RunRetried(ILogger logger, string runId, bool fromStart);

    [LoggerMessage(6002, LogLevel.Information, "Run {RunId} cancelled")]
    public static partial void RunCancelled(ILogger logger, string runId);

    [LoggerMessage(6003, LogLevel.Information, "Run {RunId}: its wait was skipped by {By}")]
    public static partial void RunHurried(ILogger logger, string runId, string by);

    // Orchestrations
    [LoggerMessage(7001, LogLevel.Debug, "Run {RunId}: its orchestration already exists")]
    public static partial void OrchestrationExists(ILogger logger, string runId);

    [LoggerMessage(7002, LogLevel.Information, "Run {RunId}: orchestration started")]
    public static partial void OrchestrationStarted(ILogger logger, string runId);

    [LoggerMessage(7003, LogLevel.Debug, "Run {RunId}: {Event} raised to its orchestration")]
    public static partial void EventRaised(ILogger logger, string runId, string @event);

    [LoggerMessage(7004, LogLevel.Warning, "Run {RunId}: the step checkpoint lost to another writer, and the run is still {Status}; the activity will be retried")]
    public static partial void RunContended(ILogger logger, string runId, string status);
}
