using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Testing;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/chat/completions</c>: a bearer API key (401 with an <c>error</c> object otherwise),
/// a <c>model</c> and <c>messages</c> of <c>{ role, content }</c> (400 otherwise), and the answer in
/// <c>choices[0].message.content</c>. The answer is <see cref="Writer"/>'s, given the system and user messages; by
/// default it greets the <c>firstName</c> it finds in the user message, so tests can see the record reached the model.
/// </summary>
public sealed class ChatCompletionsServer : LocalServer
{
    public const string ApiKey = "sk-test-key";
    public const string Model = "test-model";

    public Func<string, string, string> Writer { get; set; } = (system, user) =>
    {
        var name = System.Text.RegularExpressions.Regex.Match(user, "\"firstName\":\"(?<n>[^\"]+)\"").Groups["n"].Value;
        return $"Hello {name},\n\nThank you for qualifying. We will call you this week.\n\nThe team";
    };

    public static async Task<ChatCompletionsServer> StartAsync()
    {
        var server = new ChatCompletionsServer();
        await server.ListenAsync();
        return server;
    }

    public string Endpoint => BaseUrl + "/v1";

    protected override Answer Respond(ReceivedRequest request)
    {
        if (request.Method != "POST" || request.Path != "/v1/chat/completions")
        {
            return Error(404, "Unknown request URL", "invalid_request_error");
        }

        if (request.Header("Authorization") != "Bearer " + ApiKey)
        {
            return Error(401, "Incorrect API key provided.", "invalid_request_error");
        }

        JsonNode? body;
        try
        {
            body = JsonNode.Parse(request.Body);
        }
        catch (JsonException)
        {
            return Error(400, "We could not parse the JSON body of your request.", "invalid_request_error");
        }

        if (body?["model"]?.GetValue<string>() != Model)
        {
            return Error(404, "The model does not exist.", "invalid_request_error");
        }

        if (body["messages"] is not JsonArray { Count: > 0 } messages
            || messages.Any(m => m?["role"]?.GetValue<string>() is not ("system" or "user" or "assistant") || m["content"]?.GetValue<string>() is null))
        {
            return Error(400, "'messages' must be a list of { role, content }.", "invalid_request_error");
        }

        string Content(string role) => string.Join("\n", messages.Where(m => m!["role"]!.GetValue<string>() == role).Select(m => m!["content"]!.GetValue<string>()));
        var answer = Writer(Content("system"), Content("user"));
        return new Answer(200, new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["model"] = Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 20, ["total_tokens"] = 30 },
        }.ToJsonString());
    }

    public static Answer Error(int status, string message, string type) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = type } }.ToJsonString());
}
