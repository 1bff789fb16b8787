namespace Automation.Runtime.Storage;

public sealed record StorageHealthReport(bool Tables, bool Queues, string? Error)
{
    public bool Healthy => Tables && Queues;
}

/// <summary>
/// Whether the tables and queues can be reached: one cheap call to each service, at once, answered within
/// <see cref="Timeout"/> (the clients' own retries would otherwise keep a health probe waiting for long).
/// </summary>
public sealed class StorageHealth(AutomationStorage storage)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<StorageHealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        var tables = ProbeAsync("tables", async ct =>
        {
            await foreach (var _ in storage.Workflows.QueryAsync<Azure.Data.Tables.TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: ct))
            {
                break;
            }
        }, limit.Token);
        var queues = ProbeAsync("queues", ct => storage.Events.GetPropertiesAsync(ct), limit.Token);
        var results = await Task.WhenAll(tables, queues);
        cancellationToken.ThrowIfCancellationRequested();
        var errors = results.OfType<string>().ToArray();
        return new StorageHealthReport(results[0] is null, results[1] is null, errors.Length == 0 ? null : string.Join("; ", errors));
    }

    /// <summary>Null when the service answered; else why not.</summary>
    private static async Task<string?> ProbeAsync(string name, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        try
        {
            await probe(cancellationToken);
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"{name}: no answer within {Timeout.TotalSeconds:0} s";
        }
        catch (Exception e)
        {
            return $"{name}: {e.Message}";
        }
    }
}
