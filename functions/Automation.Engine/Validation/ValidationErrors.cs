namespace Automation.Engine.Validation;

/// <summary>Collects messages by path, keeping the order in which they were found.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> byPath = new(StringComparer.Ordinal);

    public int Count => byPath.Count;

    public void Add(string path, string message)
    {
        var key = path.Length == 0 ? ValidationResult.RootPath : path;
        if (!byPath.TryGetValue(key, out var messages))
        {
            messages = [];
            byPath.Add(key, messages);
        }

        if (!messages.Contains(message, StringComparer.Ordinal))
        {
            messages.Add(message);
        }
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        byPath.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
}
