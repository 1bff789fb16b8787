using System.Collections.Frozen;

namespace Automation.Engine.Model;

/// <summary>Operator names as they appear in JSON (<c>notContains</c>, <c>changedTo</c>), and what each expects.</summary>
public static class ConditionOperators
{
    private static readonly FrozenDictionary<string, ConditionOperator> ByName =
        Enum.GetValues<ConditionOperator>().ToFrozenDictionary(Name, op => op, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    public static string Name(ConditionOperator op)
    {
        var text = op.ToString();
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    public static bool TryParse(string name, out ConditionOperator op) => ByName.TryGetValue(name, out op);

    /// <summary>What the leaf's <c>value</c> must be for this operator; used by validation and the dashboard.</summary>
    public static OperatorValueKind ValueKind(ConditionOperator op) => op switch
    {
        ConditionOperator.Exists or ConditionOperator.NotExists or ConditionOperator.IsEmpty
            or ConditionOperator.IsNotEmpty or ConditionOperator.Changed => OperatorValueKind.None,
        ConditionOperator.Between => OperatorValueKind.Range,
        ConditionOperator.In or ConditionOperator.NotIn => OperatorValueKind.List,
        ConditionOperator.Contains or ConditionOperator.NotContains or ConditionOperator.StartsWith
            or ConditionOperator.EndsWith => OperatorValueKind.Text,
        ConditionOperator.Gt or ConditionOperator.Gte or ConditionOperator.Lt
            or ConditionOperator.Lte => OperatorValueKind.Comparable,
        ConditionOperator.Before or ConditionOperator.After => OperatorValueKind.Date,
        _ => OperatorValueKind.Scalar,
    };
}

public enum OperatorValueKind
{
    /// <summary>No value (exists, isEmpty, changed).</summary>
    None,

    /// <summary>A string, number, boolean or null (eq, neq, changedTo, changedFrom).</summary>
    Scalar,

    /// <summary>A number or a date, absolute or relative (gt, gte, lt, lte).</summary>
    Comparable,

    /// <summary>A two-element array [low, high] of numbers or dates (between).</summary>
    Range,

    /// <summary>A non-empty array of scalars (in, notIn).</summary>
    List,

    /// <summary>A string (contains, startsWith, endsWith).</summary>
    Text,

    /// <summary>An absolute ISO 8601 date or a relative one: -7d, +2h, today (before, after).</summary>
    Date,
}
