using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automation.Engine.Conditions;

/// <summary>
/// How condition values compare. CRMs send numbers as strings and booleans as "true", so a JSON number
/// on either side makes equality numeric, and order comparisons treat any numeric text as a number.
/// Text compares ordinally, ignoring case unless asked not to.
/// </summary>
public static partial class ValueComparer
{
    /// <summary>A number, or text that reads as one in invariant culture ("50000", "1e3", " 2.5 "; not "50,000").</summary>
    public static bool TryGetNumber(JsonElement value, out decimal number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDecimal(out number),
            JsonValueKind.String => TryParseNumber(value.GetString(), out number),
            _ => false,
        };
    }

    /// <summary>Reads <paramref name="text"/> as an invariant-culture number.</summary>
    public static bool TryParseNumber(string? text, out decimal number)
    {
        number = 0;
        return !string.IsNullOrWhiteSpace(text)
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>true/false, or the text "true"/"false" in any case.</summary>
    public static bool TryGetBoolean(JsonElement value, out bool result)
    {
        result = false;
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                result = true;
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.String:
                return bool.TryParse(value.GetString()?.Trim(), out result);
            default:
                return false;
        }
    }

    /// <summary>The value as text for text operators; null for JSON null.</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };

    /// <summary>Missing, null, blank text, or an empty array or object.</summary>
    public static bool IsEmpty(JsonElement? value) => value is not { } v || v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.String => string.IsNullOrWhiteSpace(v.GetString()),
        JsonValueKind.Array => v.GetArrayLength() == 0,
        JsonValueKind.Object => !v.EnumerateObject().Any(),
        _ => false,
    };

    /// <summary>
    /// Equality as the <c>eq</c> operator sees it. Missing and null are equal to each other. A JSON number against
    /// numeric text compares as numbers; a JSON boolean against "true"/"false" as booleans; text against text
    /// ignores case unless <paramref name="caseSensitive"/>; arrays and objects compare structurally.
    /// </summary>
    public static bool AreEqual(JsonElement? left, JsonElement? right, bool caseSensitive)
    {
        var leftNull = IsNull(left);
        var rightNull = IsNull(right);
        if (leftNull || rightNull)
        {
            return leftNull && rightNull;
        }

        var a = left!.Value;
        var b = right!.Value;
        if (a.ValueKind == JsonValueKind.Number || b.ValueKind == JsonValueKind.Number)
        {
            return TryGetNumber(a, out var x) && TryGetNumber(b, out var y) && x == y;
        }

        if (IsBooleanKind(a) || IsBooleanKind(b))
        {
            return TryGetBoolean(a, out var x) && TryGetBoolean(b, out var y) && x == y;
        }

        if (a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String)
        {
            return string.Equals(a.GetString(), b.GetString(), Comparison(caseSensitive));
        }

        return a.ValueKind == b.ValueKind && JsonElement.DeepEquals(a, b);
    }

    /// <summary>
    /// Orders <paramref name="actual"/> against <paramref name="expected"/>: as numbers when both read as numbers,
    /// else as dates when both read as dates (the expected side may be relative: <c>-7d</c>, <c>today</c>).
    /// False, with <paramref name="note"/> saying why, when they are neither. <paramref name="note"/> also explains a relative date.
    /// </summary>
    public static bool TryCompare(
        JsonElement actual, JsonElement expected, DateTimeOffset now, TimeZoneInfo timeZone, out int result, out string? note)
    {
        result = 0;
        note = null;
        if (TryGetNumber(actual, out var x) && TryGetNumber(expected, out var y))
        {
            result = x.CompareTo(y);
            return true;
        }

        var expectedIsDate = TryGetDate(expected, now, timeZone, allowRelative: true, out var expectedDate, out note);
        if (TryGetDate(actual, now, timeZone, allowRelative: false, out var actualDate, out _) && expectedIsDate)
        {
            result = actualDate.CompareTo(expectedDate);
            return true;
        }

        note = expectedIsDate
            ? $"{Describe(actual)} is not a date"
            : $"cannot compare {Describe(actual)} with {Describe(expected)}: they are neither numbers nor dates";
        return false;
    }

    /// <summary>
    /// Reads a date: an absolute ISO 8601 date or date-time (without an offset it is local time in
    /// <paramref name="timeZone"/>), or, when <paramref name="allowRelative"/>, a <see cref="RelativeDate"/>.
    /// <paramref name="relativeNote"/> shows what a relative date resolved to.
    /// </summary>
    public static bool TryGetDate(
        JsonElement value, DateTimeOffset now, TimeZoneInfo timeZone, bool allowRelative, out DateTimeOffset date, out string? relativeNote)
    {
        date = default;
        relativeNote = null;
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var text = value.GetString()!;
        if (TryParseAbsoluteDate(text, timeZone, out date))
        {
            return true;
        }

        if (allowRelative && RelativeDate.TryParse(text, now, timeZone, out date))
        {
            relativeNote = $"relative date {text.Trim()} = {FormatDate(date)}";
            return true;
        }

        return false;
    }

    /// <summary>True when <paramref name="text"/> is an absolute ISO 8601 date or a relative date; needs no clock.</summary>
    public static bool IsDateLiteral(string text) =>
        TryParseAbsoluteDate(text, TimeZoneInfo.Utc, out _) || RelativeDate.IsValid(text);

    /// <summary>
    /// An ISO 8601 date (<c>2026-03-01</c>, midnight local) or date-time (<c>2026-03-01T09:30</c>, <c>...Z</c>,
    /// <c>...+02:00</c>). Other shapes ("03/01/2026", "2026") are not dates: they would read differently per culture.
    /// </summary>
    public static bool TryParseAbsoluteDate(string text, TimeZoneInfo timeZone, out DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        date = default;
        if (text is null)
        {
            return false;
        }

        text = text.Trim();
        if (DateOnlyPattern().IsMatch(text))
        {
            if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return false;
            }

            date = RelativeDate.FromLocal(day, timeZone);
            return true;
        }

        if (!DateTimePattern().IsMatch(text))
        {
            return false;
        }

        if (OffsetSuffixPattern().IsMatch(text))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        date = RelativeDate.FromLocal(local, timeZone);
        return true;
    }

    /// <summary>How dates appear in trace notes.</summary>
    public static string FormatDate(DateTimeOffset date) =>
        date.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    /// <summary>A value as it appears in trace notes: text quoted, JSON otherwise.</summary>
    public static string Describe(JsonElement? value) => value switch
    {
        null => "a missing value",
        { ValueKind: JsonValueKind.String } v => $"'{v.GetString()}'",
        { } v => v.GetRawText(),
    };

    public static StringComparison Comparison(bool caseSensitive) =>
        caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    private static bool IsNull(JsonElement? value) =>
        value is not { } v || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined;

    private static bool IsBooleanKind(JsonElement value) => value.ValueKind is JsonValueKind.True or JsonValueKind.False;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DateOnlyPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"(Z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex OffsetSuffixPattern();
}
