using System.Text.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Validation;

/// <summary>Checks a step's delay: whole minutes, hours and days adding up to at most a year, and/or an <c>until</c> template.</summary>
internal static class DelayRules
{
    private static readonly int MaxDays = (int)Delay.Max.TotalDays;

    private const string Example = "{ \"days\": 2 } or { \"until\": \"{{ record.renewalDate }}\" }";

    private static readonly (string Name, double Minutes)[] Units = [("minutes", 1), ("hours", 60), ("days", 24 * 60)];

    public static void Check(ValidationContext ctx, JsonElement delay, string path)
    {
        if (delay.ValueKind != JsonValueKind.Object)
        {
            ctx.Error(path, $"A delay must be an object such as {Example}.");
            return;
        }

        var given = false;
        var totalMinutes = 0.0;
        var allValid = true;
        foreach (var (name, minutes) in Units)
        {
            if (!ValidationContext.TryGet(delay, name, out var value))
            {
                continue;
            }

            given = true;
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var amount) && amount >= 0)
            {
                totalMinutes += amount * minutes;
            }
            else
            {
                ctx.Error(JsonPaths.Property(path, name), $"'{name}' must be a whole number, 0 or more.");
                allValid = false;
            }
        }

        if (ValidationContext.TryGet(delay, "until", out var until))
        {
            given = true;
            CheckUntil(ctx, until, JsonPaths.Property(path, "until"));
        }

        if (!given)
        {
            ctx.Error(path, $"A delay needs minutes, hours, days or until, e.g. {Example}.");
        }
        else if (allValid && totalMinutes > Delay.Max.TotalMinutes)
        {
            ctx.Error(path, $"A delay cannot be longer than {MaxDays} days.");
        }
    }

    private static void CheckUntil(ValidationContext ctx, JsonElement until, string path)
    {
        if (until.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(until.GetString()))
        {
            ctx.Error(path, "'until' must be a date-time such as \"2025-01-31T09:00:00Z\", or a template that renders one, such as \"{{ record.renewalDate }}\".");
            return;
        }

        var text = until.GetString()!;
        if (ValueFormats.HasTemplateMarkup(text))
        {
            ctx.CheckTemplate(path, text);
        }
        else if (!ValueFormats.IsIsoDateTime(text))
        {
            ctx.Error(path, $"'{ValueFormats.Show(text)}' is not a date-time; write it as \"2025-01-31T09:00:00Z\", or use a template such as \"{{{{ record.renewalDate }}}}\".");
        }
    }
}
