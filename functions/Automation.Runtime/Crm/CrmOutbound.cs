using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Runs;
using Automation.Runtime.Actions;
using Automation.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Crm;

/// <summary>
/// What a change's trip to a CRM came to: the output to show on the step under <see cref="Key"/> (<c>crm</c> for HubSpot and
/// Salesforce, <c>writeBack</c> for the generic write-back), the failure that stops it, and for a created record the
/// fields that tie our copy to the CRM's (<c>hubspotId</c>, <c>salesforceId</c>).
/// </summary>
public sealed record CrmOutcome(string? Key, JsonObject? Output, StepFailure? Failure, JsonObject? Ids)
{
    public static readonly CrmOutcome None = new(null, null, null, null);

    public void WriteTo(JsonObject output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Key is not null && Output is not null)
        {
            output[Key] = Output.DeepClone();
        }
    }
}

/// <summary>
/// Sends each record change to the CRM its record came from: HubSpot or Salesforce when the record carries their id
/// (<see cref="CrmRecord"/>) and that CRM is configured, the generic write-back (<see cref="CrmWriteBack"/>) otherwise.
/// Creations are kept in the <see cref="CrmJournal"/> so a retried or repeated step never creates a second record.
/// </summary>
public sealed class CrmOutbound(IEnumerable<ICrmConnector> connectors, CrmWriteBack writeBack, CrmJournal journal, TimeProvider time, ILogger<CrmOutbound> logger)
{
    public const string CrmKey = "crm";
    public const string WriteBackKey = "writeBack";

    /// <summary>Sets <paramref name="now"/> (was <paramref name="was"/>) on the record whose stored fields are <paramref name="record"/>.</summary>
    public async Task<CrmOutcome> UpdateAsync(ActionContext context, string changeId, string module, string recordId, JsonObject record, JsonObject now, JsonObject was, CancellationToken cancellationToken)
    {
        if (ConnectorFor(module, record) is ({ } connector, { } target))
        {
            var fields = CrmRecord.Writable(now);
            if (fields.Count == 0)
            {
                return CrmOutcome.None;
            }

            var write = await connector.UpdateAsync(target, fields, cancellationToken);
            Logs.CrmWritten(logger, changeId, write.Crm, write.ObjectType, write.Id, write.Status);
            return new CrmOutcome(CrmKey, write.Output(), write.Failure, null);
        }

        return Generic(await writeBack.SendAsync(Body("update", context, changeId, module, recordId, now, was), changeId, cancellationToken));
    }

    /// <summary>Creates a record of <paramref name="module"/> linked to the run's record, in that record's CRM.</summary>
    public async Task<CrmOutcome> CreateAsync(ActionContext context, string changeId, string module, string recordId, JsonObject values, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parentFields = context.Scope.Record is { ValueKind: JsonValueKind.Object } r ? JsonNode.Parse(r.GetRawText()) as JsonObject : null;
        if (ConnectorFor(context.Run.Module, parentFields) is not ({ } connector, { } parent))
        {
            return Generic(await writeBack.SendAsync(Body("create", context, changeId, module, recordId, values, null), changeId, cancellationToken));
        }

        var partition = Keys.RecordPartition(context.Run.Module, context.Run.RecordId);
        var write = await CreateOnceAsync(connector, parent, partition, changeId, module, values, cancellationToken);
        Logs.CrmWritten(logger, changeId, write.Crm, write.ObjectType, write.Id, write.Status);
        JsonObject? ids = null;
        if (write.Failure is null && write.Id is { } id)
        {
            ids = write.Crm == CrmRecord.Salesforce
                ? new JsonObject { [CrmRecord.SalesforceId] = id, [CrmRecord.SalesforceType] = write.ObjectType }
                : new JsonObject { [CrmRecord.HubSpotId] = id, [CrmRecord.HubSpotType] = write.ObjectType };
        }

        return new CrmOutcome(CrmKey, write.Output(), write.Failure, ids);
    }

    private async Task<CrmWrite> CreateOnceAsync(
        ICrmConnector connector, CrmRecord parent, string partition, string changeId, string module, JsonObject values, CancellationToken cancellationToken)
    {
        var entry = await journal.FindAsync(partition, changeId, cancellationToken);
        if (entry is { CrmId: { } created })
        {
            return CrmWrite.Written(entry.Crm, entry.ObjectType ?? module, created, 200);
        }

        var startedAt = entry?.StartedAt ?? time.GetUtcNow();
        if (entry is not null)
        {
            // An earlier attempt asked and never kept the answer: the CRM may have the record already.
            var found = await connector.FindCreatedAsync(parent, module, values, startedAt, cancellationToken);
            if (found is { Failure: not null })
            {
                return found;
            }

            if (found is { Id: not null })
            {
                await journal.CreatedAsync(partition, changeId, found, startedAt, cancellationToken);
                return found;
            }
        }
        else
        {
            await journal.StartAsync(partition, changeId, connector.Name, startedAt, cancellationToken);
        }

        var write = await connector.CreateAsync(parent, module, values, changeId, cancellationToken);
        if (write.Failure is null)
        {
            await journal.CreatedAsync(partition, changeId, write, startedAt, cancellationToken);
        }
        else if (write.Refused)
        {
            await journal.ForgetAsync(partition, changeId, cancellationToken);
        }

        return write;
    }

    private (ICrmConnector?, CrmRecord?) ConnectorFor(string module, JsonObject? fields)
    {
        if (CrmRecord.Of(module, fields) is not { } target)
        {
            return (null, null);
        }

        var connector = connectors.FirstOrDefault(c => c.Name == target.Crm && c.Configured);
        return connector is null ? (null, null) : (connector, target);
    }

    private static CrmOutcome Generic(WriteBackResult result) =>
        result.Sent ? new CrmOutcome(WriteBackKey, result.Output(), result.Failure, null) : CrmOutcome.None;

    /// <summary>The body the generic write-back gets: what changed, on which record, caused by which run.</summary>
    public static JsonObject Body(string operation, ActionContext context, string changeId, string module, string recordId, JsonObject? fields, JsonObject? previous)
    {
        ArgumentNullException.ThrowIfNull(context);
        var causation = context.NextCausation;
        var body = new JsonObject
        {
            ["id"] = changeId,
            ["operation"] = operation,
            ["action"] = context.Step.Action,
            ["module"] = module,
            ["recordId"] = recordId,
            ["occurredAt"] = context.Now,
            ["causation"] = new JsonObject
            {
                ["runId"] = causation.RunId,
                ["workflowId"] = causation.WorkflowId,
                ["stepId"] = causation.StepId,
                ["depth"] = causation.Depth,
            },
        };
        if (fields is not null)
        {
            body["fields"] = fields.DeepClone();
        }

        if (previous is not null)
        {
            body["previous"] = previous.DeepClone();
        }

        if (operation == "create")
        {
            body["relatedTo"] = new JsonObject { ["module"] = context.Run.Module, ["recordId"] = context.Run.RecordId };
        }

        return body;
    }
}
