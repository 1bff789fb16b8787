namespace Automation.Engine.Triggers;

/// <summary>Whether a workflow's trigger matched an event, and always why (or why not), in words an admin reads.</summary>
public sealed record TriggerMatch(bool Matched, string Reason)
{
    public static TriggerMatch Yes(string reason) => new(true, reason);

    public static TriggerMatch No(string reason) => new(false, reason);
}
