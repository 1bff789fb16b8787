using System.Security.Cryptography;
using System.Text;
using Automation.Runtime.Storage;
using Azure;
using Page = Automation.Runtime.Runs.Page<Automation.Runtime.Communication.Notification>;
using Azure.Data.Tables;

namespace Automation.Runtime.Communication;

/// <summary>A notification shown to a user inside the CRM.</summary>
public sealed record Notification
{
    /// <summary><c>{user partition}-{16 hex}</c>: finds its row from the id alone.</summary>
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string Title { get; init; }

    public string? Body { get; init; }

    public string? Link { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ReadAt { get; init; }

    public bool Read => ReadAt is not null;

    public string? WorkflowId { get; init; }

    public string? RunId { get; init; }

    public string? StepId { get; init; }

    public string? Module { get; init; }

    public string? RecordId { get; init; }

    /// <summary>A notification made by a run's step, about the run's record (stored under the id the store gives it).</summary>
    public static Notification FromStep(Actions.ActionContext context, string userId, string title)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Notification
        {
            Id = "",
            UserId = userId,
            Title = title,
            CreatedAt = context.Now,
            WorkflowId = context.Run.WorkflowId,
            RunId = context.Run.RunId,
            StepId = context.Step.Id,
            Module = context.Run.Module,
            RecordId = context.Run.RecordId,
        };
    }
}

/// <summary>
/// In-app notifications in <c>{prefix}Notices</c>: one partition per user (20 hex of a hash of the user id), one row
/// per notification keyed by the start of the run that made it (inverted, so newest first) and a hash of run and step,
/// so a step repeated after a crash writes the same row again instead of a second notification. A user's list is one
/// range read of the partition.
/// </summary>
public sealed class NotificationStore(CommunicationTables tables, TimeProvider time)
{
    private const int MaxListed = 500;

    private TableClient Table => tables.Notices;

    /// <summary>
    /// Stores (or, for the same <paramref name="sourceKey"/>, rewrites) a notification, listed in the order of
    /// <paramref name="orderAt"/> (the start of the run that made it: the same for every attempt).
    /// </summary>
    public async Task<Notification> AddAsync(Notification notification, DateTimeOffset orderAt, string sourceKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await tables.EnsureCreatedAsync(cancellationToken);
        var partition = Partition(notification.UserId);
        var row = Keys.InvertedTicks(orderAt) + "-" + Hash(sourceKey, 8);
        var stored = notification with { Id = partition + "-" + row, CreatedAt = notification.CreatedAt == default ? time.GetUtcNow() : notification.CreatedAt };
        await Table.UpsertEntityAsync(ToEntity(partition, row, stored), TableUpdateMode.Replace, cancellationToken);
        return stored;
    }

    /// <summary>A user's notifications, newest first (by the start of the run that made them).</summary>
    public async Task<Page> ListAsync(string userId, bool unreadOnly, int limit, string? continuationToken, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(userId)}");
        if (unreadOnly)
        {
            filter += " and " + TableClient.CreateQueryFilter($"IsRead eq {false}");
        }

        var (rows, next) = await TablePages.ReadAsync(Table, filter, Math.Clamp(limit, 1, MaxListed), continuationToken, null, cancellationToken);
        return new Page(rows.Select(FromEntity).ToArray(), next);
    }

    /// <summary>Marks it read (once: a second call keeps the first time); null when there is no such notification.</summary>
    public async Task<Notification?> MarkReadAsync(string id, CancellationToken cancellationToken = default)
    {
        if (id.Length < 22 || id[20] != '-' || !id[..20].All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        await tables.EnsureCreatedAsync(cancellationToken);
        var read = await Table.GetEntityIfExistsAsync<TableEntity>(id[..20], id[21..], cancellationToken: cancellationToken);
        if (!read.HasValue)
        {
            return null;
        }

        var notification = FromEntity(read.Value!);
        if (notification.Read)
        {
            return notification;
        }

        var marked = notification with { ReadAt = time.GetUtcNow() };
        try
        {
            await Table.UpdateEntityAsync(ToEntity(id[..20], id[21..], marked), read.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
            return marked;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return await MarkReadAsync(id, cancellationToken);
        }
    }

    private static string Partition(string userId) => Hash("user\n" + userId, 10);

    private static string Hash(string text, int bytes) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, bytes));

    private static TableEntity ToEntity(string partition, string row, Notification n) => new(partition, row)
    {
        ["UserId"] = n.UserId,
        ["Title"] = n.Title,
        ["Body"] = n.Body,
        ["Link"] = n.Link,
        ["CreatedAt"] = n.CreatedAt,
        ["ReadAt"] = n.ReadAt,
        ["IsRead"] = n.Read,
        ["WorkflowId"] = n.WorkflowId,
        ["RunId"] = n.RunId,
        ["StepId"] = n.StepId,
        ["Module"] = n.Module,
        ["RecordId"] = n.RecordId,
    };

    private static Notification FromEntity(TableEntity e) => new()
    {
        Id = e.PartitionKey + "-" + e.RowKey,
        UserId = e.GetString("UserId") ?? "",
        Title = e.GetString("Title") ?? "",
        Body = e.GetString("Body"),
        Link = e.GetString("Link"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        ReadAt = e.GetDateTimeOffset("ReadAt"),
        WorkflowId = e.GetString("WorkflowId"),
        RunId = e.GetString("RunId"),
        StepId = e.GetString("StepId"),
        Module = e.GetString("Module"),
        RecordId = e.GetString("RecordId"),
    };
}
