using System.Text.Json;
using Automation.Engine.Model;
using Automation.Runtime.Records;

namespace Automation.Runtime.Processing;

/// <summary>A run being driven by an activity: the row as last read or written (with its ETag).</summary>
public sealed class RunHandle(string partition, RunRow row)
{
    public string Partition { get; } = partition;

    public RunRow Row { get; set; } = row;
}

/// <summary>
/// What a run's templates and conditions see besides the run itself: the record's latest snapshot, the record before
/// the trigger event, and the trigger event.
/// </summary>
public sealed record RunInputs(JsonElement? Record, JsonElement? Previous, CrmEvent? TriggerEvent);

public enum RunOutcome
{
    /// <summary>The run was already over, or waits for a decision not yet made; nothing was written.</summary>
    Nothing,

    /// <summary>The run ended (succeeded, failed, exited, cancelled).</summary>
    Ended,

    /// <summary>The run waits: until its wake time, or for a decision.</summary>
    Waiting,

    /// <summary>The run waits for a decision that was made while its step ran: go on at once.</summary>
    Decided,

    /// <summary>An admin moved the run on meanwhile (a 412): the activity backed off.</summary>
    Lost,
}
