using System.Collections.Concurrent;
using System.Diagnostics;

namespace Automation.Bench;

/// <summary>
/// Every HTTP request this process sends to the storage endpoints, by operation and table or queue, seen through
/// HttpClient's own activities (<c>System.Net.Http</c>). The runtime's <c>StorageTransactionCounter</c> gives the
/// official count; this adds where the transactions go (its kinds carry no table or queue name) and cross-checks it.
/// A batch's URL names no table (the table is inside the multipart body), so batches are one line.
/// </summary>
public sealed class StorageTraffic : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentDictionary<string, long> byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> ticksByKind = new(StringComparer.Ordinal);
    private readonly string tableBase;
    private readonly string queueBase;
    private readonly string tablePrefix;
    private readonly string queuePrefix;

    public StorageTraffic(Uri tableService, Uri queueService, string tablePrefix, string queuePrefix)
    {
        ArgumentNullException.ThrowIfNull(tableService);
        ArgumentNullException.ThrowIfNull(queueService);
        tableBase = tableService.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        queueBase = queueService.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        this.tablePrefix = tablePrefix;
        this.queuePrefix = queuePrefix + "-";
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(byKind, StringComparer.Ordinal);

    public long Of(string kind) => byKind.GetValueOrDefault(kind);

    /// <summary>Time spent waiting for storage answers by kind (summed over requests, in <see cref="TimeSpan"/> ticks).</summary>
    public IReadOnlyDictionary<string, long> DurationSnapshot() => new Dictionary<string, long>(ticksByKind, StringComparer.Ordinal);

    public static Dictionary<string, long> Difference(IReadOnlyDictionary<string, long> after, IReadOnlyDictionary<string, long> before)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(before);
        return after
            .Select(kv => (kv.Key, Value: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Value != 0)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }

    public void Dispose() => listener.Dispose();

    private void Stopped(Activity activity)
    {
        if (activity.GetTagItem("url.full") is not string url)
        {
            return;
        }

        var method = activity.GetTagItem("http.request.method") as string ?? "?";
        string? kind = null;
        if (url.StartsWith(tableBase, StringComparison.Ordinal))
        {
            kind = TableKind(method, PathOf(url[tableBase.Length..]));
        }
        else if (url.StartsWith(queueBase, StringComparison.Ordinal))
        {
            kind = QueueKind(method, PathOf(url[queueBase.Length..]));
        }

        if (kind is not null)
        {
            ticksByKind.AddOrUpdate(kind, activity.Duration.Ticks, (_, n) => n + activity.Duration.Ticks);
            byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }
    }

    private static string PathOf(string rest)
    {
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? rest : rest[..q];
    }

    /// <summary><c>table batch</c>, <c>table query Records</c>, <c>table read RunIndex</c>, <c>table insert Records</c>, ...</summary>
    private string TableKind(string method, string path)
    {
        if (path.StartsWith("$batch", StringComparison.Ordinal))
        {
            return "table batch";
        }

        var paren = path.IndexOf('(', StringComparison.Ordinal);
        var table = paren < 0 ? path : path[..paren];
        var name = table.StartsWith(tablePrefix, StringComparison.Ordinal) ? table[tablePrefix.Length..] : table;
        var op = (method, paren < 0 ? "" : path[paren..]) switch
        {
            ("GET", "()") => "query",
            ("GET", "") => "query",
            ("GET", _) => "read",
            ("POST", _) => "insert",
            ("PUT", _) => "replace",
            ("MERGE", _) or ("PATCH", _) => "merge",
            ("DELETE", _) => "delete",
            _ => method,
        };
        return $"table {op} {name}";
    }

    /// <summary><c>queue send events</c>, <c>queue receive steps</c>, <c>queue delete events</c>, <c>queue update steps</c>.</summary>
    private string QueueKind(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return $"queue {method}";
        }

        var queue = segments[0].StartsWith(queuePrefix, StringComparison.Ordinal) ? segments[0][queuePrefix.Length..] : segments[0];
        var op = (method, segments.Length) switch
        {
            ("POST", 2) => "send",
            ("GET", 2) => "receive",
            ("DELETE", 3) => "delete",
            ("PUT", 3) => "update",
            _ => method,
        };
        return $"queue {op} {queue}";
    }
}
