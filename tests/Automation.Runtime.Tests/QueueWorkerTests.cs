using System.Collections.Concurrent;
using Automation.Runtime.Polling;
using Automation.Runtime.Processing;
using Automation.Runtime.Tests.Infrastructure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Tests;

/// <summary>The events-queue poller on a real queue: a failure it will try again is one warning line, not a stack trace.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueueWorkerTests : IAsyncLifetime
{
    private readonly QueueClient queue = new("UseDevelopmentStorage=true", "worker-" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync() => await queue.CreateAsync();

    public async Task DisposeAsync() => await queue.DeleteIfExistsAsync();

    [Fact]
    public async Task A_failure_that_will_be_tried_again_is_one_warning_line_without_a_stack_trace_and_the_message_comes_back()
    {
        await queue.SendMessageAsync("""{"probe":1}""");
        var logger = new Capture();
        var processor = new FailsOnce();
        var options = Options.Create(new RunnerOptions { FailedMessageBackoff = TimeSpan.FromSeconds(1), LeaseDuration = TimeSpan.FromSeconds(30) });
        using var signal = new QueueSignal();
        using var worker = new QueueWorker(queue, processor, signal, options, logger);

        Assert.Equal(1, await worker.PollOnceAsync());
        var line = Assert.Single(logger.Lines);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Null(line.Exception);
        Assert.Contains("InvalidOperationException: the store said no", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret response body", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line.Message, StringComparison.Ordinal);

        // Tried again after the backoff, and deleted once it succeeds.
        var handled = 0;
        for (var i = 0; i < 50 && handled == 0; i++)
        {
            await Task.Delay(200);
            handled = await worker.PollOnceAsync();
        }

        Assert.Equal(1, handled);
        Assert.Equal(2, processor.Calls);
        Assert.Empty((await queue.PeekMessagesAsync()).Value);
    }

    private sealed class FailsOnce : IQueueProcessor
    {
        private int calls;

        public int Calls => calls;

        public string Queue => "events";

        public Task ProcessAsync(string payload, long dequeueCount, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref calls) == 1
                ? throw new InvalidOperationException("the store said no\nContent: secret response body")
                : Task.CompletedTask;
    }

    private sealed class Capture : ILogger
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Lines.Enqueue((logLevel, formatter(state, exception), exception));
            }
        }
    }
}
