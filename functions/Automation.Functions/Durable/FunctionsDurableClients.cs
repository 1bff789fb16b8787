using Automation.Runtime.Orchestration;
using Microsoft.DurableTask.Client;

namespace Automation.Functions.Durable;

/// <summary>
/// The task hub client under the Functions host. The Durable extension for the isolated worker hands a client only to
/// a function that binds <c>[DurableClient]</c> (it has no DI registration), so each function that may reach shared
/// code needing one makes its bound client the current one for the rest of its invocation.
/// </summary>
public sealed class FunctionsDurableClients : IDurableClientSource
{
    private readonly AsyncLocal<DurableTaskClient?> current = new();

    public DurableTaskClient Client => current.Value
        ?? throw new InvalidOperationException("No Durable client in this invocation: the function must bind [DurableClient] and call Use.");

    /// <summary>Makes <paramref name="client"/> the current client until the returned scope is disposed.</summary>
    public IDisposable Use(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var previous = current.Value;
        current.Value = client;
        return new Scope(this, previous);
    }

    private sealed class Scope(FunctionsDurableClients owner, DurableTaskClient? previous) : IDisposable
    {
        public void Dispose() => owner.current.Value = previous;
    }
}
