using System.Text.RegularExpressions;

namespace Automation.Engine.Model;

/// <summary>What a segment may be called in URLs and triggers: the same shape as template ids.</summary>
public static partial class SegmentIds
{
    public const string Rule = "use 1 to 64 lowercase letters, digits and dashes";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
