using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Engine.Model;

namespace Automation.Engine.Validation;

/// <summary>
/// <c>create_record</c>: the module is a module name (written as it is, so checked now), and the fields do not set the
/// link back to the run's record, which the action writes itself.
/// </summary>
internal static class CreateRecordRules
{
    /// <summary>Set by the action on every record it creates.</summary>
    public static readonly IReadOnlyList<string> LinkFields = ["relatedModule", "relatedRecordId"];

    public static void Check(ValidationContext ctx, ActionDescriptor action, JsonElement? parameters, string path)
    {
        if (action.Type != ActionTypes.CreateRecord || parameters is not { } p)
        {
            return;
        }

        if (p.TryGetProperty("module", out var module) && module.ValueKind == JsonValueKind.String
            && module.GetString() is { Length: > 0 } name && !ModuleNames.IsValid(name))
        {
            ctx.Error(JsonPaths.Property(path, "module"), $"Module '{ValueFormats.Show(name)}' {ModuleNames.Rule}.");
        }

        if (p.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                var at = JsonPaths.Property(JsonPaths.Property(path, "fields"), field.Name);
                if (string.IsNullOrWhiteSpace(field.Name))
                {
                    ctx.Error(at, "A field needs a name.");
                }
                else if (LinkFields.Contains(field.Name.Trim(), StringComparer.Ordinal))
                {
                    ctx.Error(at, $"'{field.Name.Trim()}' is set by create_record itself: the new record links back to the record the run is about.");
                }
            }
        }
    }
}
