using Automation.Functions.Durable;
using Automation.Runtime.Processing;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Automation.Functions.Triggers;

/// <summary>
/// The events queue (<c>{prefix}-events</c>, app setting <c>AutomationEventsQueue</c>). A failure throws, so the host
/// makes the message visible again and poisons it after host.json's <c>maxDequeueCount</c>; the processor records a
/// message that keeps failing as a dead letter at the last try first.
/// </summary>
public sealed class EventsQueueFunction(EventProcessor processor, FunctionsDurableClients clients)
{
    public const string Name = "EventsQueue";

    [Function(Name)]
    public async Task Run(
        [QueueTrigger("%AutomationEventsQueue%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using (clients.Use(client))
        {
            await processor.ProcessAsync(message.MessageText, message.DequeueCount, cancellationToken);
        }
    }
}
