using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Validation;

namespace Automation.Engine.Actions;

/// <summary>
/// Masks credentials in step params wherever they leave the engine: rendered params in a step log or a dry run's
/// answer, and the stored definitions the API answers with. Masked are every parameter the action registry marks
/// secret (an object keeps its keys, its values are masked: header names stay readable), and at any depth any key that
/// names a credential (Authorization, password, token, api key, secret, cookie). A value that only refers to a secret
/// of configuration (<see cref="SecretReferences"/>) holds none and stays readable, so an admin sees which one is used.
/// </summary>
public static class SecretMasker
{
    public const string Mask = "***";

    private static readonly string[] SensitiveWords =
        ["authorization", "password", "passwd", "secret", "token", "apikey", "api-key", "api_key", "cookie", "signature", "credential"];

    public static JsonElement? Apply(JsonElement? rendered, string actionType)
    {
        if (rendered is not { ValueKind: JsonValueKind.Object } obj)
        {
            return rendered;
        }

        var node = Map(JsonNode.Parse(obj.GetRawText())!.AsObject(), actionType, (_, value) => Masked(value));
        return JsonSerializer.SerializeToElement(node, EngineJson.Options);
    }

    /// <summary>The workflow as the API shows it: each step's params masked.</summary>
    public static Workflow Apply(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return workflow with { Steps = workflow.Steps.Select(s => s with { Params = Apply(s.Params, s.Action) }).ToArray() };
    }

    /// <summary>
    /// A definition sent back after it was read masked (the dashboard's editor does that): each masked value
    /// (<see cref="Mask"/>) at a secret position takes the stored value at the same place of the same step id in
    /// <paramref name="current"/>. A mask with nothing stored to keep is an error under its path.
    /// </summary>
    public static (Workflow Workflow, IReadOnlyDictionary<string, string[]> Errors) Restore(Workflow incoming, Workflow? current)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var steps = new List<Step>(incoming.Steps.Count);
        for (var i = 0; i < incoming.Steps.Count; i++)
        {
            var step = incoming.Steps[i];
            if (step.Params is not { ValueKind: JsonValueKind.Object } given || !given.GetRawText().Contains(Mask, StringComparison.Ordinal))
            {
                steps.Add(step);
                continue;
            }

            var stored = current?.Steps.FirstOrDefault(s => s.Id == step.Id && s.Action == step.Action)?.Params is { ValueKind: JsonValueKind.Object } p
                ? JsonNode.Parse(p.GetRawText())
                : null;
            var basePath = $"steps[{i}].params";
            var node = Map(JsonNode.Parse(given.GetRawText())!.AsObject(), step.Action, (path, value) =>
            {
                if (value is not JsonValue v || !v.TryGetValue<string>(out var text) || text != Mask)
                {
                    return value?.DeepClone();
                }

                if (At(stored, path) is JsonValue keep && keep.TryGetValue<string>(out var kept) && kept != Mask)
                {
                    return JsonValue.Create(kept);
                }

                errors[JsonPathOf(basePath, path)] = [$"'{Mask}' stands for a stored secret, but step '{step.Id}' has none here to keep; send the value."];
                return value.DeepClone();
            });
            steps.Add(step with { Params = JsonSerializer.SerializeToElement(node, EngineJson.Options) });
        }

        return (incoming with { Steps = steps }, errors);
    }

    /// <summary>Calls <paramref name="visit"/> with the path (property names and indexes) of every value at a secret position.</summary>
    public static void VisitSecrets(JsonElement parameters, string actionType, Action<IReadOnlyList<object>, JsonNode?> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        if (parameters.ValueKind == JsonValueKind.Object)
        {
            Map(JsonNode.Parse(parameters.GetRawText())!.AsObject(), actionType, (path, value) =>
            {
                visit(path, value);
                return value?.DeepClone();
            });
        }
    }

    public static bool IsSensitive(string key)
    {
        foreach (var word in SensitiveWords)
        {
            if (key.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A copy of the params where each value at a secret position is replaced by what <paramref name="secret"/> makes of it.</summary>
    private static JsonObject Map(JsonObject parameters, string actionType, Func<IReadOnlyList<object>, JsonNode?, JsonNode?> secret)
    {
        ActionRegistry.TryGet(actionType, out var descriptor);
        var copy = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            var path = new List<object> { name };
            if (descriptor?.Parameter(name) is { Secret: true })
            {
                copy[name] = value is JsonObject o ? MapValues(o, path, secret) : secret(path, value);
            }
            else
            {
                copy[name] = MapByName(name, value, path, secret);
            }
        }

        return copy;
    }

    private static JsonNode? MapByName(string key, JsonNode? value, List<object> path, Func<IReadOnlyList<object>, JsonNode?, JsonNode?> secret)
    {
        if (IsSensitive(key))
        {
            return secret(path, value);
        }

        switch (value)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                {
                    copy[k] = MapByName(k, v, [.. path, k], secret);
                }

                return copy;
            case JsonArray a:
                var list = new JsonArray();
                for (var i = 0; i < a.Count; i++)
                {
                    list.Add(MapByName("", a[i], [.. path, i], secret));
                }

                return list;
            default:
                return value?.DeepClone();
        }
    }

    private static JsonObject MapValues(JsonObject o, List<object> path, Func<IReadOnlyList<object>, JsonNode?, JsonNode?> secret)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in o)
        {
            copy[k] = secret([.. path, k], v);
        }

        return copy;
    }

    private static JsonValue? Masked(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) && SecretReferences.IsReferenceOnly(text) => JsonValue.Create(text),
        _ => JsonValue.Create(Mask),
    };

    private static JsonNode? At(JsonNode? node, IReadOnlyList<object> path)
    {
        foreach (var part in path)
        {
            node = (part, node) switch
            {
                (string name, JsonObject o) => o[name],
                (int index, JsonArray a) when index < a.Count => a[index],
                _ => null,
            };
        }

        return node;
    }

    public static string JsonPathOf(string basePath, IReadOnlyList<object> path) =>
        path.Aggregate(basePath, (at, part) => part is int i ? JsonPaths.Index(at, i) : JsonPaths.Property(at, (string)part));
}
