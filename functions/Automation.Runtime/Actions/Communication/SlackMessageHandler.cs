using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;
using Automation.Runtime.Communication;
using Automation.Runtime.Communication.Email;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions.Communication;

/// <summary>
/// <c>slack_message</c>: to an incoming webhook (<c>webhookUrl</c>; Slack answers <c>ok</c> or an error word such as
/// <c>invalid_payload</c>), or with <c>chat.postMessage</c> to a <c>channel</c> with a bot token (the step's, else
/// <c>Automation:Slack:BotToken</c>; Slack answers <c>{ "ok": false, "error": ... }</c> with HTTP 200 for most errors).
/// Both go through the outbound guard: a webhook URL on a private address is refused unless allow-listed.
/// Rate limits (429, <c>ratelimited</c>) and Slack's own failures (5xx, <c>internal_error</c>) may be retried; any other
/// error is final.
/// </summary>
public sealed class SlackMessageHandler(IHttpClientFactory clients, IOptions<SlackOptions> options) : IActionHandler
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly HashSet<string> RetryableErrors = new(StringComparer.Ordinal)
    {
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    };

    public string Type => ActionTypes.SlackMessage;

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        var payload = new JsonObject();
        if (StepParams.Text(p, "text") is { } text)
        {
            payload["text"] = text;
        }

        if (p.TryGetProperty("blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array)
        {
            payload["blocks"] = JsonNode.Parse(blocks.GetRawText());
        }

        if (payload.Count == 0)
        {
            return ActionResult.Fail("params.text: the message rendered empty and has no blocks.", retryable: false);
        }

        if (StepParams.Text(p, "webhookUrl") is { } webhook)
        {
            if (!Uri.TryCreate(webhook.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return ActionResult.Fail("params.webhookUrl: it is not an http(s) URL.", retryable: false);
            }

            return await PostAsync(uri, null, payload, webhook: true, cancellationToken);
        }

        var channel = StepParams.Text(p, "channel");
        if (channel is null)
        {
            return ActionResult.Fail("params.channel: give webhookUrl, or a channel to post to with a bot token.", retryable: false);
        }

        var token = StepParams.Text(p, "botToken") ?? options.Value.BotToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            return ActionResult.Fail("params.botToken: posting to a channel needs a bot token (give botToken, or set Automation:Slack:BotToken).", retryable: false);
        }

        payload["channel"] = channel.Trim();
        var api = new Uri(options.Value.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/chat.postMessage");
        return await PostAsync(api, token.Trim(), payload, webhook: false, cancellationToken);
    }

    private async Task<ActionResult> PostAsync(Uri uri, string? token, JsonObject payload, bool webhook, CancellationToken cancellationToken)
    {
        var where = webhook ? "The Slack webhook" : "Slack chat.postMessage";
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var exchange = await HttpExchange.SendAsync(clients.CreateClient(OutboundGuard.ClientName), request, Timeout, where, cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return ActionResult.Fail(failure, exchange.Retryable);
        }

        var status = exchange.Status;
        var retryAfter = exchange.RetryAfter;
        var body = exchange.Body.Length > 2000 ? exchange.Body[..2000] : exchange.Body;

        if (webhook)
        {
            var output = Json(new JsonObject { ["status"] = status, ["body"] = body });
            if (status is >= 200 and < 300)
            {
                return ActionResult.Success(output);
            }

            var retryable = status is 408 or 429 or >= 500 || RetryableErrors.Contains(body.Trim());
            return ActionResult.Fail(output, $"{where} answered {status}: {body.Trim()}", retryable, retryable ? retryAfter : null);
        }

        JsonNode? answer = null;
        try
        {
            answer = body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            answer = null;
        }

        var ok = answer?["ok"]?.GetValueKind() == JsonValueKind.True;
        var error = (string?)answer?["error"];
        var result = new JsonObject { ["status"] = status, ["ok"] = ok };
        if (ok)
        {
            result["channel"] = answer?["channel"]?.DeepClone();
            result["ts"] = answer?["ts"]?.DeepClone();
            return ActionResult.Success(Json(result));
        }

        result["error"] = error;
        var again = status is 408 or 429 or >= 500 || (error is not null && RetryableErrors.Contains(error));
        return ActionResult.Fail(Json(result), $"{where} answered {status}: {error ?? "not ok"}", again, again ? retryAfter : null);
    }

    private static JsonElement Json(JsonObject value) => JsonSerializer.SerializeToElement(value, EngineJson.Options);
}
