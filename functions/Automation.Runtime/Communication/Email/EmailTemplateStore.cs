using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Automation.Engine.Templates;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;

namespace Automation.Runtime.Communication.Email;

/// <summary>
/// A saved email: subject, HTML and plain text, each a Liquid template over the record (<c>{{ record.firstName }}</c>)
/// like a step's params. Saving makes a new immutable version; a send uses the current one and logs which.
/// </summary>
public sealed record EmailTemplate
{
    /// <summary><c>[a-z0-9-]{1,64}</c>; given on create, or made from the name.</summary>
    public string? Id { get; init; }

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public string? Subject { get; init; }

    public string? Html { get; init; }

    public string? Text { get; init; }

    public int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// Email templates in <c>{prefix}Templates</c>, partition <c>email</c>: a head row per template (<c>h|{id}</c>, the
/// current version) and a row per version (<c>v|{id}|{version:D6}</c>), written together in one batch with the head's
/// ETag, as workflows are. Deleting removes the head (versions stay for the step logs that name them).
/// </summary>
public sealed partial class EmailTemplateStore(CommunicationTables tables, TemplateRenderer renderer, TimeProvider time)
{
    private const string Partition = "email";
    private const string HeadPrefix = "h|";
    private const int MaxAttempts = 5;

    private TableClient Table => tables.Templates;

    /// <summary>Every problem of a template, keyed by its field: a name, some content, Liquid that parses, an id that fits.</summary>
    public IReadOnlyDictionary<string, string[]> Validate(EmailTemplate template, bool checkId)
    {
        ArgumentNullException.ThrowIfNull(template);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(template.Name))
        {
            errors["name"] = ["A template needs a name."];
        }

        if (checkId && template.Id is { } id && !IdPattern().IsMatch(id))
        {
            errors["id"] = [$"'{id}' is not a template id: use 1 to 64 lowercase letters, digits and dashes."];
        }

        if (string.IsNullOrWhiteSpace(template.Html) && string.IsNullOrWhiteSpace(template.Text))
        {
            errors["html"] = ["A template needs html, text or both."];
        }

        foreach (var (field, value) in new[] { ("subject", template.Subject), ("html", template.Html), ("text", template.Text) })
        {
            if (value is not null && renderer.Check(value) is { } error)
            {
                errors[field] = [error.Message];
            }
        }

        return errors;
    }

    /// <summary>Saves a new template as version 1; null when its id is taken.</summary>
    public async Task<EmailTemplate?> CreateAsync(EmailTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        await tables.EnsureCreatedAsync(cancellationToken);
        var now = time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var saved = template with { Id = template.Id ?? NewId(template.Name), Version = 1, CreatedAt = now, UpdatedAt = now };
            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(saved, HeadRow(saved.Id!))),
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(saved, VersionRow(saved.Id!, 1))),
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
    public async Task<EmailTemplate?> GetAsync(string id, int? version = null, CancellationToken cancellationToken = default)
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
    public async Task<CommandResult<EmailTemplate>> ReplaceAsync(
        string id, EmailTemplate template, int? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        await tables.EnsureCreatedAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var head = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, HeadRow(id), cancellationToken: cancellationToken);
            if (!head.HasValue)
            {
                return CommandResult.NotFound<EmailTemplate>($"Email template '{id}' does not exist.");
            }

            var current = FromEntity(head.Value!);
            if (expectedVersion is { } expected && expected != current.Version)
            {
                return CommandResult.Conflict<EmailTemplate>($"Email template '{id}' is at version {current.Version}, not {expected}: someone saved it in the meantime.");
            }

            var saved = template with { Id = id, Version = current.Version + 1, CreatedAt = current.CreatedAt, UpdatedAt = time.GetUtcNow() };
            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(saved, HeadRow(id)), head.Value!.ETag),
                        new TableTransactionAction(TableTransactionActionType.Add, ToEntity(saved, VersionRow(id, saved.Version))),
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
                return CommandResult.Conflict<EmailTemplate>($"Email template '{id}' was changed by someone else at the same time; read it again.");
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
    public async Task<IReadOnlyList<EmailTemplate>> ListAsync(CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {HeadPrefix} and RowKey lt {Keys.RangeEnd(HeadPrefix)}");
        var list = new List<EmailTemplate>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    /// <summary>Every version, newest first.</summary>
    public async Task<IReadOnlyList<EmailTemplate>> ListVersionsAsync(string id, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var prefix = "v|" + id + "|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {prefix} and RowKey lt {Keys.RangeEnd(prefix)}");
        var list = new List<EmailTemplate>();
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(e));
        }

        list.Reverse();
        return list;
    }

    private static string HeadRow(string id) => HeadPrefix + id;

    private static string VersionRow(string id, int version) => "v|" + id + "|" + version.ToString("D6", CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(EmailTemplate t, string rowKey) => new(Partition, rowKey)
    {
        ["TemplateId"] = t.Id,
        ["Name"] = t.Name,
        ["Description"] = t.Description,
        ["Subject"] = t.Subject,
        ["Html"] = t.Html,
        ["Text"] = t.Text,
        ["Version"] = t.Version,
        ["CreatedAt"] = t.CreatedAt,
        ["UpdatedAt"] = t.UpdatedAt,
    };

    private static EmailTemplate FromEntity(TableEntity e) => new()
    {
        Id = e.GetString("TemplateId"),
        Name = e.GetString("Name") ?? "",
        Description = e.GetString("Description"),
        Subject = e.GetString("Subject"),
        Html = e.GetString("Html"),
        Text = e.GetString("Text"),
        Version = e.GetInt32("Version") ?? 1,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
    };

    private static string NewId(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var stem = slug.ToString().Trim('-');
        stem = stem.Length > 50 ? stem[..50].TrimEnd('-') : stem;
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        return stem.Length == 0 ? "template-" + suffix : stem + "-" + suffix;
    }

    [GeneratedRegex("^[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
