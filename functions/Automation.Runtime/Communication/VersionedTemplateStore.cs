using System.Globalization;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Runtime.Communication;

/// <summary>What every saved message template has: an id, a name, and the version its content is at.</summary>
public interface IVersionedTemplate
{
    /// <summary><c>[a-z0-9-]{1,64}</c>; given on create, or made from the name.</summary>
    string? Id { get; }

    string Name { get; }

    int Version { get; }

    DateTimeOffset CreatedAt { get; }

    DateTimeOffset UpdatedAt { get; }
}

/// <summary>
/// Saved message templates of one kind in <c>{prefix}Templates</c>, one partition per kind: a head row per template
/// (<c>h|{id}</c>, the current version) and a row per version (<c>v|{id}|{version:D6}</c>), written together in one
/// batch with the head's ETag, as workflows are. Saving makes a new immutable version; a send uses the current one and
/// logs which. Deleting removes the head (versions stay for the step logs that name them).
/// </summary>
public abstract class VersionedTemplateStore<T>(CommunicationTables tables, TimeProvider time)
    where T : class, IVersionedTemplate
{
    private const string HeadPrefix = "h|";
    private const int MaxAttempts = 5;

    private TableClient Table => tables.Templates;

    /// <summary>The kind's partition, e.g. <c>email</c>.</summary>
    protected abstract string Partition { get; }

    /// <summary>How messages name the kind, e.g. "Email template".</summary>
    protected abstract string Kind { get; }

    /// <summary>Every problem of a template, keyed by its field (its id only when <paramref name="checkId"/>).</summary>
    public IReadOnlyDictionary<string, string[]> Validate(T template, bool checkId)
    {
        ArgumentNullException.ThrowIfNull(template);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(template.Name))
        {
            errors["name"] = ["A template needs a name."];
        }

        if (checkId && template.Id is { } id && !TemplateIds.IsValid(id))
        {
            errors["id"] = [$"'{id}' is not a template id: use 1 to 64 lowercase letters, digits and dashes."];
        }

        ValidateContent(template, errors);
        return errors;
    }

    /// <summary>Saves a new template as version 1; null when its id is taken.</summary>
    public async Task<T?> CreateAsync(T template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        await tables.EnsureCreatedAsync(cancellationToken);
        var now = time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var saved = Stamp(template, template.Id ?? TemplateIds.FromName(template.Name), 1, now, now);
            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.Add, Entity(saved, HeadRow(saved.Id!))),
                        new TableTransactionAction(TableTransactionActionType.Add, Entity(saved, VersionRow(saved.Id!, 1))),
                    ],
                    cancellationToken);
                return saved;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                if (template.Id is not null || attempt >= MaxAttempts)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>The current version, or <paramref name="version"/>; null when there is no such template (or version).</summary>
    public async Task<T?> GetAsync(string id, int? version = null, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var head = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, HeadRow(id), cancellationToken: cancellationToken);
        if (!head.HasValue)
        {
            return null;
        }

        var current = FromEntity(head.Value!);
        if (version is null || version == current.Version)
        {
            return current;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, VersionRow(id, version.Value), cancellationToken: cancellationToken);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    /// <summary>Saves the next version; <paramref name="expectedVersion"/> refuses the write when someone saved first.</summary>
    public async Task<CommandResult<T>> ReplaceAsync(string id, T template, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        await tables.EnsureCreatedAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var head = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, HeadRow(id), cancellationToken: cancellationToken);
            if (!head.HasValue)
            {
                return CommandResult.NotFound<T>($"{Kind} '{id}' does not exist.");
            }

            var current = FromEntity(head.Value!);
            if (expectedVersion is { } expected && expected != current.Version)
            {
                return CommandResult.Conflict<T>($"{Kind} '{id}' is at version {current.Version}, not {expected}: someone saved it in the meantime.");
            }

            var saved = Stamp(template, id, current.Version + 1, current.CreatedAt, time.GetUtcNow());
            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, Entity(saved, HeadRow(id)), head.Value!.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, Entity(saved, VersionRow(id, saved.Version))),
                    ],
                    cancellationToken);
                return CommandResult.Done(saved);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts && expectedVersion is null)
            {
                // Someone saved first: ours goes on top.
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                return CommandResult.Conflict<T>($"{Kind} '{id}' was changed by someone else at the same time; read it again.");
            }
        }
    }

    /// <summary>Removes the template from use; its versions stay for the step logs that name them.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await Table.DeleteEntityAsync(Partition, HeadRow(id), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    /// <summary>Current versions, by id.</summary>
    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken = default) => QueryAsync(HeadPrefix, cancellationToken);

    /// <summary>Every version, newest first.</summary>
    public async Task<IReadOnlyList<T>> ListVersionsAsync(string id, CancellationToken cancellationToken = default) =>
        (await QueryAsync("v|" + id + "|", cancellationToken)).Reverse().ToList();

    /// <summary>The content's own problems (the name and id are checked already).</summary>
    protected abstract void ValidateContent(T template, Dictionary<string, string[]> errors);

    /// <summary>The template as saved under <paramref name="id"/> at <paramref name="version"/>.</summary>
    protected abstract T Stamp(T template, string id, int version, DateTimeOffset createdAt, DateTimeOffset updatedAt);

    /// <summary>The content's columns (id, name, version and times are written here).</summary>
    protected abstract void WriteContent(T template, TableEntity entity);

    protected abstract T FromEntity(TableEntity entity);

    private async Task<IReadOnlyList<T>> QueryAsync(string prefix, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {prefix} and RowKey lt {Keys.RangeEnd(prefix)}");
        var list = new List<T>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    private TableEntity Entity(T template, string rowKey)
    {
        var entity = new TableEntity(Partition, rowKey)
        {
            ["TemplateId"] = template.Id,
            ["Name"] = template.Name,
            ["Version"] = template.Version,
            ["CreatedAt"] = template.CreatedAt,
            ["UpdatedAt"] = template.UpdatedAt,
        };
        WriteContent(template, entity);
        return entity;
    }

    private static string HeadRow(string id) => HeadPrefix + id;

    private static string VersionRow(string id, int version) => "v|" + id + "|" + version.ToString("D6", CultureInfo.InvariantCulture);
}
