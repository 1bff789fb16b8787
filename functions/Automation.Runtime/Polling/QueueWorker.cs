using Automation.Runtime.Processing;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Polling;

/// <summary>
/// Feeds one queue's messages to its processor in this process (standalone mode): receives in batches of up to 32,
/// processes up to <see cref="RunnerOptions.Concurrency"/> at once, deletes what was processed, backs off while the
/// queue is empty and wakes at once when this instance queued something.
/// </summary>
public sealed class QueueWorker : IDisposable
{
    private static readonly TimeSpan MaxFailureBackoff = TimeSpan.FromMinutes(5);

    private readonly QueueClient queue;
    private readonly IQueueProcessor processor;
    private readonly QueueSignal signal;
    private readonly RunnerOptions options;
    private readonly ILogger logger;
    private readonly SemaphoreSlim slots;

    public QueueWorker(QueueClient queue, IQueueProcessor processor, QueueSignal signal, IOptions<RunnerOptions> options, ILogger logger)
    {
        this.queue = queue;
        this.processor = processor;
        this.signal = signal;
        this.options = options.Value;
        this.logger = logger;
        slots = new SemaphoreSlim(Math.Max(1, this.options.Concurrency));
    }

    public string Queue => processor.Queue;

    public void Dispose() => slots.Dispose();

    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled, then waits for the messages in hand.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var idle = options.PollMinDelay;
        var inFlight = new HashSet<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await slots.WaitAsync(cancellationToken);
                var free = 1;
                while (free < options.ReceiveBatchSize && slots.Wait(0, CancellationToken.None))
                {
                    free++;
                }

                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(free, options.LeaseDuration, cancellationToken)).Value;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    slots.Release(free);
                    break;
                }
                catch (Exception e)
                {
                    slots.Release(free);
                    Logs.ReceiveFailed(logger, Queue, Logs.Describe(e));
                    await WaitAsync(options.PollMaxDelay, cancellationToken);
                    continue;
                }

                if (free > messages.Length)
                {
                    slots.Release(free - messages.Length);
                }

                if (messages.Length == 0)
                {
                    await WaitAsync(idle, cancellationToken);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.PollMaxDelay.Ticks));
                    continue;
                }

                idle = options.PollMinDelay;
                var drained = messages.Length < free;
                foreach (var message in messages)
                {
                    var task = HandleAsync(message, cancellationToken);
                    lock (inFlight)
                    {
                        inFlight.Add(task);
                    }

                    _ = task.ContinueWith(
                        t =>
                        {
                            slots.Release();
                            lock (inFlight)
                            {
                                inFlight.Remove(t);
                            }
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }

                if (drained)
                {
                    // Fewer messages than asked for: the queue is empty now, and receiving again at once would cost a
                    // transaction that finds nothing. The next message this instance queues wakes the poller anyway.
                    await WaitAsync(options.PollMinDelay, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }

        Task[] pending;
        lock (inFlight)
        {
            pending = [.. inFlight];
        }

        await Task.WhenAll(pending);
    }

    /// <summary>One receive, every message processed: for tests and tools that drive the queue by hand. Returns how many were handled.</summary>
    public async Task<int> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var messages = (await queue.ReceiveMessagesAsync(options.ReceiveBatchSize, options.LeaseDuration, cancellationToken)).Value;
        await Task.WhenAll(messages.Select(m => HandleAsync(m, cancellationToken)));
        return messages.Length;
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await processor.ProcessAsync(message.MessageText, message.DequeueCount, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // Leave it for another try, after a backoff that grows with each failure.
            Logs.MessageFailed(logger, Queue, message.MessageId, message.DequeueCount, Logs.Describe(e));
            var backoff = TimeSpan.FromTicks(Math.Min(
                options.FailedMessageBackoff.Ticks * (1L << (int)Math.Min(message.DequeueCount - 1, 16)),
                MaxFailureBackoff.Ticks));
            try
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: backoff, cancellationToken: CancellationToken.None);
            }
            catch (RequestFailedException update)
            {
                Logs.DeleteFailed(logger, Queue, message.MessageId, update.Status);
            }

            return;
        }

        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Its visibility ran out while it was processed and another receive took it: that one deletes it.
            Logs.DeleteFailed(logger, Queue, message.MessageId, e.Status);
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(delay, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
