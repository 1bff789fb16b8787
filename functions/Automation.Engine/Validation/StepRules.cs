using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Engine.Actions;

namespace Automation.Engine.Validation;

/// <summary>Checks the steps: ids, actions and their params, delays, step conditions and retry policies.</summary>
internal static partial class StepRules
{
    public const int MaxSteps = 100;
    public const int MaxAttempts = 10;

    private const string Path = "steps";
    private const string IdRule = "lowercase letters, digits and dashes (1-64 characters)";

    private static readonly string ActionList = string.Join(", ", ActionRegistry.Types);

    public static void Check(ValidationContext ctx, JsonElement root)
    {
        if (!ValidationContext.TryGet(root, "steps", out var steps))
        {
            ctx.Error(Path, "A workflow needs at least one step; add the first action it should take.");
            return;
        }

        if (steps.ValueKind != JsonValueKind.Array)
        {
            ctx.Error(Path, $"Steps must be a list of steps, not {ValueFormats.Describe(steps.ValueKind)}.");
            return;
        }

        var count = steps.GetArrayLength();
        if (count == 0)
        {
            ctx.Error(Path, "A workflow needs at least one step; add the first action it should take.");
            return;
        }

        if (count > MaxSteps)
        {
            ctx.Error(Path, $"A workflow can have at most {MaxSteps} steps; this one has {count}.");
        }

        var seenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = 0;
        foreach (var step in steps.EnumerateArray())
        {
            CheckStep(ctx, step, JsonPaths.Index(Path, i), i, seenIds);
            i++;
        }
    }

    private static void CheckStep(ValidationContext ctx, JsonElement step, string path, int index, Dictionary<string, int> seenIds)
    {
        if (step.ValueKind != JsonValueKind.Object)
        {
            ctx.Error(path, "Each step must be an object with an id and an action, e.g. { \"id\": \"welcome\", \"action\": \"send_email\", \"params\": { ... } }.");
            return;
        }

        CheckId(ctx, step, path, index, seenIds);
        ctx.OptionalString(step, "name", path);

        var descriptor = CheckAction(ctx, step, path);
        CheckParams(ctx, step, path, descriptor);

        if (step.TryGetProperty("delay", out var delay) && delay.ValueKind != JsonValueKind.Null)
        {
            DelayRules.Check(ctx, delay, JsonPaths.Property(path, "delay"));
        }

        if (ValidationContext.TryGet(step, "condition", out var condition))
        {
            ConditionRules.Check(ctx, condition, JsonPaths.Property(path, "condition"));
        }

        if (ValidationContext.TryGet(step, "retry", out var retry))
        {
            CheckRetry(ctx, retry, JsonPaths.Property(path, "retry"));
        }
    }

    private static void CheckId(ValidationContext ctx, JsonElement step, string path, int index, Dictionary<string, int> seenIds)
    {
        var id = ctx.RequiredString(step, "id", path, $"Each step needs an id: {IdRule}, e.g. \"send-welcome\".");
        if (id is null)
        {
            return;
        }

        var idPath = JsonPaths.Property(path, "id");
        if (!StepId().IsMatch(id))
        {
            ctx.Error(idPath, $"Step id '{ValueFormats.Show(id)}' must use {IdRule}.");
        }
        else if (seenIds.TryGetValue(id, out var first))
        {
            ctx.Error(idPath, $"Step id '{id}' is already used by {JsonPaths.Index(Path, first)}; step ids must be unique.");
        }
        else
        {
            seenIds.Add(id, index);
        }
    }

    private static ActionDescriptor? CheckAction(ValidationContext ctx, JsonElement step, string path)
    {
        var action = ctx.RequiredString(step, "action", path, $"Each step needs an action. Use one of: {ActionList}.");
        if (action is null)
        {
            return null;
        }

        if (!ActionRegistry.TryGet(action, out var descriptor))
        {
            ctx.Error(JsonPaths.Property(path, "action"), $"Unknown action '{ValueFormats.Show(action)}'. Use one of: {ActionList}.");
            return null;
        }

        return descriptor;
    }

    private static void CheckParams(ValidationContext ctx, JsonElement step, string path, ActionDescriptor? descriptor)
    {
        var paramsPath = JsonPaths.Property(path, "params");
        JsonElement? parameters = null;
        if (ValidationContext.TryGet(step, "params", out var given))
        {
            if (given.ValueKind != JsonValueKind.Object)
            {
                ctx.Error(paramsPath, $"Params must be an object, e.g. {{ \"subject\": \"Hello\" }}, not {ValueFormats.Describe(given.ValueKind)}.");
                return;
            }

            parameters = given;
        }

        if (descriptor is not null)
        {
            ParameterRules.Check(ctx, descriptor, parameters, paramsPath);
            AssignmentRules.Check(ctx, descriptor, parameters, paramsPath);
            CreateRecordRules.Check(ctx, descriptor, parameters, paramsPath);
            if (parameters is { } present)
            {
                SecretReferences.Check(ctx, descriptor.Type, present, paramsPath);
            }
        }
    }

    private static void CheckRetry(ValidationContext ctx, JsonElement retry, string path)
    {
        if (retry.ValueKind != JsonValueKind.Object)
        {
            ctx.Error(path, "A retry policy must be an object, e.g. { \"maxAttempts\": 3, \"initialIntervalSeconds\": 30 }.");
            return;
        }

        if (ValidationContext.TryGet(retry, "maxAttempts", out var attempts)
            && !(attempts.ValueKind == JsonValueKind.Number && attempts.TryGetInt32(out var n) && n is >= 1 and <= MaxAttempts))
        {
            ctx.Error(JsonPaths.Property(path, "maxAttempts"), $"Max attempts must be a whole number from 1 to {MaxAttempts} (attempts in all, including the first).");
        }

        foreach (var name in (string[])["initialIntervalSeconds", "maxIntervalSeconds"])
        {
            if (ValidationContext.TryGet(retry, name, out var seconds) && !(IsFinite(seconds, out var s) && s > 0))
            {
                ctx.Error(JsonPaths.Property(path, name), $"'{name}' must be a number of seconds above 0.");
            }
        }

        if (ValidationContext.TryGet(retry, "backoffCoefficient", out var coefficient) && !(IsFinite(coefficient, out var c) && c >= 1))
        {
            ctx.Error(JsonPaths.Property(path, "backoffCoefficient"), "'backoffCoefficient' must be a number of at least 1 (1 waits the same each time, 2 doubles).");
        }
    }

    private static bool IsFinite(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out number) && double.IsFinite(number);
    }

    [GeneratedRegex("^[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex StepId();
}
