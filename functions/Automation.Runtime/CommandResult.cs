namespace Automation.Runtime;

public enum CommandOutcome
{
    Ok,
    NotFound,

    /// <summary>The thing exists but its state does not allow the change ("run is succeeded, only failed runs can be retried").</summary>
    Conflict,
}

/// <summary>What a write through the admin API did: done (with the new value), not found, or refused with a reason.</summary>
public sealed record CommandResult<T>(CommandOutcome Outcome, T? Value, string? Message)
{
    public bool Ok => Outcome == CommandOutcome.Ok;
}

public static class CommandResult
{
    public static CommandResult<T> Done<T>(T value) => new(CommandOutcome.Ok, value, null);

    public static CommandResult<T> NotFound<T>(string message) => new(CommandOutcome.NotFound, default, message);

    public static CommandResult<T> Conflict<T>(string message) => new(CommandOutcome.Conflict, default, message);
}
