namespace Automation.Runtime.Storage;

/// <summary>Enum values as stored in columns and filters: the camelCase names EngineJson writes.</summary>
public static class EnumNames
{
    public static string Camel<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static T Parse<T>(string? text, T fallback)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) ? value : fallback;
}
