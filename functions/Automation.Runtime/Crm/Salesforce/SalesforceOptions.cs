namespace Automation.Runtime.Crm.Salesforce;

/// <summary>
/// <c>Automation:Salesforce</c>, for Outbound Messages in (<c>POST /api/hooks/salesforce</c>). Shape:
/// <code>
/// "Automation": { "Salesforce": {
///   "OrganizationId": "00D5g000004XXXXEAA",   // messages of other orgs are refused (15 or 18 characters)
///   "Objects": { "Opportunity": { "Module": "opportunity", "Fields": { "StageName": "stage", ... } } }  // replaces a default mapping
/// } }
/// </code>
/// </summary>
public sealed class SalesforceOptions
{
    public const string Section = "Automation:Salesforce";

    public string? OrganizationId { get; set; }

    public Dictionary<string, SalesforceObjectMap> Objects { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The mapping of an sObject type: configured, or the default (a type not listed: its name in lowercase, fields camel-cased).</summary>
    public SalesforceObjectMap MapOf(string sObjectType) =>
        Objects.TryGetValue(sObjectType, out var configured) && !string.IsNullOrWhiteSpace(configured.Module)
            ? configured
            : SalesforceObjectMap.Defaults.GetValueOrDefault(sObjectType) ?? new SalesforceObjectMap { Module = sObjectType.ToLowerInvariant() };
}

/// <summary>Which module an sObject type's records are, and which Salesforce field becomes which of ours.</summary>
public sealed class SalesforceObjectMap
{
    /// <summary>Fields every object shares: <c>StageName</c> → <c>stage</c>, <c>OwnerId</c> → <c>ownerId</c>, and the like.</summary>
    public static readonly IReadOnlyDictionary<string, string> CommonFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["StageName"] = "stage", ["Status"] = "status", ["OwnerId"] = "ownerId", ["Email"] = "email", ["Phone"] = "phone",
        ["MobilePhone"] = "mobilePhone", ["FirstName"] = "firstName", ["LastName"] = "lastName", ["Name"] = "name", ["Amount"] = "amount",
        ["CloseDate"] = "closeDate", ["Company"] = "company", ["LeadSource"] = "leadSource", ["Subject"] = "subject",
        ["Priority"] = "priority", ["Description"] = "description", ["Title"] = "jobTitle", ["HasOptedOutOfEmail"] = "emailOptOut",
        ["DoNotCall"] = "callOptOut",
    };

    public static readonly IReadOnlyDictionary<string, SalesforceObjectMap> Defaults = new Dictionary<string, SalesforceObjectMap>(StringComparer.OrdinalIgnoreCase)
    {
        ["Lead"] = new() { Module = "lead" },
        ["Contact"] = new() { Module = "contact" },
        ["Account"] = new() { Module = "account" },
        ["Opportunity"] = new() { Module = "opportunity" },
        ["Case"] = new() { Module = "case" },
        ["Task"] = new() { Module = "task" },
    };

    public string? Module { get; set; }

    /// <summary>Salesforce field → our field, over <see cref="CommonFields"/>; other fields are camel-cased.</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string FieldFor(string salesforceField) =>
        Fields.TryGetValue(salesforceField, out var mine) ? mine
        : CommonFields.TryGetValue(salesforceField, out var common) ? common
        : char.ToLowerInvariant(salesforceField[0]) + salesforceField[1..];
}
