using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Testing;

/// <summary>
/// Slack as it answers: incoming webhooks at <c>/services/{team}/{bot}/{secret}</c> (registered ones only: 404
/// <c>no_service</c>; a body that is not JSON: 400 <c>invalid_payload</c>; no text or blocks: 400 <c>no_text</c>; else
/// 200 <c>ok</c>), and <c>POST /api/chat.postMessage</c> with a bearer bot token, answering HTTP 200 with
/// <c>{ "ok": false, "error": "invalid_auth" | "channel_not_found" | "no_text" }</c> or <c>{ "ok": true, "channel", "ts" }</c>.
/// </summary>
public sealed class SlackServer : LocalServer
{
    public const string BotToken = "xoxb-test-token";
    public const string WebhookPath = "/services/T000/B000/secret123";

    /// <summary>Channels chat.postMessage knows, by name and id.</summary>
    public static readonly IReadOnlyDictionary<string, string> Channels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["#sales"] = "C0SALES", ["C0SALES"] = "C0SALES", ["#support"] = "C0SUPPORT",
    };

    public static async Task<SlackServer> StartAsync()
    {
        var server = new SlackServer();
        await server.ListenAsync();
        return server;
    }

    public string WebhookUrl => BaseUrl + WebhookPath;

    public string ApiBaseUrl => BaseUrl + "/api";

    protected override Answer Respond(ReceivedRequest request)
    {
        if (request.Method != "POST")
        {
            return new Answer(405, "method_not_allowed", "text/plain");
        }

        if (request.Path.StartsWith("/services/", StringComparison.Ordinal))
        {
            if (request.Path != WebhookPath)
            {
                return new Answer(404, "no_service", "text/plain");
            }

            var payload = Parse(request.Body);
            if (payload is not JsonObject message)
            {
                return new Answer(400, "invalid_payload", "text/plain");
            }

            return HasContent(message) ? new Answer(200, "ok", "text/plain") : new Answer(400, "no_text", "text/plain");
        }

        if (request.Path == "/api/chat.postMessage")
        {
            if (request.Header("Authorization") != "Bearer " + BotToken)
            {
                return Api(false, "invalid_auth");
            }

            if (Parse(request.Body) is not JsonObject message)
            {
                return Api(false, "invalid_json");
            }

            if (message["channel"]?.GetValue<string>() is not { } channel || !Channels.TryGetValue(channel, out var id))
            {
                return Api(false, "channel_not_found");
            }

            if (!HasContent(message))
            {
                return Api(false, "no_text");
            }

            return new Answer(200, new JsonObject { ["ok"] = true, ["channel"] = id, ["ts"] = "1700000000.000100" }.ToJsonString());
        }

        return new Answer(404, "unknown_method", "text/plain");
    }

    public static Answer Api(bool ok, string error) => new(200, new JsonObject { ["ok"] = ok, ["error"] = error }.ToJsonString());

    private static bool HasContent(JsonObject message) =>
        message["text"]?.GetValue<string>() is { Length: > 0 } || message["blocks"] is JsonArray { Count: > 0 };

    private static JsonNode? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
