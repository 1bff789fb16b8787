using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Runtime.Actions;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Communication;

/// <summary>
/// Twilio's REST API over HttpClient: <c>POST {BaseUrl}/2010-04-01/Accounts/{AccountSid}/{Messages|Calls}.json</c>, a
/// form body, basic auth with the account SID and auth token. A 2xx answer's <c>sid</c> and <c>status</c> are the
/// step's output. 429 and 5xx answers, timeouts and connection failures may be retried; other 4xx answers (a number
/// Twilio refuses, bad credentials) are final, with Twilio's error code and message.
/// </summary>
public sealed class TwilioClient(IHttpClientFactory clients, IOptions<TwilioOptions> options)
{
    public const string ClientName = "automation-twilio";

    public TwilioOptions Options => options.Value;

    /// <summary>Null when Twilio is configured; else why not (a final failure: retrying will not configure it).</summary>
    public string? NotConfigured() =>
        string.IsNullOrWhiteSpace(Options.AccountSid) || string.IsNullOrWhiteSpace(Options.AuthToken)
            ? "Twilio is not configured: set Automation:Twilio:AccountSid and Automation:Twilio:AuthToken."
            : null;

    /// <summary>Creates a Messages or Calls resource; the output holds sid, status, to and from.</summary>
    public async Task<ActionResult> CreateAsync(string resource, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var o = Options;
        var url = new Uri(o.BaseUrl.AbsoluteUri.TrimEnd('/') + $"/2010-04-01/Accounts/{Uri.EscapeDataString(o.AccountSid!)}/{resource}.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(o.AccountSid + ":" + o.AuthToken)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var exchange = await HttpExchange.SendAsync(
            clients.CreateClient(ClientName), request, TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds)), "Twilio", cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return ActionResult.Fail(failure, exchange.Retryable);
        }

        var status = exchange.Status;
        var json = Parse(exchange.Body);
        var output = new JsonObject { ["status"] = status };
        if (status is >= 200 and < 300)
        {
            output["sid"] = json?["sid"]?.DeepClone();
            output["state"] = json?["status"]?.DeepClone();
            output["to"] = json?["to"]?.DeepClone();
            output["from"] = json?["from"]?.DeepClone();
            return ActionResult.Success(Json(output));
        }

        output["code"] = json?["code"]?.DeepClone();
        output["message"] = json?["message"]?.DeepClone();
        var retryable = status is 429 or >= 500;
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Twilio answered {status}{(json?["code"] is { } code ? $" (error {code})" : "")}: {(string?)json?["message"] ?? exchange.Reason}");
        return ActionResult.Fail(Json(output), message, retryable, retryable ? exchange.RetryAfter : null);
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonElement Json(JsonObject value) => JsonSerializer.SerializeToElement(value, EngineJson.Options);
}
