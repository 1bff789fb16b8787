using System.Text.Json;

namespace Automation.Engine.Conditions;

/// <summary>The outcome of a condition tree, with every leaf evaluated (no short-circuit) so that an admin can see why.</summary>
public sealed record ConditionTrace(bool Result, IReadOnlyList<LeafTrace> Leaves)
{
    /// <summary>No condition at all: true, nothing to show.</summary>
    public static readonly ConditionTrace Empty = new(true, []);
}

/// <summary>
/// One leaf: its JSON path in the definition (<c>conditions.all[1]</c>), the field, operator and expected
/// value, the actual value it saw (absent when the field is missing), its result, and a note when the
/// result needs explaining ("field is missing", "not a number").
/// </summary>
public sealed record LeafTrace(
    string Path,
    string Field,
    string Op,
    JsonElement? Expected,
    JsonElement? Actual,
    bool Result,
    string? Note = null);
