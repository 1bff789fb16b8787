using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Runtime.Crm.HubSpot;
using Automation.Runtime.Crm.Salesforce;

namespace Automation.Runtime.Crm;

/// <summary>A CRM user a record can be owned by: their name and email, as the CRM knows them.</summary>
public sealed record CrmOwner(string Crm, string Id, string? Name, string? Email)
{
    public JsonObject ToJson() => new() { ["crm"] = Crm, ["id"] = Id, ["name"] = Name, ["email"] = Email };
}

/// <summary>
/// Resolves owner ids of a CRM's records to people: HubSpot's owners API (<c>GET /crm/v3/owners/{ownerId}</c>:
/// <c>{ id, email, firstName, lastName }</c>) and Salesforce's Users (<c>GET sobjects/User/{id}?fields=Name,Email</c>).
/// Answers are kept ten minutes (an unknown id too, so a typo does not call the CRM on every step).
/// </summary>
public sealed class CrmOwners(HubSpotClient hubspot, SalesforceClient salesforce, TimeProvider time)
{
    private static readonly TimeSpan Kept = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(string Crm, string Id), (CrmOwner? Owner, DateTimeOffset Until)> known = new();

    /// <summary>The owner <paramref name="ownerId"/> of a record with these fields, when the record is from a configured CRM that knows them.</summary>
    public Task<CrmOwner?> OfRecordAsync(string module, JsonObject? fields, string ownerId, CancellationToken cancellationToken) =>
        CrmRecord.Of(module, fields) is { } record ? FindAsync(record.Crm, ownerId, cancellationToken) : Task.FromResult<CrmOwner?>(null);

    public async Task<CrmOwner?> FindAsync(string crm, string ownerId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ownerId))
        {
            return null;
        }

        var key = (crm, ownerId.Trim());
        var now = time.GetUtcNow();
        if (known.TryGetValue(key, out var kept) && kept.Until > now)
        {
            return kept.Owner;
        }

        var (owner, answered) = crm switch
        {
            CrmRecord.HubSpot when hubspot.Configured => await HubSpotAsync(key.Item2, cancellationToken),
            CrmRecord.Salesforce when salesforce.Configured => await SalesforceAsync(key.Item2, cancellationToken),
            _ => (null, false),
        };
        if (answered)
        {
            known[key] = (owner, now + Kept);
        }

        return owner;
    }

    private async Task<(CrmOwner?, bool)> HubSpotAsync(string id, CancellationToken cancellationToken)
    {
        var exchange = await hubspot.SendAsync(HttpMethod.Get, $"crm/v3/owners/{Uri.EscapeDataString(id)}?idProperty=id", null, cancellationToken);
        if (exchange.Failure is not null || exchange.Status is not (200 or 404))
        {
            return (null, false);
        }

        if (exchange.Status == 404 || Parse(exchange.Body) is not { } o)
        {
            return (null, true);
        }

        var name = string.Join(' ', new[] { Text(o, "firstName"), Text(o, "lastName") }.Where(n => !string.IsNullOrWhiteSpace(n)));
        return (new CrmOwner(CrmRecord.HubSpot, id, name.Length > 0 ? name : null, Text(o, "email")), true);
    }

    private async Task<(CrmOwner?, bool)> SalesforceAsync(string id, CancellationToken cancellationToken)
    {
        var exchange = await salesforce.SendAsync(HttpMethod.Get, $"sobjects/User/{Uri.EscapeDataString(id)}?fields=Name,Email", null, cancellationToken);
        if (exchange.Failure is not null || exchange.Status is not (200 or 404))
        {
            return (null, false);
        }

        return exchange.Status == 200 && Parse(exchange.Body) is { } o
            ? (new CrmOwner(CrmRecord.Salesforce, id, Text(o, "Name"), Text(o, "Email")), true)
            : (null, true);
    }

    private static JsonObject? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
