using System.Text.Json;
using Automation.Engine.Actions;

namespace Automation.Engine.Validation;

/// <summary>
/// <c>assign_owner</c>'s rule table, checked like any other condition: each rule is
/// <c>{ "when": condition, "ownerId": "..." }</c>, <c>when</c> optional (a rule without one is the default). Only when the
/// strategy is <c>rules</c>: otherwise the table is not used.
/// </summary>
internal static class AssignmentRules
{
    public static void Check(ValidationContext ctx, ActionDescriptor action, JsonElement? parameters, string path)
    {
        if (action.Type != ActionTypes.AssignOwner
            || parameters is not { } p
            || !p.TryGetProperty("strategy", out var strategy)
            || strategy.ValueKind != JsonValueKind.String
            || strategy.GetString() != "rules"
            || !p.TryGetProperty("rules", out var rules)
            || rules.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var rule in rules.EnumerateArray())
        {
            var at = JsonPaths.Index(JsonPaths.Property(path, "rules"), index++);
            if (rule.ValueKind != JsonValueKind.Object)
            {
                ctx.Error(at, "A rule must be an object: { \"when\": { \"field\": \"record.territory\", \"op\": \"eq\", \"value\": \"EMEA\" }, \"ownerId\": \"u-1\" }.");
                continue;
            }

            if (!rule.TryGetProperty("ownerId", out var owner) || owner.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(owner.GetString()))
            {
                ctx.Error(JsonPaths.Property(at, "ownerId"), "A rule needs an ownerId.");
            }
            else
            {
                ctx.CheckTemplate(JsonPaths.Property(at, "ownerId"), owner.GetString()!);
            }

            if (rule.TryGetProperty("when", out var when))
            {
                ConditionRules.Check(ctx, when, JsonPaths.Property(at, "when"));
            }

            foreach (var property in rule.EnumerateObject())
            {
                if (property.Name is not ("when" or "ownerId"))
                {
                    ctx.Error(JsonPaths.Property(at, property.Name), $"A rule has when and ownerId, not '{ValueFormats.Show(property.Name)}'.");
                }
            }
        }
    }
}
