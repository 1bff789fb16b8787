using System.Text.Json;
using Automation.Engine.Model;
using Automation.Runtime.Records;

namespace Automation.Runtime.Processing;

/// <summary>
/// A run being driven by this worker: the row as last read or written (with its ETag), and whether the stored row
/// carries this worker's lease (then an action may start without another write).
/// </summary>
public sealed class RunHandle(string partition, RunRow row, bool leaseHeld, string leaseId)
{
    public string Partition { get; } = partition;

    public RunRow Row { get; set; } = row;

    public bool LeaseHeld { get; set; } = leaseHeld;

    public string LeaseId { get; } = leaseId;
}

/// <summary>
/// What a run's templates and conditions see besides the run itself: the record's latest snapshot, the record before
/// the trigger event, and the trigger event.
/// </summary>
public sealed record RunInputs(JsonElement? Record, JsonElement? Previous, CrmEvent? TriggerEvent);

public enum RunOutcome
{
    /// <summary>The run was already over, or not this message's business; nothing was written.</summary>
    Nothing,

    /// <summary>The run ended (succeeded, failed, exited, cancelled).</summary>
    Ended,

    /// <summary>The run waits for a wake-up that is queued.</summary>
    Waiting,

    /// <summary>Another worker or an admin moved the run on (a 412): this worker backed off.</summary>
    Lost,
}
