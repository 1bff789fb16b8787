using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Runtime.Actions;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Communication;

/// <summary>What the model was asked and what it answered, for the step log; or why it failed.</summary>
public sealed record ChatAnswer(JsonArray Messages, string Model, string? Answer, string? Error, bool Retryable, TimeSpan? RetryAfter)
{
    public bool Ok => Answer is not null;
}

/// <summary>
/// An OpenAI-compatible chat-completions endpoint (<see cref="AiOptions"/>): <c>POST {endpoint}/chat/completions</c> with
/// <c>{ model, messages, temperature, max_tokens }</c> and a bearer key; the answer is <c>choices[0].message.content</c>.
/// 408, 429 and 5xx may be retried (429 honours <c>Retry-After</c>); other errors are final.
/// </summary>
public sealed class ChatCompletions(IHttpClientFactory clients, IOptions<AiOptions> options)
{
    public const string ClientName = "automation-ai";

    public bool Configured => options.Value.Configured;

    public async Task<ChatAnswer> CompleteAsync(string system, string user, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var messages = new JsonArray
        {
            new JsonObject { ["role"] = "system", ["content"] = system },
            new JsonObject { ["role"] = "user", ["content"] = user },
        };
        if (o.Endpoint is not { } endpoint)
        {
            return new ChatAnswer(messages, o.Model, null, "No language model is configured (Automation:Ai:Endpoint).", false, null);
        }

        var body = new JsonObject
        {
            ["model"] = o.Model,
            ["messages"] = messages.DeepClone(),
            ["temperature"] = o.Temperature,
            ["max_tokens"] = o.MaxTokens,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, CompletionsUrl(endpoint))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(o.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ApiKey);
        }

        var exchange = await HttpExchange.SendAsync(
            clients.CreateClient(ClientName), request, TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds)), "The language model", cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return new ChatAnswer(messages, o.Model, null, failure, exchange.Retryable, null);
        }

        var status = exchange.Status;
        if (status is < 200 or >= 300)
        {
            var retryable = status is 408 or 429 or >= 500;
            var detail = ErrorMessage(exchange.Body);
            return new ChatAnswer(messages, o.Model, null, string.Create(CultureInfo.InvariantCulture, $"The language model answered {status}{(detail is null ? "" : ": " + detail)}."), retryable, exchange.RetryAfter);
        }

        var answer = Content(exchange.Body);
        return answer is null
            ? new ChatAnswer(messages, o.Model, null, "The language model's answer has no choices[0].message.content.", false, null)
            : new ChatAnswer(messages, o.Model, answer.Trim(), null, false, null);
    }

    /// <summary>A base URL (<c>https://api.openai.com/v1</c>) gets <c>/chat/completions</c>; a full URL is used as it is.</summary>
    public static Uri CompletionsUrl(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var text = endpoint.AbsoluteUri;
        return text.TrimEnd('/').EndsWith("/chat/completions", StringComparison.OrdinalIgnoreCase)
            ? endpoint
            : new Uri(text.TrimEnd('/') + "/chat/completions");
    }

    private static string? Content(string text)
    {
        try
        {
            var json = JsonNode.Parse(text);
            return json?["choices"]?[0]?["message"]?["content"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ErrorMessage(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return text.Length > 200 ? text[..200] : text.Length == 0 ? null : text;
        }
    }
}
