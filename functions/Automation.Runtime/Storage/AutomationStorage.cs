using Automation.Runtime.Records;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Storage;

/// <summary>
/// The table, queue and blob clients of one prefix, built once. A connection string (Azurite by default) or, in Azure,
/// the account's service URI with <see cref="DefaultAzureCredential"/>. Every client carries the transaction counter.
/// </summary>
public sealed class AutomationStorage
{
    private readonly Lazy<Task> created;

    public AutomationStorage(IOptions<StorageOptions> options, StorageTransactionCounter counter)
    {
        var o = options.Value;
        Names = new StorageNames(o.Prefix);

        var tableOptions = Retries(new TableClientOptions(), o);
        tableOptions.AddPolicy(counter.Policy("table"), HttpPipelinePosition.PerRetry);

        // Base64, because that is what the Functions host's queue trigger reads by default.
        var queueOptions = Retries(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, o);
        queueOptions.AddPolicy(counter.Policy("queue"), HttpPipelinePosition.PerRetry);

        var blobOptions = Retries(new BlobClientOptions(), o);
        blobOptions.AddPolicy(counter.Policy("blob"), HttpPipelinePosition.PerRetry);

        TableServiceClient tables;
        QueueServiceClient queues;
        BlobServiceClient blobs;
        if (o.ServiceUri is not null || o.TableServiceUri is not null || o.QueueServiceUri is not null)
        {
            TokenCredential credential = new DefaultAzureCredential();
            tables = new TableServiceClient(o.TableServiceUri ?? ServiceEndpoint(o.ServiceUri!, "table"), credential, tableOptions);
            queues = new QueueServiceClient(o.QueueServiceUri ?? ServiceEndpoint(o.ServiceUri!, "queue"), credential, queueOptions);
            blobs = new BlobServiceClient(o.BlobServiceUri ?? ServiceEndpoint(o.ServiceUri!, "blob"), credential, blobOptions);
        }
        else
        {
            tables = new TableServiceClient(o.ConnectionString, tableOptions);
            queues = new QueueServiceClient(o.ConnectionString, queueOptions);
            blobs = new BlobServiceClient(o.ConnectionString, blobOptions);
        }

        TableService = tables;
        QueueService = queues;
        BlobService = blobs;
        Workflows = tables.GetTableClient(Names.WorkflowsTable);
        Records = tables.GetTableClient(Names.RecordsTable);
        RunIndex = tables.GetTableClient(Names.RunIndexTable);
        DeadLetters = tables.GetTableClient(Names.DeadLettersTable);
        EventFeed = tables.GetTableClient(Names.EventFeedTable);
        Events = queues.GetQueueClient(Names.EventsQueue);
        Documents = blobs.GetBlobContainerClient(Names.DocumentsContainer);
        EventBodies = blobs.GetBlobContainerClient(Names.EventsContainer);
        Records.UseEventBlobs(EventBodies);
        created = new Lazy<Task>(() => CreateAllAsync(CancellationToken.None));
    }

    private static T Retries<T>(T clientOptions, StorageOptions o)
        where T : ClientOptions
    {
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = o.MaxRetries;
        clientOptions.Retry.Delay = o.RetryDelay;
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        clientOptions.Retry.NetworkTimeout = o.NetworkTimeout;
        return clientOptions;
    }

    public StorageNames Names { get; }

    public TableServiceClient TableService { get; }

    public QueueServiceClient QueueService { get; }

    public BlobServiceClient BlobService { get; }

    public TableClient Workflows { get; }

    public TableClient Records { get; }

    public TableClient RunIndex { get; }

    public TableClient DeadLetters { get; }

    /// <summary>The events feed's index (<c>Events/EventFeed</c>).</summary>
    public TableClient EventFeed { get; }

    public QueueClient Events { get; }

    /// <summary>Documents attached to records. Created on first use (by <c>DocumentStore</c>), not at startup: most instances never attach one.</summary>
    public BlobContainerClient Documents { get; }

    /// <summary>Events too large for their table row (<see cref="Records.EventBlobs"/>); created on first use.</summary>
    public BlobContainerClient EventBodies { get; }

    /// <summary>Creates the tables and queues once per process (later calls share the first one's work).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) =>
        created.Value.WaitAsync(cancellationToken);

    private async Task CreateAllAsync(CancellationToken cancellationToken)
    {
        var work = new List<Task>
        {
            Workflows.CreateIfNotExistsAsync(cancellationToken),
            Records.CreateIfNotExistsAsync(cancellationToken),
            RunIndex.CreateIfNotExistsAsync(cancellationToken),
            DeadLetters.CreateIfNotExistsAsync(cancellationToken),
            EventFeed.CreateIfNotExistsAsync(cancellationToken),
            Events.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
        };
        await Task.WhenAll(work);
    }

    /// <summary>
    /// <c>https://acct.blob.core.windows.net</c> (or any service of the account) to the table or queue endpoint of
    /// the same account and cloud suffix.
    /// </summary>
    public static Uri ServiceEndpoint(Uri serviceUri, string service)
    {
        ArgumentNullException.ThrowIfNull(serviceUri);
        var host = serviceUri.Host;
        var labels = host.Split('.');
        if (labels.Length >= 3 && labels[1] is "blob" or "table" or "queue" or "file" or "dfs")
        {
            labels[1] = service;
            return new UriBuilder(serviceUri.Scheme, string.Join('.', labels), serviceUri.IsDefaultPort ? -1 : serviceUri.Port).Uri;
        }

        // Not a standard endpoint (a private or custom one): the caller must name the table and queue endpoints.
        throw new InvalidOperationException(
            $"Cannot derive the {service} endpoint from '{serviceUri}'; set Automation:Storage:{service switch { "table" => "TableServiceUri", "queue" => "QueueServiceUri", _ => "BlobServiceUri" }}.");
    }
}
