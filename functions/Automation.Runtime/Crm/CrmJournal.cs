using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Runtime.Crm;

/// <summary>A record a change asked a CRM to create: since when, and once the CRM answered, the id it gave.</summary>
public sealed record CrmJournalEntry(string Crm, DateTimeOffset StartedAt, string? ObjectType, string? CrmId);

/// <summary>
/// Keeps, per change, what was asked of a CRM before asking it, in the run's record partition (<c>crm|{change id}</c>):
/// written before the CRM is called and completed with the CRM's id as soon as it answers. A later attempt of the same
/// change finds the id and creates nothing; one that finds only the start (the earlier attempt died or timed out before
/// the answer was kept) asks the CRM whether it has the record (<see cref="ICrmConnector.FindCreatedAsync"/>) first.
/// </summary>
public sealed class CrmJournal(AutomationStorage storage)
{
    public async Task<CrmJournalEntry?> FindAsync(string partition, string changeId, CancellationToken cancellationToken)
    {
        var row = await storage.Records.GetEntityIfExistsAsync<TableEntity>(partition, Keys.CrmWriteRow(changeId), cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } e
            ? new CrmJournalEntry(e.GetString("Crm") ?? "", e.GetDateTimeOffset("StartedAt") ?? default, e.GetString("ObjectType"), e.GetString("CrmId"))
            : null;
    }

    /// <summary>Before the CRM is asked: an attempt began at <paramref name="at"/> (an earlier start is kept).</summary>
    public Task StartAsync(string partition, string changeId, string crm, DateTimeOffset at, CancellationToken cancellationToken) =>
        AddOrKeepAsync(new TableEntity(partition, Keys.CrmWriteRow(changeId)) { ["Crm"] = crm, ["StartedAt"] = at }, cancellationToken);

    /// <summary>The CRM answered with the record it created.</summary>
    public Task CreatedAsync(string partition, string changeId, CrmWrite write, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var entity = new TableEntity(partition, Keys.CrmWriteRow(changeId))
        {
            ["Crm"] = write.Crm, ["StartedAt"] = startedAt, ["ObjectType"] = write.ObjectType, ["CrmId"] = write.Id,
        };
        return storage.Records.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The CRM refused: nothing was created, so the next attempt need not look for it.</summary>
    public Task ForgetAsync(string partition, string changeId, CancellationToken cancellationToken) =>
        storage.Records.DeleteEntityAsync(partition, Keys.CrmWriteRow(changeId), ETag.All, cancellationToken);

    private async Task AddOrKeepAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Records.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // An earlier attempt's start stays: the CRM is searched from then.
        }
    }
}
