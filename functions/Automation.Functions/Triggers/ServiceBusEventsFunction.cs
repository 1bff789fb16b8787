using Automation.Functions.Durable;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Triggers;

/// <summary>
/// Events from a Service Bus topic subscription (app settings <c>AutomationServiceBusTopic</c>,
/// <c>AutomationServiceBusSubscription</c>, connection <c>AutomationServiceBus</c>), one message per invocation:
/// the Worker SDK's source generator fails on a batched Service Bus trigger, and one message is one intake anyway.
/// Completed by the host (host.json <c>autoCompleteMessages</c>) unless this throws.
/// </summary>
public sealed class ServiceBusEventsFunction(ServiceBusIntake intake, FunctionsDurableClients clients, ILogger<ServiceBusEventsFunction> logger)
{
    public const string Name = "ServiceBusEvents";

    [Function(Name)]
    public async Task Run(
        [ServiceBusTrigger("%AutomationServiceBusTopic%", "%AutomationServiceBusSubscription%", Connection = "AutomationServiceBus", IsBatched = false)]
        ServiceBusReceivedMessage message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using (clients.Use(client))
        {
            var outcome = await intake.AcceptAsync(message.Body.ToString(), message.DeliveryCount, cancellationToken);
            if (outcome.DeadLettered is { } reason)
            {
                FunctionLogs.ServiceBusDeadLettered(logger, message.MessageId, reason);
            }
            else
            {
                FunctionLogs.ServiceBusAccepted(logger, message.MessageId, outcome.Accepted!.Accepted.Count, outcome.Accepted.Duplicates.Count);
            }
        }
    }
}
