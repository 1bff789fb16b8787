using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Crm.HubSpot;

/// <summary>
/// Writes changes to HubSpot's CRM v3 objects API: <c>PATCH /crm/v3/objects/{type}/{id}</c> with <c>{ properties }</c> for
/// updates, <c>POST /crm/v3/objects/{type}</c> with <c>{ properties, associations }</c> for records created linked to the
/// run's record (a task, a note, a deal, a ticket; <see cref="HubSpotAssociations"/> names the link). Our field names
/// become HubSpot's properties through the object's mapping (<see cref="HubSpotObjectMap"/>).
/// </summary>
public sealed class HubSpotWriter(HubSpotClient client, IOptions<HubSpotOptions> options, TimeProvider time) : ICrmConnector
{
    public string Name => CrmRecord.HubSpot;

    public bool Configured => client.Configured;

    public async Task<CrmWrite> UpdateAsync(CrmRecord record, JsonObject fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (TypeOf(record) is not { } type)
        {
            return NoType(record.Module);
        }

        var body = new JsonObject { ["properties"] = Properties(type, fields) };
        var exchange = await client.SendAsync(HttpMethod.Patch, $"crm/v3/objects/{HubSpotClient.Plural(type)}/{Uri.EscapeDataString(record.Id)}", body, cancellationToken);
        return exchange.Failure is { } failure ? CrmWrite.Failed(Name, type, null, failure, exchange.Retryable)
            : exchange.Status == 200 ? CrmWrite.Written(Name, type, record.Id, exchange.Status)
            : CrmWrite.Answered(Name, type, exchange.Status, $"updating {type} {record.Id}", HubSpotClient.Detail(exchange.Body), exchange.RetryAfter);
    }

    public async Task<CrmWrite> CreateAsync(CrmRecord parent, string module, JsonObject fields, string changeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (TypeForCreated(module) is not { } type)
        {
            return NoType(module);
        }

        var body = new JsonObject { ["properties"] = WithDefaults(type, Properties(type, fields), time.GetUtcNow()) };
        if (TypeOf(parent) is { } parentType && HubSpotAssociations.TypeId(type, parentType) is { } association)
        {
            body["associations"] = new JsonArray(new JsonObject
            {
                ["to"] = new JsonObject { ["id"] = parent.Id },
                ["types"] = new JsonArray(new JsonObject { ["associationCategory"] = "HUBSPOT_DEFINED", ["associationTypeId"] = association }),
            });
        }

        var exchange = await client.SendAsync(HttpMethod.Post, $"crm/v3/objects/{HubSpotClient.Plural(type)}", body, cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return CrmWrite.Failed(Name, type, null, failure, exchange.Retryable);
        }

        return exchange.Status == 201 && IdIn(exchange.Body) is { } id
            ? CrmWrite.Written(Name, type, id, exchange.Status)
            : CrmWrite.Answered(Name, type, exchange.Status, $"creating a {type}", HubSpotClient.Detail(exchange.Body), exchange.RetryAfter);
    }

    /// <summary>
    /// HubSpot's search (<c>POST /crm/v3/objects/{type}/search</c>): a record of the type associated with the parent, created
    /// since the attempt began, with the same title (subject, name, body) as the one this change creates.
    /// </summary>
    public async Task<CrmWrite?> FindCreatedAsync(CrmRecord parent, string module, JsonObject fields, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (TypeForCreated(module) is not { } type || TypeOf(parent) is not { } parentType)
        {
            return null;
        }

        var filters = new JsonArray(
            Filter("hs_createdate", "GTE", since.AddMinutes(-1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            Filter("associations." + parentType, "EQ", parent.Id));
        var properties = Properties(type, fields);
        if (TitleProperty(type) is { } title && properties[title] is JsonNode value)
        {
            filters.Add(Filter(title, "EQ", value.GetValue<string>()));
        }

        var body = new JsonObject
        {
            ["filterGroups"] = new JsonArray(new JsonObject { ["filters"] = filters }),
            ["properties"] = new JsonArray("hs_object_id"),
            ["limit"] = 1,
        };
        var exchange = await client.SendAsync(HttpMethod.Post, $"crm/v3/objects/{HubSpotClient.Plural(type)}/search", body, cancellationToken);
        if (exchange.Failure is not null || exchange.Status != 200)
        {
            return exchange.Failure is { } failure
                ? CrmWrite.Failed(Name, type, null, failure, exchange.Retryable)
                : CrmWrite.Answered(Name, type, exchange.Status, $"searching {HubSpotClient.Plural(type)}", HubSpotClient.Detail(exchange.Body), exchange.RetryAfter);
        }

        return JsonNode.Parse(exchange.Body)?["results"] is JsonArray { Count: > 0 } results && results[0]?["id"]?.GetValue<string>() is { } id
            ? CrmWrite.Written(Name, type, id, exchange.Status)
            : null;
    }

    private string? TypeOf(CrmRecord record) => record.Type ?? options.Value.TypeOfModule(record.Module);

    private string? TypeForCreated(string module) => options.Value.TypeOfModule(module);

    private static CrmWrite NoType(string module) =>
        CrmWrite.Failed(CrmRecord.HubSpot, null, null, $"HubSpot has no object type for module '{module}': map one in Automation:HubSpot:Objects.", retryable: false);

    /// <summary>Our fields as the type's properties, values as HubSpot takes them (text; dates as instants; statuses in its words).</summary>
    private JsonObject Properties(string type, JsonObject fields)
    {
        var map = options.Value.MapOf(type);
        var properties = new JsonObject();
        foreach (var (field, value) in CrmRecord.Writable(fields))
        {
            var property = map?.PropertyFor(field) ?? field;
            properties[property] = Value(property, value);
        }

        return properties;
    }

    private static string Value(string property, JsonNode? value) => property switch
    {
        "hs_timestamp" or "closedate" when CrmValues.Instant(value) is { } at => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        "hs_task_status" => CrmValues.Text(value)?.ToLowerInvariant() switch
        {
            "open" or "not_started" or null => "NOT_STARTED",
            "done" or "completed" or "closed" => "COMPLETED",
            var other => other.ToUpperInvariant(),
        },
        "hs_task_priority" or "hs_ticket_priority" => CrmValues.Text(value)?.ToUpperInvariant() ?? "",
        // Multiple-checkbox properties take their options separated by semicolons; an empty text clears a property.
        _ => value is JsonArray list ? string.Join(';', list.Select(CrmValues.Text).OfType<string>()) : CrmValues.Text(value) ?? value?.ToJsonString() ?? "",
    };

    /// <summary>What HubSpot requires of a new record that our actions may leave out: a task's and a note's time, a deal's and a ticket's pipeline and stage (the default pipelines' first stages).</summary>
    private static JsonObject WithDefaults(string type, JsonObject properties, DateTimeOffset at)
    {
        void Default(string property, string value)
        {
            if (properties[property] is null || CrmValues.Text(properties[property]) is "" or null)
            {
                properties[property] = value;
            }
        }

        var now = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        switch (type)
        {
            case "task":
                Default("hs_timestamp", now);
                Default("hs_task_status", "NOT_STARTED");
                break;
            case "note":
                Default("hs_timestamp", now);
                break;
            case "deal":
                Default("pipeline", "default");
                Default("dealstage", "appointmentscheduled");
                break;
            case "ticket":
                Default("hs_pipeline", "0");
                Default("hs_pipeline_stage", "1");
                break;
        }

        return properties;
    }

    private static string? TitleProperty(string type) => type switch
    {
        "task" => "hs_task_subject",
        "note" => "hs_note_body",
        "deal" => "dealname",
        "ticket" => "subject",
        "company" => "name",
        "contact" => "email",
        _ => null,
    };

    private static JsonObject Filter(string property, string op, string value) => new() { ["propertyName"] = property, ["operator"] = op, ["value"] = value };

    private static string? IdIn(string body) => JsonNode.Parse(body)?["id"] is JsonValue id ? id.ToString() : null;
}
