using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Automation.Runtime.Storage;

/// <summary>
/// Counts every request the table, queue and blob clients send (each is a billed storage transaction; a batch is one).
/// Retries count too, because they are billed. The benchmark and the cost tests read it; it costs nothing else.
/// </summary>
public sealed class StorageTransactionCounter
{
    /// <summary>The tally of the <see cref="OfAsync"/> whose flow sends the request, if any.</summary>
    private readonly AsyncLocal<ConcurrentDictionary<string, long>?> flow = new();

    private readonly ConcurrentDictionary<string, long> byKind = new(StringComparer.Ordinal);
    private long total;

    /// <summary>The scope of the Durable task hub's requests (see <see cref="Policy"/>).</summary>
    public const string HubScope = "hub";

    public long Total => Interlocked.Read(ref total);

    /// <summary>
    /// Our own tables' and queues' requests by kind: the task hub's are left out, since they include its background
    /// polling and lease renewals, which depend on timing rather than on the work being counted.
    /// </summary>
    public IReadOnlyDictionary<string, long> Ours() =>
        byKind.Where(k => !k.Key.StartsWith(HubScope + " ", StringComparison.Ordinal)).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);

    /// <summary>Requests by kind, e.g. <c>table POST $batch</c>, <c>queue GET messages</c>.</summary>
    public IReadOnlyDictionary<string, long> ByKind() => new Dictionary<string, long>(byKind, StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="work"/> and returns, by kind, the requests sent from its own asynchronous flow, the task
    /// hub's included: the hub's polling and other work going on meanwhile run on flows of their own, so what the hub
    /// charges for one call (starting an orchestration, say) can be told apart from its background traffic. A loop
    /// that <paramref name="work"/> itself starts and leaves running would go on counting into this tally.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> OfAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var tally = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        flow.Value = tally;
        await work();
        return new Dictionary<string, long>(tally, StringComparer.Ordinal);
    }

    public void Reset()
    {
        byKind.Clear();
        Interlocked.Exchange(ref total, 0);
    }

    internal void Count(string kind)
    {
        Interlocked.Increment(ref total);
        byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        flow.Value?.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    /// <param name="service"><c>table</c>, <c>queue</c> or <c>blob</c>.</param>
    /// <param name="scope">Names whose requests these are when not ours (<c>hub</c>: the Durable task hub's), as a prefix of the kind.</param>
    public HttpPipelinePolicy Policy(string service, string? scope = null) => new CountingPolicy(this, service, scope);

    /// <summary>Added per retry, so it sees every request that goes on the wire.</summary>
    private sealed class CountingPolicy(StorageTransactionCounter counter, string service, string? scope) : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            counter.Count(scope is null ? Kind(message) : scope + " " + Kind(message));
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            counter.Count(scope is null ? Kind(message) : scope + " " + Kind(message));
            return ProcessNextAsync(message, pipeline);
        }

        /// <summary><c>table POST $batch</c>, <c>table GET entity</c> (point read), <c>table GET query</c>, <c>queue POST messages</c>, <c>queue DELETE message</c>.</summary>
        private string Kind(HttpMessage message)
        {
            var segments = message.Request.Uri.Path.Trim('/').Split('/');
            var last = segments[^1];
            string shape;
            if (service == "table")
            {
                shape = last.Contains("$batch", StringComparison.Ordinal) ? "$batch"
                    : last.Contains("PartitionKey=", StringComparison.Ordinal) ? "entity"
                    : last.EndsWith("()", StringComparison.Ordinal) || message.Request.Uri.Query.Contains("$filter", StringComparison.Ordinal) ? "query"
                    : "table";
            }
            else if (service == "queue")
            {
                shape = string.Equals(last, "messages", StringComparison.Ordinal) ? "messages"
                    : segments.Length >= 2 && string.Equals(segments[^2], "messages", StringComparison.Ordinal) ? "message"
                    : "queue";
            }
            else
            {
                shape = "object";
            }

            return $"{service} {message.Request.Method} {shape}";
        }
    }
}
