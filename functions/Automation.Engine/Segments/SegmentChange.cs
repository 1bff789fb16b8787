namespace Automation.Engine.Segments;

/// <summary>
/// What one event did to a record's segment membership: the segments it entered and left, and those it is in after.
/// <see cref="Evaluated"/> is false when membership was not decided for the event (an older event delivered late, or
/// a dry run with no stored state), so that a trigger can say so rather than claim the record is in no segment.
/// </summary>
public sealed record SegmentChange(
    IReadOnlyList<string> Entered,
    IReadOnlyList<string> Exited,
    IReadOnlyList<string> Members,
    bool Evaluated = true)
{
    public static readonly SegmentChange NotEvaluated = new([], [], [], Evaluated: false);

    public bool Changed => Entered.Count > 0 || Exited.Count > 0;
}
