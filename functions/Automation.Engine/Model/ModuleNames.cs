using System.Text.RegularExpressions;

namespace Automation.Engine.Model;

/// <summary>What a module (the kind of a record: <c>lead</c>, <c>sales_order</c>) may be called.</summary>
public static partial class ModuleNames
{
    public const int MaxLength = 64;

    public const string Rule = "must start with a lowercase letter followed by lowercase letters, digits or underscores (at most 64 characters), e.g. \"lead\" or \"sales_order\"";

    public static bool IsValid(string? module) => module is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(module);

    [GeneratedRegex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
