using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;
using Automation.Engine.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions;

/// <summary>
/// <c>call_webhook</c>: an HTTP request with a JSON body. Sends <c>Idempotency-Key</c> (run, step, attempt) so a repeat
/// after a crash is recognised, and <c>X-Automation-Signature</c> over the body when the step has a secret.
/// A 2xx succeeds; 408, 429, 5xx, timeouts and connection failures may be retried (honouring <c>Retry-After</c>);
/// any other answer is final.
/// </summary>
public sealed class CallWebhookHandler(
    IHttpClientFactory clients, IOptions<OutboundOptions> options, TimeProvider time, ILogger<CallWebhookHandler> logger) : IActionHandler
{
    /// <summary>How much of the answer's body the step output keeps (it is also visible to later steps' templates).</summary>
    public const int MaxOutputBodyChars = 8 * 1024;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);

    public string Type => ActionTypes.CallWebhook;

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        var url = Text(p, "url");
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return ActionResult.Fail($"params.url: '{url}' is not an http(s) URL.", retryable: false);
        }

        var method = new HttpMethod((Text(p, "method") ?? "POST").Trim().ToUpperInvariant());
        var timeout = Timeout(p);
        var body = BodyBytes(p, context, method);

        using var request = new HttpRequestMessage(method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        if (p.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var header in headers.EnumerateObject())
            {
                var value = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText();
                if (!request.Headers.TryAddWithoutValidation(header.Name, value))
                {
                    request.Content?.Headers.TryAddWithoutValidation(header.Name, value);
                }
            }
        }

        request.Headers.Remove("Idempotency-Key");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", context.IdempotencyKey);
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", options.Value.UserAgent);
        if (Text(p, "secret") is { Length: > 0 } secret)
        {
            request.Headers.Remove(Signature.HeaderName);
            request.Headers.TryAddWithoutValidation(Signature.HeaderName, Signature.Create(secret, time.GetUtcNow(), body ?? []));
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var client = clients.CreateClient(OutboundGuard.ClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ActionResult.Fail($"{method} {Redact(uri)} timed out after {timeout.TotalSeconds:0} s.", retryable: true);
        }
        catch (HttpRequestException e) when (OutboundBlockedException.FindIn(e) is { } blocked)
        {
            return ActionResult.Fail(blocked.Message, retryable: false);
        }
        catch (HttpRequestException e)
        {
            return ActionResult.Fail($"{method} {Redact(uri)} failed: {e.Message}", retryable: true);
        }

        using (response)
        {
            string text;
            try
            {
                text = await ReadBodyAsync(response, timeoutSource.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ActionResult.Fail($"{method} {Redact(uri)} timed out after {timeout.TotalSeconds:0} s reading the answer.", retryable: true);
            }

            var status = (int)response.StatusCode;
            var output = Output(status, response, text);
            Logs.WebhookAnswered(logger, context.Run.RunId, context.Step.Id, status);
            if (status is >= 200 and < 300)
            {
                return ActionResult.Success(output);
            }

            var retryable = status is 408 or 429 or >= 500;
            var message = $"{method} {Redact(uri)} answered {status} {response.ReasonPhrase}.";
            return ActionResult.Fail(output, message, retryable, retryable ? RetryAfter(response) : null);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static TimeSpan Timeout(JsonElement p)
    {
        if (p.TryGetProperty("timeoutSeconds", out var t))
        {
            double? seconds = t.ValueKind switch
            {
                JsonValueKind.Number => t.GetDouble(),
                JsonValueKind.String when double.TryParse(t.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) => s,
                _ => null,
            };
            if (seconds is > 0)
            {
                var span = TimeSpan.FromSeconds(seconds.Value);
                return span > MaxTimeout ? MaxTimeout : span;
            }
        }

        return DefaultTimeout;
    }

    /// <summary>The body param as JSON; when absent, the record (except for GET and DELETE, which send none).</summary>
    private static byte[]? BodyBytes(JsonElement p, ActionContext context, HttpMethod method)
    {
        if (p.TryGetProperty("body", out var body) && body.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            return JsonSerializer.SerializeToUtf8Bytes(body, EngineJson.Options);
        }

        if (method == HttpMethod.Get || method == HttpMethod.Delete || method == HttpMethod.Head)
        {
            return null;
        }

        return context.Scope.Record is { } record
            ? JsonSerializer.SerializeToUtf8Bytes(record, EngineJson.Options)
            : "{}"u8.ToArray();
    }

    private async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Max(1024, options.Value.MaxResponseBytes)];
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    /// <summary><c>{ status, body }</c>: the body as JSON when it is JSON and small enough, else as text (cut).</summary>
    private static JsonElement Output(int status, HttpResponseMessage response, string text)
    {
        var output = new JsonObject { ["status"] = status };
        var isJson = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        if (text.Length > 0)
        {
            JsonNode? parsed = null;
            if (isJson && text.Length <= MaxOutputBodyChars)
            {
                try
                {
                    parsed = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    parsed = null;
                }
            }

            output["body"] = parsed ?? JsonValue.Create(text.Length > MaxOutputBodyChars ? text[..MaxOutputBodyChars] + "…" : text);
        }

        return JsonSerializer.SerializeToElement(output, EngineJson.Options);
    }

    /// <summary>The URL without its query, which may carry tokens.</summary>
    private static string Redact(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private static string? Text(JsonElement p, string name) =>
        p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : v.GetRawText()
            : null;
}
