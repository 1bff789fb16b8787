using System.Text.Json.Nodes;

namespace Automation.Runtime.Crm;

/// <summary>
/// The CRM a record lives in and its id there, read from the fields its events brought in: <c>hubspotId</c> (and
/// <c>hubspotType</c>) from HubSpot's webhooks, <c>salesforceId</c> and <c>salesforceType</c> from Salesforce's Outbound
/// Messages. Records that came through our own event envelope have none and go to the generic write-back.
/// </summary>
public sealed record CrmRecord(string Crm, string Module, string? Type, string Id)
{
    public const string HubSpot = "hubspot";
    public const string Salesforce = "salesforce";
    public const string HubSpotId = "hubspotId";
    public const string HubSpotType = "hubspotType";
    public const string SalesforceId = "salesforceId";
    public const string SalesforceType = "salesforceType";

    /// <summary>Our bookkeeping on a record, never sent to a CRM as one of its fields.</summary>
    public static readonly IReadOnlySet<string> OwnFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        HubSpotId, HubSpotType, SalesforceId, SalesforceType, "relatedModule", "relatedRecordId",
    };

    public static CrmRecord? Of(string module, JsonObject? fields)
    {
        if (fields is null)
        {
            return null;
        }

        if (Text(fields, SalesforceId) is { } salesforceId && Text(fields, SalesforceType) is { } salesforceType)
        {
            return new CrmRecord(Salesforce, module, salesforceType, salesforceId);
        }

        return Text(fields, HubSpotId) is { } hubspotId ? new CrmRecord(HubSpot, module, Text(fields, HubSpotType), hubspotId) : null;
    }

    /// <summary>The fields of a change a CRM takes: all but <see cref="OwnFields"/>.</summary>
    public static JsonObject Writable(JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var writable = new JsonObject();
        foreach (var (name, value) in fields.Where(f => !OwnFields.Contains(f.Key)))
        {
            writable[name] = value?.DeepClone();
        }

        return writable;
    }

    private static string? Text(JsonObject fields, string name) => CrmValues.Text(fields[name]) is { Length: > 0 } text ? text : null;
}
