using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automation.Host.Tests.Packaging;

/// <summary>One function folder of the Function App: its name and the bindings of its function.json.</summary>
public sealed partial record FunctionDefinition(string Name, JsonElement Json)
{
    /// <summary>Where the function folders live in the repository; scripts/package.sh copies them to the package root.</summary>
    public static string SourceFolder { get; } = RepositoryRoot.Combine("functions", "Automation.Host", "FunctionApp");

    public static IReadOnlyList<FunctionDefinition> All { get; } = LoadAll(SourceFolder);

    public static IReadOnlyList<FunctionDefinition> LoadAll(string folder) =>
        Directory.GetDirectories(folder)
            .Where(d => File.Exists(System.IO.Path.Combine(d, "function.json")))
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToArray();

    public static FunctionDefinition Load(string folder)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(folder, "function.json")));
        return new FunctionDefinition(System.IO.Path.GetFileName(folder), document.RootElement.Clone());
    }

    public IReadOnlyList<JsonElement> Bindings =>
        Json.TryGetProperty("bindings", out var bindings) && bindings.ValueKind == JsonValueKind.Array
            ? bindings.EnumerateArray().ToArray()
            : [];

    public JsonElement Trigger => Bindings.Single(IsTrigger);

    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public bool IsHttp => TriggerType == "httpTrigger";

    public string Route => Trigger.GetProperty("route").GetString()!;

    /// <summary>HTTP methods in upper case, as ASP.NET Core endpoints list them.</summary>
    public IReadOnlyList<string> Methods =>
        Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToArray();

    /// <summary>App settings the bindings name as %Setting% (resolved by the Functions host at start).</summary>
    public IEnumerable<string> SettingReferences =>
        Bindings.SelectMany(Strings).SelectMany(s => SettingPattern().Matches(s).Select(m => m.Groups[1].Value)).Distinct();

    /// <summary>Connection names; each is a setting or the prefix of identity-based settings (Name__...).</summary>
    public IEnumerable<string> Connections =>
        Bindings.Where(b => b.TryGetProperty("connection", out _)).Select(b => b.GetProperty("connection").GetString()!);

    public static bool IsTrigger(JsonElement binding) =>
        binding.TryGetProperty("type", out var type) && type.GetString()!.EndsWith("Trigger", StringComparison.Ordinal)
        && binding.TryGetProperty("direction", out var direction) && direction.GetString() == "in";

    public override string ToString() => Name;

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingPattern();
}
