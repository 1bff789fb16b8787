using System.Globalization;
using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Engine.Conditions;
using Automation.Engine.Runs;

namespace Automation.Engine.Validation;

/// <summary>
/// Checks a step's params against its action's <see cref="ActionDescriptor"/>: no unknown names, required values
/// present, kinds and formats right where the value is literal, and template syntax where it is a template.
/// </summary>
internal static class ParameterRules
{
    public static void Check(ValidationContext ctx, ActionDescriptor action, JsonElement? parameters, string path)
    {
        if (parameters is { } given)
        {
            foreach (var property in given.EnumerateObject())
            {
                var at = JsonPaths.Property(path, property.Name);
                var spec = action.Parameter(property.Name);
                if (spec is null)
                {
                    ctx.Error(at, $"{action.Type} has no parameter '{ValueFormats.Show(property.Name)}'. Its parameters: {string.Join(", ", action.Parameters.Select(p => p.Name))}.");
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    CheckValue(ctx, spec, property.Value, at);
                }
            }
        }

        foreach (var spec in action.Parameters)
        {
            if (IsGiven(parameters, spec.Name))
            {
                continue;
            }

            if (spec.Required)
            {
                ctx.Error(JsonPaths.Property(path, spec.Name), $"'{spec.Name}' is required for {action.Type}.");
            }
            else if (spec.RequiredWhen is { } when && when.Values.Contains(LiteralText(parameters, when.Parameter), StringComparer.Ordinal))
            {
                ctx.Error(JsonPaths.Property(path, spec.Name), $"'{spec.Name}' is required when {when.Parameter} is {LiteralText(parameters, when.Parameter)}.");
            }
        }

        foreach (var choice in action.RequiredChoices)
        {
            if (!choice.Options.Any(option => option.All(name => IsGiven(parameters, name))))
            {
                ctx.Error(path, choice.Description);
            }
        }
    }

    /// <summary>Present and not empty: a blank string, an empty list or an empty object does not count.</summary>
    private static bool IsGiven(JsonElement? parameters, string name)
    {
        if (parameters is not { } p || !p.TryGetProperty(name, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => false,
            JsonValueKind.String => !string.IsNullOrWhiteSpace(value.GetString()),
            JsonValueKind.Array => value.GetArrayLength() > 0,
            JsonValueKind.Object => value.EnumerateObject().Any(),
            _ => true,
        };
    }

    private static string? LiteralText(JsonElement? parameters, string name) =>
        parameters is { } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static void CheckValue(ValidationContext ctx, ActionParameter spec, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            CheckText(ctx, spec, value.GetString()!, path);
            return;
        }

        var fits = (spec.Type, value.ValueKind) switch
        {
            (ActionParameterType.String, JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False) => true,
            (ActionParameterType.Number, JsonValueKind.Number) => true,
            (ActionParameterType.Boolean, JsonValueKind.True or JsonValueKind.False) => true,
            (ActionParameterType.Object, JsonValueKind.Object) => true,
            (ActionParameterType.Array, JsonValueKind.Array) => true,
            (ActionParameterType.Email, JsonValueKind.Array) => true,
            _ => false,
        };
        if (!fits)
        {
            ctx.Error(path, $"'{spec.Name}' must be {Expected(spec.Type)}, not {ValueFormats.Describe(value.ValueKind)}.");
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                CheckRange(ctx, spec, value.GetDouble(), path);
                break;
            case JsonValueKind.Array when spec.Type == ActionParameterType.Email:
                CheckEmailItems(ctx, spec, value, path);
                break;
            case JsonValueKind.Object or JsonValueKind.Array when spec.Template:
                CheckNestedTemplates(ctx, value, path);
                if (spec.Name == SendWindow.Parameter)
                {
                    CheckSendWindow(ctx, value, path);
                }

                break;
        }
    }

    /// <summary>Days, clock times and time zones written as they are; templated values wait for run time.</summary>
    private static void CheckSendWindow(ValidationContext ctx, JsonElement value, string path)
    {
        foreach (var (at, message) in SendWindow.Parse(value, scope: null, allowTemplates: true).Errors)
        {
            ctx.Error(at.Length == 0 ? path : at.StartsWith('[') ? path + at : path + "." + at, message);
        }
    }

    private static void CheckText(ValidationContext ctx, ActionParameter spec, string text, string path)
    {
        // A template renders to text, so it can never stand for an object or a list.
        if (spec.Type is ActionParameterType.Object or ActionParameterType.Array)
        {
            ctx.Error(path, $"'{spec.Name}' must be {Expected(spec.Type)}, not text.");
            return;
        }

        if (spec.Template)
        {
            ctx.CheckTemplate(path, text);
            if (ValueFormats.HasTemplateMarkup(text))
            {
                // What it renders to is known only at run time.
                return;
            }
        }

        if (spec.AllowedValues is { } allowed && !allowed.Contains(text, StringComparer.Ordinal))
        {
            ctx.Error(path, $"'{spec.Name}' must be one of: {string.Join(", ", allowed)} (not '{ValueFormats.Show(text)}').");
            return;
        }

        // Blank values are reported once, by the required check, not also as a bad format; what a secret reference
        // stands for is known only at run time (SecretReferences checks the reference itself).
        if (string.IsNullOrWhiteSpace(text) || SecretReferences.Contains(text))
        {
            return;
        }

        var problem = spec.Type switch
        {
            ActionParameterType.String => null,
            ActionParameterType.Number => ValueFormats.IsNumericText(text) ? null : "a number",
            ActionParameterType.Email => ValueFormats.IsEmailList(text) ? null : "an email address (or several separated by commas), or a template such as {{ record.email }}",
            ActionParameterType.Url => ValueFormats.IsHttpUrl(text) ? null : "an http or https address, e.g. https://example.com/hook",
            ActionParameterType.Phone => ValueFormats.IsPhone(text) ? null : "a phone number in international format, e.g. +14155550123",
            ActionParameterType.DateTime => ValueFormats.IsIsoDateTime(text) ? null : "a date-time such as 2025-01-31T09:00:00Z",
            _ => Expected(spec.Type),
        };
        if (problem is not null)
        {
            ctx.Error(path, $"'{spec.Name}' must be {problem}; '{ValueFormats.Show(text)}' is not.");
            return;
        }

        if (spec.Type == ActionParameterType.Number && ValueComparer.TryParseNumber(text, out var number))
        {
            CheckRange(ctx, spec, (double)number, path);
        }
    }

    private static void CheckRange(ValidationContext ctx, ActionParameter spec, double number, string path)
    {
        if (spec.Minimum is { } min && number < min || spec.Maximum is { } max && number > max)
        {
            var range = (spec.Minimum, spec.Maximum) switch
            {
                ({ } low, { } high) => $"from {Format(low)} to {Format(high)}",
                ({ } low, null) => $"{Format(low)} or more",
                (null, { } high) => $"{Format(high)} or less",
                _ => string.Empty,
            };
            ctx.Error(path, $"'{spec.Name}' must be {range}.");
        }
    }

    private static void CheckEmailItems(ValidationContext ctx, ActionParameter spec, JsonElement list, string path)
    {
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = JsonPaths.Index(path, i++);
            if (item.ValueKind == JsonValueKind.String)
            {
                CheckText(ctx, spec, item.GetString()!, at);
            }
            else
            {
                ctx.Error(at, $"Each address in '{spec.Name}' must be text, not {ValueFormats.Describe(item.ValueKind)}.");
            }
        }
    }

    /// <summary>Every string inside a templated object or list is rendered, so every one must parse.</summary>
    private static void CheckNestedTemplates(ValidationContext ctx, JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                ctx.CheckTemplate(path, value.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    CheckNestedTemplates(ctx, property.Value, JsonPaths.Property(path, property.Name));
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    CheckNestedTemplates(ctx, item, JsonPaths.Index(path, i++));
                }

                break;
        }
    }

    private static string Expected(ActionParameterType type) => type switch
    {
        ActionParameterType.String => "text",
        ActionParameterType.Number => "a number",
        ActionParameterType.Boolean => "true or false",
        ActionParameterType.Object => "an object",
        ActionParameterType.Array => "a list",
        ActionParameterType.Email => "an email address",
        ActionParameterType.Url => "an http or https address",
        ActionParameterType.Phone => "a phone number",
        ActionParameterType.DateTime => "a date-time",
        _ => type.ToString(),
    };

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);
}
