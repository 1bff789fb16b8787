using System.Globalization;
using System.Text.Json;
using Automation.Engine.Conditions;

namespace Automation.Engine.Triggers;

/// <summary>Small readings of JSON values shared by change derivation, trigger matching and their reasons.</summary>
public static class JsonValues
{
    /// <summary>A missing value and JSON null are the same: "no value".</summary>
    public static bool IsNothing(JsonElement? value) =>
        value is null || value.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    /// <summary>A top-level field of an object, or null when the object or the field is missing (or the field is null).</summary>
    public static JsonElement? Field(JsonElement? obj, string name)
    {
        if (obj is not { ValueKind: JsonValueKind.Object } o || !o.TryGetProperty(name, out var value))
        {
            return null;
        }

        return IsNothing(value) ? null : value;
    }

    /// <summary>The text of a scalar (a string as is, a number or boolean as written); null for nothing, objects and arrays.</summary>
    public static string? Text(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        _ => null,
    };

    /// <summary>A number, or a string holding one (CRMs often send numbers as strings); null otherwise.</summary>
    public static double? Number(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetDouble(out var d) => d,
        { ValueKind: JsonValueKind.String } v when double.TryParse(
            v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    };

    /// <summary>
    /// Equality as the trigger parameters <c>from</c> / <c>to</c> mean it: exactly the condition operator <c>eq</c>
    /// (a number equals a string holding the same number, text compares without case, true equals "true", null
    /// equals a missing value), so a trigger and a condition never disagree about the same value.
    /// </summary>
    public static bool LooselyEqual(JsonElement? actual, JsonElement? expected) =>
        ValueComparer.AreEqual(actual, expected, caseSensitive: false);

    /// <summary>A value as a reason shows it: <c>'SQL'</c>, <c>80</c>, <c>true</c>, <c>nothing</c>, or compact JSON.</summary>
    public static string Describe(JsonElement? value) => value switch
    {
        _ when IsNothing(value) => "nothing",
        { ValueKind: JsonValueKind.String } v => Quote(v.GetString()),
        { } v => v.GetRawText(),
        _ => "nothing",
    };

    /// <summary>A name as a reason shows it: quoted, or <c>nothing</c>.</summary>
    public static string Quote(string? text) => text is null ? "nothing" : "'" + text + "'";
}
