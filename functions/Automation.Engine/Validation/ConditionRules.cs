using System.Text.Json;
using Automation.Engine.Conditions;
using Automation.Engine.Model;

namespace Automation.Engine.Validation;

/// <summary>
/// Checks a condition tree as raw JSON: each node is exactly one of <c>all</c>, <c>any</c>, <c>not</c> or a leaf
/// (<c>field</c>, <c>op</c>, <c>value</c>), and each leaf's value fits its operator.
/// </summary>
internal static class ConditionRules
{
    /// <summary>Levels of all/any/not; deeper trees are a mistake, and recursion must stay bounded.</summary>
    public const int MaxDepth = 10;

    private const string Shapes =
        "{ \"all\": [...] }, { \"any\": [...] }, { \"not\": {...} } or { \"field\": \"record.amount\", \"op\": \"gt\", \"value\": 50000 }";

    private static readonly string OperatorList =
        string.Join(", ", Enum.GetValues<ConditionOperator>().Select(ConditionOperators.Name));

    public static void Check(ValidationContext ctx, JsonElement node, string path, int depth = 1)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            ctx.Error(path, $"A condition must be an object: {Shapes}.");
            return;
        }

        if (depth > MaxDepth)
        {
            ctx.Error(path, $"Conditions are nested more than {MaxDepth} levels deep; simplify them.");
            return;
        }

        var shapes = new List<string>(4);
        foreach (var key in (string[])["all", "any", "not"])
        {
            if (node.TryGetProperty(key, out _))
            {
                shapes.Add($"'{key}'");
            }
        }

        var isLeaf = node.TryGetProperty("field", out _) || node.TryGetProperty("op", out _);
        if (isLeaf)
        {
            shapes.Add("a field test");
        }

        switch (shapes.Count)
        {
            case 0:
                ctx.Error(path, $"A condition needs 'all', 'any' or 'not', or a 'field' and an 'op': {Shapes}.");
                return;
            case > 1:
                ctx.Error(path, $"A condition must be exactly one of 'all', 'any', 'not' or a field test; this one has {string.Join(" and ", shapes)}.");
                return;
        }

        if (node.TryGetProperty("all", out var all))
        {
            CheckList(ctx, all, JsonPaths.Property(path, "all"), "all", depth);
        }
        else if (node.TryGetProperty("any", out var any))
        {
            CheckList(ctx, any, JsonPaths.Property(path, "any"), "any", depth);
        }
        else if (node.TryGetProperty("not", out var not))
        {
            Check(ctx, not, JsonPaths.Property(path, "not"), depth + 1);
        }
        else
        {
            CheckLeaf(ctx, node, path);
        }
    }

    private static void CheckList(ValidationContext ctx, JsonElement list, string path, string key, int depth)
    {
        if (list.ValueKind != JsonValueKind.Array)
        {
            ctx.Error(path, $"'{key}' must be a list of conditions.");
            return;
        }

        if (list.GetArrayLength() == 0)
        {
            ctx.Error(path, $"'{key}' needs at least one condition.");
            return;
        }

        var i = 0;
        foreach (var child in list.EnumerateArray())
        {
            Check(ctx, child, JsonPaths.Index(path, i++), depth + 1);
        }
    }

    private static void CheckLeaf(ValidationContext ctx, JsonElement leaf, string path)
    {
        var field = ctx.RequiredString(leaf, "field", path, "A condition needs a 'field', e.g. record.amount.");
        if (field is not null && !IsFieldPath(field))
        {
            ctx.Error(JsonPaths.Property(path, "field"),
                $"Field '{ValueFormats.Show(field)}' must start with record., previous., event. or run. followed by a field name, e.g. record.amount.");
        }

        if (leaf.TryGetProperty("caseSensitive", out var caseSensitive)
            && caseSensitive.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            ctx.Error(JsonPaths.Property(path, "caseSensitive"), "'caseSensitive' must be true or false.");
        }

        var opText = ctx.RequiredString(leaf, "op", path, $"A condition needs an 'op'. Use one of: {OperatorList}.");
        if (opText is null)
        {
            return;
        }

        if (!ConditionOperators.TryParse(opText, out var op))
        {
            ctx.Error(JsonPaths.Property(path, "op"), $"Unknown operator '{ValueFormats.Show(opText)}'. Use one of: {OperatorList}.");
            return;
        }

        var valuePath = JsonPaths.Property(path, "value");
        var hasValue = leaf.TryGetProperty("value", out var value);
        var kind = ConditionOperators.ValueKind(op);
        if (kind == OperatorValueKind.None)
        {
            // A null value is what a form sends for "no value"; anything else means the admin expects it to count.
            if (hasValue && value.ValueKind != JsonValueKind.Null)
            {
                ctx.Error(valuePath, $"Operator '{opText}' does not take a value; remove 'value'.");
            }

            return;
        }

        if (!hasValue)
        {
            ctx.Error(valuePath, $"Operator '{opText}' needs a value.");
            return;
        }

        CheckValue(ctx, opText, kind, value, valuePath);
    }

    private static void CheckValue(ValidationContext ctx, string op, OperatorValueKind kind, JsonElement value, string path)
    {
        switch (kind)
        {
            case OperatorValueKind.Scalar when !ValueFormats.IsScalar(value):
                ctx.Error(path, $"Operator '{op}' compares with one value (text, a number, true/false or null), not {ValueFormats.Describe(value.ValueKind)}; use 'in' for a list.");
                break;
            case OperatorValueKind.Comparable when !IsComparable(value):
                ctx.Error(path, $"Operator '{op}' needs a number or a date, e.g. 50000, \"2025-01-31\" or \"-7d\".");
                break;
            case OperatorValueKind.Range:
                CheckRange(ctx, op, value, path);
                break;
            case OperatorValueKind.List:
                CheckList(ctx, op, value, path);
                break;
            case OperatorValueKind.Text when value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number):
                ctx.Error(path, $"Operator '{op}' needs text to look for, not {ValueFormats.Describe(value.ValueKind)}.");
                break;
            case OperatorValueKind.Date when !IsDate(value):
                ctx.Error(path, $"Operator '{op}' needs a date: an ISO date such as \"2025-01-31\" or \"2025-01-31T09:00:00Z\", or a relative one such as \"-7d\", \"+2h\" or \"today\".");
                break;
        }
    }

    private static void CheckRange(ValidationContext ctx, string op, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 2)
        {
            ctx.Error(path, $"Operator '{op}' needs a list of two values, [low, high], e.g. [10, 20] or [\"-30d\", \"today\"].");
            return;
        }

        var low = value[0];
        var high = value[1];
        var bothValid = true;
        for (var i = 0; i < 2; i++)
        {
            if (!IsComparable(value[i]))
            {
                ctx.Error(JsonPaths.Index(path, i), "Each end of the range must be a number or a date, e.g. 50000, \"2025-01-31\" or \"-7d\".");
                bothValid = false;
            }
        }

        if (bothValid && low.ValueKind == JsonValueKind.Number && high.ValueKind == JsonValueKind.Number
            && low.GetDouble() > high.GetDouble())
        {
            ctx.Error(path, $"The range starts above where it ends: [{low.GetRawText()}, {high.GetRawText()}]; put the low value first.");
        }
    }

    private static void CheckList(ValidationContext ctx, string op, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            ctx.Error(path, $"Operator '{op}' needs a list of values, e.g. [\"new\", \"open\"].");
            return;
        }

        if (value.GetArrayLength() == 0)
        {
            ctx.Error(path, $"Operator '{op}' needs at least one value in its list.");
            return;
        }

        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (!ValueFormats.IsScalar(item))
            {
                ctx.Error(JsonPaths.Index(path, i), $"Each value of '{op}' must be text, a number, true/false or null, not {ValueFormats.Describe(item.ValueKind)}.");
            }

            i++;
        }
    }

    // The evaluator's own readers decide what is a number or a date, so that validation and evaluation never disagree.
    private static bool IsComparable(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => true,
        JsonValueKind.String => ValueComparer.TryParseNumber(value.GetString(), out _) || ValueComparer.IsDateLiteral(value.GetString()!),
        _ => false,
    };

    private static bool IsDate(JsonElement value) => value.ValueKind == JsonValueKind.String && ValueComparer.IsDateLiteral(value.GetString()!);

    /// <summary>A root, a dot, then a path <see cref="FieldPath"/> can walk (<c>record.address.city</c>, <c>record.tags[0]</c>).</summary>
    private static bool IsFieldPath(string field)
    {
        var root = FieldPath.RootOf(field);
        return FieldPath.HasKnownRoot(field)
            && field.Length > root.Length + 1
            && field[root.Length] == '.'
            && FieldPath.Split(field).Count >= 2;
    }
}
