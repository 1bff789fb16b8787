using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Engine.Conditions;
using Automation.Engine.Templates;

namespace Automation.Engine.Validation;

/// <summary>Format checks for values written literally in a definition (not rendered from a template).</summary>
internal static partial class ValueFormats
{
    /// <summary>
    /// True when the text holds Liquid markup or a bracket merge field (as <see cref="MergeFields"/> reads them): its
    /// value is only known at run time, so a literal format check (email, url, number) would reject valid templates.
    /// </summary>
    public static bool HasTemplateMarkup(string text) =>
        text.Contains("{{", StringComparison.Ordinal)
        || text.Contains("{%", StringComparison.Ordinal)
        || MergeFields.Translate(text).Replacements.Count > 0;

    /// <summary>One or more addresses separated by commas or semicolons, each bare or as <c>Name &lt;address&gt;</c>.</summary>
    public static bool IsEmailList(string text)
    {
        var parts = text.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 && parts.All(IsEmailAddress);
    }

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0;

    /// <summary>A phone number with 7 to 15 digits (E.164 allows 15), optionally with +, spaces, dots, dashes and parentheses.</summary>
    public static bool IsPhone(string text)
    {
        if (!PhoneCharacters().IsMatch(text))
        {
            return false;
        }

        var digits = text.Count(char.IsAsciiDigit);
        return digits is >= 7 and <= 15;
    }

    /// <summary>An ISO 8601 date (<c>2025-01-31</c>) or date-time (<c>2025-01-31T09:00:00Z</c>) that exists in the calendar, read as conditions read dates.</summary>
    public static bool IsIsoDateTime(string text) => ValueComparer.TryParseAbsoluteDate(text, TimeZoneInfo.Utc, out _);

    public static bool IsNumericText(string text) => ValueComparer.TryParseNumber(text, out _);

    public static bool IsScalar(JsonElement value) => value.ValueKind is JsonValueKind.String or JsonValueKind.Number
        or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null;

    /// <summary>A value quoted in a message, cut short so that a pasted essay does not flood the error list.</summary>
    public static string Show(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "text",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static bool IsEmailAddress(string text)
    {
        var display = DisplayNameAddress().Match(text);
        var address = display.Success ? display.Groups["address"].Value.Trim() : text;
        return EmailAddress().IsMatch(address);
    }


    [GeneratedRegex(@"^[^@\s<>(),;:""]+@[^@\s<>(),;:""]+\.[^@\s<>(),;:"".]+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"^[^<>]*<(?<address>[^<>]+)>$", RegexOptions.CultureInvariant)]
    private static partial Regex DisplayNameAddress();

    [GeneratedRegex(@"^\+?[0-9(][0-9 ().\-]*[0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneCharacters();

}
