using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Page = Automation.Runtime.Runs.Page<Automation.Runtime.Communication.Email.Draft>;

namespace Automation.Runtime.Communication.Email;

/// <summary>Where a draft is. Pending is the only state an owner can edit or decide; sent, discarded, expired and cancelled are final.</summary>
public enum DraftStatus
{
    /// <summary>Waiting for its owner; the run waits with it.</summary>
    Pending,

    /// <summary>Approved; the run sends it when it wakes (and retries the send like any step).</summary>
    Approved,

    Sent,
    Discarded,

    /// <summary>The approval deadline passed first.</summary>
    Expired,

    /// <summary>The run ended (exited, cancelled) before the draft was decided, or the record can no longer be emailed.</summary>
    Cancelled,
}

/// <summary>
/// An email a <c>send_email</c> step in draft mode rendered and left for its owner (the record's <c>ownerId</c>) to edit
/// and approve or discard. Its id is <c>{runId}.{stepId}</c>: a step has one draft, found again when the step runs again.
/// </summary>
public sealed record Draft
{
    public required string DraftId { get; init; }

    public required string RunId { get; init; }

    public required string WorkflowId { get; init; }

    public required int WorkflowVersion { get; init; }

    public required string StepId { get; init; }

    public required string Module { get; init; }

    public required string RecordId { get; init; }

    public string? OwnerId { get; init; }

    public DraftStatus Status { get; init; }

    public required EmailContent Content { get; init; }

    /// <summary>The owner changed the subject or body before approving.</summary>
    public bool Edited { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Approval deadline; none when the step sets no approvalTimeoutHours.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>What a missed deadline does to the step: skip (default) or fail.</summary>
    public string OnTimeout { get; init; } = "skip";

    public DateTimeOffset? DecidedAt { get; init; }

    public string? DecidedBy { get; init; }

    /// <summary>Why it ended as it did (expired, cancelled).</summary>
    public string? Note { get; init; }

    /// <summary>The send's output (message id, recipients) once sent.</summary>
    public JsonElement? Output { get; init; }

    [JsonIgnore]
    public ETag ETag { get; init; }

    /// <summary>The key a run waits on for this draft (<c>RunState.AwaitKey</c>).</summary>
    [JsonIgnore]
    public string AwaitKey => AwaitKeyFor(DraftId);

    public static string IdFor(string runId, string stepId) => runId + "." + stepId;

    public static string AwaitKeyFor(string draftId) => "draft:" + draftId;

    public static bool TryParseId(string? draftId, out string partition)
    {
        partition = "";
        var dot = draftId?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot > 0 && Keys.TryParseRunId(draftId![..dot], out partition) && draftId.Length > dot + 1;
    }
}

/// <summary>
/// Drafts in <c>{prefix}Outbox</c>, one partition per record (the run's partition key), so drafts spread like records
/// do. Every change is conditional on the ETag read; a change to a draft that is no longer pending is refused. Lists
/// scan the table with a server-side filter: it holds drafts only, and owners look at them at human pace.
/// </summary>
public sealed class DraftOutbox(CommunicationTables tables, TimeProvider time)
{
    private TableClient Table => tables.Outbox;

    public async Task<Draft?> GetAsync(string draftId, CancellationToken cancellationToken = default)
    {
        if (!Draft.TryParseId(draftId, out var partition))
        {
            return null;
        }

        await tables.EnsureCreatedAsync(cancellationToken);
        var read = await Table.GetEntityIfExistsAsync<TableEntity>(partition, draftId, cancellationToken: cancellationToken);
        return read.HasValue ? FromEntity(read.Value!) : null;
    }

    /// <summary>Stores a new draft; when the step already made one (a repeat after a crash), that one is returned.</summary>
    public async Task<Draft> CreateAsync(Draft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await tables.EnsureCreatedAsync(cancellationToken);
        try
        {
            var response = await Table.AddEntityAsync(ToEntity(draft), cancellationToken);
            return draft with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await GetAsync(draft.DraftId, cancellationToken) ?? throw new InvalidOperationException($"Draft '{draft.DraftId}' exists and cannot be read.");
        }
    }

    /// <summary>Writes <paramref name="changed"/> over <paramref name="read"/> if nobody changed it since; null when someone did.</summary>
    public async Task<Draft?> TryUpdateAsync(Draft read, Draft changed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(changed);
        changed = changed with { UpdatedAt = time.GetUtcNow() };
        try
        {
            var response = await Table.UpdateEntityAsync(ToEntity(changed), read.ETag, TableUpdateMode.Replace, cancellationToken);
            return changed with { ETag = response.Headers.ETag ?? default };
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return null;
        }
    }

    /// <summary>The draft is no longer pending (or is gone).</summary>
    public async Task<bool> IsDecidedAsync(string draftId, CancellationToken cancellationToken) =>
        await GetAsync(draftId, cancellationToken) is not { Status: DraftStatus.Pending };

    public async Task<Page> ListAsync(
        DraftStatus? status, string? ownerId, string? workflowId, int limit, string? continuationToken, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = new StringBuilder(TableClient.CreateQueryFilter($"PartitionKey ne {""}"));
        if (status is { } s)
        {
            filter.Append(" and ").Append(TableClient.CreateQueryFilter($"Status eq {EnumNames.Camel(s)}"));
        }

        if (!string.IsNullOrEmpty(ownerId))
        {
            filter.Append(" and ").Append(TableClient.CreateQueryFilter($"OwnerId eq {ownerId}"));
        }

        if (!string.IsNullOrEmpty(workflowId))
        {
            filter.Append(" and ").Append(TableClient.CreateQueryFilter($"WorkflowId eq {workflowId}"));
        }

        var (rows, next) = await TablePages.ReadAsync(Table, filter.ToString(), Math.Clamp(limit, 1, 500), continuationToken, null, cancellationToken);
        return new Page(rows.Select(FromEntity).ToArray(), next);
    }

    private static TableEntity ToEntity(Draft d)
    {
        var partition = d.RunId[..20];
        var e = new TableEntity(partition, d.DraftId)
        {
            ["RunId"] = d.RunId,
            ["WorkflowId"] = d.WorkflowId,
            ["StepId"] = d.StepId,
            ["OwnerId"] = d.OwnerId,
            ["Status"] = EnumNames.Camel(d.Status),
            ["CreatedAt"] = d.CreatedAt,
            ["ExpiresAt"] = d.ExpiresAt,
        };
        JsonColumns.Write(e, "Draft", d);
        return e;
    }

    private static Draft FromEntity(TableEntity e) =>
        (JsonColumns.Read<Draft>(e, "Draft") ?? throw new InvalidOperationException($"Draft row '{e.RowKey}' has no draft.")) with { ETag = e.ETag };
}
