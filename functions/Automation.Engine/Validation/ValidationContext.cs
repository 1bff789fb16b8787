using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Engine.Templates;

namespace Automation.Engine.Validation;

/// <summary>What the rules share while checking one definition: the error list and the template checker.</summary>
internal sealed partial class ValidationContext(TemplateRenderer templates)
{
    public ValidationErrors Errors { get; } = new();

    public void Error(string path, string message) => Errors.Add(path, message);

    /// <summary>Adds the template's error, if any, as "Template error at line 1, column 12: ...".</summary>
    public void CheckTemplate(string path, string text)
    {
        if (templates.Check(text) is not { } error)
        {
            return;
        }

        // The renderer's message may already carry the position; say it once, in front.
        var reason = RendererPosition().Replace(error.Message, string.Empty);
        Error(path, error is { Line: { } line, Column: { } column }
            ? string.Create(CultureInfo.InvariantCulture, $"Template error at line {line}, column {column}: {reason}")
            : $"Template error: {reason}");
    }

    /// <summary>A property that is present and not null; JSON null means "not given" throughout a definition.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>
    /// A required non-blank string property. Reports a missing or blank value with <paramref name="missing"/>
    /// and a value of the wrong kind with a generic message; returns the string when it is usable.
    /// </summary>
    public string? RequiredString(JsonElement obj, string name, string path, string missing)
    {
        var at = JsonPaths.Property(path, name);
        if (!TryGet(obj, name, out var value))
        {
            Error(at, missing);
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(at, $"'{name}' must be text, not {ValueFormats.Describe(value.ValueKind)}.");
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            Error(at, missing);
            return null;
        }

        return text;
    }

    /// <summary>An optional string property: null when absent, an error when present but not text.</summary>
    public string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(JsonPaths.Property(path, name), $"'{name}' must be text, not {ValueFormats.Describe(value.ValueKind)}.");
            return null;
        }

        return value.GetString();
    }

    /// <summary>An optional string restricted to a few values.</summary>
    public void OptionalChoice(JsonElement obj, string name, string path, IReadOnlyList<string> allowed)
    {
        var text = OptionalString(obj, name, path);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            Error(JsonPaths.Property(path, name), $"'{name}' must be one of: {string.Join(", ", allowed)} (not '{ValueFormats.Show(text)}').");
        }
    }

    [GeneratedRegex(@"^Syntax error at line \d+, column \d+:\s*", RegexOptions.CultureInvariant)]
    private static partial Regex RendererPosition();
}
