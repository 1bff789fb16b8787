using Automation.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Scheduling;

/// <summary>
/// The standalone scheduler: a tick at start (to catch up after downtime), then one at each
/// <see cref="SchedulerOptions.Interval"/> boundary (09:00:00, 09:01:00, ...), so that an occurrence at a whole minute
/// fires moments after it, not up to an interval late. Under the Functions host the timer function ticks instead.
/// </summary>
public sealed class SchedulerService(
    AutomationStorage storage,
    Scheduler scheduler,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<SchedulerService> logger) : BackgroundService
{
    /// <summary>A little after the boundary: a timer may wake a hair early, and the occurrence must be in the past.</summary>
    private static readonly TimeSpan Lag = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval > TimeSpan.Zero ? options.Value.Interval : TimeSpan.FromMinutes(1);
        try
        {
            await storage.EnsureCreatedAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var result = await scheduler.TickAsync(time.GetUtcNow(), stoppingToken);
                    if (result.Occurrences > 0 || result.Backfills > 0)
                    {
                        Logs.Ticked(logger, result.ToString());
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Logs.TickFailed(logger, e);
                }

                var now = time.GetUtcNow();
                var next = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % interval.Ticks), TimeSpan.Zero) + interval + Lag;
                await Task.Delay(next - now, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
