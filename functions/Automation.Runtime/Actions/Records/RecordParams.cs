using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Runtime.Actions.Records;

/// <summary>A record action cannot go on: a bad parameter, a missing team, a deleted record. Final unless said otherwise.</summary>
public sealed class RecordActionException(string message, bool retryable = false) : Exception(message)
{
    public bool Retryable { get; } = retryable;
}

/// <summary>Reading rendered params: every template has rendered to text, so numbers and flags may arrive as strings.</summary>
internal static class RecordParams
{
    /// <summary>The value as text (numbers and booleans as written); null when absent, null or blank.</summary>
    public static string? Text(JsonElement p, string name)
    {
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty(name, out var v))
        {
            return null;
        }

        var text = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.Object or JsonValueKind.Array => throw new RecordActionException($"params.{name} must be text, not {v.ValueKind.ToString().ToLowerInvariant()}."),
            _ => v.GetRawText(),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public static string RequiredText(JsonElement p, string name) =>
        Text(p, name) ?? throw new RecordActionException($"params.{name} is required (it rendered empty).");

    /// <summary>A number, or text that reads as one (a rendered template); null when absent or blank.</summary>
    public static double? Number(JsonElement p, string name)
    {
        if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty(name, out var v))
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number)
        {
            return v.GetDouble();
        }

        var text = Text(p, name);
        if (text is null)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new RecordActionException($"params.{name}: '{text}' is not a number.");
    }

    /// <summary>A whole number of days within 0..3650 (a due date, a close date).</summary>
    public static int? Days(JsonElement p, string name)
    {
        var n = Number(p, name);
        if (n is null)
        {
            return null;
        }

        if (n < 0 || n > 3650 || double.IsNaN(n.Value))
        {
            throw new RecordActionException($"params.{name}: {n.Value.ToString(CultureInfo.InvariantCulture)} is not between 0 and 3650.");
        }

        return (int)Math.Round(n.Value, MidpointRounding.AwayFromZero);
    }

    /// <summary>A JSON number when the text is one, else the text: amounts stay numbers after a template rendered them.</summary>
    public static JsonNode NumberOrText(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? JsonValue.Create(n)
            : JsonValue.Create(text);

    public static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText());

    /// <summary>A field of the record the step sees (for defaults such as "the record owner").</summary>
    public static string? RecordText(JsonElement? record, string field) =>
        record is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty(field, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
            : null;

    /// <summary>The user the step names in <paramref name="name"/>, or else the record's owner (created records default to it).</summary>
    public static string? UserOrOwner(ActionContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Text(context.Params, name) ?? RecordText(context.Scope.Record, AssignOwnerHandler.DefaultField);
    }

    /// <summary>A calendar date <paramref name="days"/> after <paramref name="now"/> (UTC), as CRMs take due dates: <c>2025-03-14</c>.</summary>
    public static string DateAfter(DateTimeOffset now, int days) =>
        now.UtcDateTime.Date.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
