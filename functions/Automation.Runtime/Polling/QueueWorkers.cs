using Automation.Runtime.Processing;
using Automation.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Polling;

/// <summary>The two in-process workers (events and steps) over the same processors the Functions host would call.</summary>
public sealed class QueueWorkers(
    AutomationStorage storage,
    EventProcessor events,
    StepProcessor steps,
    QueueSignals signals,
    IOptions<RunnerOptions> options,
    ILoggerFactory loggers) : IDisposable
{
    public QueueWorker Events { get; } = new(storage.Events, events, signals.Events, options, loggers.CreateLogger("Automation.Runtime.Polling.Events"));

    public QueueWorker Steps { get; } = new(storage.Steps, steps, signals.Steps, options, loggers.CreateLogger("Automation.Runtime.Polling.Steps"));

    public void Dispose()
    {
        Events.Dispose();
        Steps.Dispose();
    }
}

/// <summary>Runs the in-process pollers (standalone mode) once tables and queues exist.</summary>
public sealed class QueuePollingService(AutomationStorage storage, QueueWorkers workers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await storage.EnsureCreatedAsync(stoppingToken);
        await Task.WhenAll(workers.Events.RunAsync(stoppingToken), workers.Steps.RunAsync(stoppingToken));
    }
}

/// <summary>Creates the tables and queues at startup, once.</summary>
public sealed class StorageInitializer(AutomationStorage storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
