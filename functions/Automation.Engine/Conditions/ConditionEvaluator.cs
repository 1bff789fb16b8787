using System.Text.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Conditions;

/// <summary>Evaluates condition trees over an <see cref="EvaluationScope"/>.</summary>
public static class ConditionEvaluator
{
    private const string MissingNote = "field is missing";

    /// <summary>
    /// Evaluates <paramref name="condition"/> (null is true). <paramref name="basePath"/> prefixes the leaf paths
    /// in the trace (<c>conditions</c>, <c>exitConditions</c>, <c>steps[2].condition</c>).
    /// Every leaf is evaluated, even when the result is already known, so the trace shows them all.
    /// </summary>
    public static ConditionTrace Evaluate(Condition? condition, EvaluationScope scope, string basePath = "conditions")
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (condition is null)
        {
            return ConditionTrace.Empty;
        }

        var leaves = new List<LeafTrace>();
        var result = Node(condition, scope, basePath, leaves);
        return new ConditionTrace(result, leaves);
    }

    private static bool Node(Condition condition, EvaluationScope scope, string path, List<LeafTrace> leaves)
    {
        switch (condition)
        {
            case AllCondition all:
                {
                    var result = true;
                    for (var i = 0; i < all.All.Count; i++)
                    {
                        result &= Node(all.All[i], scope, $"{path}.all[{i}]", leaves);
                    }

                    return result;
                }

            case AnyCondition any:
                {
                    var result = false;
                    for (var i = 0; i < any.Any.Count; i++)
                    {
                        result |= Node(any.Any[i], scope, $"{path}.any[{i}]", leaves);
                    }

                    return result;
                }

            case NotCondition not:
                return !Node(not.Not, scope, $"{path}.not", leaves);
            case LeafCondition leaf:
                var trace = Leaf(leaf, scope, path);
                leaves.Add(trace);
                return trace.Result;
            default:
                throw new InvalidOperationException($"Unknown condition type {condition.GetType().Name}.");
        }
    }

    private static LeafTrace Leaf(LeafCondition leaf, EvaluationScope scope, string path)
    {
        if (leaf.Op is ConditionOperator.Changed or ConditionOperator.ChangedTo or ConditionOperator.ChangedFrom)
        {
            return Change(leaf, scope, path);
        }

        var actual = FieldPath.Resolve(scope, leaf.Field)?.Clone();
        var (result, note) = Apply(leaf, actual, scope);
        return new LeafTrace(path, leaf.Field, ConditionOperators.Name(leaf.Op), leaf.Value, actual, result, note);
    }

    private static (bool Result, string? Note) Apply(LeafCondition leaf, JsonElement? actual, EvaluationScope scope)
    {
        var missingNote = actual is null ? MissingNote : null;
        var expected = leaf.Value;
        var cs = leaf.CaseSensitive;
        switch (leaf.Op)
        {
            case ConditionOperator.Eq:
                return (ValueComparer.AreEqual(actual, expected, cs), missingNote);
            case ConditionOperator.Neq:
                return (!ValueComparer.AreEqual(actual, expected, cs), missingNote);
            case ConditionOperator.Exists:
                return (actual is { ValueKind: not JsonValueKind.Null }, missingNote);
            case ConditionOperator.NotExists:
                return (actual is null or { ValueKind: JsonValueKind.Null }, missingNote);
            case ConditionOperator.IsEmpty:
                return (ValueComparer.IsEmpty(actual), missingNote);
            case ConditionOperator.IsNotEmpty:
                return (!ValueComparer.IsEmpty(actual), missingNote);
            case ConditionOperator.In:
                return InList(actual, expected, cs, missingNote);
            case ConditionOperator.NotIn:
                {
                    var (inList, note) = InList(actual, expected, cs, missingNote);
                    return (!inList, note);
                }

            case ConditionOperator.Contains:
                return Contains(actual, expected, cs);
            case ConditionOperator.NotContains:
                {
                    var (contains, note) = Contains(actual, expected, cs);
                    return (!contains, note);
                }

            case ConditionOperator.StartsWith:
            case ConditionOperator.EndsWith:
                return Affix(leaf.Op, actual, expected, cs);
            case ConditionOperator.Gt:
            case ConditionOperator.Gte:
            case ConditionOperator.Lt:
            case ConditionOperator.Lte:
                return Order(leaf.Op, actual, expected, scope);
            case ConditionOperator.Between:
                return Between(actual, expected, scope);
            case ConditionOperator.Before:
            case ConditionOperator.After:
                return BeforeAfter(leaf.Op, actual, expected, scope);
            default:
                throw new InvalidOperationException($"Operator {leaf.Op} has no evaluation.");
        }
    }

    private static (bool, string?) InList(JsonElement? actual, JsonElement? expected, bool cs, string? missingNote)
    {
        if (expected is not { ValueKind: JsonValueKind.Array } list)
        {
            return (false, "the value must be a list");
        }

        // A multi-select field (an array) is in the list when any of its items is.
        if (actual is { ValueKind: JsonValueKind.Array } items)
        {
            return (items.EnumerateArray().Any(item => list.EnumerateArray().Any(x => ValueComparer.AreEqual(item, x, cs))), null);
        }

        return (list.EnumerateArray().Any(x => ValueComparer.AreEqual(actual, x, cs)), missingNote);
    }

    private static (bool, string?) Contains(JsonElement? actual, JsonElement? expected, bool cs)
    {
        if (actual is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return (false, actual is null ? MissingNote : "field is null");
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            return (value.EnumerateArray().Any(item => ValueComparer.AreEqual(item, expected, cs)), null);
        }

        var needle = expected is { } e ? ValueComparer.Text(e) : null;
        var haystack = ValueComparer.Text(value);
        if (needle is null || haystack is null)
        {
            return (false, "the value must be text");
        }

        return (haystack.Contains(needle, ValueComparer.Comparison(cs)), null);
    }

    private static (bool, string?) Affix(ConditionOperator op, JsonElement? actual, JsonElement? expected, bool cs)
    {
        if (actual is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return (false, actual is null ? MissingNote : "field is null");
        }

        var affix = expected is { } e ? ValueComparer.Text(e) : null;
        var text = ValueComparer.Text(value);
        if (affix is null || text is null || value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
        {
            return (false, "the field is not text");
        }

        var comparison = ValueComparer.Comparison(cs);
        return (op == ConditionOperator.StartsWith ? text.StartsWith(affix, comparison) : text.EndsWith(affix, comparison), null);
    }

    private static (bool, string?) Order(ConditionOperator op, JsonElement? actual, JsonElement? expected, EvaluationScope scope)
    {
        if (MissingOrNull(actual, expected) is { } problem)
        {
            return (false, problem);
        }

        if (!ValueComparer.TryCompare(actual!.Value, expected!.Value, scope.Now, scope.TimeZone, out var cmp, out var note))
        {
            return (false, note);
        }

        var result = op switch
        {
            ConditionOperator.Gt => cmp > 0,
            ConditionOperator.Gte => cmp >= 0,
            ConditionOperator.Lt => cmp < 0,
            _ => cmp <= 0,
        };
        return (result, note);
    }

    private static (bool, string?) Between(JsonElement? actual, JsonElement? expected, EvaluationScope scope)
    {
        if (expected is not { ValueKind: JsonValueKind.Array } range || range.GetArrayLength() != 2)
        {
            return (false, "the value must be [low, high]");
        }

        if (MissingOrNull(actual, expected) is { } problem)
        {
            return (false, problem);
        }

        var value = actual!.Value;
        if (!ValueComparer.TryCompare(value, range[0], scope.Now, scope.TimeZone, out var low, out var lowNote))
        {
            return (false, lowNote);
        }

        if (!ValueComparer.TryCompare(value, range[1], scope.Now, scope.TimeZone, out var high, out var highNote))
        {
            return (false, highNote);
        }

        var note = string.Join("; ", new[] { lowNote, highNote }.Where(n => n is not null));
        return (low >= 0 && high <= 0, note.Length == 0 ? null : note);
    }

    private static (bool, string?) BeforeAfter(ConditionOperator op, JsonElement? actual, JsonElement? expected, EvaluationScope scope)
    {
        if (MissingOrNull(actual, expected) is { } problem)
        {
            return (false, problem);
        }

        if (!ValueComparer.TryGetDate(expected!.Value, scope.Now, scope.TimeZone, allowRelative: true, out var bound, out var note))
        {
            return (false, $"{ValueComparer.Describe(expected)} is not a date");
        }

        if (!ValueComparer.TryGetDate(actual!.Value, scope.Now, scope.TimeZone, allowRelative: false, out var date, out _))
        {
            return (false, Join($"{ValueComparer.Describe(actual)} is not a date", note));
        }

        return (op == ConditionOperator.Before ? date < bound : date > bound, note);
    }

    private static LeafTrace Change(LeafCondition leaf, EvaluationScope scope, string path)
    {
        var op = ConditionOperators.Name(leaf.Op);
        var root = FieldPath.RootOf(leaf.Field);
        if (root is "event" or "run")
        {
            return new LeafTrace(path, leaf.Field, op, leaf.Value, null, false, $"{op} applies to record fields, not {root}.*");
        }

        // `record.stage`, `previous.stage` and `stage` all name the same record field.
        var name = root is "record" or "previous" ? leaf.Field[(root.Length + 1)..] : leaf.Field;
        var current = FieldPath.Resolve(scope, "record." + name)?.Clone();
        if (scope.Previous is null)
        {
            return new LeafTrace(path, leaf.Field, op, leaf.Value, current, false, "there is no previous version of the record");
        }

        var previous = FieldPath.Resolve(scope, "previous." + name);

        // Any edit of the stored text is a change, whatever the leaf's case option says about matching values.
        var changed = !ValueComparer.AreEqual(current, previous, caseSensitive: true);
        var result = leaf.Op switch
        {
            ConditionOperator.ChangedTo => changed && ValueComparer.AreEqual(current, leaf.Value, leaf.CaseSensitive),
            ConditionOperator.ChangedFrom => changed && ValueComparer.AreEqual(previous, leaf.Value, leaf.CaseSensitive),
            _ => changed,
        };
        var note = $"previous value: {(previous is { } p ? p.GetRawText() : "missing")}";
        return new LeafTrace(path, leaf.Field, op, leaf.Value, current, result, note);
    }

    private static string? MissingOrNull(JsonElement? actual, JsonElement? expected) =>
        actual is null ? MissingNote
        : actual.Value.ValueKind == JsonValueKind.Null ? "field is null"
        : expected is null or { ValueKind: JsonValueKind.Null } ? "the condition has no value to compare with"
        : null;

    private static string Join(string first, string? second) => second is null ? first : $"{first}; {second}";
}
