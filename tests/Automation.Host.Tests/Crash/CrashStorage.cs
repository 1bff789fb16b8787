using Automation.Runtime.Storage;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;

namespace Automation.Host.Tests.Crash;

/// <summary>Deletes what a crash test's host left in Azurite under its prefix, its task hub included.</summary>
public static class CrashStorage
{
    private const string Account = "UseDevelopmentStorage=true";

    public static async Task DeleteAsync(string prefix, string hubName)
    {
        var names = new StorageNames(prefix);

        // The provider's own delete: the hub's queues, lease blobs and tables.
        var hub = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(Account),
        });
        await hub.DeleteAsync();

        var tables = new TableServiceClient(Account);
        var ours = new List<string>();
        await foreach (var table in tables.QueryAsync($"TableName ge '{names.TablePrefix}' and TableName lt '{names.TablePrefix}~'"))
        {
            ours.Add(table.Name);
        }

        foreach (var table in ours)
        {
            await tables.DeleteTableAsync(table);
        }

        var queues = new QueueServiceClient(Account);
        foreach (var queue in names.Queues)
        {
            await queues.DeleteQueueAsync(queue);
        }

        var blobs = new BlobServiceClient(Account);
        foreach (var container in new[] { names.DocumentsContainer, names.EventsContainer })
        {
            await blobs.GetBlobContainerClient(container).DeleteIfExistsAsync();
        }
    }
}
