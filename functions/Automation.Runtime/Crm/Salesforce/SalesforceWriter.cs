using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Crm.Salesforce;

/// <summary>
/// Writes changes through Salesforce's REST sObjects API: <c>PATCH sobjects/{type}/{id}</c> for updates (204),
/// <c>POST sobjects/{type}</c> for records created linked to the run's record (201 <c>{ id, success, errors }</c>): a Task
/// with <c>WhoId</c> (a lead or contact) or <c>WhatId</c> (anything else), <c>OwnerId</c> and <c>ActivityDate</c>; a Note
/// with <c>ParentId</c>; an Opportunity or a Case with its account or contact. With <see cref="SalesforceOptions.ExternalIdField"/>
/// a creation is an upsert by the change's id (<c>PATCH sobjects/{type}/{field}/{id}</c>), which never creates twice.
/// </summary>
public sealed class SalesforceWriter(SalesforceClient client, IOptions<SalesforceOptions> options, TimeProvider time) : ICrmConnector
{
    public string Name => CrmRecord.Salesforce;

    public bool Configured => client.Configured;

    public async Task<CrmWrite> UpdateAsync(CrmRecord record, JsonObject fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var type = record.Type ?? options.Value.TypeOfModule(record.Module);
        if (type is null)
        {
            return NoType(record.Module);
        }

        var exchange = await client.SendAsync(HttpMethod.Patch, $"sobjects/{type}/{Uri.EscapeDataString(record.Id)}", Fields(type, fields), cancellationToken);
        return exchange.Failure is { } failure ? CrmWrite.Failed(Name, type, null, failure, exchange.Retryable)
            : exchange.Status is 200 or 204 ? CrmWrite.Written(Name, type, record.Id, exchange.Status)
            : CrmWrite.Answered(Name, type, exchange.Status, $"updating {type} {record.Id}", SalesforceClient.Detail(exchange.Body), exchange.RetryAfter);
    }

    public async Task<CrmWrite> CreateAsync(CrmRecord parent, string module, JsonObject fields, string changeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (options.Value.TypeOfModule(module) is not { } type)
        {
            return NoType(module);
        }

        var body = WithParent(type, parent, WithDefaults(type, Fields(type, fields)));
        var upsertBy = options.Value.ExternalIdField is { Length: > 0 } field && type != "Note" ? field : null;
        var exchange = upsertBy is null
            ? await client.SendAsync(HttpMethod.Post, $"sobjects/{type}", body, cancellationToken)
            : await client.SendAsync(HttpMethod.Patch, $"sobjects/{type}/{upsertBy}/{Uri.EscapeDataString(changeId)}", body, cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return CrmWrite.Failed(Name, type, null, failure, exchange.Retryable);
        }

        // An upsert answers 201 when it created the record and 200 when a retry found it.
        return exchange.Status is 201 or 200 && IdIn(exchange.Body) is { } id
            ? CrmWrite.Written(Name, type, id, exchange.Status)
            : CrmWrite.Answered(Name, type, exchange.Status, $"creating a {type}", SalesforceClient.Detail(exchange.Body), exchange.RetryAfter);
    }

    /// <summary>A SOQL query: a record of the type linked to the parent, created since the attempt began, with the same subject, name or title.</summary>
    public async Task<CrmWrite?> FindCreatedAsync(CrmRecord parent, string module, JsonObject fields, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (options.Value.TypeOfModule(module) is not { } type)
        {
            return null;
        }

        var body = WithParent(type, parent, WithDefaults(type, Fields(type, fields)));
        var where = new List<string> { "CreatedDate >= " + since.AddMinutes(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) };
        foreach (var name in new[] { "WhoId", "WhatId", "ParentId", "AccountId", "ContactId", "Subject", "Name", "Title" })
        {
            if (body[name] is JsonValue value && CrmValues.Text(value) is { } text)
            {
                where.Add($"{name} = '{Soql(text)}'");
            }
        }

        var query = $"SELECT Id FROM {type} WHERE {string.Join(" AND ", where)} LIMIT 1";
        var exchange = await client.SendAsync(HttpMethod.Get, "query?q=" + Uri.EscapeDataString(query), null, cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return CrmWrite.Failed(Name, type, null, failure, exchange.Retryable);
        }

        if (exchange.Status != 200)
        {
            return CrmWrite.Answered(Name, type, exchange.Status, $"querying {type}", SalesforceClient.Detail(exchange.Body), exchange.RetryAfter);
        }

        return JsonNode.Parse(exchange.Body)?["records"] is JsonArray { Count: > 0 } records && records[0]?["Id"]?.GetValue<string>() is { } id
            ? CrmWrite.Written(Name, type, id, exchange.Status)
            : null;
    }

    private static CrmWrite NoType(string module) =>
        CrmWrite.Failed(CrmRecord.Salesforce, null, null, $"Salesforce has no sObject type for module '{module}': map one in Automation:Salesforce:Objects.", retryable: false);

    /// <summary>Our fields under Salesforce's names; a task's and a case's status in Salesforce's default picklist values.</summary>
    private JsonObject Fields(string type, JsonObject fields)
    {
        var map = options.Value.MapOf(type);
        var body = new JsonObject();
        foreach (var (field, value) in CrmRecord.Writable(fields))
        {
            var name = map.SalesforceFieldFor(field);
            body[name] = (type, name, CrmValues.Text(value)?.ToLowerInvariant()) switch
            {
                ("Task", "Status", "open") => "Not Started",
                ("Task", "Status", "done" or "completed" or "closed") => "Completed",
                ("Case", "Status", "open") => "New",
                _ => value?.DeepClone(),
            };
        }

        return body;
    }

    /// <summary>What Salesforce requires of a new record that our actions may leave out: an opportunity's stage and close date, a note's title.</summary>
    private JsonObject WithDefaults(string type, JsonObject body)
    {
        switch (type)
        {
            case "Opportunity":
                body["StageName"] ??= "Prospecting";
                body["CloseDate"] ??= time.GetUtcNow().AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
            case "Note":
                body["Title"] ??= CrmValues.Clip(CrmValues.Text(body["Body"]) ?? "Note", 80);
                break;
            case "Task":
                body["Status"] ??= "Not Started";
                break;
        }

        return body;
    }

    /// <summary>The link to the run's record, in the field the new record's type has for it.</summary>
    private static JsonObject WithParent(string type, CrmRecord parent, JsonObject body)
    {
        var parentType = parent.Type ?? "";
        var link = (type, parentType) switch
        {
            ("Task", "Lead" or "Contact") => "WhoId",
            ("Task", _) => "WhatId",
            ("Note", _) => "ParentId",
            ("Opportunity" or "Case" or "Contact", "Account") => "AccountId",
            ("Case", "Contact") => "ContactId",
            _ => null,
        };
        if (link is not null)
        {
            body[link] = parent.Id;
        }

        return body;
    }

    private static string Soql(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);

    private static string? IdIn(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["id"] is JsonValue id && id.GetValueKind() == JsonValueKind.String ? id.GetValue<string>() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
