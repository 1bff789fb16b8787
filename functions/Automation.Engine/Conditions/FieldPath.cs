using System.Globalization;
using System.Text.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Conditions;

/// <summary>
/// Dotted paths into the scope: <c>record.amount</c>, <c>record.address.city</c>, <c>previous.stage</c>,
/// <c>event.data.name</c>, <c>run.id</c>; arrays by index (<c>record.tags.0</c> or <c>record.tags[0]</c>).
/// </summary>
public static class FieldPath
{
    /// <summary>The roots a path may start with.</summary>
    public static IReadOnlyList<string> Roots { get; } = ["record", "previous", "event", "run"];

    /// <summary>True when the path starts with one of <see cref="Roots"/> (alone or followed by a dot).</summary>
    public static bool HasKnownRoot(string path)
    {
        var root = RootOf(path);
        return Roots.Contains(root, StringComparer.Ordinal);
    }

    /// <summary>The first segment of the path (<c>record</c> for <c>record.amount</c>).</summary>
    public static string RootOf(string path)
    {
        var end = path.IndexOfAny(['.', '[']);
        return end < 0 ? path : path[..end];
    }

    /// <summary>
    /// The value at <paramref name="path"/>, or null when it is missing (unknown root, absent property,
    /// index out of range, stepping into a scalar). A JSON null is returned as a <see cref="JsonValueKind.Null"/> element,
    /// so that "missing" and "null" stay distinguishable.
    /// </summary>
    public static JsonElement? Resolve(EvaluationScope scope, string path)
    {
        var segments = Split(path);
        if (segments.Count == 0)
        {
            return null;
        }

        JsonElement? root = segments[0] switch
        {
            "record" => scope.Record,
            "previous" => scope.Previous,
            "event" => scope.Event,
            "run" => scope.Run,
            _ => null,
        };
        return root is { } r ? Walk(r, segments, 1) : null;
    }

    /// <summary>The value at <paramref name="path"/> below <paramref name="element"/> (no root segment).</summary>
    public static JsonElement? ResolveIn(JsonElement element, string path) => Walk(element, Split(path), 0);

    /// <summary>Splits <c>a.b[0].c</c> into <c>a</c>, <c>b</c>, <c>0</c>, <c>c</c>; empty when the path is malformed.</summary>
    public static IReadOnlyList<string> Split(string path)
    {
        var segments = new List<string>();
        foreach (var part in path.Split('.'))
        {
            var rest = part;
            var bracket = rest.IndexOf('[', StringComparison.Ordinal);
            if (bracket < 0)
            {
                if (rest.Length == 0)
                {
                    return [];
                }

                segments.Add(rest);
                continue;
            }

            if (bracket > 0)
            {
                segments.Add(rest[..bracket]);
            }

            rest = rest[bracket..];
            while (rest.Length > 0)
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                if (rest[0] != '[' || close < 2)
                {
                    return [];
                }

                segments.Add(rest[1..close]);
                rest = rest[(close + 1)..];
            }
        }

        return segments;
    }

    private static JsonElement? Walk(JsonElement current, IReadOnlyList<string> segments, int start)
    {
        for (var i = start; i < segments.Count; i++)
        {
            var segment = segments[i];
            switch (current.ValueKind)
            {
                case JsonValueKind.Object:
                    if (!TryGetProperty(current, segment, out current))
                    {
                        return null;
                    }

                    break;
                case JsonValueKind.Array:
                    if (!int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                        || index >= current.GetArrayLength())
                    {
                        return null;
                    }

                    current = current[index];
                    break;
                default:
                    return null;
            }
        }

        return current.ValueKind == JsonValueKind.Undefined ? null : current;
    }

    // CRM exports disagree on the case of field names (Email, email); an exact match wins, then any case.
    private static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }
}
