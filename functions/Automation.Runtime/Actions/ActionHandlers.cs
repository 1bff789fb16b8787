using System.Collections.Frozen;

namespace Automation.Runtime.Actions;

/// <summary>The handlers registered in DI, by action type. A type without a handler fails its step with a clear, final error.</summary>
public sealed class ActionHandlers(IEnumerable<IActionHandler> handlers)
{
    private readonly FrozenDictionary<string, IActionHandler> byType =
        handlers.ToFrozenDictionary(h => h.Type, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Types => byType.Keys;

    public bool TryGet(string type, out IActionHandler handler) => byType.TryGetValue(type, out handler!);

    public static string NotAvailable(string type) => $"Action '{type}' is not available yet.";
}
