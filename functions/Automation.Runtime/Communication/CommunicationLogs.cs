using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Communication;

/// <summary>Log messages of the communication actions: event ids 7xxx (the runtime's <c>Logs</c> holds 1xxx-6xxx).</summary>
internal static partial class CommunicationLogs
{
    [LoggerMessage(7001, LogLevel.Warning, "An email of workflow {WorkflowId} step {StepId} was sent but could not be counted")]
    public static partial void CountFailed(ILogger logger, Exception exception, string workflowId, string stepId);

    [LoggerMessage(7002, LogLevel.Information, "Run {RunId}: step {StepId} skipped: {Reason}")]
    public static partial void Skipped(ILogger logger, string runId, string stepId, string reason);

    [LoggerMessage(7003, LogLevel.Information, "Draft {DraftId} {Decision}")]
    public static partial void DraftDecided(ILogger logger, string draftId, string decision);

    [LoggerMessage(7004, LogLevel.Information, "{Module} {RecordId} unsubscribed from email ({Address})")]
    public static partial void Unsubscribed(ILogger logger, string module, string recordId, string address);

    [LoggerMessage(7005, LogLevel.Debug, "Run {RunId}: {Service} answered {Status}")]
    public static partial void Answered(ILogger logger, string runId, string service, int status);
}
