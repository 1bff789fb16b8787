using System.Text.Json;

namespace Automation.Functions.Tests;

/// <summary>One function of the Functions app as the Worker SDK's build wrote it to <c>functions.metadata</c>.</summary>
public sealed record FunctionMetadata(string Name, IReadOnlyList<JsonElement> Bindings)
{
    /// <summary>
    /// The file the Functions project's build generates (even where its worker extensions are not built), copied here
    /// through this project's reference to it: the solution build that compiles these tests produced it.
    /// </summary>
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "functions.metadata");

    public static IReadOnlyList<FunctionMetadata> All { get; } = Load();

    public JsonElement Trigger => Bindings.Single(b =>
        b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)
        && string.Equals(b.GetProperty("direction").GetString(), "In", StringComparison.OrdinalIgnoreCase));

    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public bool IsHttp => TriggerType == "httpTrigger";

    public string Route => Trigger.GetProperty("route").GetString()!;

    /// <summary>HTTP methods in upper case, as ASP.NET Core endpoints list them.</summary>
    public IReadOnlyList<string> Methods =>
        Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToArray();

    public bool Binds(string type) => Bindings.Any(b => b.GetProperty("type").GetString() == type);

    public override string ToString() => $"{Name} ({TriggerType})";

    private static FunctionMetadata[] Load()
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"No functions.metadata at {Path}: build the solution (the Functions project generates it).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Path));
        return document.RootElement.EnumerateArray()
            .Select(f => new FunctionMetadata(
                f.GetProperty("name").GetString()!,
                f.GetProperty("bindings").EnumerateArray().Select(b => b.Clone()).ToArray()))
            .ToArray();
    }
}
