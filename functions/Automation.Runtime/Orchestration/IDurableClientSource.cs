using Microsoft.DurableTask.Client;

namespace Automation.Runtime.Orchestration;

/// <summary>
/// Where shared code finds the task hub's client. The local host has one client for the whole process; under the
/// Functions host a client is bound to each invocation (<c>[DurableClient]</c>), so its source is per invocation.
/// </summary>
public interface IDurableClientSource
{
    DurableTaskClient Client { get; }
}
