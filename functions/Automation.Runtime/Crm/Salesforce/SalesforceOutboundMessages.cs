using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Crm.Salesforce;

/// <summary>What an Outbound Message became: our events, or why it is refused (and the org it came from).</summary>
public sealed record SalesforceMessage(IReadOnlyList<CrmEvent> Events, string? Refused);

/// <summary>
/// Reads a Salesforce Outbound Message (the SOAP <c>notifications</c> call Flow and workflow rules send, up to 100
/// <c>Notification</c>s, each an <c>Id</c> and the <c>sObject</c> with the fields the message was set up with). The
/// organization must be the configured one. Each notification becomes an event <c>salesforce-{notification Id}</c>
/// (Salesforce re-sends messages: a re-sent one is a duplicate) about the sObject, mapped to our module and fields.
/// Outbound Messages do not say whether the record is new: one whose <c>CreatedDate</c> equals its
/// <c>LastModifiedDate</c> is <c>record.created</c>, any other <c>record.updated</c>.
/// </summary>
public sealed partial class SalesforceOutboundMessages(IOptions<SalesforceOptions> options)
{
    private static readonly XNamespace Outbound = "http://soap.sforce.com/2005/09/outbound";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The answer Salesforce waits for; without it the message is sent again, for up to 24 hours.</summary>
    public const string Ack = """<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>""";

    public static string Fault(string message) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>{System.Security.SecurityElement.Escape(message)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>""";

    public SalesforceMessage Read(string xml, DateTimeOffset now)
    {
        var configured = options.Value.OrganizationId?.Trim();
        if (string.IsNullOrEmpty(configured))
        {
            return new([], "Salesforce is not connected: set Automation:Salesforce:OrganizationId.");
        }

        XDocument doc;
        try
        {
            doc = XDocument.Parse(xml, LoadOptions.None);
        }
        catch (XmlException e)
        {
            return new([], "The body is not an Outbound Message: " + e.Message);
        }

        var notifications = doc.Descendants(Outbound + "notifications").FirstOrDefault();
        if (notifications is null)
        {
            return new([], "The body is not an Outbound Message: there is no notifications element.");
        }

        var org = notifications.Element(Outbound + "OrganizationId")?.Value.Trim() ?? "";
        if (!SameOrg(org, configured))
        {
            return new([], $"The message is from organization '{org}', not the configured one.");
        }

        var events = new List<CrmEvent>();
        foreach (var notification in notifications.Elements(Outbound + "Notification"))
        {
            var id = notification.Element(Outbound + "Id")?.Value.Trim();
            var sObject = notification.Element(Outbound + "sObject");
            var type = sObject?.Attribute(Xsi + "type")?.Value is { } t ? t[(t.IndexOf(':', StringComparison.Ordinal) + 1)..] : null;
            var recordId = sObject?.Elements().FirstOrDefault(e => e.Name.LocalName == "Id")?.Value.Trim();
            if (id is null || sObject is null || type is null || recordId is null)
            {
                return new([], "A Notification has no Id, or its sObject no type or Id.");
            }

            var map = options.Value.MapOf(type);
            var record = new JsonObject { ["salesforceId"] = recordId, ["salesforceType"] = type };
            string? created = null;
            string? modified = null;
            foreach (var field in sObject.Elements().Where(e => e.Name.LocalName != "Id"))
            {
                var name = field.Name.LocalName;
                created = name == "CreatedDate" ? field.Value : created;
                modified = name == "LastModifiedDate" ? field.Value : modified;
                record[map.FieldFor(name)] = field.Attribute(Xsi + "nil")?.Value == "true" ? null : Value(field.Value);
            }

            events.Add(new CrmEvent
            {
                Id = "salesforce-" + id,
                Type = created is not null && created == modified ? EventTypes.RecordCreated : EventTypes.RecordUpdated,
                Module = map.Module!,
                RecordId = recordId,
                OccurredAt = DateTimeOffset.TryParse(modified, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : now,
                Record = JsonSerializer.SerializeToElement(record, EngineJson.Options),
                Data = JsonSerializer.SerializeToElement(new { source = "salesforce", organizationId = org, actionId = notifications.Element(Outbound + "ActionId")?.Value, notificationId = id }, EngineJson.Options),
            });
        }

        return events.Count == 0 ? new([], "The message has no Notification.") : new(events, null);
    }

    /// <summary>Org ids come in 15 and 18 characters; the first 15 are the id (case-sensitive).</summary>
    private static bool SameOrg(string a, string b) =>
        a.Length >= 15 && b.Length >= 15 && string.Equals(a[..15], b[..15], StringComparison.Ordinal);

    /// <summary>Booleans and plain numbers as such (XML carries them as text); ids, phone numbers and the rest as text.</summary>
    private static JsonValue Value(string text) =>
        text is "true" or "false" ? JsonValue.Create(text == "true")
        : text.Length <= 15 && PlainNumber().IsMatch(text) ? JsonValue.Create(decimal.Parse(text, CultureInfo.InvariantCulture))
        : JsonValue.Create(text);

    [System.Text.RegularExpressions.GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PlainNumber();
}
