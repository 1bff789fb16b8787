using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;

namespace Automation.Bench;

/// <summary>
/// What the storage itself sustains: entity-group transactions of two entities in one partition (a run row and a step
/// log, the shape of a checkpoint, with payloads of about their size), each in a partition of its own, 32 at a time
/// (the runtime's two pollers process up to 16 messages each). Its own table and client, outside the counted ones.
/// </summary>
public static class CeilingProbe
{
    private const int Concurrency = 32;
    private static readonly string RunPayload = new('r', 1500);
    private static readonly string LogPayload = new('l', 600);

    /// <summary>Batch writes per second over <paramref name="duration"/>, after a short warm-up.</summary>
    public static async Task<double> BatchWritesPerSecondAsync(string connection, string tableName, TimeSpan duration)
    {
        var table = new TableClient(connection, tableName);
        await table.CreateIfNotExistsAsync();
        try
        {
            var next = 0L;
            await RunAsync(table, () => Interlocked.Increment(ref next), TimeSpan.FromSeconds(1));
            var clock = Stopwatch.StartNew();
            var done = await RunAsync(table, () => Interlocked.Increment(ref next), duration);
            return done / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            await table.DeleteAsync();
        }
    }

    /// <summary>Writes batches with <see cref="Concurrency"/> writers until <paramref name="duration"/> passes; returns how many completed.</summary>
    private static async Task<long> RunAsync(TableClient table, Func<long> nextId, TimeSpan duration)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var completed = 0L;
        var writers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var partition = "p" + nextId().ToString(CultureInfo.InvariantCulture);
                await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "run|x") { ["State"] = RunPayload }),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, "log|x|0") { ["Entry"] = LogPayload }),
                ]);
                Interlocked.Increment(ref completed);
            }
        });
        await Task.WhenAll(writers);
        return completed;
    }
}
