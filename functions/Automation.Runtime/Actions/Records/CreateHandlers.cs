using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Model;

namespace Automation.Runtime.Actions.Records;

/// <summary>The modules of the records that actions create. Each created record links back with <c>relatedModule</c> and <c>relatedRecordId</c>.</summary>
public static class CreatedModules
{
    public const string Task = "task";
    public const string Case = "case";
    public const string Opportunity = "opportunity";
    public const string Note = "note";
}

/// <summary>
/// <c>create_task</c>: a <c>task</c> record <c>{ title, description, assignee, dueDate, status: "open" }</c>; the assignee
/// is the record's owner when not given, the due date today (UTC) plus <c>dueInDays</c>.
/// </summary>
public sealed class CreateTaskHandler(RecordChanges changes) : IActionHandler
{
    public string Type => ActionTypes.CreateTask;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.CreateAsync(context, CreatedModules.Task, _ => Task.FromResult(Fields(context)), cancellationToken);
    }

    private static JsonObject Fields(ActionContext context)
    {
        var p = context.Params;
        var fields = new JsonObject
        {
            ["title"] = RecordParams.RequiredText(p, "title"),
            ["description"] = RecordParams.Text(p, "description"),
            ["assignee"] = RecordParams.UserOrOwner(context, "assignee"),
            ["status"] = "open",
        };
        if (RecordParams.Days(p, "dueInDays") is { } days)
        {
            fields["dueDate"] = RecordParams.DateAfter(context.Now, days);
        }

        return fields;
    }
}

/// <summary><c>create_case</c>: a <c>case</c> record <c>{ subject, description, priority, assignee, status: "open" }</c>.</summary>
public sealed class CreateCaseHandler(RecordChanges changes) : IActionHandler
{
    public string Type => ActionTypes.CreateCase;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        return changes.CreateAsync(
            context,
            CreatedModules.Case,
            _ => Task.FromResult(new JsonObject
            {
                ["subject"] = RecordParams.RequiredText(p, "subject"),
                ["description"] = RecordParams.Text(p, "description"),
                ["priority"] = RecordParams.Text(p, "priority"),
                ["assignee"] = RecordParams.UserOrOwner(context, "assignee"),
                ["status"] = "open",
            }),
            cancellationToken);
    }
}

/// <summary>
/// <c>create_opportunity</c>: an <c>opportunity</c> record <c>{ name, amount, stage, closeDate, ownerId }</c>; the owner is
/// the record's when not given. No stage is set when none is given (the CRM's pipeline decides its first stage).
/// </summary>
public sealed class CreateOpportunityHandler(RecordChanges changes) : IActionHandler
{
    public string Type => ActionTypes.CreateOpportunity;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.CreateAsync(context, CreatedModules.Opportunity, _ => Task.FromResult(Fields(context)), cancellationToken);
    }

    private static JsonObject Fields(ActionContext context)
    {
        var p = context.Params;
        var fields = new JsonObject
        {
            ["name"] = RecordParams.RequiredText(p, "name"),
            ["ownerId"] = RecordParams.UserOrOwner(context, "ownerId"),
        };
        if (RecordParams.Number(p, "amount") is { } amount)
        {
            fields["amount"] = amount;
        }

        if (RecordParams.Text(p, "stage") is { } stage)
        {
            fields["stage"] = stage;
        }

        if (RecordParams.Days(p, "closeInDays") is { } days)
        {
            fields["closeDate"] = RecordParams.DateAfter(context.Now, days);
        }

        return fields;
    }
}

/// <summary>
/// <c>create_record</c>: a record of the step's <c>module</c> with its <c>fields</c> (rendered), owned by <c>ownerId</c> or the
/// record's owner unless the fields name one. Like the shortcuts above it links back, is created once however often
/// the step runs, and its <c>record.created</c> event starts that module's workflows.
/// </summary>
public sealed class CreateRecordHandler(RecordChanges changes) : IActionHandler
{
    public string Type => ActionTypes.CreateRecord;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var module = RecordParams.RequiredText(context.Params, "module").Trim();
        if (!ModuleNames.IsValid(module))
        {
            return Task.FromResult(ActionResult.Fail($"params.module: '{module}' {ModuleNames.Rule}.", retryable: false));
        }

        return changes.CreateAsync(context, module, _ => Task.FromResult(Fields(context)), cancellationToken);
    }

    private static JsonObject Fields(ActionContext context)
    {
        if (!context.Params.TryGetProperty("fields", out var given) || given.ValueKind != JsonValueKind.Object)
        {
            throw new RecordActionException("params.fields must be an object of field names and values.");
        }

        var fields = new JsonObject();
        foreach (var field in given.EnumerateObject())
        {
            fields[field.Name.Trim()] = RecordParams.Node(field.Value);
        }

        if (fields.Count == 0)
        {
            throw new RecordActionException("params.fields names no field.");
        }

        if (!fields.ContainsKey(AssignOwnerHandler.DefaultField))
        {
            fields[AssignOwnerHandler.DefaultField] = RecordParams.UserOrOwner(context, "ownerId");
        }

        return fields;
    }
}

/// <summary><c>add_note</c>: a <c>note</c> record <c>{ body }</c> on the record's timeline.</summary>
public sealed class AddNoteHandler(RecordChanges changes) : IActionHandler
{
    public string Type => ActionTypes.AddNote;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.CreateAsync(
            context,
            CreatedModules.Note,
            _ => Task.FromResult(new JsonObject { ["body"] = RecordParams.RequiredText(context.Params, "body") }),
            cancellationToken);
    }
}
