namespace Automation.Runtime.Storage;

public sealed record StorageHealthReport(bool Tables, bool Queues, string? Error)
{
    public bool Healthy => Tables && Queues;
}

/// <summary>Whether the tables and queues can be reached: one cheap call to each service.</summary>
public sealed class StorageHealth(AutomationStorage storage)
{
    public async Task<StorageHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        string? error = null;
        var tables = false;
        var queues = false;
        try
        {
            await foreach (var _ in storage.Workflows.QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken))
            {
                break;
            }

            tables = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = "tables: " + e.Message;
        }

        try
        {
            await storage.Events.GetPropertiesAsync(cancellationToken);
            queues = true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            error = (error is null ? "" : error + "; ") + "queues: " + e.Message;
        }

        return new StorageHealthReport(tables, queues, error);
    }
}
