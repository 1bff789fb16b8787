using System.Text.Json;
using System.Text.Json.Serialization;
using Automation.Engine.Model;

namespace Automation.Engine.Json;

/// <summary>
/// Reads and writes the condition shapes that <see cref="Condition"/> documents. Input is expected to have passed
/// <see cref="Validation.WorkflowValidator"/>; anything else is a <see cref="JsonException"/>.
/// </summary>
public sealed class ConditionJsonConverter : JsonConverter<Condition>
{
    public override Condition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return FromElement(doc.RootElement);
    }

    public static Condition FromElement(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A condition must be an object.");
        }

        if (element.TryGetProperty("all", out var all))
        {
            return new AllCondition(all.EnumerateArray().Select(FromElement).ToArray());
        }

        if (element.TryGetProperty("any", out var any))
        {
            return new AnyCondition(any.EnumerateArray().Select(FromElement).ToArray());
        }

        if (element.TryGetProperty("not", out var not))
        {
            return new NotCondition(FromElement(not));
        }

        var field = element.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String
            ? f.GetString()!
            : throw new JsonException("A condition leaf needs a 'field'.");
        var opText = element.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String
            ? o.GetString()!
            : throw new JsonException("A condition leaf needs an 'op'.");
        if (!ConditionOperators.TryParse(opText, out var op))
        {
            throw new JsonException($"Unknown operator '{opText}'.");
        }

        JsonElement? value = element.TryGetProperty("value", out var v) ? v.Clone() : null;
        var caseSensitive = element.TryGetProperty("caseSensitive", out var cs) && cs.ValueKind == JsonValueKind.True;
        return new LeafCondition(field, op, value, caseSensitive);
    }

    public override void Write(Utf8JsonWriter writer, Condition value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        switch (value)
        {
            case AllCondition a:
                writer.WritePropertyName("all");
                WriteList(writer, a.All, options);
                break;
            case AnyCondition a:
                writer.WritePropertyName("any");
                WriteList(writer, a.Any, options);
                break;
            case NotCondition n:
                writer.WritePropertyName("not");
                Write(writer, n.Not, options);
                break;
            case LeafCondition l:
                writer.WriteString("field", l.Field);
                writer.WriteString("op", ConditionOperators.Name(l.Op));
                if (l.Value is { } v)
                {
                    writer.WritePropertyName("value");
                    v.WriteTo(writer);
                }

                if (l.CaseSensitive)
                {
                    writer.WriteBoolean("caseSensitive", true);
                }

                break;
            default:
                throw new JsonException($"Unknown condition type {value.GetType().Name}.");
        }

        writer.WriteEndObject();
    }

    private void WriteList(Utf8JsonWriter writer, IReadOnlyList<Condition> list, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var c in list)
        {
            Write(writer, c, options);
        }

        writer.WriteEndArray();
    }
}
