using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Templates;

namespace Automation.Engine.Validation;

/// <summary>
/// Validates a workflow definition as raw JSON, before it is read into <see cref="Workflow"/>, so that every
/// mistake is reported at once under its JSON path, even where the JSON does not fit the model. Problems with
/// the document as a whole are keyed <see cref="ValidationResult.RootPath"/> (<c>$</c>). Unknown properties are
/// ignored; <c>id</c>, <c>version</c>, <c>createdAt</c> and <c>updatedAt</c> may be present (the store sets them).
/// </summary>
public static class WorkflowValidator
{
    /// <summary>Largest definition accepted, in UTF-8 bytes.</summary>
    public const int MaxDefinitionBytes = 256 * 1024;

    public const int MaxNameLength = 200;
    public const int MaxModuleLength = ModuleNames.MaxLength;
    public const int MaxSteps = StepRules.MaxSteps;
    public const int MaxConditionDepth = ConditionRules.MaxDepth;

    private static readonly TemplateRenderer Templates = new();

    // The same leniency as EngineJson.Options, so that what validates also deserializes.
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ValidationResult Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var size = Encoding.UTF8.GetByteCount(json);
        if (size > MaxDefinitionBytes)
        {
            return TooLarge(size);
        }

        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return ValidateParsed(document.RootElement);
        }
        catch (JsonException ex)
        {
            return NotJson(ex);
        }
    }

    public static ValidationResult Validate(ReadOnlyMemory<byte> utf8Json)
    {
        if (utf8Json.Length > MaxDefinitionBytes)
        {
            return TooLarge(utf8Json.Length);
        }

        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            return ValidateParsed(document.RootElement);
        }
        catch (JsonException ex)
        {
            return NotJson(ex);
        }
    }

    public static ValidationResult Validate(JsonElement definition)
    {
        if (definition.ValueKind == JsonValueKind.Undefined)
        {
            return RootError("The workflow definition is empty; send a JSON object.");
        }

        var size = JsonMarshal.GetRawUtf8Value(definition).Length;
        return size > MaxDefinitionBytes ? TooLarge(size) : ValidateParsed(definition);
    }

    private static ValidationResult ValidateParsed(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return RootError($"A workflow definition must be a JSON object, not {ValueFormats.Describe(root.ValueKind)}.");
        }

        var ctx = new ValidationContext(Templates);
        CheckHeader(ctx, root);
        TriggerRules.Check(ctx, root);
        if (ValidationContext.TryGet(root, "conditions", out var conditions))
        {
            ConditionRules.Check(ctx, conditions, "conditions");
        }

        StepRules.Check(ctx, root);
        if (ValidationContext.TryGet(root, "exitConditions", out var exitConditions))
        {
            ConditionRules.Check(ctx, exitConditions, "exitConditions");
        }

        CheckServerManaged(ctx, root);
        if (ctx.Errors.Count > 0)
        {
            return new ValidationResult(ctx.Errors.ToDictionary(), null);
        }

        try
        {
            var workflow = root.Deserialize<Workflow>(EngineJson.Options)
                ?? throw new JsonException("The definition read as null.");
            return new ValidationResult(ctx.Errors.ToDictionary(), workflow);
        }
        catch (JsonException ex)
        {
            // A rule above is missing if this happens; still answer with a path rather than a 500.
            ctx.Error(FromSerializerPath(ex.Path), $"This value does not fit a workflow: {ex.Message}");
            return new ValidationResult(ctx.Errors.ToDictionary(), null);
        }
    }

    private static void CheckHeader(ValidationContext ctx, JsonElement root)
    {
        var name = ctx.RequiredString(root, "name", string.Empty, "A workflow needs a name.");
        if (name is not null && name.Length > MaxNameLength)
        {
            ctx.Error("name", $"The name can be at most {MaxNameLength} characters; this one has {name.Length}.");
        }

        ctx.OptionalString(root, "description", string.Empty);

        var module = ctx.RequiredString(root, "module", string.Empty, "A workflow needs a module, the kind of record it acts on, e.g. \"lead\".");
        if (module is not null && !ModuleNames.IsValid(module))
        {
            ctx.Error("module", $"Module '{ValueFormats.Show(module)}' {ModuleNames.Rule}.");
        }

        ctx.OptionalChoice(root, "enrollment", string.Empty, ["once", "every_time"]);
        ctx.OptionalChoice(root, "status", string.Empty, ["draft", "active", "paused", "archived"]);
    }

    /// <summary>The store sets these; a client may echo them back, but they must still read into the model.</summary>
    private static void CheckServerManaged(ValidationContext ctx, JsonElement root)
    {
        ctx.OptionalString(root, "id", string.Empty);
        if (ValidationContext.TryGet(root, "version", out var version)
            && !(version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var v) && v >= 0))
        {
            ctx.Error("version", "'version' must be a whole number, 0 or more.");
        }

        foreach (var name in (string[])["createdAt", "updatedAt"])
        {
            if (ValidationContext.TryGet(root, name, out var value)
                && !(value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _)))
            {
                ctx.Error(name, $"'{name}' must be an ISO 8601 date-time such as \"2025-01-31T09:00:00Z\".");
            }
        }
    }

    private static ValidationResult TooLarge(long size) =>
        RootError(string.Create(CultureInfo.InvariantCulture, $"The workflow definition is {size / 1024.0:0.#} KB; the limit is {MaxDefinitionBytes / 1024} KB."));

    private static ValidationResult NotJson(JsonException ex)
    {
        // System.Text.Json counts from 0; people count from 1.
        var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } column
            ? $" at line {line + 1}, column {column + 1}"
            : string.Empty;
        var reason = ex.Message;
        var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        return RootError($"The workflow definition is not valid JSON{where}: {(cut > 0 ? reason[..cut] : reason)}");
    }

    private static ValidationResult RootError(string message) =>
        new(new Dictionary<string, string[]>(StringComparer.Ordinal) { [ValidationResult.RootPath] = [message] }, null);

    private static string FromSerializerPath(string? path) => path switch
    {
        null or "$" => string.Empty,
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };
}
