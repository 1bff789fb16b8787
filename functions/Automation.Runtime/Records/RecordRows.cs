using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Engine.Segments;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Runtime.Records;

/// <summary>The stored snapshot of a record, with the ETag it was read with.</summary>
public sealed record SnapshotRow(RecordSnapshot Snapshot, ETag ETag)
{
    public static SnapshotRow From(TableEntity e) => new(
        new RecordSnapshot
        {
            Module = e.GetString("Module") ?? "",
            RecordId = e.GetString("RecordId") ?? "",
            Fields = JsonColumns.ReadElement(e, "Fields") ?? EmptyObject(),
            UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
            LastEventId = e.GetString("LastEventId"),
            Deleted = e.GetBoolean("Deleted") ?? false,
        },
        e.ETag);

    public static TableEntity ToEntity(string partition, RecordSnapshot s)
    {
        var e = new TableEntity(partition, Keys.Snapshot)
        {
            ["Kind"] = "snapshot",
            ["Module"] = s.Module,

            // Modules compare case-insensitively; the scheduler's scan of a module filters on this column.
            ["ModuleKey"] = s.Module.ToLowerInvariant(),
            ["RecordId"] = s.RecordId,
            ["UpdatedAt"] = s.UpdatedAt,
            ["LastEventId"] = s.LastEventId,
            ["Deleted"] = s.Deleted,
        };
        JsonColumns.WriteElement(e, "Fields", s.Fields);
        return e;
    }

    private static JsonElement EmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }
}

public static class EventStates
{
    /// <summary>Recorded by intake; queued (or about to be). The processor has not applied it.</summary>
    public const string Pending = "pending";

    /// <summary>The processor applied it: snapshot updated, runs created. Processing it again only resumes those runs.</summary>
    public const string Applied = "applied";
}

/// <summary>
/// An event as intake recorded it. <see cref="StoredPrevious"/> and <see cref="AppliedAt"/> are what the processor
/// derived changes from and when, so that processing it again after a crash decides exactly the same;
/// <see cref="RunIds"/> are the runs applying it created or ended: processing it again resumes exactly those.
/// </summary>
public sealed record EventRow(
    CrmEvent Event,
    string State,
    DateTimeOffset ReceivedAt,
    JsonElement? StoredPrevious,
    DateTimeOffset? AppliedAt,
    ETag ETag)
{
    public IReadOnlyList<string> RunIds { get; init; } = [];

    /// <summary>
    /// The segments applying the event made the record enter and leave; null when membership was not decided (a late
    /// event, or an event applied before segments existed). Kept so that the record's events page can say so later.
    /// </summary>
    public SegmentChange? Segments { get; init; }

    /// <summary>Set when the whole event is in a blob (<see cref="EventBlobs"/>): the row keeps a stub and this name.</summary>
    public string? BlobName { get; init; }

    public bool Applied => string.Equals(State, EventStates.Applied, StringComparison.Ordinal);

    public static EventRow From(TableEntity e) => new(
        JsonColumns.Read<CrmEvent>(e, "Event") ?? throw new InvalidOperationException($"Event row '{e.RowKey}' has no event."),
        e.GetString("State") ?? EventStates.Pending,
        e.GetDateTimeOffset("ReceivedAt") ?? default,
        JsonColumns.ReadElement(e, "StoredPrevious"),
        e.GetDateTimeOffset("AppliedAt"),
        e.ETag)
    {
        RunIds = JsonColumns.Read<string[]>(e, "Runs") ?? [],
        BlobName = e.GetString("EventBlob"),
        Segments = JsonColumns.Read<SegmentChange>(e, "Segments"),
    };

    public TableEntity ToEntity(string partition)
    {
        var e = new TableEntity(partition, Keys.EventRow(Event.Id))
        {
            ["Kind"] = "event",
            ["EventId"] = Event.Id,
            ["Type"] = Event.Type,
            ["State"] = State,
            ["ReceivedAt"] = ReceivedAt,
            ["AppliedAt"] = AppliedAt,
        };
        if (BlobName is not null)
        {
            e["EventBlob"] = BlobName;
        }

        JsonColumns.Write(e, "Event", BlobName is null ? Event : EventBlobs.Stub(Event));
        JsonColumns.WriteElement(e, "StoredPrevious", StoredPrevious);
        if (RunIds.Count > 0)
        {
            JsonColumns.Write(e, "Runs", RunIds);
        }

        JsonColumns.Write(e, "Segments", Segments);

        return e;
    }
}

/// <summary>A once-workflow's claim on a record: inserting it is both the check and the claim.</summary>
public sealed record EnrollmentRow(string WorkflowId, string RunId)
{
    public static EnrollmentRow From(TableEntity e) => new(e.GetString("WorkflowId") ?? "", e.GetString("RunId") ?? "");

    public TableEntity ToEntity(string partition, DateTimeOffset at) => new(partition, Keys.EnrollmentRow(WorkflowId))
    {
        ["Kind"] = "enrollment",
        ["WorkflowId"] = WorkflowId,
        ["RunId"] = RunId,
        ["EnrolledAt"] = at,
    };
}

/// <summary>
/// A run row: the engine's <see cref="RunState"/> plus what only the runtime needs: the next step-log sequence number,
/// and the traces of a skipped or exited run. Its orchestration (instance id = run id) is what drives it; every write
/// carries the ETag read, so an admin's cancel and a step's checkpoint cannot both win.
/// </summary>
public sealed record RunRow
{
    public required RunState State { get; init; }

    public ETag ETag { get; init; }

    public int LogSeq { get; init; }

    public ConditionTrace? Conditions { get; init; }

    public ConditionTrace? Exit { get; init; }

    public static RunRow From(TableEntity e) => new()
    {
        State = JsonColumns.Read<RunState>(e, "State") ?? throw new InvalidOperationException($"Run row '{e.RowKey}' has no state."),
        ETag = e.ETag,
        LogSeq = e.GetInt32("LogSeq") ?? 0,
        Conditions = JsonColumns.Read<ConditionTrace>(e, "Conditions"),
        Exit = JsonColumns.Read<ConditionTrace>(e, "Exit"),
    };

    public TableEntity ToEntity(string partition)
    {
        var s = State;
        var e = new TableEntity(partition, Keys.RunRow(s.RunId))
        {
            ["Kind"] = "run",
            ["RunId"] = s.RunId,
            ["WorkflowId"] = s.WorkflowId,
            ["WorkflowVersion"] = s.WorkflowVersion,
            ["Status"] = StatusName(s.Status),
            ["CreatedAt"] = s.CreatedAt,
            ["UpdatedAt"] = s.UpdatedAt,
            ["WakeAt"] = s.WakeAt,
            ["LogSeq"] = LogSeq,
        };
        JsonColumns.Write(e, "State", s);
        JsonColumns.Write(e, "Conditions", Conditions);
        JsonColumns.Write(e, "Exit", Exit);
        return e;
    }

    public static string StatusName(RunStatus status) => EnumNames.Camel(status);
}

public static class StepLogRows
{
    public static TableEntity ToEntity(string partition, int sequence, StepLogEntry log)
    {
        var e = new TableEntity(partition, Keys.LogRow(log.RunId, sequence))
        {
            ["Kind"] = "log",
            ["RunId"] = log.RunId,
            ["StepId"] = log.StepId,
            ["StepIndex"] = log.StepIndex,
            ["Attempt"] = log.Attempt,
            ["Action"] = log.Action,
            ["Status"] = EnumNames.Camel(log.Status),
            ["StartedAt"] = log.StartedAt,
            ["EndedAt"] = log.EndedAt,
            ["Error"] = Truncate(log.Error, 8000),
        };
        JsonColumns.WriteElement(e, "Input", log.Input);
        JsonColumns.WriteElement(e, "Output", log.Output);
        JsonColumns.Write(e, "Trace", log.Trace);
        return e;
    }

    public static StepLogEntry From(TableEntity e) => new()
    {
        RunId = e.GetString("RunId") ?? "",
        StepId = e.GetString("StepId") ?? "",
        StepIndex = e.GetInt32("StepIndex") ?? 0,
        Attempt = e.GetInt32("Attempt") ?? 0,
        Action = e.GetString("Action") ?? "",
        Status = EnumNames.Parse(e.GetString("Status"), StepStatus.Failed),
        StartedAt = e.GetDateTimeOffset("StartedAt") ?? default,
        EndedAt = e.GetDateTimeOffset("EndedAt") ?? default,
        Input = JsonColumns.ReadElement(e, "Input"),
        Output = JsonColumns.ReadElement(e, "Output"),
        Error = e.GetString("Error"),
        Trace = JsonColumns.Read<ConditionTrace>(e, "Trace"),
    };

    public static string? Truncate(string? text, int max) =>
        text is null || text.Length <= max ? text : text[..max] + "…";
}
