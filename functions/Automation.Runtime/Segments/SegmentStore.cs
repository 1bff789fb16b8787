using Automation.Engine.Model;
using Automation.Runtime.Communication;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Segments;

/// <summary>
/// Saved segments, one row each (row key = id) in the <c>segments</c> partition of the workflows table: they are few,
/// edited by people, and read with the workflows. The event processor judges every event's record against the
/// segments of its module, so the list is cached like workflow heads (<see cref="RunnerOptions.WorkflowCacheTtl"/>,
/// dropped at once after a write on this instance): another instance's edit is seen within the TTL.
/// </summary>
public sealed class SegmentStore(AutomationStorage storage, IOptions<RunnerOptions> options, TimeProvider time)
{
    /// <summary>
    /// Segments one module may have: a record's membership row holds a column per segment it is in, and a table entity
    /// holds at most 255 properties; every event of the module is also judged against each of them.
    /// </summary>
    public const int MaxPerModule = 200;

    internal const string Partition = "segments";
    private const int MaxAttempts = 5;
    private const string Tombstone = "segment-deleted";

    private volatile Cached? cache;
    private long generation;

    private TableClient Table => storage.Workflows;

    /// <summary>Every segment, by name; of one module when <paramref name="module"/> is given (any case).</summary>
    public async Task<IReadOnlyList<Segment>> ListAsync(string? module = null, CancellationToken cancellationToken = default)
    {
        var all = await AllAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(module)
            ? all
            : all.Where(s => string.Equals(s.Module, module.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>One point read, not the cache: an edit page must see the latest save.</summary>
    public async Task<Segment?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!SegmentIds.IsValid(id))
        {
            return null;
        }

        await storage.EnsureCreatedAsync(cancellationToken);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return row.HasValue && !IsTombstone(row.Value!) ? FromEntity(row.Value!) : null;
    }

    /// <summary>
    /// Saves a new segment; its id as given, or made from the name. Null when the given id is taken, by a segment or by
    /// a deleted one (whose id records may still hold until their next event, so it is never given again).
    /// </summary>
    public async Task<Segment?> CreateAsync(Segment segment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segment);
        await storage.EnsureCreatedAsync(cancellationToken);
        var now = time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var saved = segment with { Id = segment.Id ?? TemplateIds.FromName(segment.Name), CreatedAt = now, UpdatedAt = now };
            try
            {
                await Table.AddEntityAsync(ToEntity(saved), cancellationToken);
                Invalidate();
                return saved;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // A given id is taken; a made one collided with another: draw again.
                if (segment.Id is not null || attempt >= MaxAttempts)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>
    /// Replaces name, description and conditions (id, module and creation time stay). Records' membership follows at
    /// each record's next event.
    /// </summary>
    public async Task<CommandResult<Segment>> ReplaceAsync(string id, Segment segment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segment);
        await storage.EnsureCreatedAsync(cancellationToken);
        var row = SegmentIds.IsValid(id) ? await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken) : null;
        if (row is not { HasValue: true } || IsTombstone(row.Value!))
        {
            return CommandResult.NotFound<Segment>($"Segment '{id}' does not exist.");
        }

        var current = FromEntity(row.Value!);
        var saved = segment with { Id = id, Module = current.Module, CreatedAt = current.CreatedAt, UpdatedAt = time.GetUtcNow() };
        try
        {
            await Table.UpdateEntityAsync(ToEntity(saved), row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return CommandResult.Conflict<Segment>($"Segment '{id}' was changed by someone else at the same time; read it again.");
        }

        Invalidate();
        return CommandResult.Done(saved);
    }

    /// <summary>
    /// Deletes the segment, leaving a tombstone under its id: membership rows still name it until each record's next
    /// event, and a new segment under the same id would inherit them. False when there is no such segment.
    /// </summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!SegmentIds.IsValid(id))
        {
            return false;
        }

        await storage.EnsureCreatedAsync(cancellationToken);
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        if (!row.HasValue || IsTombstone(row.Value!))
        {
            return false;
        }

        var tombstone = new TableEntity(Partition, id) { ["Kind"] = Tombstone, ["DeletedAt"] = time.GetUtcNow() };
        try
        {
            await Table.UpdateEntityAsync(tombstone, row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Edited meanwhile: the delete still wins, as it would have a moment later.
            await Table.UpdateEntityAsync(tombstone, ETag.All, TableUpdateMode.Replace, cancellationToken);
        }

        Invalidate();
        return true;
    }

    private async Task<IReadOnlyList<Segment>> AllAsync(CancellationToken cancellationToken)
    {
        var cached = cache;
        if (cached is not null && time.GetUtcNow() - cached.LoadedAt < options.Value.WorkflowCacheTtl)
        {
            return cached.Segments;
        }

        await storage.EnsureCreatedAsync(cancellationToken);
        var started = Interlocked.Read(ref generation);
        var loadedAt = time.GetUtcNow();
        var list = new List<Segment>();
        await foreach (var e in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            if (!IsTombstone(e))
            {
                list.Add(FromEntity(e));
            }
        }

        list.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        // A write during the load may be one the load did not see: serve the list, but do not keep it.
        if (Interlocked.Read(ref generation) == started)
        {
            cache = new Cached(list, loadedAt);
        }

        return list;
    }

    private void Invalidate()
    {
        Interlocked.Increment(ref generation);
        cache = null;
    }

    private static TableEntity ToEntity(Segment segment)
    {
        var entity = new TableEntity(Partition, segment.Id)
        {
            ["Kind"] = "segment",
            ["Name"] = segment.Name,
            ["Module"] = segment.Module,
            ["UpdatedAt"] = segment.UpdatedAt,
        };
        JsonColumns.Write(entity, "Definition", segment);
        return entity;
    }

    private static bool IsTombstone(TableEntity entity) => string.Equals(entity.GetString("Kind"), Tombstone, StringComparison.Ordinal);

    private static Segment FromEntity(TableEntity entity) =>
        JsonColumns.Read<Segment>(entity, "Definition") ?? throw new InvalidOperationException($"Segment row '{entity.RowKey}' has no definition.");

    private sealed record Cached(IReadOnlyList<Segment> Segments, DateTimeOffset LoadedAt);
}
