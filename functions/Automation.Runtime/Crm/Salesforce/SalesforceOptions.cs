namespace Automation.Runtime.Crm.Salesforce;

/// <summary>
/// <c>Automation:Salesforce</c>: Outbound Messages in (<c>POST /api/hooks/salesforce</c>) and changes out through the REST
/// API, signed in with a connected app's OAuth 2.0 client credentials. Shape:
/// <code>
/// "Automation": { "Salesforce": {
///   "OrganizationId": "00D5g000004XXXXEAA",   // messages of other orgs are refused (15 or 18 characters)
///   "InstanceUrl": "https://acme.my.salesforce.com",   // the org's My Domain URL: token and REST calls
///   "ClientId": "3MVG9...", "ClientSecret": "...",      // the connected app's consumer key and secret
///   "ApiVersion": "62.0",
///   "ExternalIdField": "Automation_Change_Id__c",       // optional: created records are upserted by it (see README)
///   "TimeoutSeconds": 30,
///   "Objects": { "Opportunity": { "Module": "opportunity", "Fields": { "StageName": "stage", ... } } }  // replaces a default mapping
/// } }
/// </code>
/// </summary>
public sealed class SalesforceOptions
{
    public const string Section = "Automation:Salesforce";

    public string? OrganizationId { get; set; }

    public Uri? InstanceUrl { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string ApiVersion { get; set; } = "62.0";

    /// <summary>A unique external id field (text) on the objects we create: creation becomes an upsert by the change's id, so a retry can never create twice.</summary>
    public string? ExternalIdField { get; set; }

    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Changes are written to Salesforce: the org's URL and the connected app's credentials are set.</summary>
    public bool CanWrite => InstanceUrl is not null && !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    /// <summary>The sObject type whose records are <paramref name="module"/>'s (<c>opportunity</c> → <c>Opportunity</c>): configured, or the default.</summary>
    public string? TypeOfModule(string module) =>
        Objects.FirstOrDefault(o => string.Equals(o.Value.Module, module, StringComparison.OrdinalIgnoreCase)).Key
        ?? SalesforceObjectMap.Defaults.FirstOrDefault(d => string.Equals(d.Value.Module, module, StringComparison.OrdinalIgnoreCase)).Key;

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
        ["Case"] = Map("case", ("OwnerId", "assignee")),
        ["Task"] = Map("task", ("Subject", "title"), ("ActivityDate", "dueDate"), ("OwnerId", "assignee")),
        ["Note"] = Map("note", ("Body", "body")),
    };

    public string? Module { get; set; }

    /// <summary>Salesforce field → our field, over <see cref="CommonFields"/>; other fields are camel-cased.</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The Salesforce field our <paramref name="field"/> is: mapped, common, or its name with a capital (the reverse of camel-casing).</summary>
    public string SalesforceFieldFor(string field) =>
        Fields.FirstOrDefault(f => string.Equals(f.Value, field, StringComparison.OrdinalIgnoreCase)).Key
        ?? CommonFields.FirstOrDefault(f => string.Equals(f.Value, field, StringComparison.Ordinal)).Key
        ?? char.ToUpperInvariant(field[0]) + field[1..];

    private static SalesforceObjectMap Map(string module, params (string Salesforce, string Field)[] fields)
    {
        var map = new SalesforceObjectMap { Module = module };
        foreach (var (salesforce, field) in fields)
        {
            map.Fields[salesforce] = field;
        }

        return map;
    }

    public string FieldFor(string salesforceField) =>
        Fields.TryGetValue(salesforceField, out var mine) ? mine
        : CommonFields.TryGetValue(salesforceField, out var common) ? common
        : char.ToLowerInvariant(salesforceField[0]) + salesforceField[1..];
}
