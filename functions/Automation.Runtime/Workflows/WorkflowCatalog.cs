using System.Collections.Concurrent;
using Automation.Engine.Model;
using Automation.Runtime.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Workflows;

/// <summary>
/// The definitions the hot path needs, cached: every workflow head (current version and status) in one partition read,
/// refreshed when older than <see cref="RunnerOptions.WorkflowCacheTtl"/> or at once after a write on this instance;
/// versions are immutable, so once read they stay. Another instance's edit is seen within the TTL.
/// </summary>
public sealed class WorkflowCatalog(AutomationStorage storage, IOptions<RunnerOptions> options, TimeProvider time) : IDisposable
{
    private const int MaxCachedVersions = 2000;

    private readonly SemaphoreSlim refreshing = new(1, 1);
    private readonly ConcurrentDictionary<(string Id, int Version), Workflow> versions = new();
    private volatile Snapshot? current;
    private long generation;

    public void Dispose() => refreshing.Dispose();

    /// <summary>Forgets the heads, so that the next read loads them again (this instance just changed one).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        current = null;
    }

    /// <summary>Active workflows of <paramref name="module"/> (any case), at their current version.</summary>
    public async Task<IReadOnlyList<Workflow>> ActiveAsync(string module, CancellationToken cancellationToken = default)
    {
        var heads = await HeadsAsync(cancellationToken);
        return heads.ByModule.TryGetValue(module.ToLowerInvariant(), out var list) ? list : [];
    }

    /// <summary>Every workflow at its current version, whatever its status.</summary>
    public async Task<IReadOnlyList<Workflow>> AllAsync(CancellationToken cancellationToken = default) =>
        (await HeadsAsync(cancellationToken)).ById.Values.ToList();

    /// <summary>The workflow's current version and status; null when it does not exist.</summary>
    public async Task<Workflow?> HeadAsync(string id, CancellationToken cancellationToken = default)
    {
        var heads = await HeadsAsync(cancellationToken);
        if (heads.ById.TryGetValue(id, out var head))
        {
            return head;
        }

        // Created on another instance since the last load: read it rather than wait for the TTL.
        var row = await storage.Workflows.GetEntityIfExistsAsync<TableEntity>(
            WorkflowStore.Partition, WorkflowStore.HeadPrefix + id, cancellationToken: cancellationToken);
        return row.HasValue ? WorkflowStore.HeadFromEntity(row.Value!) : null;
    }

    /// <summary>A version's definition, with the workflow's current status.</summary>
    public async Task<Workflow?> VersionAsync(string id, int version, CancellationToken cancellationToken = default)
    {
        var head = await HeadAsync(id, cancellationToken);
        if (head is null)
        {
            return null;
        }

        if (head.Version == version)
        {
            return head;
        }

        if (!versions.TryGetValue((id, version), out var wf))
        {
            var row = await storage.Workflows.GetEntityIfExistsAsync<TableEntity>(
                WorkflowStore.Partition,
                WorkflowStore.VersionPrefix + id + "|" + version.ToString("D6", System.Globalization.CultureInfo.InvariantCulture),
                cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                return null;
            }

            wf = JsonColumns.Read<Workflow>(row.Value!, "Definition")!;
            if (versions.Count >= MaxCachedVersions)
            {
                versions.Clear();
            }

            versions[(id, version)] = wf;
        }

        return wf with { Status = head.Status };
    }

    private async Task<Snapshot> HeadsAsync(CancellationToken cancellationToken)
    {
        var snap = current;
        var now = time.GetUtcNow();
        if (snap is not null && now - snap.LoadedAt < options.Value.WorkflowCacheTtl)
        {
            return snap;
        }

        await refreshing.WaitAsync(cancellationToken);
        try
        {
            snap = current;
            if (snap is not null && now - snap.LoadedAt < options.Value.WorkflowCacheTtl)
            {
                return snap;
            }

            var started = Interlocked.Read(ref generation);
            var filter = TableClient.CreateQueryFilter(
                $"PartitionKey eq {WorkflowStore.Partition} and RowKey ge {WorkflowStore.HeadPrefix} and RowKey lt {Keys.RangeEnd(WorkflowStore.HeadPrefix)}");
            var heads = new List<Workflow>();
            await foreach (var row in storage.Workflows.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                heads.Add(WorkflowStore.HeadFromEntity(row));
            }

            snap = new Snapshot(heads, time.GetUtcNow());

            // An invalidation during the load may concern a write the load did not see: serve it, but do not keep it.
            if (Interlocked.Read(ref generation) == started)
            {
                current = snap;
            }

            return snap;
        }
        finally
        {
            refreshing.Release();
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<Workflow> heads, DateTimeOffset loadedAt)
        {
            LoadedAt = loadedAt;
            ById = heads.ToDictionary(h => h.Id!, StringComparer.Ordinal);
            ByModule = heads
                .Where(h => h.Status == WorkflowStatus.Active)
                .GroupBy(h => h.Module.ToLowerInvariant(), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<Workflow>)g.ToArray(), StringComparer.Ordinal);
        }

        public DateTimeOffset LoadedAt { get; }

        public Dictionary<string, Workflow> ById { get; }

        public Dictionary<string, IReadOnlyList<Workflow>> ByModule { get; }
    }
}
