using System.Globalization;
using System.Text.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Schedules;

/// <summary>
/// The <c>schedule.fired</c> events of an occurrence. The id is <c>schedule:{workflowId}:{occurrence}</c>, so firing
/// an occurrence again (a retry, a second instance) is a duplicate that intake drops.
/// <list type="bullet">
/// <item>Without <c>overRecords</c>: one event about the pseudo-record <c>schedule:{workflowId}:{occurrence}</c>, one per
/// occurrence, so that the run of each occurrence is a record of its own: <c>enrollment: once</c> then means once per
/// occurrence, which is what a schedule means, and the runs spread over partitions.</item>
/// <item>With <c>overRecords</c>: one event per record of the module (the scheduler picks those matching the
/// conditions), with the same id in each record's partition.</item>
/// </list>
/// The events carry no <c>record</c>: the processor judges the stored snapshot, as it is when the event is processed.
/// </summary>
public static class ScheduleEvents
{
    public static string Key(DateTimeOffset occurrence) =>
        occurrence.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string EventId(string workflowId, DateTimeOffset occurrence) => $"schedule:{workflowId}:{Key(occurrence)}";

    /// <summary>The record of a schedule without <c>overRecords</c>.</summary>
    public static string PseudoRecordId(string workflowId, DateTimeOffset occurrence) => EventId(workflowId, occurrence);

    public static CrmEvent Fired(Workflow wf, DueOccurrence occurrence, TimeZoneInfo timeZone, string? recordId = null)
    {
        ArgumentNullException.ThrowIfNull(wf);
        ArgumentNullException.ThrowIfNull(timeZone);
        var local = TimeZoneInfo.ConvertTime(occurrence.At, timeZone);
        var data = new Dictionary<string, object?>
        {
            ["workflowId"] = wf.Id,
            ["occurrence"] = Key(occurrence.At),
            ["localTime"] = local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["timeZone"] = timeZone.Id,
            ["late"] = occurrence.Late,
        };
        return new CrmEvent
        {
            Id = EventId(wf.Id!, occurrence.At),
            Type = EventTypes.ScheduleFired,
            Module = wf.Module,
            RecordId = recordId ?? PseudoRecordId(wf.Id!, occurrence.At),
            OccurredAt = occurrence.At,
            Data = JsonSerializer.SerializeToElement(data),
        };
    }
}
