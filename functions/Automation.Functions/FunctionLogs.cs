using Microsoft.Extensions.Logging;

namespace Automation.Functions;

/// <summary>Every log line of the Functions adapters (event ids 8xxx; the runtime's own are in Automation.Runtime.Logs).</summary>
internal static partial class FunctionLogs
{
    [LoggerMessage(8001, LogLevel.Information, "The scheduler timer was past due")]
    public static partial void TimerPastDue(ILogger logger);

    [LoggerMessage(8002, LogLevel.Information, "Scheduler tick: {Result}")]
    public static partial void Ticked(ILogger logger, string result);

    [LoggerMessage(8003, LogLevel.Warning, "Service Bus message {MessageId} dead-lettered: {Reason}")]
    public static partial void ServiceBusDeadLettered(ILogger logger, string messageId, string reason);

    [LoggerMessage(8004, LogLevel.Information, "Service Bus message {MessageId}: {Accepted} event(s) accepted, {Duplicates} duplicate(s)")]
    public static partial void ServiceBusAccepted(ILogger logger, string messageId, int accepted, int duplicates);
}
