using Automation.Engine.Model;

namespace Automation.Runtime.Scheduling;

/// <summary>
/// A date trigger's wake-up, the input of its <c>DateWake</c> orchestration: when <see cref="DueAt"/> comes, check
/// that the record still holds <see cref="Value"/> and fire. <see cref="Kind"/> (<c>date</c>) names it in the
/// orchestration's input as Durable Functions Monitor shows it.
/// </summary>
public sealed record DateWakeMessage(string Kind, string WorkflowId, string Module, string RecordId, string Value, DateTimeOffset DueAt)
{
    public const string DateKind = "date";

    /// <summary>The chain that set the date (an action's event), carried to the event the wake-up fires.</summary>
    public Causation? Causation { get; init; }
}
