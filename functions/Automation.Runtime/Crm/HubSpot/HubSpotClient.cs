using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Runtime.Actions;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Crm.HubSpot;

/// <summary>Records read from HubSpot by id (their properties), or why they could not be read.</summary>
public sealed record HubSpotRead(IReadOnlyDictionary<string, JsonObject> Records, string? Error, bool Retryable);

/// <summary>
/// HubSpot's CRM v3 objects API with a private app's token: <c>POST /crm/v3/objects/{type}/batch/read</c> with
/// <c>{ properties, inputs: [{ id }] }</c>, up to 100 ids a call; ids HubSpot no longer has are simply absent from the answer.
/// </summary>
public sealed class HubSpotClient(IHttpClientFactory clients, IOptions<HubSpotOptions> options)
{
    public const string ClientName = "automation-hubspot";

    public async Task<HubSpotRead> ReadAsync(string objectType, IReadOnlyCollection<string> ids, IEnumerable<string> properties, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.AccessToken))
        {
            return new HubSpotRead(new Dictionary<string, JsonObject>(), "Automation:HubSpot:AccessToken is not set: records cannot be read from HubSpot.", false);
        }

        var body = new JsonObject
        {
            ["properties"] = new JsonArray(properties.Distinct(StringComparer.OrdinalIgnoreCase).Select(p => (JsonNode?)p).ToArray()),
            ["inputs"] = new JsonArray(ids.Select(id => (JsonNode?)new JsonObject { ["id"] = id }).ToArray()),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(o.BaseUrl, $"crm/v3/objects/{Uri.EscapeDataString(Plural(objectType))}/batch/read"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.AccessToken);
        var exchange = await HttpExchange.SendAsync(clients.CreateClient(ClientName), request, TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds)), "HubSpot", cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return new HubSpotRead(new Dictionary<string, JsonObject>(), failure, exchange.Retryable);
        }

        // 207 Multi-Status: some ids were not found; the found ones are in results all the same.
        if (exchange.Status is not (200 or 207))
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"HubSpot answered {exchange.Status} reading {Plural(objectType)}{Detail(exchange.Body)}.");
            return new HubSpotRead(new Dictionary<string, JsonObject>(), message, exchange.Status is 429 or >= 500);
        }

        var records = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (JsonNode.Parse(exchange.Body)?["results"] is JsonArray results)
        {
            foreach (var result in results.OfType<JsonObject>())
            {
                if (result["id"]?.GetValue<string>() is { } id && result["properties"] is JsonObject props)
                {
                    records[id] = (JsonObject)props.DeepClone();
                }
            }
        }

        return new HubSpotRead(records, null, false);
    }

    /// <summary>The API's object type names: contacts, companies, deals, tickets.</summary>
    public static string Plural(string objectType) => objectType.ToLowerInvariant() switch
    {
        "company" => "companies",
        var t when t.EndsWith('s') => t,
        var t => t + "s",
    };

    /// <summary>HubSpot's error answer is <c>{ status, message, category, correlationId }</c>.</summary>
    private static string Detail(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>() is { } message ? ": " + message : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
