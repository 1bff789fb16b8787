using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Templates;

namespace Automation.Engine.Validation;

/// <summary>The outcome of validating a segment: every problem keyed by JSON path, or the segment read into the model.</summary>
public sealed record SegmentValidationResult(IReadOnlyDictionary<string, string[]> Errors, Segment? Segment)
{
    public bool Valid => Errors.Count == 0;
}

/// <summary>
/// Validates a segment as raw JSON, with the workflow validator's conditions rules plus the segment's own: membership
/// is a property of the record's stored state, so conditions read <c>record.*</c> only and cannot ask what changed.
/// <c>id</c> (optional on create), <c>createdAt</c> and <c>updatedAt</c> may be present; any other unknown property is
/// an error, because a misspelt <c>condition</c> would otherwise save a segment that silently lists nothing.
/// </summary>
public static class SegmentValidator
{
    public const int MaxNameLength = WorkflowValidator.MaxNameLength;

    private static readonly TemplateRenderer Templates = new();

    private static readonly string[] Properties = ["id", "name", "module", "description", "conditions", "createdAt", "updatedAt"];

    private static readonly ConditionOperator[] ChangeOperators =
        [ConditionOperator.Changed, ConditionOperator.ChangedTo, ConditionOperator.ChangedFrom];

    public static SegmentValidationResult Validate(JsonElement root)
    {
        var ctx = new ValidationContext(Templates);
        if (root.ValueKind != JsonValueKind.Object)
        {
            ctx.Error(ValidationResult.RootPath, $"A segment must be a JSON object {{ \"name\", \"module\", \"conditions\" }}, not {ValueFormats.Describe(root.ValueKind)}.");
            return new SegmentValidationResult(ctx.Errors.ToDictionary(), null);
        }

        foreach (var property in root.EnumerateObject().Where(p => !Properties.Contains(p.Name, StringComparer.Ordinal)))
        {
            ctx.Error(JsonPaths.Property(string.Empty, property.Name), $"A segment has no '{property.Name}'; it takes {string.Join(", ", Properties[..^2])}.");
        }

        CheckHeader(ctx, root);
        if (ValidationContext.TryGet(root, "conditions", out var conditions))
        {
            var before = ctx.Errors.Count;
            ConditionRules.Check(ctx, conditions, "conditions");

            // The segment's own rules only make sense on a tree the general rules accept.
            if (ctx.Errors.Count == before)
            {
                CheckRecordOnly(ctx, conditions, "conditions");
            }
        }
        else
        {
            ctx.Error("conditions", "A segment needs conditions that say which records are in it, e.g. { \"field\": \"record.score\", \"op\": \"gte\", \"value\": 80 }.");
        }

        if (ctx.Errors.Count > 0)
        {
            return new SegmentValidationResult(ctx.Errors.ToDictionary(), null);
        }

        return new SegmentValidationResult(ctx.Errors.ToDictionary(), root.Deserialize<Segment>(EngineJson.Options));
    }

    private static void CheckHeader(ValidationContext ctx, JsonElement root)
    {
        var name = ctx.RequiredString(root, "name", string.Empty, "A segment needs a name, e.g. \"Hot leads\".");
        if (name is not null && name.Length > MaxNameLength)
        {
            ctx.Error("name", $"The name can be at most {MaxNameLength} characters; this one has {name.Length}.");
        }

        var module = ctx.RequiredString(root, "module", string.Empty, "A segment needs a module, the kind of record it lists, e.g. \"lead\".");
        if (module is not null && !ModuleNames.IsValid(module))
        {
            ctx.Error("module", $"Module '{ValueFormats.Show(module)}' {ModuleNames.Rule}.");
        }

        ctx.OptionalString(root, "description", string.Empty);
        var id = ctx.OptionalString(root, "id", string.Empty);
        if (id is not null && !SegmentIds.IsValid(id))
        {
            ctx.Error("id", $"'{ValueFormats.Show(id)}' is not a segment id: {SegmentIds.Rule}.");
        }

        foreach (var stamp in (string[])["createdAt", "updatedAt"])
        {
            if (ValidationContext.TryGet(root, stamp, out var value)
                && !(value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out _)))
            {
                ctx.Error(stamp, $"'{stamp}' must be an ISO 8601 date-time such as \"2025-01-31T09:00:00Z\".");
            }
        }
    }

    /// <summary>Every leaf reads <c>record.*</c> with an operator that needs no previous state.</summary>
    private static void CheckRecordOnly(ValidationContext ctx, JsonElement node, string path)
    {
        foreach (var key in (string[])["all", "any"])
        {
            if (node.TryGetProperty(key, out var list))
            {
                var i = 0;
                foreach (var child in list.EnumerateArray())
                {
                    CheckRecordOnly(ctx, child, JsonPaths.Index(JsonPaths.Property(path, key), i++));
                }

                return;
            }
        }

        if (node.TryGetProperty("not", out var not))
        {
            CheckRecordOnly(ctx, not, JsonPaths.Property(path, "not"));
            return;
        }

        var field = node.GetProperty("field").GetString()!;
        if (!field.StartsWith("record.", StringComparison.Ordinal))
        {
            ctx.Error(JsonPaths.Property(path, "field"),
                $"A segment's conditions read the record only: use record.<field>, not '{ValueFormats.Show(field)}' (membership follows the record's stored state, not an event).");
        }

        if (ConditionOperators.TryParse(node.GetProperty("op").GetString()!, out var op) && ChangeOperators.Contains(op))
        {
            ctx.Error(JsonPaths.Property(path, "op"),
                $"Operator '{ConditionOperators.Name(op)}' compares with the state before an event; a segment depends on the record's current state only (the segment.entered and segment.exited triggers say when it changed).");
        }
    }
}
