using System.Globalization;
using System.Text.Json;

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
    /// The trigger's payload as text. The host passes message content as a JSON string, but a JSON message body may
    /// arrive already parsed; both come back as the original text. Taken from the single trigger binding, whatever its name.
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
                JsonValueKind.String => binding.Value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => binding.Value.GetRawText(),
            };
        }

        return null;
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

/// <summary>The custom handler's answer; any non-2xx status is a failed invocation, which the host retries.</summary>
public sealed record InvocationResponse(IReadOnlyDictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue)
{
    public static InvocationResponse Done(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);
}
