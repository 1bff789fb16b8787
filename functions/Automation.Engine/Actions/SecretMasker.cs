using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;

namespace Automation.Engine.Actions;

/// <summary>
/// Masks credentials in rendered params before they go into a step log or a dry run's answer: every parameter the action registry marks
/// secret (an object keeps its keys, its values are masked: header names stay readable), and at any depth any key
/// that names a credential (Authorization, password, token, api key, secret, cookie).
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

        ActionRegistry.TryGet(actionType, out var descriptor);
        var node = JsonNode.Parse(obj.GetRawText())!.AsObject();
        foreach (var (name, value) in node.ToArray())
        {
            if (descriptor?.Parameter(name) is { Secret: true })
            {
                node[name] = value is JsonObject o ? MaskValues(o) : Masked(value);
            }
            else
            {
                node[name] = MaskByName(name, value);
            }
        }

        return JsonSerializer.SerializeToElement(node, EngineJson.Options);
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

    private static JsonNode? MaskByName(string key, JsonNode? value)
    {
        if (IsSensitive(key))
        {
            return Masked(value);
        }

        switch (value)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                {
                    copy[k] = MaskByName(k, v);
                }

                return copy;
            case JsonArray a:
                var list = new JsonArray();
                foreach (var item in a)
                {
                    list.Add(MaskByName("", item));
                }

                return list;
            default:
                return value?.DeepClone();
        }
    }

    private static JsonObject MaskValues(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in o)
        {
            copy[k] = Masked(v);
        }

        return copy;
    }

    private static JsonValue? Masked(JsonNode? value) => value is null ? null : JsonValue.Create(Mask);
}
