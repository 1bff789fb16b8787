using Azure;
using Azure.Data.Tables;

namespace Automation.Runtime.Scheduling;

/// <summary>
/// The scheduler's row for one workflow (<c>schedules</c> partition of the Workflows table, row <c>w|{workflowId}</c>).
/// <para>For a schedule: <see cref="Last"/> is the newest occurrence handled (claimed or skipped).</para>
/// <para>For both kinds, a <b>job</b> is work that may take several pages and outlive a tick or a process: the
/// occurrence being fired (<see cref="JobAt"/>) or, for a date trigger, the back-fill of <see cref="JobKey"/>. It keeps
/// its <see cref="Cursor"/> (where the record scan stands) and a lease: a tick that finds a job whose lease ran out
/// takes it over and goes on from the cursor. <see cref="Done"/> is the back-fill a date trigger completed.</para>
/// </summary>
public sealed record ScheduleState(string WorkflowId)
{
    public DateTimeOffset? Last { get; init; }

    public string? JobKey { get; init; }

    public DateTimeOffset? JobAt { get; init; }

    public bool JobLate { get; init; }

    public string? Cursor { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    public long Count { get; init; }

    public string? Done { get; init; }

    public ETag ETag { get; init; }

    public bool HasJob => JobKey is not null;

    public ScheduleState WithoutJob() => this with { JobKey = null, JobAt = null, JobLate = false, Cursor = null, LeaseUntil = null, Count = 0 };

    public static ScheduleState From(TableEntity e) => new(e.GetString("WorkflowId") ?? "")
    {
        Last = e.GetDateTimeOffset("Last"),
        JobKey = e.GetString("JobKey"),
        JobAt = e.GetDateTimeOffset("JobAt"),
        JobLate = e.GetBoolean("JobLate") ?? false,
        Cursor = e.GetString("Cursor"),
        LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
        Count = e.GetInt64("Count") ?? 0,
        Done = e.GetString("Done"),
        ETag = e.ETag,
    };

    public TableEntity ToEntity() => new(ScheduleStore.Partition, ScheduleStore.StateRow(WorkflowId))
    {
        ["Kind"] = "schedule",
        ["WorkflowId"] = WorkflowId,
        ["Last"] = Last,
        ["JobKey"] = JobKey,
        ["JobAt"] = JobAt,
        ["JobLate"] = JobLate,
        ["Cursor"] = Cursor,
        ["LeaseUntil"] = LeaseUntil,
        ["Count"] = Count,
        ["Done"] = Done,
    };
}
