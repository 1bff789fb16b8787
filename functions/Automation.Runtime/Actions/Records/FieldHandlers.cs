using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Triggers;

namespace Automation.Runtime.Actions.Records;

/// <summary><c>update_field</c>: sets every field of <c>params.fields</c> to its (rendered) value; <c>null</c> clears a field.</summary>
public sealed class UpdateFieldHandler(RecordChanges changes) : IActionHandler
{
    public string Type => ActionTypes.UpdateField;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.UpdateAsync(context, _ => Task.FromResult(Plan(context.Params)), cancellationToken);
    }

    private static FieldPlan Plan(JsonElement p)
    {
        if (!p.TryGetProperty("fields", out var fields) || fields.ValueKind != JsonValueKind.Object)
        {
            throw new RecordActionException("params.fields must be an object of field names and values.");
        }

        var set = new JsonObject();
        foreach (var field in fields.EnumerateObject())
        {
            set[field.Name.Trim()] = RecordParams.Node(field.Value);
        }

        return set.Count == 0 ? throw new RecordActionException("params.fields names no field.") : new FieldPlan(set);
    }
}

/// <summary><c>change_status</c>: sets the record's <c>status</c>, the field status triggers watch.</summary>
public sealed class ChangeStatusHandler(RecordChanges changes) : IActionHandler
{
    public string Type => ActionTypes.ChangeStatus;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.UpdateAsync(
            context,
            _ => Task.FromResult(new FieldPlan(new JsonObject { [WellKnownFields.Status] = RecordParams.RequiredText(context.Params, "status") })),
            cancellationToken);
    }
}

/// <summary>
/// <c>move_stage</c>: sets <c>stage</c> (and <c>pipeline</c> when given; else the record stays in its pipeline). The caused
/// <c>record.updated</c> carries the old stage as <c>previous</c>, so stage exit and entry workflows fire.
/// </summary>
public sealed class MoveStageHandler(RecordChanges changes) : IActionHandler
{
    public string Type => ActionTypes.MoveStage;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.UpdateAsync(context, _ => Task.FromResult(Plan(context.Params)), cancellationToken);
    }

    private static FieldPlan Plan(JsonElement p)
    {
        var set = new JsonObject { [WellKnownFields.Stage] = RecordParams.RequiredText(p, "stage") };
        if (RecordParams.Text(p, "pipeline") is { } pipeline)
        {
            set[WellKnownFields.Pipeline] = pipeline;
        }

        return new FieldPlan(set);
    }
}

/// <summary>
/// <c>mark_contact</c>: sets a compliance or verification mark. The fields are the ones compliance reads:
/// <c>doNotContact</c>, <c>emailOptOut</c>, <c>smsOptOut</c> (booleans); <c>verified</c> sets <c>params.field</c> or
/// <c>verified</c> (e.g. <c>emailVerified</c>); <c>status</c> sets <c>status</c> to <c>params.value</c>; <c>custom</c> sets
/// <c>params.field</c>. The value is <c>true</c> when empty; <c>"true"</c> and <c>"false"</c> become booleans.
/// </summary>
public sealed class MarkContactHandler(RecordChanges changes) : IActionHandler
{
    public const string DoNotContactField = "doNotContact";
    public const string EmailOptOutField = "emailOptOut";
    public const string SmsOptOutField = "smsOptOut";

    public string Type => ActionTypes.MarkContact;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.UpdateAsync(context, _ => Task.FromResult(Plan(context.Params)), cancellationToken);
    }

    private static FieldPlan Plan(JsonElement p)
    {
        var flag = RecordParams.RequiredText(p, "flag");
        var field = RecordParams.Text(p, "field");
        var value = RecordParams.Text(p, "value");
        var name = flag switch
        {
            "doNotContact" => DoNotContactField,
            "emailOptOut" => EmailOptOutField,
            "smsOptOut" => SmsOptOutField,
            "verified" => field ?? "verified",
            "status" => WellKnownFields.Status,
            "custom" => field ?? throw new RecordActionException("params.field is required when flag is custom."),
            _ => throw new RecordActionException($"params.flag: '{flag}' is not one of doNotContact, emailOptOut, smsOptOut, verified, status, custom."),
        };
        if (flag == "status" && value is null)
        {
            throw new RecordActionException("params.value is required when flag is status.");
        }

        JsonNode node = value switch
        {
            null => JsonValue.Create(true),
            _ when string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) => JsonValue.Create(true),
            _ when string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) => JsonValue.Create(false),
            _ => JsonValue.Create(value),
        };
        return new FieldPlan(new JsonObject { [name] = node }, new JsonObject { ["flag"] = flag });
    }
}
