using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Segments;
using Automation.Runtime.Segments;

namespace Automation.Api.Apis;

/// <summary>Where workflows and segments meet: which workflows name a segment, and whether a workflow's segment is usable.</summary>
public static class SegmentReferences
{
    /// <summary>Workflows (not archived) whose trigger names segment <paramref name="id"/>.</summary>
    public static IReadOnlyList<Workflow> Users(string id, IEnumerable<Workflow> workflows) =>
        workflows.Where(w => w.Status != WorkflowStatus.Archived && IsSegmentTrigger(w.Trigger)
                && string.Equals(w.Trigger.Segment, id, StringComparison.Ordinal))
            .OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>
    /// The workflow's segment must exist and list the workflow's module; null when it does (or the trigger names none),
    /// else the error under <c>trigger.segment</c>. The engine's validator cannot read the store, so the API checks this.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string[]>?> CheckAsync(Workflow workflow, SegmentStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(store);
        if (!IsSegmentTrigger(workflow.Trigger) || workflow.Trigger.Segment is not { } id)
        {
            return null;
        }

        var segment = await store.GetAsync(id, cancellationToken);
        string? problem = segment is null
            ? $"Segment '{id}' does not exist; create it with POST /api/segments, or pick one of GET /api/segments?module={workflow.Module}."
            : !string.Equals(segment.Module, workflow.Module, StringComparison.OrdinalIgnoreCase)
                ? $"Segment '{id}' lists {segment.Module} records; this workflow acts on {workflow.Module} records."
                : null;
        return problem is null ? null : new Dictionary<string, string[]>(StringComparer.Ordinal) { ["trigger.segment"] = [problem] };
    }

    /// <summary>
    /// For a dry run of a segment trigger: the membership change <paramref name="evt"/> would make to a record holding
    /// <paramref name="stored"/> (null for other triggers), decided as the event processor would.
    /// </summary>
    public static async Task<SegmentChange?> DryRunChangeAsync(
        Workflow workflow, CrmEvent evt, JsonElement? current, IReadOnlyCollection<string> stored, SegmentStore store, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(store);
        if (!IsSegmentTrigger(workflow.Trigger))
        {
            return null;
        }

        var deleted = string.Equals(evt.Type, EventTypes.RecordDeleted, StringComparison.Ordinal);
        return SegmentMembership.Decide(evt.Module, await store.ListAsync(evt.Module, cancellationToken), deleted ? null : current, stored, now);
    }

    private static bool IsSegmentTrigger(Trigger trigger) =>
        trigger.Type is TriggerTypes.SegmentEntered or TriggerTypes.SegmentExited;
}
