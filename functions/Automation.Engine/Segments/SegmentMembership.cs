using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Model;

namespace Automation.Engine.Segments;

/// <summary>
/// Decides a record's segments from its state and the membership stored for it, so that entering and leaving are
/// derived from stored state rather than from each workflow's copy of the conditions: a record enters a segment when it
/// matches and was not stored as a member, and leaves it when it was and no longer matches.
/// </summary>
public static class SegmentMembership
{
    /// <summary>
    /// <paramref name="record"/> is the record's new state; null when it was deleted, which takes it out of every
    /// segment. Stored ids of segments that no longer exist (or list another module) are dropped without an exit:
    /// nothing can listen for them (a segment a workflow names cannot be deleted).
    /// </summary>
    public static SegmentChange Decide(
        string module, IEnumerable<Segment> segments, JsonElement? record, IReadOnlyCollection<string> stored, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(stored);
        var wasIn = new HashSet<string>(stored, StringComparer.Ordinal);
        var scope = new EvaluationScope { Record = record, Now = now };
        var entered = new List<string>();
        var exited = new List<string>();
        var members = new List<string>();
        foreach (var segment in segments.Where(s => s.Id is not null && string.Equals(s.Module, module, StringComparison.OrdinalIgnoreCase)))
        {
            var id = segment.Id!;
            var isIn = record is { ValueKind: JsonValueKind.Object } && IsMember(segment, scope);
            if (isIn)
            {
                members.Add(id);
                if (!wasIn.Contains(id))
                {
                    entered.Add(id);
                }
            }
            else if (wasIn.Contains(id))
            {
                exited.Add(id);
            }
        }

        entered.Sort(StringComparer.Ordinal);
        exited.Sort(StringComparer.Ordinal);
        members.Sort(StringComparer.Ordinal);
        return new SegmentChange(entered, exited, members);
    }

    private static bool IsMember(Segment segment, EvaluationScope scope) =>
        ConditionEvaluator.Evaluate(segment.Conditions, scope, "conditions").Result;
}
