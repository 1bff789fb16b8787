namespace Automation.Runtime.Crm.HubSpot;

/// <summary>
/// <c>Automation:HubSpot</c>: the HubSpot app whose webhooks come to <c>POST /api/hooks/hubspot</c>, and the private-app
/// token that reads the records they are about. Shape:
/// <code>
/// "Automation": { "HubSpot": {
///   "ClientSecret": "...",            // the app's client secret: checks X-HubSpot-Signature-v3
///   "AccessToken": "pat-...",         // a private app's token (crm.objects.*.read scopes): reads whole records
///   "BaseUrl": "https://api.hubapi.com",
///   "PortalId": 62515,                // when set, webhooks of other portals are ignored
///   "WebhookUrl": null,               // the URL HubSpot calls, when a proxy changes it on the way (signatures cover it)
///   "Objects": { "deal": { "Module": "opportunity", "Fields": { "dealstage": "stage", ... } } },  // replaces a default mapping
///   "TimeoutSeconds": 30
/// } }
/// </code>
/// </summary>
public sealed class HubSpotOptions
{
    public const string Section = "Automation:HubSpot";

    public string? ClientSecret { get; set; }

    public string? AccessToken { get; set; }

    public Uri BaseUrl { get; set; } = new("https://api.hubapi.com");

    public long? PortalId { get; set; }

    public Uri? WebhookUrl { get; set; }

    public Dictionary<string, HubSpotObjectMap> Objects { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The mapping of an object type (<c>contact</c>, <c>company</c>, <c>deal</c>, <c>ticket</c>): configured, or the default.</summary>
    public HubSpotObjectMap? MapOf(string objectType) =>
        Objects.TryGetValue(objectType, out var configured) && !string.IsNullOrWhiteSpace(configured.Module)
            ? configured
            : HubSpotObjectMap.Defaults.GetValueOrDefault(objectType);

    /// <summary>The object type whose records are <paramref name="module"/>'s (<c>opportunity</c> → <c>deal</c>): configured, or the default.</summary>
    public string? TypeOfModule(string module) =>
        Objects.FirstOrDefault(o => string.Equals(o.Value.Module, module, StringComparison.OrdinalIgnoreCase)).Key
        ?? HubSpotObjectMap.Defaults.FirstOrDefault(d => string.Equals(d.Value.Module, module, StringComparison.OrdinalIgnoreCase)).Key;
}

/// <summary>Which module an object type's records are, and which HubSpot property becomes which of our fields.</summary>
public sealed class HubSpotObjectMap
{
    public string? Module { get; set; }

    /// <summary>HubSpot property → our field. Properties not listed are read and kept under their own names too.</summary>
    public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static readonly IReadOnlyDictionary<string, HubSpotObjectMap> Defaults = new Dictionary<string, HubSpotObjectMap>(StringComparer.OrdinalIgnoreCase)
    {
        ["contact"] = Map("contact", ("email", "email"), ("phone", "phone"), ("mobilephone", "mobilePhone"), ("firstname", "firstName"),
            ("lastname", "lastName"), ("company", "company"), ("jobtitle", "jobTitle"), ("lifecyclestage", "status"),
            ("hs_lead_status", "leadStatus"), ("hubspot_owner_id", "ownerId")),
        ["company"] = Map("account", ("name", "name"), ("domain", "domain"), ("industry", "industry"), ("phone", "phone"),
            ("lifecyclestage", "status"), ("hubspot_owner_id", "ownerId")),
        ["deal"] = Map("opportunity", ("dealname", "name"), ("amount", "amount"), ("dealstage", "stage"), ("pipeline", "pipeline"),
            ("closedate", "closeDate"), ("hubspot_owner_id", "ownerId")),
        ["ticket"] = Map("case", ("subject", "subject"), ("content", "description"), ("hs_pipeline_stage", "stage"), ("hs_pipeline", "pipeline"),
            ("hs_ticket_priority", "priority"), ("hubspot_owner_id", "ownerId")),
        // Engagements: HubSpot sends no webhooks for them; these maps are how created tasks and notes are written.
        ["task"] = Map("task", ("hs_task_subject", "title"), ("hs_task_body", "description"), ("hubspot_owner_id", "assignee"),
            ("hs_timestamp", "dueDate"), ("hs_task_status", "status"), ("hs_task_priority", "priority")),
        ["note"] = Map("note", ("hs_note_body", "body"), ("hubspot_owner_id", "ownerId")),
    };

    /// <summary>The HubSpot property our <paramref name="field"/> is: the mapped one, or a property of the same name.</summary>
    public string PropertyFor(string field) =>
        Fields.FirstOrDefault(f => string.Equals(f.Value, field, StringComparison.OrdinalIgnoreCase)).Key ?? field;

    private static HubSpotObjectMap Map(string module, params (string Property, string Field)[] fields)
    {
        var map = new HubSpotObjectMap { Module = module };
        foreach (var (property, field) in fields)
        {
            map.Fields[property] = field;
        }

        return map;
    }
}
