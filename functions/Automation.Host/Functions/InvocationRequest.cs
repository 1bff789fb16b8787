using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Host.Functions;

/// <summary>
/// What the Functions host posts to a custom handler for a non-HTTP trigger:
/// <c>{ "Data": { "&lt;binding&gt;": ... }, "Metadata": { "DequeueCount": 1, "Id": "...", ..., "sys": { ... } } }</c>.
/// </summary>
public sealed record InvocationRequest(JsonElement Data, JsonElement Metadata)
{
    public static InvocationRequest From(JsonElement body) => new(
        body.TryGetProperty(nameof(Data), out var data) ? data : default,
        body.TryGetProperty(nameof(Metadata), out var metadata) ? metadata : default);

    /// <summary>
    /// The trigger's payload as the message's own text, taken from the single trigger binding, whatever its name.
    /// <para>The Functions host (ScriptInvocationContextExtensions in azure-functions-host) turns a trigger value that is
    /// not an object into JSON text with Json.NET before it serializes the invocation, so a queue or Service Bus message
    /// <c>{"a":1}</c> arrives as <c>"Data": { "message": "\"{\\\"a\\\":1}\"" }</c>: a JSON string whose content is
    /// itself a JSON string literal (captured host payloads show the same, and so does Metadata's <c>"Id"</c>). That outer
    /// literal is unwrapped here. The documentation's sample shows the content directly (<c>"{ ... }"</c>), and an object
    /// value (a binding the host parsed) comes as JSON; both are taken as they are. A value the host sent as bytes comes
    /// base64-encoded; it is decoded when it decodes to UTF-8 JSON.</para>
    /// </summary>
    public string? TriggerText()
    {
        if (Data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var binding in Data.EnumerateObject())
        {
            return binding.Value.ValueKind switch
            {
                JsonValueKind.String => Unwrap(binding.Value.GetString()!),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => binding.Value.GetRawText(),
            };
        }

        return null;
    }

    /// <summary>The timer binding's <c>IsPastDue</c>; false when absent.</summary>
    public bool IsPastDue() =>
        Data.ValueKind == JsonValueKind.Object
        && Data.EnumerateObject().Select(b => b.Value).FirstOrDefault() is { ValueKind: JsonValueKind.Object } timer
        && timer.TryGetProperty("IsPastDue", out var pastDue) && pastDue.ValueKind == JsonValueKind.True;

    /// <summary>The host's <c>Metadata.sys.UtcNow</c>: when it invoked us.</summary>
    public DateTimeOffset? InvokedAt()
    {
        if (Metadata.ValueKind == JsonValueKind.Object && Metadata.TryGetProperty("sys", out var sys)
            && sys.ValueKind == JsonValueKind.Object && sys.TryGetProperty("UtcNow", out var utcNow)
            && utcNow.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(utcNow.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        return null;
    }

    private static string Unwrap(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(trimmed) ?? text;
            }
            catch (JsonException)
            {
                return text;
            }
        }

        if (trimmed.Length > 0 && trimmed[0] is not ('{' or '[') && TryBase64Json(trimmed, out var decoded))
        {
            return decoded;
        }

        return text;
    }

    private static bool TryBase64Json(string text, out string decoded)
    {
        decoded = "";
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
        {
            return false;
        }

        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var start = decoded.TrimStart();
        return start.Length > 0 && start[0] is '{' or '[';
    }

    /// <summary>Queue metadata <c>DequeueCount</c> (Service Bus: <c>DeliveryCount</c>); 1 when absent.</summary>
    public long DeliveryCount()
    {
        foreach (var name in new[] { "DequeueCount", "DeliveryCount" })
        {
            if (Metadata.ValueKind == JsonValueKind.Object && Metadata.TryGetProperty(name, out var value))
            {
                if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
                {
                    return n;
                }

                if (value.ValueKind == JsonValueKind.String
                    && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))
                {
                    return n;
                }
            }
        }

        return 1;
    }
}

/// <summary>
/// The custom handler's answer, named exactly as the protocol names it (<c>Outputs</c>, <c>Logs</c>, <c>ReturnValue</c>,
/// whatever the app's JSON naming policy); any non-2xx status is a failed invocation, which the host retries.
/// </summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? ReturnValue)
{
    public static InvocationResponse Done(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);
}
