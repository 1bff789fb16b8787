using System.Globalization;

namespace Automation.Engine.Validation;

/// <summary>
/// Builds the error keys: <c>steps[2].params.subject</c>, with the root as the empty string. Keys that would read
/// as path syntax are quoted (<c>fields["address.city"]</c>) the way <see cref="Templates.TemplateRenderer.RenderParams"/>
/// quotes them, so that validation and dry-run errors name a parameter the same way.
/// </summary>
public static class JsonPaths
{
    public static string Property(string parent, string name)
    {
        if (name.Length == 0 || name.AsSpan().IndexOfAny(".[]\"") >= 0)
        {
            return $"{parent}[\"{name.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
        }

        return parent.Length == 0 ? name : parent + "." + name;
    }

    public static string Index(string parent, int index) =>
        parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
