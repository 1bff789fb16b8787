using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Runtime.Crm;

/// <summary>Our field values as CRMs take them.</summary>
public static class CrmValues
{
    /// <summary>Text as is, numbers as written, booleans in lowercase; null for null, objects and arrays.</summary>
    public static string? Text(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number => v.ToJsonString(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => null,
    };

    /// <summary>A date (<c>2026-12-10</c>) or a time as an instant, for CRMs that want one; null when it reads as neither.</summary>
    public static DateTimeOffset? Instant(JsonNode? value) =>
        Text(value) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    /// <summary>The first <paramref name="length"/> characters of a text, for CRM fields of bounded length.</summary>
    public static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
