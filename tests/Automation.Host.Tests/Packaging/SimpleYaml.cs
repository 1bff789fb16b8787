namespace Automation.Host.Tests.Packaging;

/// <summary>
/// Reads the nested "key: value" maps of azure.yaml into dotted paths (services.functions.host). Enough
/// for our own file; no YAML package is in the package source, and lists or multi-line values are not
/// used where the tests look.
/// </summary>
internal static class SimpleYaml
{
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var parents = new List<(int Indent, string Key)>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.TrimEnd();
            var content = line.TrimStart();
            if (content.Length == 0 || content.StartsWith('#') || content.StartsWith('-'))
            {
                continue;
            }

            var indent = line.Length - content.Length;
            parents.RemoveAll(p => p.Indent >= indent);
            var colon = content.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = content[..colon].Trim();
            var value = content[(colon + 1)..].Trim();
            var fullKey = string.Join(".", parents.Select(p => p.Key).Append(key));
            if (value.Length == 0)
            {
                parents.Add((indent, key));
            }
            else
            {
                values[fullKey] = value.Trim('"', '\'');
            }
        }

        return values;
    }
}
