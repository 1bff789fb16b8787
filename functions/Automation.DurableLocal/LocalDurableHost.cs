using Automation.Runtime;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Storage;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Automation.DurableLocal;

/// <summary>
/// The Durable Task Framework, in process: a <see cref="TaskHubWorker"/> on the Azure Storage provider (Azurite
/// locally) runs the same orchestrations and activities as the Functions app, registered by the same names through
/// <see cref="DurableTaskShimFactory"/>, and writes the same task hub tables Durable Functions Monitor reads. It is
/// also the <see cref="IDurableClientSource"/> of the process.
/// </summary>
public sealed partial class LocalDurableHost : IHostedService, IDurableClientSource, IAsyncDisposable
{
    private readonly IServiceProvider services;
    private readonly ILoggerFactory loggers;
    private readonly AzureStorageOrchestrationService service;
    private readonly TaskHubWorker worker;
    private readonly DurableTaskShimFactory shims;
    private readonly ILogger logger;
    private int stopping;
    private int disposed;

    public LocalDurableHost(
        IServiceProvider services,
        IOptions<StorageOptions> storage,
        AutomationStorage names,
        IOptions<DurableOptions> durable,
        IOptions<LocalDurableOptions> local,
        StorageTransactionCounter counter,
        ILoggerFactory loggers)
    {
        this.services = services;
        this.loggers = loggers;
        logger = loggers.CreateLogger<LocalDurableHost>();
        var o = local.Value;
        HubName = durable.Value.HubFor(names.Names);
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = ClientProvider(storage.Value, counter),
            TaskHubName = HubName,
            PartitionCount = o.PartitionCount,
            MaxQueuePollingInterval = o.MaxQueuePollingInterval,
            ExtendedSessionsEnabled = o.ExtendedSessions,
            MaxConcurrentTaskActivityWorkItems = o.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = o.MaxConcurrentOrchestrations,
            WorkItemQueueVisibilityTimeout = o.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = o.ControlQueueVisibilityTimeout,
            // Without it, starting an instance that is still running does nothing and says nothing: a retry made while
            // the failed execution was completing looked started and never ran. The Functions host refuses it too.
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggers,
        };
        if (!string.IsNullOrWhiteSpace(o.WorkerId))
        {
            settings.WorkerId = o.WorkerId;
        }

        service = new AzureStorageOrchestrationService(settings);
        worker = new TaskHubWorker(service, loggers) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), loggers);
        Client = new LocalDurableTaskClient(service, loggers);
        Register();
    }

    public string HubName { get; }

    public DurableTaskClient Client { get; }

    /// <summary>The provider itself, for what the client API does not offer (tests read the task hub through it).</summary>
    public AzureStorageOrchestrationService Service => service;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await service.CreateIfNotExistsAsync();
        await worker.StartAsync();
    }

    /// <summary>
    /// Stops taking work and lets the activities in flight finish (a forced stop would abandon them). Stopping twice,
    /// or after the storage went away, must not fail the host's shutdown: leases the worker cannot release expire on
    /// their own and another worker takes its partitions then, as after a crash.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref disposed) == 1 || Interlocked.Exchange(ref stopping, 1) == 1)
        {
            return;
        }

        try
        {
            await worker.StopAsync(isForced: false).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout: the worker goes on stopping in the background, its leases expire anyway.
            StopFailed(logger, HubName, "not stopped within the host's shutdown timeout");
        }
        catch (Exception ex)
        {
            StopFailed(logger, HubName, ex.GetType().Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await Client.DisposeAsync();
        worker.Dispose();
    }

    [LoggerMessage(3900, LogLevel.Warning, "The task hub worker of {HubName} did not stop cleanly ({Error}); its leases expire on their own")]
    private static partial void StopFailed(ILogger logger, string hubName, string error);

    /// <summary>
    /// An orchestration of the caller's on this worker, added before it starts: the benchmark's bare-Durable baseline
    /// must run on the same worker and settings as the runs it is compared with.
    /// </summary>
    public void AddOrchestration(string name, Func<ITaskOrchestrator> create) => worker.AddTaskOrchestrations(Orchestration(name, create));

    /// <summary>An activity of the caller's on this worker, added before it starts (see <see cref="AddOrchestration"/>).</summary>
    public void AddActivity(string name, Func<ITaskActivity> create) => worker.AddTaskActivities(Activity(name, create));

    private void Register()
    {
        worker.AddTaskOrchestrations(
            Orchestration(OrchestrationNames.RunWorkflow, () => new RunOrchestrator()),
            Orchestration(OrchestrationNames.DateWake, () => new DateWakeOrchestrator()));
        worker.AddTaskActivities(
            Activity(OrchestrationNames.AdvanceRun, () => ActivatorUtilities.CreateInstance<AdvanceRunActivity>(services)),
            Activity(OrchestrationNames.FireDateWake, () => ActivatorUtilities.CreateInstance<FireDateWakeActivity>(services)));
    }

    private Creator<TaskOrchestration> Orchestration(string name, Func<ITaskOrchestrator> create) =>
        new(name, () => shims.CreateOrchestration(new TaskName(name), create(), parent: null));

    private Creator<TaskActivity> Activity(string name, Func<ITaskActivity> create) =>
        new(name, () => shims.CreateActivity(new TaskName(name), create()));

    /// <summary>The same account as our own tables, its requests counted as the task hub's (the benchmark adds both).</summary>
    private static StorageAccountClientProvider ClientProvider(StorageOptions o, StorageTransactionCounter counter)
    {
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(counter.Policy("table", StorageTransactionCounter.HubScope), HttpPipelinePosition.PerRetry);
        var queueOptions = new QueueClientOptions();
        queueOptions.AddPolicy(counter.Policy("queue", StorageTransactionCounter.HubScope), HttpPipelinePosition.PerRetry);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(counter.Policy("blob", StorageTransactionCounter.HubScope), HttpPipelinePosition.PerRetry);
        if (o.ServiceUri is not null || o.TableServiceUri is not null || o.QueueServiceUri is not null)
        {
            TokenCredential credential = new DefaultAzureCredential();
            return new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(o.BlobServiceUri ?? AutomationStorage.ServiceEndpoint(o.ServiceUri!, "blob"), credential, blobOptions),
                StorageServiceClientProvider.ForQueue(o.QueueServiceUri ?? AutomationStorage.ServiceEndpoint(o.ServiceUri!, "queue"), credential, queueOptions),
                StorageServiceClientProvider.ForTable(o.TableServiceUri ?? AutomationStorage.ServiceEndpoint(o.ServiceUri!, "table"), credential, tableOptions));
        }

        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(o.ConnectionString, blobOptions),
            StorageServiceClientProvider.ForQueue(o.ConnectionString, queueOptions),
            StorageServiceClientProvider.ForTable(o.ConnectionString, tableOptions));
    }
}
