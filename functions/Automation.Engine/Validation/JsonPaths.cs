using System.Globalization;

namespace Automation.Engine.Validation;

/// <summary>Builds the error keys: <c>steps[2].params.subject</c>, with the root as the empty string.</summary>
internal static class JsonPaths
{
    public static string Property(string parent, string name)
    {
        // Keys that would read as path syntax are quoted, so that every key maps back to one place.
        var quoted = name.Length == 0 || name.AsSpan().IndexOfAny(".[]' ") >= 0;
        var segment = quoted ? $"['{name.Replace("'", "\\'", StringComparison.Ordinal)}']" : name;
        if (parent.Length == 0)
        {
            return segment;
        }

        return quoted ? parent + segment : parent + "." + segment;
    }

    public static string Index(string parent, int index) =>
        parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
