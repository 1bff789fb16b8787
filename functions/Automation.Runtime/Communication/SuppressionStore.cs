using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Azure;
using Page = Automation.Runtime.Runs.Page<Automation.Runtime.Communication.Suppression>;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Automation.Runtime.Communication;

/// <summary>What kind of address a suppression holds: SMS and calls share phone numbers.</summary>
public enum SuppressionKind
{
    Email,
    Phone,
}

/// <summary>An address nothing may be sent to, and why.</summary>
public sealed record Suppression(SuppressionKind Kind, string Address, string? Reason, string Source, DateTimeOffset CreatedAt);

/// <summary>
/// The suppression list: email addresses (lowercased) and phone numbers (E.164) that no email, SMS or call may reach,
/// whatever record they belong to. One partition per kind, the normalized address as row key, so checking a message's
/// recipients is one query. Unsubscribe links add to it, so an opt-out survives a CRM that sends the record back
/// without the flag.
/// </summary>
public sealed class SuppressionStore(CommunicationTables tables, IOptions<TwilioOptions> twilio, TimeProvider time)
{
    private TableClient Table => tables.Suppression;

    /// <summary>The address as it is keyed: a bare lowercased email address, or an E.164 number. Null when it is neither.</summary>
    public string? Normalize(SuppressionKind kind, string address, out string error)
    {
        error = "";
        if (kind == SuppressionKind.Email)
        {
            if (MailboxAddress.TryParse(address?.Trim() ?? "", out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal))
            {
                return mailbox.Address.ToLowerInvariant();
            }

            error = $"'{address}' is not an email address.";
            return null;
        }

        return E164.TryNormalize(address, twilio.Value.DefaultRegion, out var e164, out error) ? e164 : null;
    }

    /// <summary>Adds (or replaces) a suppression; returns it as stored.</summary>
    public async Task<Suppression> AddAsync(SuppressionKind kind, string normalized, string? reason, string source, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var item = new Suppression(kind, normalized, reason, source, time.GetUtcNow());
        await Table.UpsertEntityAsync(ToEntity(item), TableUpdateMode.Replace, cancellationToken);
        return item;
    }

    public async Task<bool> RemoveAsync(SuppressionKind kind, string normalized, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        // The SDK answers a delete of a missing entity without throwing: the status says whether it was there.
        var response = await Table.DeleteEntityAsync(PartitionOf(kind), Keys.Escape(normalized), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    public async Task<Suppression?> GetAsync(SuppressionKind kind, string normalized, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var read = await Table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(kind), Keys.Escape(normalized), cancellationToken: cancellationToken);
        return read.HasValue ? FromEntity(read.Value!) : null;
    }

    /// <summary>Which of <paramref name="normalized"/> are suppressed: one query per 50 addresses.</summary>
    public async Task<IReadOnlyDictionary<string, Suppression>> FindAsync(
        SuppressionKind kind, IEnumerable<string> normalized, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var found = new Dictionary<string, Suppression>(StringComparer.Ordinal);
        foreach (var chunk in normalized.Distinct(StringComparer.Ordinal).Chunk(50))
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(kind)}") + " and (" +
                string.Join(" or ", chunk.Select(a => TableClient.CreateQueryFilter($"RowKey eq {Keys.Escape(a)}"))) + ")";
            await foreach (var e in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var item = FromEntity(e);
                found[item.Address] = item;
            }
        }

        return found;
    }

    public async Task<Page> ListAsync(SuppressionKind? kind, int limit, string? continuationToken, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = kind is { } k
            ? TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(k)}")
            : TableClient.CreateQueryFilter($"PartitionKey ne {""}");
        var (rows, next) = await TablePages.ReadAsync(Table, filter, Math.Clamp(limit, 1, 1000), continuationToken, null, cancellationToken);
        return new Page(rows.Select(FromEntity).ToArray(), next);
    }

    private static string PartitionOf(SuppressionKind kind) => EnumNames.Camel(kind);

    private static TableEntity ToEntity(Suppression s) => new(PartitionOf(s.Kind), Keys.Escape(s.Address))
    {
        ["Address"] = s.Address,
        ["Reason"] = s.Reason,
        ["Source"] = s.Source,
        ["CreatedAt"] = s.CreatedAt,
    };

    private static Suppression FromEntity(TableEntity e) => new(
        EnumNames.Parse(e.PartitionKey, SuppressionKind.Email),
        e.GetString("Address") ?? "",
        e.GetString("Reason"),
        e.GetString("Source") ?? "api",
        e.GetDateTimeOffset("CreatedAt") ?? default);
}
