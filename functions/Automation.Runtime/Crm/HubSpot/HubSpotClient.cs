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
/// HubSpot's CRM v3 API with a private app's token. Records are read with <c>POST /crm/v3/objects/{type}/batch/read</c>
/// (<c>{ properties, inputs: [{ id }] }</c>, up to 100 ids a call; ids HubSpot no longer has are simply absent from the
/// answer); <see cref="HubSpotWriter"/> and <see cref="HubSpotOwners"/> make their calls through <see cref="SendAsync"/>.
/// </summary>
public sealed class HubSpotClient(IHttpClientFactory clients, IOptions<HubSpotOptions> options, TimeProvider time)
{
    public const string ClientName = "automation-hubspot";

    public bool Configured => !string.IsNullOrEmpty(options.Value.AccessToken);

    public async Task<HubSpotRead> ReadAsync(string objectType, IReadOnlyCollection<string> ids, IEnumerable<string> properties, CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return new HubSpotRead(new Dictionary<string, JsonObject>(), "Automation:HubSpot:AccessToken is not set: records cannot be read from HubSpot.", false);
        }

        var body = new JsonObject
        {
            ["properties"] = new JsonArray(properties.Distinct(StringComparer.OrdinalIgnoreCase).Select(p => (JsonNode?)p).ToArray()),
            ["inputs"] = new JsonArray(ids.Select(id => (JsonNode?)new JsonObject { ["id"] = id }).ToArray()),
        };
        var exchange = await SendAsync(HttpMethod.Post, $"crm/v3/objects/{Uri.EscapeDataString(Plural(objectType))}/batch/read", body, cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return new HubSpotRead(new Dictionary<string, JsonObject>(), failure, exchange.Retryable);
        }

        // 207 Multi-Status: some ids were not found; the found ones are in results all the same.
        if (exchange.Status is not (200 or 207))
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"HubSpot answered {exchange.Status} reading {Plural(objectType)}{Colon(Detail(exchange.Body))}.");
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

    /// <summary>
    /// One call to HubSpot's API (<paramref name="path"/> under the base URL) with the private app's token, rate limits waited
    /// out as <see cref="CrmHttp"/> does: HubSpot's 429 names its window (<c>policyName</c>), ten seconds for the burst limit.
    /// </summary>
    public Task<HttpExchange> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var o = options.Value;
        return CrmHttp.SendAsync(
            clients.CreateClient(ClientName),
            () =>
            {
                var request = new HttpRequestMessage(method, new Uri(o.BaseUrl, path));
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                }

                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.AccessToken);
                return request;
            },
            TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds)),
            "HubSpot",
            RateLimitWindow,
            time,
            cancellationToken);
    }

    /// <summary>HubSpot's 429 says which limit was hit: the ten-second burst window, the per-second search limit, or the daily cap.</summary>
    private static TimeSpan? RateLimitWindow(HttpExchange exchange) => Field(exchange.Body, "policyName") switch
    {
        "TEN_SECONDLY_ROLLING" => TimeSpan.FromSeconds(10),
        "SECONDLY" => TimeSpan.FromSeconds(1),
        "DAILY" => TimeSpan.FromHours(1),
        _ => null,
    };

    /// <summary>The API's object type names: contacts, companies, deals, tickets.</summary>
    public static string Plural(string objectType) => objectType.ToLowerInvariant() switch
    {
        "company" => "companies",
        var t when t.EndsWith('s') => t,
        var t => t + "s",
    };

    /// <summary>HubSpot's error answer is <c>{ status, message, category, correlationId }</c>: its message, when there is one.</summary>
    public static string? Detail(string body) => Field(body, "message");

    private static string Colon(string? detail) => detail is null ? "" : ": " + detail;

    private static string? Field(string body, string name)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
