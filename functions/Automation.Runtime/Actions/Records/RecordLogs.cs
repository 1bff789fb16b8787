using Microsoft.Extensions.Logging;

namespace Automation.Runtime;

/// <summary>Log lines of the record actions (event ids 42xx, within the actions area).</summary>
internal static partial class Logs
{
    [LoggerMessage(4201, LogLevel.Debug, "Change {ChangeId}: the CRM write-back answered {Status}")]
    public static partial void CrmWriteBackAnswered(ILogger logger, string changeId, int status);

    [LoggerMessage(4202, LogLevel.Information, "Change {ChangeId} applied to {Module}/{RecordId}: event {EventId} caused")]
    public static partial void RecordChanged(ILogger logger, string changeId, string module, string recordId, string eventId);

    [LoggerMessage(4203, LogLevel.Information, "Change {ChangeId} was applied before; not applied again")]
    public static partial void RecordChangeRepeated(ILogger logger, string changeId);

    [LoggerMessage(4204, LogLevel.Warning, "Run {RunId}: step {StepId} did not enroll the record in workflow {WorkflowId}: causation depth {Depth} is past the limit {Limit}")]
    public static partial void EnrollmentTooDeep(ILogger logger, string runId, string stepId, string workflowId, int depth, int limit);

    [LoggerMessage(4205, LogLevel.Information, "Change {ChangeId}: {Crm} wrote {ObjectType} {CrmId} (answered {Status})")]
    public static partial void CrmWritten(ILogger logger, string changeId, string crm, string? objectType, string? crmId, int? status);
}
