using Automation.Runtime.Processing;
using Automation.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Polling;

/// <summary>
/// The in-process worker of the events queue: the local host's stand-in for the Functions app's queue trigger, over
/// the same processor. (Runs are Durable orchestrations: the task hub's own worker drives them.)
/// </summary>
public sealed class QueueWorkers(
    AutomationStorage storage,
    EventProcessor events,
    QueueSignals signals,
    IOptions<RunnerOptions> options,
    ILoggerFactory loggers) : IDisposable
{
    public QueueWorker Events { get; } = new(storage.Events, events, signals.Events, options, loggers.CreateLogger("Automation.Runtime.Polling.Events"));

    public void Dispose()
    {
        Events.Dispose();
    }
}

/// <summary>Runs the in-process events poller (the local host) once tables and queues exist.</summary>
public sealed class QueuePollingService(AutomationStorage storage, QueueWorkers workers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await storage.EnsureCreatedAsync(stoppingToken);
        await workers.Events.RunAsync(stoppingToken);
    }
}

/// <summary>Creates the tables and queues at startup, once.</summary>
public sealed class StorageInitializer(AutomationStorage storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
