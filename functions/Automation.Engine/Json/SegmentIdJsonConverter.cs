using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Engine.Json;

/// <summary>
/// Reads a trigger's <c>segment</c>: a segment id. Definitions stored before segments were saved on their own carry an
/// object (<c>{ "name", "conditions" }</c>) there; it reads as no segment, so that such a workflow still loads (its
/// trigger then matches nothing and says why) instead of making every workflow unreadable. New definitions never get
/// here with an object: validation refuses it first.
/// </summary>
public sealed class SegmentIdJsonConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
