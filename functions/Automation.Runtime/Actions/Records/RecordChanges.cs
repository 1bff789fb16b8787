using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Runtime.Crm;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Actions.Records;

/// <summary>What a field-changing action sets: field values, and details of how it chose them for the step output (a rule, a team member).</summary>
public sealed record FieldPlan(JsonObject Set, JsonObject? Details = null);

/// <summary>
/// The one way record actions change records. For each step of a run it makes one change, identified by the change
/// id <c>{runId}:{stepId}</c>, which is the caused event's id, the created record's seed and the CRM's
/// <c>Idempotency-Key</c>. The order:
/// <list type="number">
/// <item>read the record and look for the event this change caused (a repeat after a crash, or a retry after the
/// write-back failed): found, nothing is applied again and the output is rebuilt from that event;</item>
/// <item>work out the change (the handler's plan) against the stored snapshot; a change that changes nothing is
/// neither sent nor emitted;</item>
/// <item>send it to the CRM (<see cref="CrmOutbound"/>: the record's own HubSpot or Salesforce, else the generic write-back
/// when configured): a failure fails the attempt (retried per the step's policy when it may be) <b>before</b> anything is
/// applied, so a change the CRM refused never reaches the store;</item>
/// <item>apply it (snapshot and caused event in one batch, see <see cref="RecordWriter"/>) and queue the event.</item>
/// </list>
/// The change id leaves out the attempt on purpose: every attempt of a step is the same change, so a CRM that applied
/// it but answered 500 recognises the retry, and a created task is created once.
/// </summary>
public sealed class RecordChanges(RecordWriter writer, CrmOutbound crm, ILogger<RecordChanges> logger)
{
    /// <summary>Attempts at the batch when the record keeps changing under us (each conflict means someone else wrote).</summary>
    private const int MaxConflicts = 8;

    public static string ChangeId(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return string.Create(CultureInfo.InvariantCulture, $"{context.Run.RunId}:{context.Step.Id}");
    }

    /// <summary>Sets fields of the run's record.</summary>
    public async Task<ActionResult> UpdateAsync(ActionContext context, Func<CancellationToken, Task<FieldPlan>> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(plan);
        var changeId = ChangeId(context);
        var module = context.Run.Module;
        var recordId = context.Run.RecordId;
        try
        {
            FieldPlan? planned = null;
            CrmOutcome? written = null;
            for (var conflict = 0; conflict < MaxConflicts; conflict++)
            {
                var state = await writer.LoadAsync(module, recordId, changeId, cancellationToken);
                if (state.Caused is { } caused)
                {
                    return await RepeatedAsync(caused, cancellationToken);
                }

                if (state.Deleted)
                {
                    throw new RecordActionException($"{module}/{recordId} was deleted; its fields cannot be changed.");
                }

                planned ??= await plan(cancellationToken);
                var before = state.Fields();
                var after = before.DeepClone().AsObject();
                var changed = new JsonArray();
                var was = new JsonObject();
                var now = new JsonObject();
                foreach (var (field, value) in planned.Set)
                {
                    if (string.IsNullOrWhiteSpace(field))
                    {
                        throw new RecordActionException("A field name is empty.");
                    }

                    before.TryGetPropertyValue(field, out var old);
                    if (!JsonNode.DeepEquals(old, value))
                    {
                        changed.Add(field);
                        was[field] = old?.DeepClone();
                        now[field] = value?.DeepClone();
                    }

                    after[field] = value?.DeepClone();
                }

                var output = new JsonObject
                {
                    ["module"] = module,
                    ["recordId"] = recordId,
                    ["changed"] = changed,
                    ["before"] = was,
                    ["after"] = now,
                    ["eventId"] = null,
                };
                Merge(output, planned.Details);
                if (changed.Count == 0)
                {
                    return ActionResult.Success(Element(output));
                }

                if (written is null)
                {
                    written = await crm.UpdateAsync(context, changeId, module, recordId, before, now, was, cancellationToken);
                    if (written.Failure is { } failure)
                    {
                        written.WriteTo(output);
                        return ActionResult.Fail(Element(output), failure.Message, failure.Retryable, failure.RetryAfter);
                    }
                }

                var data = new JsonObject
                {
                    ["action"] = context.Step.Action,
                    ["changed"] = changed.DeepClone(),
                    ["details"] = planned.Details?.DeepClone(),
                };
                written.WriteTo(data);
                var evt = await writer.TryUpdateAsync(state, changeId, before, after, context.NextCausation, data, cancellationToken);
                if (evt is null)
                {
                    continue;
                }

                await writer.QueueAsync(module, recordId, evt.Id, cancellationToken);
                Logs.RecordChanged(logger, changeId, module, recordId, evt.Id);
                output["eventId"] = evt.Id;
                written.WriteTo(output);
                return ActionResult.Success(Element(output));
            }

            return ActionResult.Fail($"{module}/{recordId} kept changing while this step tried to change it ({MaxConflicts} attempts).", retryable: true);
        }
        catch (RecordActionException e)
        {
            return ActionResult.Fail(e.Message, e.Retryable);
        }
    }

    /// <summary>
    /// Creates a record of <paramref name="module"/> linked to the run's record (<c>relatedModule</c>, <c>relatedRecordId</c>).
    /// Its id is <c>{module}-{12 hex of the change id}</c>, the same for every attempt.
    /// </summary>
    public async Task<ActionResult> CreateAsync(
        ActionContext context, string module, Func<CancellationToken, Task<JsonObject>> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fields);
        var changeId = ChangeId(context);
        var recordId = module + "-" + Keys.ShortHash(changeId);
        try
        {
            var state = await writer.LoadAsync(module, recordId, changeId, cancellationToken);
            if (state.Caused is { } caused)
            {
                return await RepeatedAsync(caused, cancellationToken);
            }

            var values = await fields(cancellationToken);
            foreach (var empty in values.Where(kv => kv.Value is null).Select(kv => kv.Key).ToArray())
            {
                values.Remove(empty);
            }

            values["relatedModule"] = context.Run.Module;
            values["relatedRecordId"] = context.Run.RecordId;
            var output = new JsonObject
            {
                ["module"] = module,
                ["recordId"] = recordId,
                ["created"] = true,
                ["fields"] = values.DeepClone(),
                ["eventId"] = null,
            };
            var written = await crm.CreateAsync(context, changeId, module, recordId, values, cancellationToken);
            if (written.Failure is { } failure)
            {
                output["created"] = false;
                written.WriteTo(output);
                return ActionResult.Fail(Element(output), failure.Message, failure.Retryable, failure.RetryAfter);
            }

            // Our copy knows its twin in the CRM, so that later changes to it are written there too.
            foreach (var (name, value) in written.Ids ?? [])
            {
                values[name] = value?.DeepClone();
                output["fields"]![name] = value?.DeepClone();
            }

            var data = new JsonObject
            {
                ["action"] = context.Step.Action,
                ["relatedModule"] = context.Run.Module,
                ["relatedRecordId"] = context.Run.RecordId,
            };
            written.WriteTo(data);
            var evt = await writer.TryCreateAsync(module, recordId, changeId, values, context.NextCausation, data, cancellationToken);
            if (evt is null)
            {
                // Created meanwhile by another attempt of this very change.
                var again = await writer.LoadAsync(module, recordId, changeId, cancellationToken);
                return again.Caused is { } other
                    ? await RepeatedAsync(other, cancellationToken)
                    : ActionResult.Fail($"{module}/{recordId} exists but was not created by this step.", retryable: false);
            }

            await writer.QueueAsync(module, recordId, evt.Id, cancellationToken);
            Logs.RecordChanged(logger, changeId, module, recordId, evt.Id);
            output["eventId"] = evt.Id;
            written.WriteTo(output);
            return ActionResult.Success(Element(output));
        }
        catch (RecordActionException e)
        {
            return ActionResult.Fail(e.Message, e.Retryable);
        }
    }

    /// <summary>The body the generic write-back gets (<see cref="CrmOutbound.Body"/>).</summary>
    public static JsonObject WriteBack(
        string operation, ActionContext context, string changeId, string module, string recordId, JsonObject? fields, JsonObject? previous) =>
        CrmOutbound.Body(operation, context, changeId, module, recordId, fields, previous);

    /// <summary>The output of a change applied before, rebuilt from the event it caused (so a repeat reports what the first attempt did); the event is queued again if it may not have been.</summary>
    public async Task<ActionResult> RepeatedAsync(EventRow caused, CancellationToken cancellationToken)
    {
        await writer.RequeueIfPendingAsync(caused, cancellationToken);
        var evt = caused.Event;
        Logs.RecordChangeRepeated(logger, evt.Id);
        var data = evt.Data is { } d ? JsonNode.Parse(d.GetRawText()) as JsonObject : null;
        var output = new JsonObject { ["module"] = evt.Module, ["recordId"] = evt.RecordId };
        if (evt.Type == EventTypes.RecordCreated)
        {
            output["created"] = true;
            output["fields"] = Node(evt.Record);
        }
        else if (evt.Type == EventTypes.RecordUpdated)
        {
            var changed = data?["changed"] as JsonArray ?? [];
            var record = Node(evt.Record) as JsonObject ?? [];
            var previous = Node(evt.Previous) as JsonObject ?? [];
            var was = new JsonObject();
            var now = new JsonObject();
            foreach (var name in changed.Select(n => n?.GetValue<string>()).OfType<string>())
            {
                was[name] = previous[name]?.DeepClone();
                now[name] = record[name]?.DeepClone();
            }

            output["changed"] = changed.DeepClone();
            output["before"] = was;
            output["after"] = now;
            Merge(output, data?["details"] as JsonObject);
        }
        else if (data?["document"] is JsonObject document)
        {
            output["document"] = document.DeepClone();
        }

        output["eventId"] = evt.Id;
        foreach (var key in new[] { CrmOutbound.WriteBackKey, CrmOutbound.CrmKey })
        {
            if (data?[key] is JsonObject sent)
            {
                output[key] = sent.DeepClone();
            }
        }

        output["repeated"] = true;
        return ActionResult.Success(Element(output));
    }

    /// <summary><c>writeBack: { status }</c> when the change was sent to the CRM; absent when no write-back is configured.</summary>
    public static void SetWriteBack(JsonObject output, WriteBackResult written)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(written);
        if (written.Output() is { } sent)
        {
            output["writeBack"] = sent;
        }
    }

    private static void Merge(JsonObject output, JsonObject? details)
    {
        if (details is null)
        {
            return;
        }

        foreach (var (key, value) in details)
        {
            output[key] = value?.DeepClone();
        }
    }

    private static JsonNode? Node(JsonElement? element) => element is { } e ? JsonNode.Parse(e.GetRawText()) : null;

    public static JsonElement Element(JsonNode node) => JsonSerializer.SerializeToElement(node, EngineJson.Options);
}
