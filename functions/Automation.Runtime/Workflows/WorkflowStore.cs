using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Automation.Engine.Model;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Azure;
using Page = Automation.Runtime.Runs.Page<Automation.Runtime.Workflows.WorkflowSummary>;
using Azure.Data.Tables;

namespace Automation.Runtime.Workflows;

/// <summary>
/// Workflow definitions: one head row per workflow (current version, status, the fields the list shows) and one
/// immutable row per version, all in one partition, so that "new version + move the head" is one batch and the
/// head's ETag makes concurrent edits safe. Definitions are few and edited by people; the hot path reads them
/// through <see cref="WorkflowCatalog"/>'s cache, not from here.
/// </summary>
public sealed class WorkflowStore(AutomationStorage storage, WorkflowCatalog catalog, RunIndex runIndex, TimeProvider time)
{
    internal const string Partition = "workflows";
    internal const string HeadPrefix = "h|";
    internal const string VersionPrefix = "v|";
    private const int MaxAttempts = 5;

    private TableClient Table => storage.Workflows;

    /// <summary>Saves a new workflow: a fresh id (slug of the name and a short random part), version 1, status as given (draft by default).</summary>
    public async Task<Workflow> CreateAsync(Workflow workflow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var now = time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var saved = workflow with
            {
                Id = NewId(workflow.Name),
                Version = 1,
                Status = workflow.Status == WorkflowStatus.Archived ? WorkflowStatus.Draft : workflow.Status,
                CreatedAt = now,
                UpdatedAt = now,
            };
            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.Add, HeadEntity(saved)),
                        new TableTransactionAction(TableTransactionActionType.Add, VersionEntity(saved)),
                    ],
                    cancellationToken);
                catalog.Invalidate();
                return saved;
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < MaxAttempts)
            {
                // The random part collided with an existing id: draw another.
            }
        }
    }

    /// <summary>The current version (or <paramref name="version"/>), with the workflow's current status.</summary>
    public async Task<Workflow?> GetAsync(string id, int? version = null, CancellationToken cancellationToken = default)
    {
        var head = await ReadHeadAsync(id, cancellationToken);
        if (head is null)
        {
            return null;
        }

        if (version is null || version == head.Value.Workflow.Version)
        {
            return head.Value.Workflow;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, VersionRow(id, version.Value), cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) with { Status = head.Value.Workflow.Status } : null;
    }

    /// <summary>
    /// Saves <paramref name="workflow"/> as the next version; id, status and creation time stay. With
    /// <paramref name="expectedVersion"/> the write is refused when someone saved another version first.
    /// </summary>
    public async Task<CommandResult<Workflow>> ReplaceAsync(
        string id, Workflow workflow, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        for (var attempt = 1; ; attempt++)
        {
            var head = await ReadHeadAsync(id, cancellationToken);
            if (head is not { } h)
            {
                return CommandResult.NotFound<Workflow>($"Workflow '{id}' does not exist.");
            }

            var current = h.Workflow;
            if (current.Status == WorkflowStatus.Archived)
            {
                return CommandResult.Conflict<Workflow>($"Workflow '{id}' is archived; an archived workflow cannot be edited.");
            }

            if (expectedVersion is { } expected && expected != current.Version)
            {
                return CommandResult.Conflict<Workflow>(
                    $"Workflow '{id}' is at version {current.Version}, not {expected}: someone saved it in the meantime.");
            }

            var saved = workflow with
            {
                Id = id,
                Version = current.Version + 1,
                Status = current.Status,
                CreatedAt = current.CreatedAt,
                UpdatedAt = time.GetUtcNow(),
            };
            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, HeadEntity(saved), h.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, VersionEntity(saved)),
                    ],
                    cancellationToken);
                catalog.Invalidate();
                return CommandResult.Done(saved);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts && expectedVersion is null)
            {
                // Someone else saved a version first; ours goes on top of theirs.
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return CommandResult.Conflict<Workflow>($"Workflow '{id}' was changed by someone else at the same time; read it again.");
            }
        }
    }

    /// <summary>Archiving is how a workflow is deleted: it stops enrolling, its runs are cancelled when they next wake, and it stays readable.</summary>
    public Task<CommandResult<Workflow>> ArchiveAsync(string id, CancellationToken cancellationToken = default) =>
        SetStatusAsync(id, WorkflowStatus.Archived, cancellationToken);

    /// <summary>
    /// Activates, pauses (new enrollments stop, waiting runs wait), or archives. An archived workflow stays archived.
    /// </summary>
    public async Task<CommandResult<Workflow>> SetStatusAsync(string id, WorkflowStatus status, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var head = await ReadHeadAsync(id, cancellationToken);
            if (head is not { } h)
            {
                return CommandResult.NotFound<Workflow>($"Workflow '{id}' does not exist.");
            }

            var current = h.Workflow;
            if (current.Status == status)
            {
                return CommandResult.Done(current);
            }

            if (current.Status == WorkflowStatus.Archived)
            {
                return CommandResult.Conflict<Workflow>($"Workflow '{id}' is archived; its status cannot change.");
            }

            var saved = current with { Status = status, UpdatedAt = time.GetUtcNow() };
            try
            {
                await Table.UpdateEntityAsync(HeadEntity(saved), h.ETag, TableUpdateMode.Replace, cancellationToken);
                catalog.Invalidate();
                return CommandResult.Done(saved);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                // Edited meanwhile: apply the status to what is there now.
            }
        }
    }

    /// <summary>Workflows by id order, with their run counts. One partition range, filtered on the server.</summary>
    public async Task<Page> ListAsync(
        WorkflowFilter? filter = null, int limit = 50, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        filter ??= new WorkflowFilter();
        limit = Math.Clamp(limit, 1, 1000);
        var query = new StringBuilder(TableClient.CreateQueryFilter(
            $"PartitionKey eq {Partition} and RowKey ge {HeadPrefix} and RowKey lt {Keys.RangeEnd(HeadPrefix)}"));
        if (filter.Status is { } status)
        {
            query.Append(" and ").Append(TableClient.CreateQueryFilter($"Status eq {EnumNames.Camel(status)}"));
        }
        else if (!filter.IncludeArchived)
        {
            query.Append(" and ").Append(TableClient.CreateQueryFilter($"Status ne {EnumNames.Camel(WorkflowStatus.Archived)}"));
        }

        if (!string.IsNullOrEmpty(filter.Module))
        {
            query.Append(" and ").Append(TableClient.CreateQueryFilter($"Module eq {filter.Module.ToLowerInvariant()}"));
        }

        if (!string.IsNullOrEmpty(filter.TriggerType))
        {
            query.Append(" and ").Append(TableClient.CreateQueryFilter($"TriggerType eq {filter.TriggerType}"));
        }

        string[] columns = ["Id", "Name", "Description", "Status", "Module", "TriggerType", "Version", "CreatedAt", "UpdatedAt"];
        var (rows, next) = await TablePages.ReadAsync(Table, query.ToString(), limit, continuationToken, columns, cancellationToken);
        var counters = await Task.WhenAll(rows.Select(r => runIndex.CountersAsync(r.GetString("Id") ?? "", cancellationToken)));
        var items = rows.Select((r, i) => new WorkflowSummary
        {
            Id = r.GetString("Id") ?? "",
            Name = r.GetString("Name") ?? "",
            Description = r.GetString("Description"),
            Status = EnumNames.Parse(r.GetString("Status"), WorkflowStatus.Draft),
            Module = r.GetString("Module") ?? "",
            TriggerType = r.GetString("TriggerType") ?? "",
            Version = r.GetInt32("Version") ?? 1,
            CreatedAt = r.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = r.GetDateTimeOffset("UpdatedAt") ?? default,
            RunCount = counters[i].RunCount,
            LastRunAt = counters[i].LastRunAt,
        }).ToArray();
        return new Page(items, next);
    }

    /// <summary>Every version, newest first, each with the workflow's current status.</summary>
    public async Task<IReadOnlyList<Workflow>> ListVersionsAsync(string id, CancellationToken cancellationToken = default)
    {
        var head = await ReadHeadAsync(id, cancellationToken);
        if (head is null)
        {
            return [];
        }

        var prefix = VersionPrefix + id + "|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {prefix} and RowKey lt {Keys.RangeEnd(prefix)}");
        var versions = new List<Workflow>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            versions.Add(FromEntity(row) with { Status = head.Value.Workflow.Status });
        }

        versions.Sort((a, b) => b.Version.CompareTo(a.Version));
        return versions;
    }

    internal async Task<(Workflow Workflow, ETag ETag)?> ReadHeadAsync(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, HeadPrefix + id, cancellationToken: cancellationToken);
        return row.HasValue ? (HeadFromEntity(row.Value!), row.Value!.ETag) : null;
    }

    internal static Workflow HeadFromEntity(TableEntity e) =>
        FromEntity(e) with { Status = EnumNames.Parse(e.GetString("Status"), WorkflowStatus.Draft) };

    private static Workflow FromEntity(TableEntity e) =>
        JsonColumns.Read<Workflow>(e, "Definition") ?? throw new InvalidOperationException($"Workflow row '{e.RowKey}' has no definition.");

    private static TableEntity HeadEntity(Workflow w)
    {
        var e = new TableEntity(Partition, HeadPrefix + w.Id)
        {
            ["Id"] = w.Id,
            ["Name"] = w.Name,
            ["Description"] = w.Description,
            ["Status"] = EnumNames.Camel(w.Status),
            ["Module"] = w.Module.ToLowerInvariant(),
            ["TriggerType"] = w.Trigger.Type,
            ["Version"] = w.Version,
            ["CreatedAt"] = w.CreatedAt,
            ["UpdatedAt"] = w.UpdatedAt,
        };
        JsonColumns.Write(e, "Definition", w);
        return e;
    }

    private static TableEntity VersionEntity(Workflow w)
    {
        var e = new TableEntity(Partition, VersionRow(w.Id!, w.Version))
        {
            ["Id"] = w.Id,
            ["Version"] = w.Version,
            ["CreatedAt"] = w.UpdatedAt,
        };
        JsonColumns.Write(e, "Definition", w);
        return e;
    }

    private static string VersionRow(string id, int version) =>
        VersionPrefix + id + "|" + version.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary><c>welcome-new-web-leads-k3x9q2</c>: readable in URLs and logs, <c>[a-z0-9-]</c> only.</summary>
    public static string NewId(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in (name ?? "").ToLowerInvariant())
        {
            if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= 40)
            {
                break;
            }
        }

        var text = slug.ToString().Trim('-');
        if (text.Length == 0)
        {
            text = "workflow";
        }

        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var random = new char[6];
        for (var i = 0; i < random.Length; i++)
        {
            random[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return text + "-" + new string(random);
    }
}
