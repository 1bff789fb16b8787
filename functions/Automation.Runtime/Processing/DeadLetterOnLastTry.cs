using Automation.Runtime.DeadLetters;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Processing;

/// <summary>
/// How a queue processor treats a failure outside any run: while the message has tries left the failure is rethrown, so
/// the queue offers the message again; on its last try it becomes a dead letter with the error, never silently dropped.
/// </summary>
internal static class DeadLetterOnLastTry
{
    public static async Task ProcessAsync(
        Func<Task> process,
        string queue,
        string payload,
        long dequeueCount,
        RunnerOptions options,
        DeadLetterStore deadLetters,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            await process();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (dequeueCount < options.MaxDequeueCount)
            {
                throw;
            }

            Logs.DeadLettered(logger, e, queue, dequeueCount);
            await deadLetters.AddAsync(queue, payload, $"{e.GetType().Name}: {e.Message}", dequeueCount, cancellationToken);
        }
    }
}
